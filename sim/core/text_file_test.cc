// ReadTextFile: only regular files, bounded in size, and never a wait on a
// FIFO or an endless read of a device.
#include "sim/core/text_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/core/status_matchers.h"

namespace parley {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path Dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("parley-text-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

TEST(ReadTextFile, ReadsARegularFile) {
  const fs::path p = Dir() / "a.txt";
  std::ofstream(p) << "hello\n";
  EXPECT_THAT(ReadTextFile(p.string(), 100, "text file"), IsOk());
  EXPECT_EQ(*ReadTextFile(p.string(), 100, "text file"), "hello\n");
}

TEST(ReadTextFile, RefusesWhatIsNotARegularFile) {
  const fs::path fifo = Dir() / "in.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // No writer: an open without O_NONBLOCK would wait for ever.
  for (const std::string& path : {fifo.string(), std::string("/dev/zero"), Dir().string()}) {
    EXPECT_THAT(ReadTextFile(path, 1000, "result file"),
                StatusIs(StatusCode::kInvalidArgument,
                         HasSubstr(path + ": error: not a regular file; a result file is a "
                                          "text file")));
  }
  EXPECT_THAT(ReadTextFile((Dir() / "missing").string(), 1000, "result file"),
              StatusIs(StatusCode::kNotFound, HasSubstr("no such result file")));
}

TEST(ReadTextFile, RefusesAFileOverTheLimit) {
  const fs::path p = Dir() / "big.json";
  { std::ofstream(p) << std::string(5000, ' '); }
  EXPECT_THAT(ReadTextFile(p.string(), 1000, "result file"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr(":1:1: error: the file is 5000 bytes; result files of at most "
                                 "1000 bytes are accepted")));
  EXPECT_THAT(ReadTextFile(p.string(), 5000, "result file"), IsOk());
}

}  // namespace
}  // namespace parley
