// Sequential scenarios through the `parley` binary: run (paths, threats,
// determinism across thread counts), explain, validate, and the errors for
// models that do not fit the game.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "parley_cli.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

TEST(SequentialCli, EntryDeterrenceRunReportsPathAndIncredibleThreat) {
  const Result r =
      Parley("run " + Scenario("sequential/entry-deterrence.yaml") + " --samples 500 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["model"], "spe");
  EXPECT_EQ(j["outcomes"][2]["id"], "shared_market");
  EXPECT_EQ(j["outcomes"][2]["probability"], 1.0);
  ASSERT_EQ(j["paths"]["distinct"], 1);
  const json path = j["paths"]["most_frequent"][0];
  EXPECT_EQ(path["count"], 500);
  EXPECT_EQ(path["branches"], json::parse(R"([["entrant: in", "incumbent: accommodate"]])"));
  ASSERT_EQ(j["threats"].size(), 1u);
  EXPECT_EQ(j["threats"][0]["id"], "fight-entry");
  EXPECT_EQ(j["threats"][0]["credible"], 0.0);
  EXPECT_EQ(j["threats"][0]["carried_out"], 0.0);
  EXPECT_EQ(j["payoffs"][0]["mean"], 1.0);
}

TEST(SequentialCli, ExplainShowsChoicesReasonsAndThreats) {
  const Result r = Parley("explain " + Scenario("sequential/entry-deterrence.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("└─ in * -> [3] incumbent chooses:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("incumbent gets fight -1, accommodate 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("entrant: in -> incumbent: accommodate => shared_market"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("fight-entry: NOT CREDIBLE"), std::string::npos) << r.out;
}

TEST(SequentialCli, ExplainRefusesWhatItCannotShow) {
  Result r = Parley("explain " + Scenario("classic/prisoners-dilemma.yaml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("has no `sequence`"), std::string::npos) << r.err;
  r = Parley("explain " + Scenario("sequential/entry-deterrence.yaml") + " --seed 3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--seed applies with --sample only"), std::string::npos) << r.err;
}

TEST(SequentialCli, ModelsMustFitTheGame) {
  Result r = Parley("run " + Scenario("sequential/entry-deterrence.yaml") + " --model nash-pure");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--model: model 'nash-pure' solves normal-form games"), std::string::npos)
      << r.err;
  r = Parley("run " + Scenario("classic/prisoners-dilemma.yaml") + " --model spe");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--model: model 'spe' solves sequential games"), std::string::npos) << r.err;
}

TEST(SequentialCli, ValidateDescribesTheTree) {
  const Result r = Parley("validate " + Scenario("sequential/entry-deterrence.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 stages (5 tree nodes, 3 terminal histories)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("1 threat"), std::string::npos) << r.out;
}

TEST(SequentialCli, SolveGivesTheSubgamePerfectStrategyEverywhere) {
  const Result r = Parley("solve " + Scenario("sequential/entry-deterrence.yaml") + " --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["method"], "spe");
  ASSERT_EQ(j["equilibria"].size(), 1u);
  const json e = j["equilibria"][0];
  EXPECT_EQ(e["regret"], 0.0);
  EXPECT_EQ(e["payoffs"]["entrant"], 1.0);
  EXPECT_EQ(e["payoffs"]["incumbent"], 1.0);
  EXPECT_EQ(e["strategies"]["incumbent"]["incumbent after entrant=in"]["accommodate"], 1.0);
  EXPECT_EQ(e["strategies"]["entrant"]["entrant at the start"]["in"], 1.0);
  EXPECT_EQ(e["path"][0]["outcome"], "shared_market");
}

// Export as .efg, solve the file: the same equilibrium as the scenario's.
TEST(SequentialCli, EfgExportSolvesLikeTheScenario) {
  const fs::path efg =
      fs::temp_directory_path() / ("parley-seq-" + std::to_string(::getpid()) + ".efg");
  Result r =
      Parley("export " + Scenario("sequential/entry-deterrence.yaml") + " -o " + efg.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = Slurp(efg);
  EXPECT_EQ(text.rfind("EFG 2 R \"Entry deterrence\" { \"entrant\" \"incumbent\" }", 0), 0u)
      << text;
  EXPECT_NE(text.find("t \"price_war\" 2 \"price_war\" { -1, -1 }"), std::string::npos) << text;
  r = Parley("solve " + efg.string() + " --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json from_file = json::parse(r.out);
  r = Parley("solve " + Scenario("sequential/entry-deterrence.yaml") + " --json -");
  const json from_scenario = json::parse(r.out);
  EXPECT_EQ(from_file["equilibria"][0]["payoffs"], from_scenario["equilibria"][0]["payoffs"]);
  EXPECT_EQ(from_file["equilibria"][0]["strategies"], from_scenario["equilibria"][0]["strategies"]);
  fs::remove(efg);
}

TEST(SequentialCli, SolveAndExportRefuseMismatchedRequests) {
  Result r = Parley("solve " + Scenario("sequential/entry-deterrence.yaml") + " --method vertex");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--method spe"), std::string::npos) << r.err;
  r = Parley("export " + Scenario("sequential/entry-deterrence.yaml") + " --format nfg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("exported as efg"), std::string::npos) << r.err;
  r = Parley("export " + Scenario("classic/prisoners-dilemma.yaml") + " --format efg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("efg is for sequential games"), std::string::npos) << r.err;
}

}  // namespace
