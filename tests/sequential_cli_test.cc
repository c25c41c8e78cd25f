// Sequential scenarios through the `parley` binary: run (paths, threats,
// determinism across thread counts), explain, validate, and the errors for
// models that do not fit the game.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
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
  // (A normal-form scenario is explained too: solve_cli_test.cc.)
  Result r = Parley("explain " + Scenario("sequential/entry-deterrence.yaml") + " --seed 3");
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
  r = Parley("export " + Scenario("sequential/entry-deterrence.yaml") + " --format csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("exported as efg (Gambit's extensive form) or nfg"), std::string::npos)
      << r.err;
  r = Parley("export " + Scenario("classic/prisoners-dilemma.yaml") + " --format efg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("efg is for sequential games"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------
// Information sets: beer or quiche (scenarios/sequential/beer-quiche.yaml)
// and Gambit's matching pennies written as a tree.

TEST(InformationSetsCli, RunSolvesThroughTheReducedNormalForm) {
  const Result r =
      Parley("run " + Scenario("sequential/beer-quiche.yaml") + " --samples 300 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  for (const json& o : j["outcomes"]) {
    if (o["id"] == "strong_beer_leave") {
      EXPECT_NEAR(o["probability"].get<double>(), 0.9, 1e-12);
    }
    if (o["id"] == "weak_beer_leave") {
      EXPECT_NEAR(o["probability"].get<double>(), 0.1, 1e-12);
    }
  }
  EXPECT_EQ(j["unresolved"]["probability"], 0.0) << r.out;
  // The same JSON on 1 and 3 threads.
  const Result one = Parley("run " + Scenario("sequential/beer-quiche.yaml") +
                            " --samples 300 --threads 1 --json -");
  const Result three = Parley("run " + Scenario("sequential/beer-quiche.yaml") +
                              " --samples 300 --threads 3 --json -");
  json a = json::parse(one.out), b = json::parse(three.out);
  a.erase("run");
  b.erase("run");
  EXPECT_EQ(a, b);
}

TEST(InformationSetsCli, SolveGivesBehaviourAtEveryInformationSet) {
  const Result r = Parley("solve " + Scenario("sequential/beer-quiche.yaml") + " --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["method"], "spe");
  ASSERT_EQ(j["normal_form_subgames"].size(), 1u);
  EXPECT_EQ(j["normal_form_subgames"][0]["reduced_strategies"],
            json::parse(R"({"sender": 4, "receiver": 4})"));
  EXPECT_EQ(j["normal_form_subgames"][0]["equilibria"], 2);
  ASSERT_EQ(j["equilibria"].size(), 1u);
  const json& e = j["equilibria"][0];
  EXPECT_NEAR(e["payoffs"]["sender"].get<double>(), 2.9, 1e-12);
  EXPECT_LT(e["regret"].get<double>(), 1e-12);
  bool quiche_seen = false;
  for (const json& set : e["information_sets"]) {
    if (set["name"] == "receiver after sender=quiche") {
      quiche_seen = true;
      EXPECT_EQ(set["nodes"].size(), 2u);
      EXPECT_EQ(set["behaviour"]["duel"], 1.0);
      EXPECT_EQ(set["reached_by_own_choices"], true);
    }
  }
  EXPECT_TRUE(quiche_seen) << r.out;
  const Result text = Parley("solve " + Scenario("sequential/beer-quiche.yaml"));
  EXPECT_NE(text.out.find("the whole game: 4 x 4 reduced strategies, 2 equilibria (one selected)"),
            std::string::npos)
      << text.out;
}

TEST(InformationSetsCli, MatchingPenniesNeedsAMixedMethod) {
  const std::string pennies =
      std::string(PARLEY_SOURCE_DIR) + "/tests/data/efg/matching_pennies.efg";
  Result r = Parley("solve " + pennies);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("has no equilibrium in pure strategies"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--method vertex"), std::string::npos) << r.err;
  for (const std::string method : {"vertex", "support", "lemke-howson", "logit"}) {
    r = Parley("solve " + pennies + " --method " + method + " --json -");
    ASSERT_EQ(r.exit_code, 0) << method << ": " << r.err;
    const json j = json::parse(r.out);
    ASSERT_EQ(j["equilibria"].size(), 1u) << method;
    const json& e = j["equilibria"][0];
    EXPECT_NEAR(e["payoffs"]["Matcher"].get<double>(), 0.0, 1e-6) << method;
    EXPECT_LT(e["regret"].get<double>(), 1e-6) << method;
    for (const json& set : e["information_sets"]) {
      EXPECT_NEAR(set["behaviour"]["Heads"].get<double>(), 0.5, 1e-6) << method;
    }
  }
  r = Parley("solve " + pennies + " --method qre --lambda 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--lambda applies to --method qre only"), std::string::npos) << r.err;
}

TEST(InformationSetsCli, ExplainShowsInformationSetsAndBeliefs) {
  const Result r = Parley("explain " + Scenario("sequential/beer-quiche.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("the whole game [1]: 4 sender x 4 receiver reduced strategies; 2 pure "
                       "equilibria, the selection rule chose one"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("receiver at stage receiver after sender=beer: nodes [3] 0.9, [10] 0.1"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("expected for receiver: duel 0.1, leave 0.9; chooses leave"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("not reached in equilibrium (nodes weighted equally)"), std::string::npos)
      << r.out;
}

TEST(InformationSetsCli, ReducedNormalFormExportRoundTripsThroughTheNfgReader) {
  const fs::path nfg = TempPath("beer-quiche.nfg");
  Result r = Parley("export " + Scenario("sequential/beer-quiche.yaml") + " --format nfg -o " +
                    nfg.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = Slurp(nfg);
  EXPECT_EQ(text.rfind("NFG 1 R \"Beer or quiche\" { \"sender\" \"receiver\" }", 0), 0u) << text;
  EXPECT_NE(text.find("{ \"beer/beer\" \"beer/quiche\" \"quiche/beer\" \"quiche/quiche\" }"),
            std::string::npos)
      << text;
  // Read back by the .nfg reader and solved: the two pooling equilibria.
  r = Parley("solve " + nfg.string() + " --method pure --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["equilibria"].size(), 2u) << r.out;
  std::set<std::pair<std::string, std::string>> profiles;
  for (const json& e : j["equilibria"]) {
    std::string sender, receiver;
    for (auto& [k, v] : e["strategies"]["sender"].items()) {
      if (v == 1.0) sender = k;
    }
    for (auto& [k, v] : e["strategies"]["receiver"].items()) {
      if (v == 1.0) receiver = k;
    }
    profiles.insert({sender, receiver});
  }
  EXPECT_EQ(profiles, (std::set<std::pair<std::string, std::string>>{
                          {"beer/beer", "leave/duel"}, {"quiche/quiche", "duel/leave"}}));
}

TEST(InformationSetsCli, TooLargeReducedFormsAreRefusedNamingTheSize) {
  const std::string file =
      std::string(PARLEY_SOURCE_DIR) + "/tests/data/seq-reduced-too-large.yaml";
  for (const std::string command : {"run", "solve", "explain"}) {
    const Result r = Parley(command + " " + file);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find("the reduced normal form is too large: reduced strategies per player: "
                         "mover more than 1048576, guesser 2"),
              std::string::npos)
        << command << ": " << r.err;
    EXPECT_EQ(r.out, "") << command;
  }
}

}  // namespace
