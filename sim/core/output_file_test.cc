// Output files: regular files replaced atomically with unique temporary
// files, symlinks written through, FIFOs and devices written directly and
// never replaced, refusals, transactions, same-file checks, signal cleanup
// and checked standard output.
#include "sim/core/output_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "sim/core/fifo_reader_testing.h"
#include "sim/core/status_matchers.h"

namespace parley {
namespace {

namespace fs = std::filesystem;
using testing::FifoReader;
using ::testing::HasSubstr;

// A fresh folder per test.
class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("parley-output-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The names in `dir`, sorted.
  static std::vector<std::string> Names(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Put(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

bool IsFifo(const fs::path& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

bool IsCharacterDevice(const char* path) {
  struct stat st;
  return ::lstat(path, &st) == 0 && S_ISCHR(st.st_mode);
}

TEST_F(OutputFileTest, ReplacesARegularFileKeepingItsPermissions) {
  const fs::path out = dir_ / "out.json";
  Put(out, "old");
  fs::permissions(out, fs::perms(0640));
  ASSERT_THAT(WriteOutputFile(out.string(), "new"), IsOk());
  EXPECT_EQ(Slurp(out), "new");
  EXPECT_EQ(fs::status(out).permissions(), fs::perms(0640));
  EXPECT_EQ(Names(dir_), std::vector<std::string>{"out.json"});  // no temporary file left
}

TEST_F(OutputFileTest, CreatesANewFileWithTheUsualPermissions) {
  const fs::path out = dir_ / "new.csv";
  const mode_t mask = ::umask(022);
  ASSERT_THAT(WriteOutputFile(out.string(), "a,b\n"), IsOk());
  ::umask(mask);
  EXPECT_EQ(Slurp(out), "a,b\n");
  EXPECT_EQ(fs::status(out).permissions(), fs::perms(0644));  // not mkstemp's 0600
}

TEST_F(OutputFileTest, WritesThroughASymlinkToAnotherFolder) {
  fs::create_directories(dir_ / "a");
  fs::create_directories(dir_ / "b");
  Put(dir_ / "a" / "real.json", "old");
  fs::create_symlink("../a/real.json", dir_ / "b" / "link.json");
  ASSERT_THAT(WriteOutputFile((dir_ / "b" / "link.json").string(), "new"), IsOk());
  EXPECT_TRUE(fs::is_symlink(dir_ / "b" / "link.json"));
  EXPECT_EQ(Slurp(dir_ / "a" / "real.json"), "new");
  EXPECT_EQ(Names(dir_ / "a"), std::vector<std::string>{"real.json"});
  EXPECT_EQ(Names(dir_ / "b"), std::vector<std::string>{"link.json"});
}

TEST_F(OutputFileTest, ADanglingSymlinkCreatesItsTarget) {
  fs::create_symlink("target.json", dir_ / "link.json");
  ASSERT_THAT(WriteOutputFile((dir_ / "link.json").string(), "x"), IsOk());
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.json"));
  EXPECT_EQ(Slurp(dir_ / "target.json"), "x");
}

TEST_F(OutputFileTest, ASymlinkLoopIsAnError) {
  fs::create_symlink("b", dir_ / "a");
  fs::create_symlink("a", dir_ / "b");
  EXPECT_THAT(WriteOutputFile((dir_ / "a").string(), "x"),
              StatusIs(StatusCode::kInternal, HasSubstr("symbolic links")));
}

TEST_F(OutputFileTest, DevNullStaysACharacterDevice) {
  ASSERT_TRUE(IsCharacterDevice("/dev/null"));
  EXPECT_THAT(WriteOutputFile("/dev/null", std::string(100000, 'x')), IsOk());
  EXPECT_TRUE(IsCharacterDevice("/dev/null"));
  // Also through a link, as `--json out.json` with out.json -> /dev/null.
  fs::create_symlink("/dev/null", dir_ / "out.json");
  EXPECT_THAT(WriteOutputFile((dir_ / "out.json").string(), "x"), IsOk());
  EXPECT_TRUE(fs::is_symlink(dir_ / "out.json"));
  EXPECT_TRUE(IsCharacterDevice("/dev/null"));
}

TEST_F(OutputFileTest, ADeviceNodeIsWrittenNotReplaced) {
  if (::geteuid() != 0) GTEST_SKIP() << "mknod needs root";
  const fs::path node = dir_ / "null";
  ASSERT_EQ(::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0) << std::strerror(errno);
  ASSERT_THAT(WriteOutputFile(node.string(), "x"), IsOk());
  EXPECT_TRUE(IsCharacterDevice(node.c_str()));
  EXPECT_EQ(Names(dir_), std::vector<std::string>{"null"});
}

TEST_F(OutputFileTest, AFullDeviceReportsTheRealError) {
  EXPECT_THAT(WriteOutputFile("/dev/full", "x"),
              StatusIs(StatusCode::kInternal,
                       HasSubstr("cannot write /dev/full: No space left on device")));
  EXPECT_TRUE(IsCharacterDevice("/dev/full"));
}

TEST_F(OutputFileTest, AFifoIsWrittenDirectly) {
  const fs::path fifo = dir_ / "out.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string text;
  for (int i = 0; i < 100000; ++i) text += std::to_string(i) + "\n";  // more than a pipe holds
  FifoReader reader(fifo.string());
  const Status written = WriteOutputFile(fifo.string(), text);
  const std::string got = reader.Stop();
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ(got, text);
  EXPECT_TRUE(IsFifo(fifo));
  EXPECT_EQ(Names(dir_), std::vector<std::string>{"out.fifo"});
}

TEST_F(OutputFileTest, DirectoriesAndSocketsAreRefused) {
  EXPECT_THAT(WriteOutputFile(dir_.string(), "x"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("is a directory")));
  const std::vector<NamedOutput> outputs = {{"--json", dir_.string()}};
  EXPECT_THAT(CheckOutputs(outputs),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("--json " + dir_.string() + ": is a directory")));
  EXPECT_TRUE(fs::is_directory(dir_));
}

TEST_F(OutputFileTest, ABlockDeviceIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "mknod needs root";
  const fs::path node = dir_ / "loop";
  ASSERT_EQ(::mknod(node.c_str(), S_IFBLK | 0600, makedev(7, 200)), 0) << std::strerror(errno);
  EXPECT_THAT(WriteOutputFile(node.string(), "x"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("is a block device")));
  struct stat st;
  ASSERT_EQ(::lstat(node.c_str(), &st), 0);
  EXPECT_TRUE(S_ISBLK(st.st_mode));
}

TEST_F(OutputFileTest, APlantedTemporaryNameIsNeverFollowed) {
  // The old fixed temporary name, planted as a link to someone else's file.
  const fs::path victim = dir_ / "victim.txt", out = dir_ / "out.json";
  Put(victim, "precious");
  fs::create_symlink(victim, dir_ / ".out.json.parley-tmp");
  ASSERT_THAT(WriteOutputFile(out.string(), "result"), IsOk());
  EXPECT_EQ(Slurp(victim), "precious");
  EXPECT_EQ(Slurp(out), "result");
  EXPECT_FALSE(fs::is_symlink(out));
}

TEST_F(OutputFileTest, OverlappingWritesToOnePathUseTheirOwnTemporaryFiles) {
  const fs::path out = dir_ / "out.json";
  OutputTransaction first, second;
  ASSERT_THAT(first.Add(out.string(), "first"), IsOk());
  ASSERT_THAT(second.Add(out.string(), "second"), IsOk());
  EXPECT_EQ(Names(dir_).size(), 2u);  // two temporary files
  ASSERT_THAT(second.Commit(), IsOk());
  EXPECT_EQ(Slurp(out), "second");
  ASSERT_THAT(first.Commit(), IsOk());
  EXPECT_EQ(Slurp(out), "first");
  EXPECT_EQ(Names(dir_), std::vector<std::string>{"out.json"});
}

TEST_F(OutputFileTest, ConcurrentWritersEachLeaveACompleteFile) {
  const fs::path out = dir_ / "out.txt";
  std::vector<std::string> texts;
  for (int i = 0; i < 8; ++i) texts.push_back(std::string(1 << 20, static_cast<char>('a' + i)));
  std::vector<Status> results(texts.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < texts.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 5 && results[i].ok(); ++round) {
        results[i] = WriteOutputFile(out.string(), texts[i]);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_THAT(s, IsOk());
  const std::string final_text = Slurp(out);
  EXPECT_NE(std::find(texts.begin(), texts.end(), final_text), texts.end());
  EXPECT_EQ(Names(dir_), std::vector<std::string>{"out.txt"});
}

TEST_F(OutputFileTest, AFailedOutputLeavesTheOthersAsTheyWere) {
  const fs::path html = dir_ / "r.html", json = dir_ / "r.json";
  Put(html, "old page");
  Put(json, "old json");
  {
    OutputTransaction t;
    ASSERT_THAT(t.Add(html.string(), "new page"), IsOk());
    EXPECT_THAT(t.Add((dir_ / "missing" / "r.csv").string(), "x"),
                StatusIs(StatusCode::kInternal, HasSubstr("No such file or directory")));
  }
  {
    // A failure at commit (the device is full) comes before any rename.
    OutputTransaction t;
    ASSERT_THAT(t.Add(html.string(), "new page"), IsOk());
    ASSERT_THAT(t.Add(json.string(), "new json"), IsOk());
    ASSERT_THAT(t.Add("/dev/full", "x"), IsOk());
    EXPECT_THAT(t.Commit(), StatusIs(StatusCode::kInternal, HasSubstr("No space left")));
  }
  EXPECT_EQ(Slurp(html), "old page");
  EXPECT_EQ(Slurp(json), "old json");
  EXPECT_EQ(Names(dir_), (std::vector<std::string>{"r.html", "r.json"}));
  OutputTransaction t;
  ASSERT_THAT(t.Add(html.string(), "new page"), IsOk());
  ASSERT_THAT(t.Add(json.string(), "new json"), IsOk());
  ASSERT_THAT(t.Commit(), IsOk());
  EXPECT_EQ(Slurp(html), "new page");
  EXPECT_EQ(Slurp(json), "new json");
}

TEST_F(OutputFileTest, TwoOutputsNamingOneFileAreRefused) {
  const std::string out = (dir_ / "out.json").string();
  const std::vector<NamedOutput> same = {{"--json", out}, {"--html", out}};
  EXPECT_THAT(CheckOutputs(same),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("--json and --html name the same file (" + out + ")")));
  // Spelled differently, not yet existing.
  const std::vector<NamedOutput> spelled = {{"--json", out},
                                            {"--csv", (dir_ / "." / "out.json").string()}};
  EXPECT_THAT(CheckOutputs(spelled), StatusIs(StatusCode::kInvalidArgument));
  // An existing file and a link to it.
  Put(out, "x");
  fs::create_symlink(out, dir_ / "alias.json");
  const std::vector<NamedOutput> linked = {{"--json", out},
                                           {"--html", (dir_ / "alias.json").string()}};
  EXPECT_THAT(CheckOutputs(linked), StatusIs(StatusCode::kInvalidArgument,
                                             HasSubstr("--json and --html name the same file")));
  const std::vector<NamedOutput> stdout_twice = {{"--json", std::nullopt}, {"--csv", std::nullopt}};
  EXPECT_THAT(CheckOutputs(stdout_twice),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("--json - and --csv - would both write to stdout")));
  // Different files, /dev/null twice, one file and stdout: fine.
  const std::vector<NamedOutput> fine = {{"--json", out},
                                         {"--html", (dir_ / "out.html").string()},
                                         {"--csv", "/dev/null"},
                                         {"--other", "/dev/null"},
                                         {"--last", std::nullopt}};
  EXPECT_THAT(CheckOutputs(fine), IsOk());
}

// Runs `body` in a child process; returns its wait status.
template <typename Body>
int InChild(Body body) {
  std::cout.flush();
  const pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST_F(OutputFileTest, PendingTemporaryFilesAreRemovedOnSignals) {
  for (const int sig : {SIGTERM, SIGINT, SIGHUP}) {
    const fs::path out = dir_ / "big.json";
    const int status = InChild([&] {
      std::signal(sig, SIG_DFL);
      RemoveTempFilesOnSignals();
      OutputTransaction t;
      if (!t.Add(out.string(), std::string(1 << 20, 'x')).ok()) ::_exit(3);
      if (Names(dir_).size() != 1) ::_exit(4);  // the temporary file is there
      ::raise(sig);
      ::_exit(5);  // not reached: the signal ends the process
    });
    ASSERT_TRUE(WIFSIGNALED(status)) << "signal " << sig << ": exit " << WEXITSTATUS(status);
    EXPECT_EQ(WTERMSIG(status), sig);
    EXPECT_TRUE(Names(dir_).empty()) << "signal " << sig << " left " << Names(dir_).front();
  }
}

TEST_F(OutputFileTest, FailedWritesToStandardOutputAreReported) {
  const fs::path message = dir_ / "message.txt";
  const int status = InChild([&] {
    const int full = ::open("/dev/full", O_WRONLY);
    if (full < 0 || ::dup2(full, 1) < 0) ::_exit(3);
    UseCheckedStandardOutput();
    std::cout << std::string(1 << 20, 'x');  // fails long before the flush
    std::cout << "more";
    const Status flushed = FlushStandardOutput();
    std::ofstream(message) << flushed.message();
    ::_exit(flushed.ok() ? 4 : 0);
  });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(Slurp(message), "cannot write to standard output: No space left on device");
}

TEST_F(OutputFileTest, StandardOutputInATransaction) {
  const fs::path json = dir_ / "r.json";
  Put(json, "old");
  const int status = InChild([&] {
    const int full = ::open("/dev/full", O_WRONLY);
    if (full < 0 || ::dup2(full, 1) < 0) ::_exit(3);
    UseCheckedStandardOutput();
    bool committed = false;
    {
      OutputTransaction t;
      if (!t.Add(json.string(), "new").ok()) ::_exit(4);
      t.AddStdout("csv text");
      committed = t.Commit().ok();
    }  // removes the temporary file
    ::_exit(committed ? 5 : 0);
  });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(Slurp(json), "old");  // stdout failed: nothing committed
  EXPECT_EQ(Names(dir_), std::vector<std::string>{"r.json"});
}

}  // namespace
}  // namespace parley
