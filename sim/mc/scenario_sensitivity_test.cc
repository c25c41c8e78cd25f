#include "sim/mc/scenario_sensitivity.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/core/status_matchers.h"
#include "sim/mc/runner.h"
#include "sim/mc/sensitivity.h"
#include "sim/mc/test_scenarios.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

// a picks x or y by comparing two uniform payoffs U1 (x) and U2 (y); b's
// payoff U3 matters to no decision. Closed forms, with f = 1[U1 > U2]:
// V = 1/4, V1 = V2 = Var(U) = 1/12, so S1 = 1/3, ST = 2/3 for U1 and U2,
// and U3 has no effect. For E[a] = max(U1, U2): Var = 1/18, E[max | U1 =
// x] = (1 + x^2) / 2 with variance 1/45, so S1 = 0.4 and ST = 0.6.
constexpr const char* kCompare = R"(name: Compare
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [z]}
outcomes:
  - {id: ox, when: {a: x}}
  - {id: oy, otherwise: true}
payoffs:
  ox: {a: {uniform: [0, 1]}, b: {uniform: [0, 1]}}
  oy: {a: {uniform: [0, 1]}, b: 0}
arguments:
  - {id: sure, analyst: A, claim: C, credence: 1, effects: [{outcome: oy, actor: b, add: 1}]}
)";

struct LoadedGame {
  ScenarioSpec spec;
  GameModel game;
};

LoadedGame LoadGame(const std::string& text) {
  auto spec = LoadScenarioString(text, "t.yaml");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  EXPECT_TRUE(game.ok()) << game.status().message();
  return {std::move(*spec), std::move(*game)};
}

TEST(ScenarioSensitivity, NamesInputsAndOutputs) {
  const LoadedGame s = LoadGame(kCompare);
  const auto model = *MakeModel("nash-pure");
  ScenarioFunction f(s.spec, s.game, *model, 1);
  // The certain argument and its constant effect are not inputs.
  EXPECT_EQ(f.input_names(),
            (std::vector<std::string>{"payoff.ox.a", "payoff.ox.b", "payoff.oy.a"}));
  EXPECT_EQ(f.output_names(),
            (std::vector<std::string>{"P(ox)", "P(oy)", "P(unresolved)", "E[a]", "E[b]"}));
}

TEST(ScenarioSensitivity, SobolIndicesOfAComparison) {
  const LoadedGame s = LoadGame(kCompare);
  const auto model = *MakeModel("nash-pure");
  ScenarioFunction f(s.spec, s.game, *model, 1);
  SensitivityOptions options;
  options.samples = 8192;
  options.bootstrap = 200;
  auto r = SobolIndices(f.num_inputs(), f.num_outputs(), std::cref(f), options);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& px = r->outputs[0];
  EXPECT_NEAR(px.mean, 0.5, 0.01);
  EXPECT_NEAR(px.variance, 0.25, 0.01);
  // An indicator has larger estimator variance than a smooth f: 0.03 is
  // about 3 standard errors at N = 8192 under plain Monte Carlo.
  for (int i : {0, 2}) {
    EXPECT_NEAR(px.indices[i].s1, 1.0 / 3, 0.03) << i;
    EXPECT_NEAR(px.indices[i].st, 2.0 / 3, 0.03) << i;
  }
  EXPECT_EQ(px.indices[1].s1, 0.0);  // U3 changes nothing: f_ABi = f_A
  EXPECT_EQ(px.indices[1].st, 0.0);
  EXPECT_TRUE(std::isnan(r->outputs[2].indices[0].s1));  // never unresolved
  const auto& ea = r->outputs[3];
  EXPECT_NEAR(ea.mean, 2.0 / 3, 0.01);
  for (int i : {0, 2}) {
    EXPECT_NEAR(ea.indices[i].s1, 0.4, 0.02) << i;
    EXPECT_NEAR(ea.indices[i].st, 0.6, 0.02) << i;
  }
  // E[b] = U3 1[U1 > U2] + 1[U1 <= U2] depends on all three.
  EXPECT_GT(r->outputs[4].indices[1].st, 0.1);
}

TEST(ScenarioSensitivity, MorrisGivesNoEffectToAnIrrelevantPayoff) {
  const LoadedGame s = LoadGame(kCompare);
  const auto model = *MakeModel("nash-pure");
  ScenarioFunction f(s.spec, s.game, *model, 1);
  SensitivityOptions options;
  options.samples = 100;
  auto r = MorrisEffects(f.num_inputs(), f.num_outputs(), std::cref(f), options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outputs[0].indices[1].mu_star, 0.0);
  EXPECT_GT(r->outputs[0].indices[0].mu_star, 0.5);
  EXPECT_GT(r->outputs[0].indices[2].mu_star, 0.5);
  EXPECT_LT(r->outputs[0].indices[2].mu, 0.0);  // a higher U2 makes x less likely
}

