// Forecast scores checked against values worked out by hand (in the
// comments), not against the code's own formulas.
#include "sim/mc/scoring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "sim/core/status_matchers.h"

namespace parley {
namespace {

using ::testing::HasSubstr;

// The hand-worked test set:
//   E1: 3 outcomes, p = (0.5, 0.3, 0.2), outcome 0 happened
//       Brier = 0.5^2 + 0.3^2 + 0.2^2 = 0.25 + 0.09 + 0.04 = 0.38
//       log   = ln 0.5 = -0.693147
//   E2: 2 outcomes, p = (0.9, 0.1), outcome 1 happened
//       Brier = 0.9^2 + 0.9^2 = 1.62
//       log   = ln 0.1 = -2.302585
//   E3: 3 outcomes, p = (0, 0.25, 0.75), outcome 0 happened
//       Brier = 1 + 0.0625 + 0.5625 = 1.625
//       log   = ln 0.001 = -6.907755 (p = 0 floored at 0.001)
//   mean Brier = 3.625 / 3 = 1.208333
//   mean log   = (-0.693147 - 2.302585 - 6.907755) / 3 = -9.903487 / 3 = -3.301162
// A model's forecast of an episode: only the probabilities matter here.
EpisodeForecast Forecast(std::vector<double> p) {
  EpisodeForecast f;
  f.p = std::move(p);
  return f;
}

std::vector<CategoricalForecast> HandSet() {
  return {{{0.5, 0.3, 0.2}, 0}, {{0.9, 0.1}, 1}, {{0.0, 0.25, 0.75}, 0}};
}

TEST(ScoringTest, BrierAndLogOfEachEpisodeMatchTheHandComputation) {
  auto scores = ScoreForecasts(HandSet());
  ASSERT_THAT(scores.status(), IsOk());
  ASSERT_EQ(scores->episodes.size(), 3u);
  EXPECT_NEAR(scores->episodes[0].brier, 0.38, 1e-12);
  EXPECT_NEAR(scores->episodes[1].brier, 1.62, 1e-12);
  EXPECT_NEAR(scores->episodes[2].brier, 1.625, 1e-12);
  EXPECT_NEAR(scores->episodes[0].log, -0.693147, 1e-6);
  EXPECT_NEAR(scores->episodes[1].log, -2.302585, 1e-6);
  EXPECT_NEAR(scores->episodes[2].log, -6.907755, 1e-6);
  EXPECT_FALSE(scores->episodes[0].floored);
  EXPECT_FALSE(scores->episodes[1].floored);
  EXPECT_TRUE(scores->episodes[2].floored);
  EXPECT_EQ(scores->floored, 1);
  EXPECT_DOUBLE_EQ(scores->episodes[1].p_observed, 0.1);
}

TEST(ScoringTest, MeansAndStandardErrorsMatchTheHandComputation) {
  auto scores = ScoreForecasts(HandSet());
  ASSERT_THAT(scores.status(), IsOk());
  EXPECT_NEAR(scores->brier.mean, 1.208333, 1e-6);
  EXPECT_NEAR(scores->log.mean, -3.301162, 1e-6);
  // Brier deviations from 1.208333: -0.828333, 0.411667, 0.416667; squares
  // 0.686136 + 0.169469 + 0.173611 = 1.029217; / (n - 1) = 0.514608;
  // / n = 0.171536; sqrt = 0.414169.
  ASSERT_TRUE(scores->brier.standard_error.has_value());
  EXPECT_NEAR(*scores->brier.standard_error, 0.414169, 1e-6);
}

TEST(ScoringTest, OneEpisodeHasNoStandardError) {
  auto scores = ScoreForecasts({{{1.0, 0.0}, 0}});
  ASSERT_THAT(scores.status(), IsOk());
  EXPECT_DOUBLE_EQ(scores->brier.mean, 0.0);  // sure and right
  EXPECT_DOUBLE_EQ(scores->log.mean, 0.0);
  EXPECT_FALSE(scores->brier.standard_error.has_value());
}

TEST(ScoringTest, SureAndWrongIsTheWorstBrier) {
  auto s = ScoreForecast({{0.0, 1.0, 0.0}, 0});
  ASSERT_THAT(s.status(), IsOk());
  EXPECT_DOUBLE_EQ(s->brier, 2.0);
  EXPECT_DOUBLE_EQ(s->log, std::log(kLogScoreFloor));
  EXPECT_TRUE(s->floored);
}

TEST(ScoringTest, UniformForecastScoresOneMinusOneOverK) {
  // K = 4: (3/4)^2 + 3 (1/4)^2 = 9/16 + 3/16 = 3/4 = 1 - 1/4; log = ln 1/4.
  auto s = ScoreForecast(UniformForecast(4, 2));
  ASSERT_THAT(s.status(), IsOk());
  EXPECT_NEAR(s->brier, 0.75, 1e-12);
  EXPECT_NEAR(s->log, std::log(0.25), 1e-12);
}

TEST(ScoringTest, ReliabilityTableMatchesTheHandComputation) {
  // Two bins, [0, 0.5) and [0.5, 1]. The eight (episode, outcome) pairs:
  //   [0, 0.5):  0.3, 0.2 (E1), 0.1* (E2), 0*, 0.25 (E3)   * happened
  //              5 pairs, mean 0.85 / 5 = 0.17, happened 2 / 5 = 0.4
  //   [0.5, 1]:  0.5* (E1), 0.9 (E2), 0.75 (E3)
  //              3 pairs, mean 2.15 / 3 = 0.716667, happened 1 / 3
  const auto table = ReliabilityTable(HandSet(), 2);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_DOUBLE_EQ(table[0].low, 0.0);
  EXPECT_DOUBLE_EQ(table[0].high, 0.5);
  EXPECT_EQ(table[0].pairs, 5);
  EXPECT_NEAR(table[0].mean_forecast, 0.17, 1e-12);
  EXPECT_NEAR(table[0].observed_frequency, 0.4, 1e-12);
  EXPECT_EQ(table[1].pairs, 3);
  EXPECT_NEAR(table[1].mean_forecast, 0.716667, 1e-6);
  EXPECT_NEAR(table[1].observed_frequency, 1.0 / 3.0, 1e-12);
}

TEST(ScoringTest, ReliabilityPutsOneInTheLastBinAndLeavesEmptyBinsAtZero) {
  const auto table = ReliabilityTable({{{1.0, 0.0}, 0}}, 4);
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table[0].pairs, 1);  // the 0
  EXPECT_EQ(table[1].pairs, 0);
  EXPECT_DOUBLE_EQ(table[1].mean_forecast, 0.0);
  EXPECT_EQ(table[3].pairs, 1);  // the 1
  EXPECT_DOUBLE_EQ(table[3].observed_frequency, 1.0);
}

TEST(ScoringTest, BaseRateIsTheInSampleShareOfEachSharedId) {
  // E1 and E3 saw ceasefire, E2 and E4 collapse: ceasefire 2, collapse 2,
  // talks and deal 0.
  //   E1, E3 (ceasefire, talks, collapse) -> (2, 0, 2) / 4
  //   E2 (ceasefire, collapse)            -> (2, 2) / 4
  //   E4 (deal, collapse)                 -> (0, 2) / 2: `deal` never happened
  const std::vector<EpisodeOutcomes> episodes = {
      {{"ceasefire", "talks", "collapse"}, 0},
      {{"ceasefire", "collapse"}, 1},
      {{"ceasefire", "talks", "collapse"}, 0},
      {{"deal", "collapse"}, 1},
  };
  const auto f = BaseRateForecasts(episodes);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_NEAR(f[0].p[0], 0.5, 1e-12);
  EXPECT_NEAR(f[0].p[1], 0.0, 1e-12);
  EXPECT_NEAR(f[0].p[2], 0.5, 1e-12);
  EXPECT_NEAR(f[1].p[0], 0.5, 1e-12);
  EXPECT_NEAR(f[1].p[1], 0.5, 1e-12);
  EXPECT_NEAR(f[3].p[0], 0.0, 1e-12);
  EXPECT_NEAR(f[3].p[1], 1.0, 1e-12);
  EXPECT_EQ(f[3].observed, 1);
  // Brier of E1 under the base rate: 0.5^2 + 0 + 0.5^2 = 0.5.
  auto s = ScoreForecast(f[0]);
  ASSERT_THAT(s.status(), IsOk());
  EXPECT_NEAR(s->brier, 0.5, 1e-12);
}

TEST(ScoringTest, BackTestScoresModelsAndBaselinesByHand) {
  //   A: (ceasefire, collapse), ceasefire happened; model (0.8, 0.2)
  //      Brier 0.2^2 + 0.2^2 = 0.08; log ln 0.8 = -0.223144
  //      uniform (0.5, 0.5): Brier 0.5; base rate (1, 1) / 2: Brier 0.5
  //   B: (ceasefire, talks, collapse), collapse happened; model (0.2, 0.2, 0.6)
  //      Brier 0.04 + 0.04 + 0.16 = 0.24; log ln 0.6 = -0.510826
  //      uniform: Brier 2/3; base rate (1, 0, 1) / 2: Brier 0.25 + 0.25 = 0.5
  //   model: mean Brier 0.16, mean log -0.366985
  //   model - uniform, Brier: -0.42 and -0.426667, mean -0.423333
  //   model - base rate, Brier: -0.42 and -0.26, mean -0.34
  std::vector<BackTestEpisode> episodes(2);
  episodes[0].file = "a.yaml";
  episodes[0].outcomes = {"ceasefire", "collapse"};
  episodes[0].observed = 0;
  episodes[1].file = "b.yaml";
  episodes[1].outcomes = {"ceasefire", "talks", "collapse"};
  episodes[1].observed = 2;
  ModelForecasts model{"nash-pure", {Forecast({0.8, 0.2}), Forecast({0.2, 0.2, 0.6})}};
  auto test = ScoreBackTest(episodes, {model}, 5);
  ASSERT_THAT(test.status(), IsOk());
  ASSERT_EQ(test->models.size(), 1u);
  ASSERT_EQ(test->baselines.size(), 2u);
  const ForecasterResult& m = test->models[0];
  EXPECT_NEAR(m.scores.brier.mean, 0.16, 1e-12);
  EXPECT_NEAR(m.scores.log.mean, -0.366985, 1e-6);
  EXPECT_EQ(test->baselines[0].name, "uniform");
  EXPECT_NEAR(test->baselines[0].scores.brier.mean, (0.5 + 2.0 / 3.0) / 2, 1e-12);
  EXPECT_EQ(test->baselines[1].name, "base_rate");
  EXPECT_NEAR(test->baselines[1].scores.brier.mean, 0.5, 1e-12);
  ASSERT_EQ(m.versus.size(), 2u);
  EXPECT_EQ(m.versus[0].baseline, "uniform");
  EXPECT_NEAR(m.versus[0].brier.mean, -0.423333, 1e-6);
  EXPECT_EQ(m.versus[1].baseline, "base_rate");
  EXPECT_NEAR(m.versus[1].brier.mean, -0.34, 1e-12);
  // Reliability over the 5 model pairs in 5 bins: 0.2, 0.2 and 0.2
  // fall in [0.2, 0.4) (none happened), 0.6* in [0.6, 0.8), 0.8* in [0.8, 1].
  EXPECT_EQ(m.reliability[1].pairs, 3);
  EXPECT_DOUBLE_EQ(m.reliability[1].observed_frequency, 0.0);
  EXPECT_EQ(m.reliability[3].pairs, 1);
  EXPECT_EQ(m.reliability[4].pairs, 1);
  EXPECT_DOUBLE_EQ(m.reliability[4].observed_frequency, 1.0);
}

TEST(ScoringTest, BackTestRefusesAForecastOfTheWrongLength) {
  std::vector<BackTestEpisode> episodes(1);
  episodes[0].file = "a.yaml";
  episodes[0].outcomes = {"x", "y"};
  episodes[0].observed = 0;
  EXPECT_THAT(ScoreBackTest(episodes, {{"m", {Forecast({1.0})}}}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("1 probabilities for 2 outcomes")));
}

TEST(ScoringTest, RefusesMalformedForecasts) {
  EXPECT_THAT(ScoreForecast({{}, 0}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("at least one outcome")));
  EXPECT_THAT(ScoreForecast({{0.5, 0.5}, 2}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not one of")));
  EXPECT_THAT(ScoreForecast({{0.5, 0.6}, 0}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("sum to")));
  EXPECT_THAT(ScoreForecast({{1.5, -0.5}, 0}).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("outside [0, 1]")));
  EXPECT_THAT(ScoreForecast({{1.0}, 0}, 0.0).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("floor")));
}

}  // namespace
}  // namespace parley
