// Multi-round scenarios through the `parley` binary: run (terminal and JSON),
// identical JSON on 1 and 3 threads, explain round by round, a sweep over
// the round limit, and errors with their file positions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "parley_cli.h"

namespace {

using json = nlohmann::json;
using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

std::string Data(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/rounds/" + name;
}

// The JSON without the fields that may differ between identical runs.
json Stable(json j) {
  j.erase("run");
  j.erase("provenance");
  return j;
}

TEST(RoundsCli, RunReportsTheNegotiationRoundByRound) {
  const Result r = Parley("run " + Data("constant-hazard.yaml") + " --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  const json& rounds = j["rounds"];
  EXPECT_EQ(rounds["max_rounds"], 10);
  EXPECT_EQ(rounds["foresight"], "myopic");
  EXPECT_EQ(rounds["continuing"], json::parse(R"(["talks"])"));
  EXPECT_EQ(rounds["ending"], json::parse(R"(["deal", "breakdown", "unresolved"])"));
  ASSERT_EQ(rounds["by_round"].size(), 10u);
  // P(deal by round 3) = 0.1 / 0.15 (1 - 0.85^3).
  EXPECT_NEAR(rounds["by_round"][2]["ended_by"]["deal"]["probability"].get<double>(),
              2.0 / 3.0 * (1.0 - 0.85 * 0.85 * 0.85), 1e-12);
  EXPECT_NEAR(rounds["by_round"][4]["hazard"].get<double>(), 0.15, 1e-12);
  EXPECT_NEAR(rounds["markov"]["eventual"]["deal"]["probability"].get<double>(), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(rounds["markov"]["mean_rounds"].get<double>(), 1.0 / 0.15, 1e-9);
  // The outcome table is how the negotiations stood after round 10.
  EXPECT_NEAR(j["outcomes"][2]["probability"].get<double>(), std::pow(0.85, 10), 1e-12);

  const Result text = Parley("run " + Data("constant-hazard.yaml"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Rounds: up to 10, myopic actors; talks continues the negotiation"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("Markov chain without a round limit"), std::string::npos);
}

TEST(RoundsCli, CarriedLearningIsSetReportedAndRefusedWithForwardLookingActors) {
  const std::string file = Scenario("istanbul-2025-rounds.yaml");
  const std::string run = "run " + file + " -m fictitious-play:iterations=50 -n 400";
  const Result fresh = Parley(run + " --json -");
  const Result carried = Parley(run + " --set rounds.learning=carried --json -");
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  ASSERT_EQ(carried.exit_code, 0) << carried.err;
  const json f = json::parse(fresh.out), c = json::parse(carried.out);
  EXPECT_EQ(f["rounds"]["learning"], "fresh");
  EXPECT_EQ(c["rounds"]["learning"], "carried");
  // Round 1 is the same learning either way; later rounds go on from it.
  EXPECT_EQ(f["rounds"]["by_round"][0], c["rounds"]["by_round"][0]);
  EXPECT_NE(f["rounds"]["by_round"][2], c["rounds"]["by_round"][2]);
  const Result text = Parley(run + " --set rounds.learning=carried");
  EXPECT_NE(text.out.find("myopic actors, learning carried from round to round;"),
            std::string::npos)
      << text.out;
  // With forward-looking actors: refused, nothing run.
  const Result both =
      Parley(run + " --set rounds.learning=carried --set rounds.foresight=forward-looking");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("learning carried from round to round needs myopic actors"),
            std::string::npos)
      << both.err;
  const Result word = Parley(run + " --set rounds.learning=yes");
  EXPECT_EQ(word.exit_code, 2);
  EXPECT_NE(word.err.find("rounds.learning must be fresh or carried, got 'yes'"), std::string::npos)
      << word.err;
}

TEST(RoundsCli, TheJsonIsTheSameOnOneAndThreeThreads) {
  for (const std::string& file :
       {Scenario("istanbul-2025-rounds.yaml"), Data("gamblers-ruin.yaml")}) {
    const Result one = Parley("run " + file + " -n 3000 -t 1 --json -");
    const Result three = Parley("run " + file + " -n 3000 -t 3 --json -");
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ASSERT_EQ(three.exit_code, 0) << three.err;
    EXPECT_EQ(Stable(json::parse(one.out)), Stable(json::parse(three.out))) << file;
  }
}

TEST(RoundsCli, ExplainWalksASampleNegotiation) {
  const Result r = Parley("explain " + Data("gamblers-ruin.yaml") + " --sample 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("The negotiation round by round (sample 1 (seed 7); model spe"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Round 1: still negotiating with probability 100.0%; x = 2"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("the state reached a bound: the negotiation ends in"), std::string::npos)
      << r.out;

  const Result war = Parley("explain " + Scenario("rounds/war-of-attrition.yaml"));
  ASSERT_EQ(war.exit_code, 0) << war.err;
  EXPECT_NE(war.out.find("play: a (fight 66.7%, concede 33.3%), b (fight 66.7%, concede 33.3%)"),
            std::string::npos)
      << war.out;
  EXPECT_NE(war.out.find("the rounds to come add to every continuing outcome"), std::string::npos);
}

TEST(RoundsCli, ASweepOverTheRoundLimitGivesTheOutcomeByEachRound) {
  const Result r =
      Parley("sweep " + Data("constant-hazard.yaml") + " --vary rounds.max=1:4:4 -n 10 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["points"].size(), 4u);
  for (int t = 1; t <= 4; ++t) {
    const json& point = j["points"][t - 1];
    EXPECT_NEAR(point["outcomes"][0]["probability"].get<double>(),
                2.0 / 3.0 * (1.0 - std::pow(0.85, t)), 1e-12)
        << point.dump();
  }
  const Result bad = Parley("sweep " + Data("constant-hazard.yaml") + " --vary rounds.max=1:4:3");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("rounds.max is a whole number of rounds"), std::string::npos) << bad.err;
}

// Commands whose tables do not describe the rounds say in their header
// which round the probabilities are taken after; a run has its own section.
TEST(RoundsCli, SweepsComparisonsAndSensitivityNameTheRoundLimitTheyDescribe) {
  const std::string file = Scenario("istanbul-2025-rounds.yaml");
  const std::string line =
      "up to 2, myopic actors; each P(outcome) is where the negotiations stood after the last "
      "round\n";
  for (const std::string& command :
       {"sweep " + file + " --vary param.sabotage_penalty=0:1:2 -n 10 --set rounds.max=2",
        "compare " + file + " --models nash-pure,level-k -n 10 --set rounds.max=2",
        "sensitivity " + file + " -n 8 --set rounds.max=2"}) {
    const Result r = Parley(command);
    ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.err;
    EXPECT_NE(r.out.find(line), std::string::npos) << command << "\n" << r.out;
  }
  // A sweep over the round limit says so rather than name the file's limit.
  const Result swept = Parley("sweep " + file + " --vary rounds.max=1:3:3 -n 10");
  ASSERT_EQ(swept.exit_code, 0) << swept.err;
  EXPECT_NE(swept.out.find("rounds: up to rounds.max at each point, myopic actors; each "
                           "P(outcome) is where the negotiations stood after the last round\n"),
            std::string::npos)
      << swept.out;
  const Result run = Parley("run " + file + " -n 10");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find("rounds: up to"), std::string::npos) << run.out;
}

TEST(RoundsCli, BadRoundsFailWithTheirPositionAndWriteNothing) {
  const std::string out = TempPath("bad-rounds.json").string();
  const Result r = Parley("run " + Data("bad-forward-bounds.yaml") + " --json " + out);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("forward-looking actors cannot value rounds that a state bound may end"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  const Result change = Parley("validate " + Data("bad-change-ending.yaml"));
  EXPECT_EQ(change.exit_code, 2);
  EXPECT_NE(change.err.find("bad-change-ending.yaml:19:9: error: state variable x `change`: "
                            "outcome 'deal' ends the negotiation"),
            std::string::npos)
      << change.err;
}

}  // namespace