// An argument as an input: P(ox) = 1 - 1[the argument holds], so the
// argument explains everything (S1 = ST = 1) and P(ox) averages 1 - 0.3.
TEST(ScenarioSensitivity, ArgumentGateIsAnInput) {
  const LoadedGame s = LoadGame(R"(name: Gate
actors:
  - {id: a, options: [x, y]}
outcomes:
  - {id: ox, when: {a: x}}
  - {id: oy, otherwise: true}
payoffs:
  ox: {a: 1}
  oy: {a: 0}
arguments:
  - {id: g, analyst: A, claim: C, credence: 0.3, effects: [{outcome: ox, actor: a, add: -2}]}
)");
  const auto model = *MakeModel("nash-pure");
  ScenarioFunction f(s.spec, s.game, *model, 1);
  ASSERT_EQ(f.input_names(), std::vector<std::string>{"argument.g"});
  SensitivityOptions options;
  options.samples = 4096;
  options.bootstrap = 100;
  auto r = SobolIndices(1, f.num_outputs(), std::cref(f), options);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->outputs[0].mean, 0.7, 0.01);
  EXPECT_NEAR(r->outputs[0].indices[0].s1, 1.0, 0.03);
  EXPECT_NEAR(r->outputs[0].indices[0].st, 1.0, 0.03);
}

// The runner's Sobol sampler: P(xx) = P(U < 0.3) is integrated with
// quasi-random error O(1/N) instead of O(1/sqrt N): at N = 4096 the
// Philox error is about 0.007 (one standard error), the Sobol error far
// below 0.002; the replicates add up to the total and nothing depends on
// the thread count.
const std::string kThresholdGame = testing::ThresholdScenario();

TEST(SobolSampler, QuasiRandomRunIsAccurateAndThreadIndependent) {
  const LoadedGame s = LoadGame(kThresholdGame);
  const auto model = *MakeModel("nash-pure");
  RunOptions options;
  options.samples = 4096;
  options.seed = 3;
  options.sampler = Sampler::kSobol;
  std::vector<RunResult> runs;
  for (int threads : {1, 2, 8}) {
    options.threads = threads;
    auto r = RunMonteCarlo(s.game, *model, options);
    ASSERT_TRUE(r.ok()) << r.status().message();
    runs.push_back(std::move(*r));
  }
  const RunResult& r = runs[0];
  EXPECT_EQ(r.totals.samples, 4096);
  ASSERT_EQ(r.replicates.size(), 8u);
  int64_t total = 0;
  for (const Accumulator& a : r.replicates) {
    EXPECT_EQ(a.samples, 512);
    // One replicate of 512 points: still within 2/512 of 0.3.
    EXPECT_NEAR(a.outcome_mass[0] / 512, 0.3, 2.0 / 512);
    total += a.count(0);
  }
  EXPECT_EQ(total, r.totals.count(0));
  EXPECT_NEAR(r.totals.outcome_mass[0] / 4096, 0.3, 0.002);
  for (const RunResult& other : runs) {
    EXPECT_EQ(other.totals.outcome_mass, r.totals.outcome_mass);
    for (size_t k = 0; k < r.replicates.size(); ++k) {
      EXPECT_EQ(other.replicates[k].outcome_mass, r.replicates[k].outcome_mass);
    }
  }
  // The default sampler is unchanged and has no replicates.
  options.sampler = Sampler::kPhilox;
  auto plain = RunMonteCarlo(s.game, *model, options);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->replicates.empty());
}

// A NaN output would be left out of the statistics as "undefined" (where
// a payoff is undefined because the game is unresolved): the evaluation
// records it and the analysis must fail instead, naming the first row.
TEST(ScenarioSensitivity, NonFinitePredictionsAreReportedNotDropped) {
  const LoadedGame s = LoadGame(kCompare);
  const testing::NanModel nan_model;
  for (int threads : {1, 3}) {
    ScenarioFunction f(s.spec, s.game, nan_model, 1);
    EXPECT_THAT(f.CheckFinite(), IsOk());
    SensitivityOptions options;
    options.samples = 64;
    options.threads = threads;
    auto r = SobolIndices(f.num_inputs(), f.num_outputs(), std::cref(f), options);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_THAT(f.CheckFinite(),
                StatusIs(StatusCode::kInternal,
                         ::testing::HasSubstr("model 'nan-test' predicted an outcome "
                                              "probability or payoff that is not a finite number "
                                              "for design row 0 (seed 1)")));
  }
  const auto model = *MakeModel("nash-pure");
  ScenarioFunction ok(s.spec, s.game, *model, 1);
  SensitivityOptions options;
  options.samples = 64;
  ASSERT_TRUE(SobolIndices(ok.num_inputs(), ok.num_outputs(), std::cref(ok), options).ok());
  EXPECT_THAT(ok.CheckFinite(), IsOk());
}

}  // namespace
}  // namespace parley
