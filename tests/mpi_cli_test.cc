// `mpirun -n K parley ...`: a distributed run gives the JSON of a plain run,
// byte for byte, for any number of ranks (apart from `run`, which says how
// it ran); rank 0 alone writes; a bad scenario is reported once with exit 2;
// a rank that dies fails the run instead of hanging, leaving no output.
// Built and registered only with MPI (PARLEY_MPI); MPIRUN is Open MPI's
// launcher, run as root in CI (--allow-run-as-root) on one machine
// (--oversubscribe: more ranks than cores).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "parley_cli.h"

namespace {

using json = nlohmann::json;
using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

const std::string kIstanbul = Scenario("istanbul-2025.yaml");
const std::string kSequential = Scenario("istanbul-2025-sequential.yaml");

// mpirun for `ranks` ranks on this machine, as root, shared memory only.
std::string Mpirun(int ranks) {
  return std::string(MPIRUN) + " --allow-run-as-root --oversubscribe --mca btl self,vader -n " +
         std::to_string(ranks) + " ";
}

std::string Bin() {
  const char* bin = std::getenv("PARLEY_BIN");
  return bin ? bin : "false";
}

// `parley args` on `ranks` ranks of one machine.
Result OnRanks(int ranks, const std::string& args) {
  const std::string launcher = Mpirun(ranks) + Bin();
  const auto out = TempPath("mpi-stdout"), err = TempPath("mpi-stderr");
  const std::string command =
      launcher + " " + args + " >" + out.string() + " 2>" + err.string() + " </dev/null";
  const int status = std::system(command.c_str());
  return {WEXITSTATUS(status), Slurp(out), Slurp(err)};
}

std::string WithoutRun(const std::string& text) {
  json j = json::parse(text);
  j.erase("run");
  return j.dump();
}

// The command's JSON (to stdout) alone and on 1, 2 and 3 ranks.
void ExpectSameJsonOnAnyRanks(const std::string& args) {
  const Result alone = Parley(args + " --json -");
  ASSERT_EQ(alone.exit_code, 0) << args << "\n" << alone.err;
  const std::string expected = WithoutRun(alone.out);
  for (int ranks : {1, 2, 3}) {
    const Result r = OnRanks(ranks, args + " --json -");
    ASSERT_EQ(r.exit_code, 0) << args << " on " << ranks << " ranks\n" << r.err;
    // One JSON document: rank 0's alone.
    EXPECT_EQ(WithoutRun(r.out), expected) << args << " on " << ranks << " ranks";
  }
}

TEST(MpiCli, RunGivesOneProcessesJsonOnAnyNumberOfRanks) {
  // Several batches of samples, so that each rank computes some.
  ExpectSameJsonOnAnyRanks("run " + kIstanbul + " --samples 70000 --seed 3 -q");
  ExpectSameJsonOnAnyRanks("run " + kSequential + " --samples 50000 --seed 3 -q");
}

TEST(MpiCli, AttributionAndModelComparisonGiveOneProcessesJsonOnAnyNumberOfRanks) {
  ExpectSameJsonOnAnyRanks("run " + kIstanbul + " --samples 2000 --attribution shapley -q");
  ExpectSameJsonOnAnyRanks("compare " + kIstanbul +
                           " --models nash-pure,qre:lambda=1 --samples 20000 -q");
}

TEST(MpiCli, FitAndScoreGiveOneProcessesJsonOnAnyNumberOfRanks) {
  // Two batches of samples per likelihood evaluation. fit's document has no
  // `run`: its `seconds` is the one field that varies.
  const std::string fit = "fit " + Scenario("classic/ochs-asymmetric-pennies.yaml") +
                          " --model qre --param lambda -n 17000 --range 0,5 --observed " +
                          std::string(PARLEY_SOURCE_DIR) + "/observed/ochs-1995-block.yaml";
  const Result alone = Parley(fit + " --json -");
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  json expected = json::parse(alone.out);
  expected.erase("seconds");
  const Result two = OnRanks(2, fit + " --json -");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  json got = json::parse(two.out);
  got.erase("seconds");
  EXPECT_EQ(got, expected);
  ExpectSameJsonOnAnyRanks("score " + Scenario("history/minsk-2014-09.yaml") + " " +
                           Scenario("history/minsk-2015-02.yaml") +
                           " --models nash-pure,qre --samples 40000 -q");
}

TEST(MpiCli, SweepGivesOneProcessesJsonOnAnyNumberOfRanks) {
  ExpectSameJsonOnAnyRanks("sweep " + kIstanbul +
                           " --vary payoff.ceasefire.russia=0:1:3 --samples 20000 -q");
  ExpectSameJsonOnAnyRanks("sweep " + kSequential +
                           " --vary param.sabotage_penalty=0:3:3 --samples 20000 -q");
}

TEST(MpiCli, SensitivityGivesOneProcessesJsonOnAnyNumberOfRanks) {
  ExpectSameJsonOnAnyRanks("sensitivity " + kIstanbul + " --samples 256 -q");
  ExpectSameJsonOnAnyRanks("sensitivity " + kSequential + " --method morris --samples 20 -q");
}

TEST(MpiCli, RankZeroAloneWritesFilesAndPerSampleRows) {
  const auto csv_alone = TempPath("alone.csv"), csv_ranks = TempPath("ranks.csv");
  const auto json_ranks = TempPath("ranks.json");
  const std::string args = "run " + kIstanbul + " --samples 40000 -q --per-sample ";
  ASSERT_EQ(Parley(args + csv_alone.string()).exit_code, 0);
  const Result r = OnRanks(2, args + csv_ranks.string() + " --json " + json_ranks.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Slurp(csv_ranks), Slurp(csv_alone));
  EXPECT_TRUE(json::accept(Slurp(json_ranks)));
  // Nothing else was written beside them (no rank's temporary file left).
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(csv_ranks.parent_path())) {
    files += entry.path().filename().string().find("ranks") != std::string::npos;
  }
  EXPECT_EQ(files, 2);
  // A NumPy file too: the same bytes from 3 ranks as from one process.
  const auto npy_alone = TempPath("alone.npy"), npy_ranks = TempPath("ranks.npy");
  ASSERT_EQ(Parley(args + npy_alone.string()).exit_code, 0);
  const Result n = OnRanks(3, args + npy_ranks.string());
  ASSERT_EQ(n.exit_code, 0) << n.err;
  EXPECT_EQ(Slurp(npy_ranks), Slurp(npy_alone));
}

