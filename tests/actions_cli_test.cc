// What each actor does, through the `parley` binary: the terminal table and
// "most frequent profiles", the JSON `actors` and `profiles` with
// hand-checked values on classic games, and the same document on any
// number of threads.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "parley_cli.h"

namespace {

using json = nlohmann::json;
using parley::testing::Parley;
using parley::testing::Scenario;
using Result = parley::testing::CliResult;

json RunJson(const std::string& args) {
  const Result r = Parley("run " + args + " --json -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << r.out.substr(0, 500);
  return j;
}

std::string WithoutRun(json j) {
  j.erase("run");
  return j.dump();
}

TEST(ActionsText, PrisonersDilemmaTable) {
  const Result r = Parley("run " + Scenario("classic/prisoners-dilemma.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string expected =
      "What each actor does (share of samples; 95% CI, Wilson)\n"
      "Actor   Option       Share  95% CI\n"
      "row     cooperate     0.0%  [  0.0%,   0.4%]\n"
      "        defect      100.0%  [ 99.6%, 100.0%]\n"
      "column  cooperate     0.0%  [  0.0%,   0.4%]\n"
      "        defect      100.0%  [ 99.6%, 100.0%]\n"
      "\n"
      "Most frequent profiles (1 of 4 profiles predicted)\n"
      "  100.0%  [ 99.6%, 100.0%]  row defect, column defect -> both_defect\n";
  EXPECT_NE(r.out.find(expected), std::string::npos) << r.out;
}

TEST(ActionsText, UnresolvedSamplesAreLeftOutAndSaidSo) {
  // Matching pennies under nash-pure: nothing resolved.
  Result r = Parley("run " + Scenario("classic/matching-pennies.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("What each actor does: no resolved sample, so nothing to count\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("Most frequent profiles"), std::string::npos) << r.out;
  // Half of the samples have no pure equilibrium (b mismatches a when
  // d < 0): the header names how many are left out.
  const std::string file = std::string(PARLEY_SOURCE_DIR) + "/tests/data/sometimes-cycles.yaml";
  r = Parley("run " + file + " -n 2000");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = RunJson(file + " -n 2000");
  const int64_t unresolved = j["unresolved"]["count"];
  ASSERT_GT(unresolved, 0);
  EXPECT_NE(r.out.find("What each actor does (share of the " + std::to_string(2000 - unresolved) +
                       " resolved samples; " + std::to_string(unresolved) +
                       " unresolved left out; 95% CI, Wilson)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Most frequent profiles ("), std::string::npos) << r.out;
}

TEST(ActionsJson, BattleOfTheSexesSharesMatchTheOutcomes) {
  const json j = RunJson(Scenario("classic/battle-of-the-sexes.yaml") + " -n 4000");
  const int64_t opera = j["outcomes"][0]["count"], football = j["outcomes"][1]["count"];
  ASSERT_EQ(opera + football, 4000);
  ASSERT_EQ(j["actors"].size(), 2u);
  for (const json& a : j["actors"]) {
    ASSERT_EQ(a["options"].size(), 2u);
    EXPECT_EQ(a["options"][0]["id"], "opera");
    EXPECT_EQ(a["options"][0]["label"], "Go to the opera");
    EXPECT_EQ(a["options"][0]["count"], opera);
    EXPECT_EQ(a["options"][1]["count"], football);
    EXPECT_DOUBLE_EQ(a["options"][0]["share"].get<double>(), opera / 4000.0);
    const json& ci = a["options"][0]["ci95"];
    EXPECT_LE(ci[0].get<double>(), a["options"][0]["share"].get<double>());
    EXPECT_GE(ci[1].get<double>(), a["options"][0]["share"].get<double>());
    EXPECT_FALSE(a.contains("stages"));
  }
  const json& p = j["profiles"];
  EXPECT_EQ(p["counted"], true);
  EXPECT_EQ(p["total"], 4);
  EXPECT_EQ(p["distinct"], 2);
  ASSERT_EQ(p["most_frequent"].size(), 2u);
  const json& top = p["most_frequent"][0];
  const bool opera_first = opera >= football;
  const std::string first = opera_first ? "opera" : "football";
  EXPECT_EQ(top["options"], (json{{"row", first}, {"column", first}}));
  EXPECT_EQ(top["outcome"], opera_first ? "both_opera" : "both_football");
  EXPECT_EQ(top["count"], std::max(opera, football));
  EXPECT_DOUBLE_EQ(top["share"].get<double>() + p["most_frequent"][1]["share"].get<double>(), 1.0);
}

TEST(ActionsJson, MatchingPenniesUnderNashMixedIsHalfAndHalf) {
  const json j = RunJson(Scenario("classic/matching-pennies.yaml") + " -m nash-mixed -n 500");
  for (const json& a : j["actors"]) {
    for (const json& o : a["options"]) {
      EXPECT_DOUBLE_EQ(o["share"].get<double>(), 0.5) << o.dump();
      EXPECT_DOUBLE_EQ(o["count"].get<double>(), 250.0);
      EXPECT_DOUBLE_EQ(o["ci95"][0].get<double>(), 0.5);
      EXPECT_DOUBLE_EQ(o["ci95"][1].get<double>(), 0.5);
    }
  }
  EXPECT_EQ(j["profiles"]["distinct"], 4);
  ASSERT_EQ(j["profiles"]["most_frequent"].size(), 4u);
  for (const json& p : j["profiles"]["most_frequent"]) {
    EXPECT_DOUBLE_EQ(p["share"].get<double>(), 0.25);
  }
}

TEST(ActionsJson, SequentialOptionsAreMovesOnThePath) {
  const json j = RunJson(Scenario("istanbul-2025-sequential.yaml") + " -n 2000");
  EXPECT_FALSE(j.contains("profiles"));
  ASSERT_EQ(j["actors"].size(), 4u);
  const int64_t resolved = 2000 - j["unresolved"]["count"].get<int64_t>();
  for (const json& a : j["actors"]) {
    ASSERT_EQ(a["stages"].size(), 1u) << a.dump();
    const json& stage = a["stages"][0];
    double total = 0.0;
    for (const json& o : a["options"]) {
      EXPECT_EQ(o["stage"], stage["id"]);
      total += o["share"].get<double>();
    }
    // A stage's options add up to how often play reaches it.
    EXPECT_NEAR(total, stage["reached"].get<double>(), 1e-9) << a["id"];
  }
  // Russia moves first, in every resolved sample.
  EXPECT_EQ(j["actors"][0]["id"], "russia");
  EXPECT_DOUBLE_EQ(j["actors"][0]["stages"][0]["reached"].get<double>(), resolved > 0 ? 1.0 : 0.0);
  // Ukraine's stage is reached exactly when Russia does not walk out.
  const json& walkout = j["actors"][0]["options"][2];
  ASSERT_EQ(walkout["id"], "walkout");
  EXPECT_NEAR(j["actors"][1]["stages"][0]["reached"].get<double>(),
              1.0 - walkout["share"].get<double>(), 1e-9);
}

TEST(ActionsJson, TheSameOnOneAndThreeThreads) {
  for (const std::string& args : {Scenario("istanbul-2025.yaml") + " -n 400 -m qre",
                                  Scenario("istanbul-2025-sequential.yaml") + " -n 3000",
                                  Scenario("classic/battle-of-the-sexes.yaml") + " -n 3000"}) {
    const json one = RunJson(args + " --threads 1");
    const json three = RunJson(args + " --threads 3");
    ASSERT_TRUE(one.contains("actors")) << args;
    EXPECT_EQ(WithoutRun(one), WithoutRun(three)) << args;
  }
}

}  // namespace
