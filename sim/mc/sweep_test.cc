#include "sim/mc/sweep.h"

#include <gtest/gtest.h>

#include "sim/mc/test_scenarios.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

// The row player picks x when the swept payoff v exceeds the draw d, so
// P(xx) = v; with common random numbers the samples ending in xx at v are
// exactly those whose d (the same at every point) is below v.
const std::string kSweptThreshold =
    testing::ThresholdScenario({.xx_a = "{normal: [0.3, 0.2]}", .rest_b = "{normal: [-5, 1]}"});

ScenarioSpec Spec() {
  auto spec = LoadScenarioString(kSweptThreshold, "t.yaml");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  return *spec;
}

SweepResult Sweep(const std::vector<SweepAxis>& axes, int threads, int64_t samples = 3000) {
  SweepOptions options;
  options.run.samples = samples;
  options.run.seed = 11;
  options.run.threads = threads;
  auto result =
      RunSweep(Spec(), axes, [](const ScenarioSpec&) { return MakeModel("nash-pure"); }, options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return *result;
}

TEST(SweepAxis, ParsesAndChecksItsText) {
  auto axis = ParseSweepAxis("payoff.xx.a=0:1:5");
  ASSERT_TRUE(axis.ok()) << axis.status().message();
  EXPECT_EQ(axis->name, "payoff.xx.a");
  EXPECT_EQ(axis->Values(), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(ParseSweepAxis("x=-1.5:+2:2")->Values(), (std::vector<double>{-1.5, 2}));
  for (const char* bad : {"payoff.xx.a", "=0:1:3", "a=0:1", "a=0:1:3:4", "a=0:1:1", "a=1:0:3",
                          "a=0:1:x", "a=nan:1:3", "a=0:1:2.5", "a=0:1:100000", "a=0:1e10:3"}) {
    EXPECT_FALSE(ParseSweepAxis(bad).ok()) << bad;
  }
  EXPECT_NE(ParseSweepAxis("a=1:0:3").status().message().find("LOW must not exceed HIGH"),
            std::string::npos);
}

TEST(Sweep, RefusesUnknownNamesBadCredencesAndHugeGrids) {
  const ScenarioSpec spec = Spec();
  auto check = [&](std::vector<SweepAxis> axes) { return CheckSweep(spec, axes).message(); };
  EXPECT_NE(check({{"payoff.xx.b2", 0, 1, 3}}).find("did you mean 'payoff.xx.b'"),
            std::string::npos);
  EXPECT_NE(check({{"param.d", 0, 1, 3}, {"param.d", 0, 1, 3}}).find("twice"), std::string::npos);
  EXPECT_NE(check({{"param.d", 0, 1, 1001}, {"payoff.xx.b", 0, 1, 1001}}).find("points"),
            std::string::npos);
  EXPECT_NE(check({}).find("at least one"), std::string::npos);
}

// P(xx) = v, and the samples in xx at each point are exactly those whose
// own draw d is below v: the sweep reuses each sample's random numbers.
TEST(Sweep, CommonRandomNumbersAcrossGridPoints) {
  const SweepResult r = Sweep({{"payoff.xx.a", 0.0, 1.0, 5}}, 2);
  ASSERT_EQ(r.points.size(), 5u);
  auto game = GameModel::Compile(Spec());
  ASSERT_TRUE(game.ok());
  // The yx class's row-player payoff is d; find it through a profile (y, x).
  const int yx_class = game->class_of()[1];
  std::vector<double> d;
  for (int64_t i = 0; i < 3000; ++i) {
    d.push_back(game->SampleTable(11, i)[yx_class * game->num_players()]);
  }
  for (const SweepPoint& p : r.points) {
    const double v = p.values[0];
    int64_t below = 0;
    for (double x : d) below += x < v;
    EXPECT_EQ(std::llround(p.summary.outcomes[0].count), below) << "v = " << v;
    EXPECT_LE(p.summary.outcomes[0].ci95.low, v + 1e-12);
    EXPECT_GE(p.summary.outcomes[0].ci95.high, v - 1e-12);
  }
}

TEST(Sweep, TwoDimensionalGridIsRowMajorAndThreadIndependent) {
  const std::vector<SweepAxis> axes = {{"payoff.xx.a", 0.2, 0.8, 3}, {"payoff.rest.b", -6, -4, 2}};
  const SweepResult one = Sweep(axes, 1, 2000);
  ASSERT_EQ(one.points.size(), 6u);
  EXPECT_EQ(one.points[1].values, (std::vector<double>{0.2, -4.0}));
  EXPECT_EQ(one.points[2].values, (std::vector<double>{0.5, -6.0}));
  for (int threads : {2, 8}) {
    const SweepResult other = Sweep(axes, threads, 2000);
    for (size_t p = 0; p < one.points.size(); ++p) {
      const RunSummary &a = one.points[p].summary, &b = other.points[p].summary;
      for (size_t o = 0; o < a.outcomes.size(); ++o) {
        EXPECT_EQ(a.outcomes[o].count, b.outcomes[o].count);
      }
      for (size_t k = 0; k < a.payoffs.size(); ++k) EXPECT_EQ(a.payoffs[k].mean, b.payoffs[k].mean);
    }
  }
  // b prefers x whatever rest.b is (-6 or -4): the outcome counts do not move.
  EXPECT_EQ(one.points[0].summary.outcomes[0].count, one.points[1].summary.outcomes[0].count);
}

}  // namespace
}  // namespace parley