TEST(MpiCli, BadScenarioIsReportedOnceWithExit2) {
  const auto bad = TempPath("bad.yaml");
  { std::ofstream(bad) << "name: x\nactors: [\n"; }
  const Result r = OnRanks(3, "run " + bad.string() + " --json " + TempPath("bad.json").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const std::string where = bad.string() + ":";
  const size_t first = r.err.find(where);
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(where, first + 1), std::string::npos) << "reported twice:\n" << r.err;
  EXPECT_FALSE(std::filesystem::exists(TempPath("bad.json")));
}

TEST(MpiCli, ARankThatDiesFailsTheRunWithoutHangingOrWriting) {
  // Rank 1 is killed a moment into a long run: the run fails, promptly,
  // saying so, and leaves no output file.
  const auto out = TempPath("killed.json");
  const std::string script =
      "if [ \"$OMPI_COMM_WORLD_RANK\" = 1 ]; then (sleep 2; kill -9 $$) & fi; exec " + Bin() +
      " run " + kIstanbul + " --samples 100000000 -q --json " + out.string();
  const auto start = std::chrono::steady_clock::now();
  const std::string command =
      Mpirun(2) + "sh -c '" + script + "' >/dev/null 2>" + TempPath("killed.err").string();
  const int status = std::system(command.c_str());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_LT(seconds, 60.0) << "the run hung after a rank died";
  const std::string err = Slurp(TempPath("killed.err"));
  EXPECT_NE(err.find("signal 9"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(MpiCli, AnInterruptedRunLeavesNoOutputFiles) {
  // Ctrl-C to mpirun a moment into a long run that streams per-sample rows
  // to a temporary file: the job ends and leaves neither output nor any
  // temporary file.
  const auto dir = TempPath("interrupted");
  std::filesystem::create_directories(dir);
  const std::string command =
      Mpirun(2) + Bin() + " run " + kIstanbul + " --samples 100000000 -q --json " +
      (dir / "out.json").string() + " --per-sample " + (dir / "rows.csv").string() +
      " >/dev/null 2>/dev/null & pid=$!; sleep 3; kill -INT $pid; wait $pid";
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_LT(seconds, 60.0);
  int left = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ADD_FAILURE() << "left behind: " << entry.path();
    ++left;
  }
  EXPECT_EQ(left, 0);
}

TEST(MpiCli, ARankThatFailsAloneStopsTheRunAndSaysWhy) {
  // Rank 1 cannot read its scenario while rank 0 starts working: rank 1
  // waits for the others to fail alike (3 s here, PARLEY_MPI_GRACE), then
  // stops the job with its own message instead of leaving rank 0 waiting.
  const auto out = TempPath("alone.json");
  const std::string script = "f=" + kIstanbul +
                             "; [ \"$OMPI_COMM_WORLD_RANK\" = 1 ] && f=/nonexistent/x.yaml; exec " +
                             Bin() + " run $f --samples 100000000 -q --json " + out.string();
  const std::string command = "PARLEY_MPI_GRACE=3 " + Mpirun(2) + "-x PARLEY_MPI_GRACE sh -c '" +
                              script + "' >/dev/null 2>" + TempPath("alone.err").string();
  const int status = std::system(command.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string err = Slurp(TempPath("alone.err"));
  EXPECT_NE(err.find("rank 1: parley: /nonexistent/x.yaml: error: no such scenario file"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("rank 1 of 2 failed while the other ranks were still working"),
            std::string::npos)
      << err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
