#include "sim/mc/runner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "sim/mc/same_totals_testing.h"
#include "sim/mc/summary.h"
#include "sim/mc/test_scenarios.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

// A game whose pure equilibrium depends on one uniform draw: the row player
// prefers x when d < 0.3, so P(outcome "xx") = 0.3 exactly.
const std::string kThreshold = testing::ThresholdScenario();

RunResult RunIt(const std::string& text, int64_t samples, int threads, uint64_t seed = 7) {
  auto spec = LoadScenarioString(text, "t.yaml");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  EXPECT_TRUE(game.ok());
  auto model = MakeModel("nash-pure");
  EXPECT_TRUE(model.ok());
  RunOptions options;
  options.samples = samples;
  options.seed = seed;
  options.threads = threads;
  auto result = RunMonteCarlo(*game, **model, options);
  EXPECT_TRUE(result.ok());
  return *result;
}

TEST(Runner, ProbabilityWithinItsConfidenceInterval) {
  const RunResult r = RunIt(kThreshold, 20000, 2);
  EXPECT_EQ(r.totals.samples, 20000);
  const Interval ci = WilsonInterval(r.totals.count(0), r.totals.samples);
  EXPECT_LE(ci.low, 0.3);
  EXPECT_GE(ci.high, 0.3);
  EXPECT_EQ(r.totals.count(0) + r.totals.count(1), 20000);
  EXPECT_EQ(r.totals.equilibrium_counts[Accumulator::kUnique], 20000);
}

TEST(Runner, IdenticalOnOneTwoAndEightThreads) {
  const RunResult a = RunIt(kThreshold, 5000, 1);
  for (int threads : {2, 8}) {
    const RunResult b = RunIt(kThreshold, 5000, threads);
    EXPECT_EQ(a.totals.outcome_mass, b.totals.outcome_mass);
    for (size_t p = 0; p < a.totals.payoffs.size(); ++p) {
      // Bitwise equality: the join order is fixed.
      EXPECT_EQ(a.totals.payoffs[p].mean, b.totals.payoffs[p].mean);
      EXPECT_EQ(a.totals.payoffs[p].m2, b.totals.payoffs[p].m2);
    }
  }
}

TEST(Runner, SeedChangesTheDraws) {
  const RunResult a = RunIt(kThreshold, 5000, 1, 1);
  const RunResult b = RunIt(kThreshold, 5000, 1, 2);
  EXPECT_NE(a.totals.outcome_mass, b.totals.outcome_mass);
}

TEST(Runner, PrefixOfSamplesIsStable) {
  // Sample i depends on i only: 1000 samples are the first 1000 of 3000,
  // so counts can only grow.
  const RunResult small = RunIt(kThreshold, 1000, 2);
  const RunResult large = RunIt(kThreshold, 3000, 2);
  EXPECT_LE(small.totals.count(0), large.totals.count(0));
  EXPECT_LE(small.totals.count(1), large.totals.count(1));
}

TEST(Runner, RejectsBadOptions) {
  RunOptions options;
  std::string why;
  options.samples = 0;
  EXPECT_FALSE(options.IsValid(&why));
  EXPECT_FALSE(why.empty());
}

// A sequential game with a sampled chance move: rain with probability
// beta(2, 6) (mean 0.25). The walker stays home in the rain (home is worth
// uniform[0, 1] > -1) and goes out in the sun (2 > home), so P(home) = 0.25,
// P(outing) = 0.75, P(wet) = 0, and staying in the rain is always credible.
const std::string kThreateningWeather = testing::WeatherScenario(R"(threats:
  - {id: stay-in-rain, stage: walker, if: {weather: rain}, then: stay}
  - {id: stay-in-sun, stage: walker, if: {weather: sun}, then: stay}
)");

