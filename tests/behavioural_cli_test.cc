// The behavioural and learning models through the `parley` binary: the
// not-converged share in every output of a run (terminal, JSON, CSV, HTML),
// of a sweep and of a comparison; level-0 anchors from the scenario; the
// cognitive hierarchy's truncation note; no equilibria line for models that
// compute none; sequential scenarios refused; and results identical on any
// number of threads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "parley_cli.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

const std::string kShapley = Scenario("classic/shapley-game.yaml");
const std::string kStagHunt = Scenario("classic/stag-hunt.yaml");

json Json(const std::string& args) {
  const Result r = Parley(args + " --json -");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  json j = json::parse(r.out.empty() ? "{}" : r.out);
  j.erase("run");
  return j;
}

TEST(NotConvergedCli, EveryOutputOfARunSaysSo) {
  const fs::path html = TempPath("shapley.html"), csv = TempPath("shapley.csv");
  const Result r = Parley("run " + kShapley + " -m fictitious-play -n 300 --html " + html.string() +
                          " --csv " + csv.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("not converged: 100.0% of samples [ 98.7%, 100.0%]"));
  EXPECT_THAT(r.out, HasSubstr("the empirical frequencies still left an actor"));
  EXPECT_THAT(r.out, Not(HasSubstr("Equilibria found per sampled game")));
  EXPECT_THAT(Slurp(csv), HasSubstr("not_converged,1,"));
  EXPECT_THAT(Slurp(html), HasSubstr("not converged"));
  EXPECT_THAT(Slurp(html), HasSubstr("Not converged: after the last round"));

  const json j = Json("run " + kShapley + " -m fictitious-play -n 300");
  ASSERT_TRUE(j.contains("not_converged")) << j.dump();
  EXPECT_EQ(j["not_converged"]["count"], 300);
  EXPECT_EQ(j["not_converged"]["probability"], 1.0);
  EXPECT_FALSE(j.contains("equilibria"));
  EXPECT_EQ(j["unresolved"]["count"], 0.0);

  // Converged runs of the same model still report the share, at 0.
  const json stag = Json("run " + kStagHunt + " -m replicator -n 50");
  EXPECT_EQ(stag["not_converged"]["count"], 0);
  // Models without a convergence test say nothing about it.
  EXPECT_FALSE(Json("run " + kStagHunt + " -n 50").contains("not_converged"));
  EXPECT_FALSE(Json("run " + kStagHunt + " -m level-k -n 50").contains("not_converged"));
}

TEST(NotConvergedCli, SweepsAndComparisonsSaySo) {
  const Result sweep =
      Parley("sweep " + kShapley + " -m fictitious-play -n 100 --vary model.iterations=10:1000:3");
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  EXPECT_THAT(sweep.out, HasSubstr("not converged"));
  const json j =
      Json("sweep " + kShapley + " -m fictitious-play -n 100 --vary model.iterations=10:1000:3");
  for (const auto& point : j["points"]) {
    ASSERT_TRUE(point.contains("not_converged")) << point.dump();
  }
  const Result compare = Parley("run " + kShapley + " " + kStagHunt + " -m replicator -n 100");
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_THAT(compare.out, HasSubstr("not converged (replicator): at the horizon"));
  const json c = Json("run " + kShapley + " " + kStagHunt + " -m replicator -n 100");
  // Shapley's game: the replicator state spirals out towards a cycle past
  // the vertices; no sample converges (near a vertex the state slows down,
  // but a vertex is not an equilibrium).
  EXPECT_EQ(c["scenarios"][0]["not_converged"]["count"].get<int>(), 100);
  EXPECT_EQ(c["scenarios"][1]["not_converged"]["count"], 0);
}

TEST(BehaviouralCli, AnchorsChangeLevelZero) {
  // Both hunters publicly committed to the stag: level 1 hunts it together.
  const fs::path anchored = TempPath("anchored-stag-hunt.yaml");
  std::string text = Slurp(kStagHunt);
  for (const std::string name : {"    name: Hunter A\n", "    name: Hunter B\n"}) {
    const size_t at = text.find(name);
    ASSERT_NE(at, std::string::npos);
    text.insert(at + name.size(), "    anchor: stag\n");
  }
  std::ofstream(anchored) << text;
  const json plain = Json("run " + kStagHunt + " -m level-k:k=1 -n 20");
  const json with = Json("run " + anchored.string() + " -m level-k:k=1 -n 20");
  EXPECT_EQ(plain["outcomes"][3]["id"], "both_hare");
  EXPECT_EQ(plain["outcomes"][3]["probability"], 1.0);
  EXPECT_EQ(with["outcomes"][0]["id"], "both_stag");
  EXPECT_EQ(with["outcomes"][0]["probability"], 1.0);
  // The anchors do not change the equilibrium models.
  EXPECT_EQ(Json("run " + anchored.string() + " -n 20")["outcomes"],
            Json("run " + kStagHunt + " -n 20")["outcomes"]);
}

TEST(BehaviouralCli, CognitiveHierarchyStatesItsTruncation) {
  const Result r = Parley("run " + kStagHunt + " -m cognitive-hierarchy:max_level=3 -n 20");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 1 - (f0 + f1 + f2 + f3) at tau = 1.5.
  EXPECT_THAT(r.out, HasSubstr("(cognitive-hierarchy: levels 0 to 3 of Poisson(tau = 1.5); the "
                               "mass above level 3 (0.0656) is left out"));
  const json j = Json("run " + kStagHunt + " -m cognitive-hierarchy:max_level=3 -n 20");
  EXPECT_THAT(j["model_note"].get<std::string>(), HasSubstr("(0.0656)"));
}

TEST(BehaviouralCli, SequentialScenariosAreRefused) {
  for (const char* model : {"level-k", "cognitive-hierarchy", "fictitious-play", "replicator"}) {
    const Result r =
        Parley("run " + Scenario("sequential/entry-deterrence.yaml") + " -m " + model + " -n 10");
    EXPECT_EQ(r.exit_code, 2) << model;
    EXPECT_THAT(r.err, HasSubstr(std::string("--model: model '") + model +
                                 "' solves normal-form games, but this scenario is sequential"));
  }
}

TEST(BehaviouralCli, IdenticalOnAnyThreadCount) {
  for (const char* model :
       {"level-k", "cognitive-hierarchy", "fictitious-play:iterations=200", "replicator"}) {
    const std::string run = "run " + Scenario("istanbul-2025.yaml") + " -m " + model + " -n 400";
    EXPECT_EQ(Json(run + " --threads 1"), Json(run + " --threads 3")) << model;
  }
}

}  // namespace
