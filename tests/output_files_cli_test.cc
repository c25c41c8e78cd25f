// Output files and streams end to end (issue 12): FIFOs, devices and symlinks
// are written, never replaced; failed writes to stdout are errors;
// concurrent runs never share a temporary file; `parley report` refuses
// FIFOs, devices and huge files; two flags naming one file are refused; a
// failed output leaves the others alone; signals leave no temporary file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "parley_cli.h"
#include "sim/core/fifo_reader_testing.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;
using J = nlohmann::ordered_json;

const std::string kStag = Scenario("classic/stag-hunt.yaml");
const std::string kSweepLoud = "sweep " + kStag + " --vary payoff.both_stag.row=3:5:3 -n 200";
const std::string kSweep = kSweepLoud + " -q";

std::string Bin() {
  const char* bin = std::getenv("PARLEY_BIN");
  return bin ? bin : "false";
}

// A fresh folder per test.
class OutputFilesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempPath(::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> Names(const fs::path& dir) const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string P(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

// `parley ARGS` through the shell with stdout to `out` (a path); its exit
// code and stderr.
CliResult ParleyTo(const std::string& args, const std::string& out) {
  const auto err = TempPath("stderr-to");
  const std::string command =
      Bin() + " " + args + " >" + out + " 2>" + err.string() + " </dev/null";
  const int status = std::system(command.c_str());
  return {WEXITSTATUS(status), "", Slurp(err)};
}

bool Is(const std::string& path, mode_t type) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == type;
}

// `parley ARGS` with at most 60 s and 4 GB of address space (none under
// AddressSanitizer), so that a reader that waits or reads for ever fails the
// test instead of hanging it.
CliResult ParleyBounded(const std::string& args) {
  const auto err = TempPath("stderr-bounded");
  const std::string command = parley::testing::AddressSpaceLimit("4000000") + "timeout 60 " +
                              Bin() + " " + args + " >/dev/null 2>" + err.string() + " </dev/null";
  const int status = std::system(command.c_str());
  return {WEXITSTATUS(status), "", Slurp(err)};
}

// ---- 1. Special files and symlinks ----------------------------------------------

TEST_F(OutputFilesCli, DevNullStaysACharacterDevice) {
  ASSERT_TRUE(Is("/dev/null", S_IFCHR));
  std::vector<std::string> commands = {
      "run " + kStag + " -n 50 -q --json /dev/null", "solve " + kStag + " --json /dev/null",
      "export " + kStag + " -o /dev/null",           "params " + kStag + " --json /dev/null",
      kSweep + " --json /dev/null --csv /dev/null",
  };
#if PARLEY_EXPECT_VEGA
  commands.push_back("run " + kStag + " -n 50 -q --html /dev/null");
  commands.push_back("report " + std::string(PARLEY_SOURCE_DIR) +
                     "/tests/data/report/sweep-1d.json -o /dev/null");
#endif
  for (const std::string& c : commands) {
    const CliResult r = Parley(c);
    EXPECT_EQ(r.exit_code, 0) << c << ": " << r.err;
    EXPECT_TRUE(Is("/dev/null", S_IFCHR)) << c;
  }
}

TEST_F(OutputFilesCli, ADeviceNodeIsWrittenNotReplaced) {
  if (::geteuid() != 0) GTEST_SKIP() << "mknod needs root";
  const std::string node = P("null");
  ASSERT_EQ(::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0) << std::strerror(errno);
  for (const std::string& c :
       {"run " + kStag + " -n 50 -q --json " + node, "export " + kStag + " -o " + node}) {
    const CliResult r = Parley(c);
    EXPECT_EQ(r.exit_code, 0) << c << ": " << r.err;
    EXPECT_TRUE(Is(node, S_IFCHR)) << c;
  }
  EXPECT_EQ(Names(dir_), std::vector<std::string>{"null"});
}

TEST_F(OutputFilesCli, AFifoReceivesTheResult) {
  const std::string fifo = P("result.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  FifoReader reader(fifo);
  ASSERT_TRUE(reader.opened());
  const CliResult r = Parley("run " + kStag + " -n 100 -q --json " + fifo);
  const std::string text = reader.Stop();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Is(fifo, S_IFIFO));
  ASSERT_TRUE(J::accept(text)) << text.substr(0, 200);
  EXPECT_EQ(J::parse(text)["samples"], 100);
  EXPECT_EQ(Names(dir_), std::vector<std::string>{"result.fifo"});
}

TEST_F(OutputFilesCli, ASymlinkIsWrittenThrough) {
  fs::create_directories(dir_ / "results");
  fs::create_directories(dir_ / "links");
  const std::string real = P("results/run.json"), link = P("links/run.json");
  { std::ofstream(real) << "old"; }
  fs::create_symlink("../results/run.json", link);
  const CliResult r = Parley("run " + kStag + " -n 100 -q --json " + link);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::read_symlink(link), "../results/run.json");
  EXPECT_EQ(J::parse(Slurp(real))["samples"], 100);
  EXPECT_EQ(Names(dir_ / "results"), std::vector<std::string>{"run.json"});
  EXPECT_EQ(Names(dir_ / "links"), std::vector<std::string>{"run.json"});
}