TEST(Runner, SequentialChanceAndThreats) {
  auto spec = LoadScenarioString(kThreateningWeather, "weather.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  ASSERT_TRUE(game.ok()) << game.status().message();
  const auto spe = *MakeModel("spe");
  RunOptions options;
  options.samples = 20000;
  options.seed = 3;
  std::vector<Accumulator> totals;
  for (int threads : {1, 2, 8}) {
    options.threads = threads;
    auto r = RunMonteCarlo(*game, *spe, options);
    ASSERT_TRUE(r.ok());
    totals.push_back(r->totals);
  }
  for (size_t i = 1; i < totals.size(); ++i) {
    EXPECT_EQ(totals[i].outcome_mass, totals[0].outcome_mass);
    EXPECT_EQ(totals[i].outcome_mass_squares, totals[0].outcome_mass_squares);
    EXPECT_EQ(totals[i].paths, totals[0].paths);
    EXPECT_EQ(totals[i].threat_credible, totals[0].threat_credible);
    EXPECT_EQ(totals[i].payoffs[0].mean, totals[0].payoffs[0].mean);
  }
  const Accumulator& t = totals[0];
  const double n = static_cast<double>(t.samples);
  // Each sample adds P(rain) to home: the mean of beta(2, 6) is 0.25 and its
  // sd is sqrt(2 * 6 / (8^2 * 9)) = 0.144; 5 standard errors of the mean.
  const double se = 0.144 / std::sqrt(n);
  EXPECT_NEAR(t.outcome_mass[1] / n, 0.25, 5 * se);
  EXPECT_NEAR(t.outcome_mass[2] / n, 0.75, 5 * se);
  EXPECT_EQ(t.outcome_mass[0], 0.0);
  EXPECT_EQ(t.count(3), 0);  // nothing unresolved
  // One path in every sample: stay in the rain, go in the sun.
  ASSERT_EQ(t.paths.size(), 1u);
  const RunSummary summary = Summarize(*spec, {}, t, true, &*game);
  ASSERT_EQ(summary.paths.size(), 1u);
  const std::vector<std::vector<std::string>> expected = {{"weather: rain", "walker: stay"},
                                                          {"weather: sun", "walker: go"}};
  EXPECT_EQ(summary.paths[0].branches, expected);
  ASSERT_EQ(summary.threats.size(), 2u);
  EXPECT_EQ(summary.threats[0].credible, 1.0);
  EXPECT_EQ(summary.threats[0].carried_out, 1.0);
  EXPECT_EQ(summary.threats[1].credible, 0.0);
  // Expected walker payoff: 0.25 * E[uniform] + 0.75 * 2 = 1.625.
  EXPECT_NEAR(t.payoffs[0].mean, 1.625, 0.01);
}

// Beta draws with shapes near 0 used to be 0 / 0 = NaN: no equilibrium was
// found and the sample was counted "unresolved" (every sample for 1e-9),
// though every sample's game has one. d ~ beta(a, a) is almost always 0 or
// 1, either way below or above xx's payoff 0.3 half the time.
TEST(Runner, TinyBetaShapesNeverCountAsUnresolved) {
  for (const char* shapes : {"[1e-9, 1e-9]", "[0.001, 0.001]"}) {
    std::string text = kThreshold;
    const std::string from = "d: {uniform: [0, 1]}";
    text.replace(text.find(from), from.size(), std::string("d: {beta: ") + shapes + "}");
    const RunResult r = RunIt(text, 4000, 2);
    EXPECT_EQ(r.totals.count(3), 0) << shapes;  // slot 3: unresolved
    EXPECT_EQ(r.totals.count(0) + r.totals.count(1) + r.totals.count(2), 4000) << shapes;
    EXPECT_NEAR(r.totals.count(0) / 4000.0, 0.5, 5 * std::sqrt(0.25 / 4000)) << shapes;
  }
}

// As a chance probability, a NaN draw made the outcome masses of a sample
// add up to NaN instead of 1.
TEST(Runner, TinyBetaChanceProbabilitiesKeepTheTotals) {
  std::string text = testing::WeatherScenario();
  const std::string from = "{beta: [2, 6]}";
  text.replace(text.find(from), from.size(), "{beta: [0.001, 0.001]}");
  auto spec = LoadScenarioString(text, "weather.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  ASSERT_TRUE(game.ok()) << game.status().message();
  RunOptions options;
  options.samples = 3000;
  auto r = RunMonteCarlo(*game, **MakeModel("spe"), options);
  ASSERT_TRUE(r.ok()) << r.status().message();
  double mass = 0;
  for (double m : r->totals.outcome_mass) mass += m;
  EXPECT_NEAR(mass, 3000.0, 1e-6);
  EXPECT_EQ(r->totals.count(3), 0);
  EXPECT_TRUE(std::isfinite(r->totals.payoffs[0].mean));
}

// A model that predicts NaN: the run fails with a message naming the model
// and the first such sample, and counts nothing.
TEST(Runner, NonFinitePredictionsFailTheRunInsteadOfBeingCounted) {
  auto spec = LoadScenarioString(kThreshold, "t.yaml");
  ASSERT_TRUE(spec.ok());
  auto game = GameModel::Compile(*spec);
  ASSERT_TRUE(game.ok());
  RunOptions options;
  options.samples = 1000;
  for (int threads : {1, 3}) {
    options.threads = threads;
    auto r = RunMonteCarlo(*game, testing::NanModel(), options);
    ASSERT_FALSE(r.ok()) << "a NaN prediction was counted";
    EXPECT_EQ(r.status().code(), StatusCode::kInternal);
    EXPECT_NE(r.status().message().find("model 'nan-test'"), std::string::npos)
        << r.status().message();
    EXPECT_NE(r.status().message().find("for sample 0 (seed 1)"), std::string::npos)
        << r.status().message();
  }
}

// Several models on one set of draws (what `parley compare` runs): each
// model's totals, per-sample slots and Sobol replicates are those of its
// own run, bit for bit, on any thread count; only the timing differs.
TEST(Runner, PerSampleRecordsArriveInOrderWithEachSamplesDrawsAndPrediction) {
  // The Istanbul scenario under cognitive-hierarchy (mixed predictions; qre
  // took 40 s of the sanitizer build) and nash-pure, 2 threads: every
  // sample once, in order, with the draws GameModel gives for it, and
  // outcome distributions that add up to the run's totals.
  auto spec = LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/scenarios/istanbul-2025.yaml");
  ASSERT_TRUE(spec.ok());
  auto game = GameModel::Compile(*spec);
  ASSERT_TRUE(game.ok());
  for (const char* name : {"nash-pure", "cognitive-hierarchy"}) {
    auto model = MakeModel(name);
    ASSERT_TRUE(model.ok());
    RunOptions options;
    options.samples = BatchSizeFor(*game) + 123;  // two batches, the second partial
    options.seed = 5;
    options.threads = 2;
    int64_t next = 0;
    std::vector<double> mass(game->num_outcomes() + 1, 0.0);
    RunControl control;
    control.per_sample = [&](const SampleBatch& b) {
      EXPECT_EQ(b.first, next);
      for (int64_t i = 0; i < b.count; ++i) {
        const uint64_t index = static_cast<uint64_t>(b.first + i);
        if (index % 997 == 0) {
          const std::vector<double> draws = game->SampleDraws(options.seed, index);
          for (int k = 0; k < b.num_draws; ++k) {
            EXPECT_EQ(b.draws[i * b.num_draws + k], draws[k]) << name << " sample " << index;
          }
        }
        double total = 0.0;
        for (int s = 0; s < b.num_slots; ++s) {
          mass[s] += b.slots[i * b.num_slots + s];
          total += b.slots[i * b.num_slots + s];
        }
        EXPECT_NEAR(total, 1.0, 1e-9);
        // Each player's options add up to 1 in a resolved sample.
        if (b.slots[i * b.num_slots + b.num_slots - 1] == 0.0) {
          for (size_t p = 0; p + 1 < b.option_offsets.size(); ++p) {
            double sum = 0.0;
            for (int o = b.option_offsets[p]; o < b.option_offsets[p + 1]; ++o) {
              sum += b.options[i * b.num_option_slots + o];
            }
            EXPECT_NEAR(sum, 1.0, 1e-9);
          }
        }
      }
      next += b.count;
      return OkStatus();
    };
    auto run = RunMonteCarlo(*game, **model, options, control);
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(next, options.samples);
    for (size_t s = 0; s < mass.size(); ++s) {
      // Summed in another order: equal to rounding.
      EXPECT_NEAR(mass[s], run->totals.outcome_mass[s], 1e-12 * (1.0 + mass[s])) << name;
    }
    // A sink's error ends the run with it.
    control.per_sample = [](const SampleBatch&) { return Internal("disk full"); };
    auto failed = RunMonteCarlo(*game, **model, options, control);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().message(), "disk full");
  }
}

TEST(Runner, ModelsSharingTheDrawsEqualTheirSingleRuns) {
  auto spec = LoadScenarioString(kThreshold, "t.yaml");
  ASSERT_TRUE(spec.ok());
  auto game = GameModel::Compile(*spec);
  ASSERT_TRUE(game.ok());
  std::vector<std::unique_ptr<Model>> owned;
  std::vector<const Model*> models;
  for (const char* name : {"nash-pure", "qre", "level-k", "replicator"}) {
    owned.push_back(*MakeModel(name));
    models.push_back(owned.back().get());
  }
  const int slots = game->num_outcomes() + 1;
  for (Sampler sampler : {Sampler::kPhilox, Sampler::kSobol}) {
    for (int threads : {1, 3}) {
      RunOptions options;
      options.samples = 3001;
      options.seed = 5;
      options.sampler = sampler;
      options.threads = threads;
      std::vector<std::vector<double>> shared(models.size(),
                                              std::vector<double>(options.samples * slots));
      std::vector<double*> shared_slots;
      for (auto& v : shared) shared_slots.push_back(v.data());
      auto together = RunMonteCarloModels(*game, models, options, shared_slots);
      ASSERT_TRUE(together.ok()) << together.status().message();
      ASSERT_EQ(together->runs.size(), models.size());
      EXPECT_GT(together->draw_seconds, 0.0);
      for (size_t k = 0; k < models.size(); ++k) {
        const std::string where = std::string(models[k]->name()) +
                                  (sampler == Sampler::kSobol ? " sobol" : " philox") +
                                  " threads " + std::to_string(threads);
        std::vector<double> alone_slots(options.samples * slots);
        RunControl control;
        control.sample_slots = alone_slots.data();
        auto alone = RunMonteCarlo(*game, *models[k], options, control);
        ASSERT_TRUE(alone.ok());
        testing::ExpectSameTotals(together->runs[k].totals, alone->totals, where);
        EXPECT_EQ(shared[k], alone_slots) << where;
        ASSERT_EQ(together->runs[k].replicates.size(), alone->replicates.size()) << where;
        for (size_t r = 0; r < alone->replicates.size(); ++r) {
          testing::ExpectSameTotals(together->runs[k].replicates[r], alone->replicates[r], where);
        }
      }
      // The models differ (qre mixes where nash-pure does not), so equal
      // totals are not an accident of identical models.
      EXPECT_NE(together->runs[0].totals.outcome_mass, together->runs[1].totals.outcome_mass);
    }
  }
}

TEST(Runner, ModelsSharingTheDrawsOfASequentialGame) {
  auto spec = LoadScenarioString(kThreateningWeather, "weather.yaml");
  ASSERT_TRUE(spec.ok());
  auto game = GameModel::Compile(*spec);
  ASSERT_TRUE(game.ok());
  const auto spe = *MakeModel("spe");
  RunOptions options;
  options.samples = 2000;
  options.threads = 2;
  auto together = RunMonteCarloModels(*game, {spe.get(), spe.get()}, options);
  ASSERT_TRUE(together.ok());
  auto alone = RunMonteCarlo(*game, *spe, options);
  ASSERT_TRUE(alone.ok());
  testing::ExpectSameTotals(together->runs[0].totals, alone->totals, "lane 0");
  testing::ExpectSameTotals(together->runs[1].totals, alone->totals, "lane 1");
  // A model that does not solve the game is refused before anything runs.
  const auto pure = *MakeModel("nash-pure");
  EXPECT_FALSE(RunMonteCarloModels(*game, {spe.get(), pure.get()}, options).ok());
}

}  // namespace
}  // namespace parley