TEST_F(OutputFilesCli, ADirectoryIsRefusedBeforeAnyWork) {
  for (const std::string& c : {"run " + kStag + " -n 50 -q --json " + dir_.string(),
                               "export " + kStag + " -o " + dir_.string()}) {
    const CliResult r = Parley(c);
    EXPECT_EQ(r.exit_code, 2) << c;
    EXPECT_NE(r.err.find(dir_.string() + ": is a directory"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(fs::is_directory(dir_));
  EXPECT_TRUE(Names(dir_).empty());
}

// ---- 5. Failed writes to standard output ------------------------------------------

TEST_F(OutputFilesCli, EveryCommandFailsWhenStdoutIsFull) {
  const std::string report = std::string(PARLEY_SOURCE_DIR) + "/tests/data/report/sweep-1d.json";
  std::vector<std::string> commands = {
      "--help",
      "run --help",
      "validate " + kStag,
      "models",
      "params " + kStag,
      "params " + kStag + " --json -",
      "run " + kStag + " -n 100",
      "run " + kStag + " -n 100 --json -",
      "run " + kStag + " " + Scenario("classic/chicken.yaml") + " -n 100",
      "run " + kStag + " " + Scenario("classic/chicken.yaml") + " -n 100 --csv -",
      "solve " + kStag,
      "solve " + kStag + " --json -",
      "export " + kStag,
      "explain " + Scenario("sequential/entry-deterrence.yaml"),
      kSweepLoud,
      kSweep + " --csv -",
      "sensitivity " + Scenario("istanbul-2025.yaml") + " -n 8 -q --json -",
  };
#if PARLEY_EXPECT_VEGA
  commands.push_back("report " + report + " -o -");
#endif
  for (const std::string& c : commands) {
    const CliResult r = ParleyTo(c, "/dev/full");
    EXPECT_EQ(r.exit_code, 1) << c << ": " << r.err;
    EXPECT_NE(r.err.find("parley: cannot write to standard output: No space left on device"),
              std::string::npos)
        << c << ": " << r.err;
    // The same command with room to write succeeds.
    EXPECT_EQ(ParleyTo(c, "/dev/null").exit_code, 0) << c;
  }
}

// ---- 6. Concurrent runs writing one path ---------------------------------------------

TEST_F(OutputFilesCli, APlantedTemporaryFileIsNeverFollowed) {
  // The temporary name older versions used for every run, planted as a link
  // to another file: it must neither be written through nor renamed.
  const std::string victim = P("victim.txt"), out = P("out.json");
  { std::ofstream(victim) << "precious"; }
  fs::create_symlink(victim, dir_ / ".out.json.parley-tmp");
  const CliResult r = Parley("run " + kStag + " -n 100 -q --json " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Slurp(victim), "precious");
  EXPECT_FALSE(fs::is_symlink(out));
  EXPECT_EQ(J::parse(Slurp(out))["samples"], 100);
}

TEST_F(OutputFilesCli, ConcurrentRunsLeaveOneCompleteResult) {
  constexpr int kRuns = 8;
  const std::string out = P("shared.json");
  // A 60x60 sweep: 5 MB of JSON, long enough to write that the runs overlap.
  const std::string sweep = "sweep " + kStag +
                            " --vary payoff.both_stag.row=3:5:60 --vary payoff.both_hare.row=1:3:60"
                            " -n 10 -q";
  // Each run with its own seed, all at once, all to one path.
  std::string script;
  for (int i = 1; i <= kRuns; ++i) {
    const std::string n = std::to_string(i);
    script += "(";
    script += Bin() + " " + sweep + " --seed " + n + " --json " + out + " 2>" + P("err" + n);
    script += "; echo $? >" + P("rc" + n) + ") &\n";
  }
  script += "wait\n";
  const std::string script_path = P("concurrent.sh");
  { std::ofstream(script_path) << script; }
  ASSERT_EQ(std::system(("sh " + script_path).c_str()), 0);
  for (int i = 1; i <= kRuns; ++i) {
    const std::string rc = Slurp(P("rc" + std::to_string(i)));
    const std::string err = Slurp(P("err" + std::to_string(i)));
    // Success, or a real error (never "Success").
    EXPECT_TRUE(rc == "0\n" || (!err.empty() && err.find("Success") == std::string::npos))
        << "run " << i << ": exit " << rc << err;
    EXPECT_EQ(rc, "0\n") << err;
  }
  // One complete result: the one its seed gives when run alone.
  const std::string text = Slurp(out);
  ASSERT_TRUE(J::accept(text)) << text.size() << " bytes";
  J got = J::parse(text);
  const int seed =
      std::stoi(got["seed"].is_string() ? got["seed"].get<std::string>() : got["seed"].dump());
  ASSERT_GE(seed, 1);
  ASSERT_LE(seed, kRuns);
  const CliResult alone = Parley(sweep + " --seed " + std::to_string(seed) + " --json -");
  ASSERT_EQ(alone.exit_code, 0);
  J expected = J::parse(alone.out);
  got.erase("run");  // the timing
  expected.erase("run");
  EXPECT_TRUE(got == expected) << "the file is not the result of seed " << seed;
  for (const std::string& name : Names(dir_)) {
    EXPECT_EQ(name.find("parley-tmp"), std::string::npos) << name;
  }
}

// ---- 9. `parley report` inputs ----------------------------------------------------------

TEST_F(OutputFilesCli, ReportRefusesFifosDevicesAndHugeFiles) {
  const std::string fifo = P("in.fifo"), huge = P("huge.json"), out = P("out.html");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Sparse: no disk used; one byte over the limit of 256 MiB.
  { std::ofstream(huge) << "{}"; }
  fs::resize_file(huge, (uintmax_t{256} << 20) + 1);
  struct Case {
    std::string file, message;
  };
  for (const Case& c : std::vector<Case>{
           {fifo, fifo + ": error: not a regular file; a result file is a text file"},
           {"/dev/zero", "/dev/zero: error: not a regular file"},
           {huge, huge + ":1:1: error: the file is 268435457 bytes; result files of at most "
                         "268435456 bytes are accepted"}}) {
    const CliResult r = ParleyBounded("report " + c.file + " -o " + out);
    EXPECT_EQ(r.exit_code, 2) << c.file << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
  // Refused from its size on disk, before anything is read: in 300 MB of
  // address space (reading it first needed a 512 MB buffer: out of memory).
  const std::string limit = parley::testing::AddressSpaceLimit("300000");
  const auto err = TempPath("stderr-huge");
  const int status = std::system((limit + Bin() + " report " + huge + " -o " + out +
                                  " >/dev/null 2>" + err.string() + " </dev/null")
                                     .c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2) << Slurp(err);
  EXPECT_FALSE(fs::exists(out));
  // The game readers refuse them as well.
  for (const std::string& c : {"solve " + fifo, std::string("solve /dev/zero"), "export " + fifo}) {
    const CliResult r = ParleyBounded(c);
    EXPECT_EQ(r.exit_code, 2) << c << ": " << r.err;
    EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  }
}

// ---- 11. Same path, partial failures, signals ----------------------------------------

TEST_F(OutputFilesCli, TwoFlagsNamingOneFileAreRefusedBeforeAnyWork) {
  const std::string out = P("out.json");
  struct Case {
    std::string command, message;
  };
  for (const Case& c :
       std::vector<Case>{{"run " + kStag + " -n 100 -q --json " + out + " --html " + out,
                          "parley: --json and --html name the same file (" + out + ")"},
                         {kSweep + " --json " + out + " --csv " + dir_.string() + "/./out.json",
                          "parley: --json and --csv name the same file"},
                         {"run " + kStag + " " + Scenario("classic/chicken.yaml") +
                              " -n 100 -q --html " + out + " --csv " + out,
                          "parley: --html and --csv name the same file"},
                         {"sensitivity " + Scenario("istanbul-2025.yaml") + " -n 8 -q --json " +
                              out + " --html " + out,
                          "parley: --json and --html name the same file"}}) {
    const CliResult r = Parley(c.command);
    EXPECT_EQ(r.exit_code, 2) << c.command;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.command << ": " << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
  // An existing file and a link to it are one file.
  { std::ofstream(out) << "old"; }
  fs::create_symlink(out, dir_ / "alias.json");
  const CliResult r = Parley(kSweep + " --json " + out + " --csv " + P("alias.json"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--json and --csv name the same file"), std::string::npos) << r.err;
  EXPECT_EQ(Slurp(out), "old");
}

TEST_F(OutputFilesCli, AFailedOutputLeavesTheOthersAsTheyWere) {
  const std::string json = P("sweep.json"), html = P("sweep.html");
  { std::ofstream(json) << "old json"; }
  { std::ofstream(html) << "old page"; }
  // The CSV cannot be written (no such folder): the JSON is not replaced.
  CliResult r = Parley(kSweep + " --json " + json + " --csv " + P("missing/sweep.csv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot write " + P("missing/sweep.csv") + ": No such file or directory"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Slurp(json), "old json");
#if PARLEY_EXPECT_VEGA
  // The JSON cannot be written: the HTML page is not replaced.
  r = Parley("run " + kStag + " -n 100 -q --html " + html + " --json " + P("missing/run.json"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Slurp(html), "old page");
#endif
  // Standard output cannot be written: no file is replaced.
  r = ParleyTo(kSweep + " --json " + json + " --csv -", "/dev/full");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Slurp(json), "old json");
  EXPECT_EQ(Names(dir_), (std::vector<std::string>{"sweep.html", "sweep.json"}));
}

TEST_F(OutputFilesCli, ASignalDuringTheWritePhaseLeavesNoTemporaryFile) {
  for (const int sig : {SIGTERM, SIGINT}) {
    // The CSV's temporary file is written, then the run waits to open the
    // FIFO that nobody reads: the signal comes during the write phase.
    const std::string fifo = P("wait.fifo"), csv = P("sweep.csv");
    fs::remove(fifo);
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string command =
        "exec " + Bin() + " " + kSweep + " --csv " + csv + " --json " + fifo + " >/dev/null 2>&1";
    const pid_t pid = ::fork();
    if (pid == 0) {
      // A shell started by a test runner may inherit SIGINT ignored.
      std::signal(SIGINT, SIG_DFL);
      ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ASSERT_GT(pid, 0);
    auto pending = [&] {
      for (const std::string& name : Names(dir_)) {
        if (name.rfind(".sweep.csv.parley-tmp", 0) == 0) return true;
      }
      return false;
    };
    int status = 0;
    bool exited = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!pending() && std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_FALSE(exited) << "signal " << sig << ": the run ended by itself: " << status;
    ASSERT_TRUE(pending()) << "signal " << sig;
    ::kill(pid, sig);
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << status;
    EXPECT_EQ(Names(dir_), std::vector<std::string>{"wait.fifo"}) << "signal " << sig;
    EXPECT_TRUE(Is(fifo, S_IFIFO));
  }
}

}  // namespace
}  // namespace parley::testing
