#include "sim/scenario/game_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status_matchers.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

ScenarioSpec Load(const char* text) {
  auto spec = LoadScenarioString(text, "test.yaml");
  EXPECT_THAT(spec, IsOk());
  return *spec;
}

// Evaluates one sample's table the slow, obvious way from the draws.
TEST(GameModel, PayoffsAreBasePlusModifiersPlusEffects) {
  const ScenarioSpec spec = Load(R"(name: T
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
parameters:
  p: {uniform: [0, 1]}
outcomes:
  - {id: both_x, when: {a: x, b: x}}
  - {id: rest, otherwise: true}
payoffs:
  both_x: {a: 10, b: p}
  rest: {a: 1, b: -p}
modifiers:
  - {when: {a: y}, add: {b: 100}}
arguments:
  - id: g
    analyst: A
    claim: C
    credence: 0.5
    effects:
      - {parameter: p, add: 1000}
      - {outcome: rest, actor: a, add: 5}
)");
  auto model = GameModel::Compile(spec);
  ASSERT_THAT(model, IsOk());
  EXPECT_EQ(model->space().num_profiles(), 4);
  // Classes: (x,x) both_x; (y,x) rest+mod; (x,y) rest; (y,y) rest+mod.
  EXPECT_EQ(model->num_classes(), 3);
  EXPECT_EQ(model->outcome_of(0), 0);
  EXPECT_EQ(model->outcome_of(3), 1);

  for (uint64_t i = 0; i < 50; ++i) {
    SampleRng rng(4, i);
    Eigen::MatrixXd theta(1, model->num_draws()), tables;
    uint8_t holds = 0;
    model->DrawSample(rng, theta.data(), 1, &holds);
    model->EvaluatePayoffs(theta, tables);
    const auto offsets = model->EntryOffsets(tables.rows());
    const GameView v = model->View(tables.data(), offsets);
    // Draw 0 is p's base value; the gated +1000 is a constant, folded into an atom.
    const double p = theta(0, 0) + (holds ? 1000.0 : 0.0);
    ASSERT_GE(theta(0, 0), 0.0);
    ASSERT_LT(theta(0, 0), 1.0);
    EXPECT_DOUBLE_EQ(v.Payoff(0, 0), 10.0);
    EXPECT_DOUBLE_EQ(v.Payoff(0, 1), p);
    EXPECT_DOUBLE_EQ(v.Payoff(1, 0), 1.0 + (holds ? 5 : 0));  // (y, x): rest
    EXPECT_DOUBLE_EQ(v.Payoff(1, 1), -p + 100.0);
    EXPECT_DOUBLE_EQ(v.Payoff(2, 1), -p);
  }
}

TEST(GameModel, ForcedArgumentsKeepTheSameDraws) {
  const ScenarioSpec spec = Load(R"(name: T
actors:
  - {id: a, options: [x]}
outcomes:
  - {id: o, otherwise: true}
payoffs:
  o: {a: {normal: [0, 1]}}
arguments:
  - {id: g, analyst: A, claim: C, credence: 0.5, effects: [{outcome: o, actor: a, add: {uniform: [1, 2]}}]}
  - {id: h, analyst: A, claim: C, credence: 0.5, effects: [{outcome: o, actor: a, add: 0.5}]}
)");
  auto drawn = GameModel::Compile(spec);
  auto forced = GameModel::Compile(spec, {{ArgumentMode::kForcedOn, ArgumentMode::kForcedOff}});
  ASSERT_THAT(drawn, IsOk());
  ASSERT_THAT(forced, IsOk());
  for (uint64_t i = 0; i < 20; ++i) {
    SampleRng r1(1, i), r2(1, i);
    std::vector<double> t1(drawn->num_draws()), t2(forced->num_draws());
    uint8_t h1[2], h2[2];
    drawn->DrawSample(r1, t1.data(), 1, h1);
    forced->DrawSample(r2, t2.data(), 1, h2);
    EXPECT_EQ(t1[0], t2[0]);  // the base payoff draw is shared
    EXPECT_EQ(h2[0], 1);
    EXPECT_EQ(h2[1], 0);
    if (h1[0]) {
      EXPECT_EQ(t1[1], t2[1]);
    }
  }
}

TEST(GameModel, MeanTableWeighsEffectsByCredence) {
  const ScenarioSpec spec = Load(R"(name: T
actors:
  - {id: a, options: [x]}
outcomes:
  - {id: o, otherwise: true}
payoffs:
  o: {a: {uniform: [0, 2]}}
arguments:
  - {id: g, analyst: A, claim: C, credence: 0.25, effects: [{outcome: o, actor: a, add: 4}]}
)");
  auto model = GameModel::Compile(spec);
  ASSERT_THAT(model, IsOk());
  EXPECT_DOUBLE_EQ(model->MeanTable()[0], 1.0 + 0.25 * 4.0);
}

// Every draw step is named by the shared scheme, in draw order, and only
// the steps that can vary are uncertain.
TEST(GameModel, UniformsAreNamedInDrawOrder) {
  const ScenarioSpec spec = Load(R"(name: T
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
parameters:
  p: {normal: [0, 1]}
  q: 3
outcomes:
  - {id: o, when: {a: x}}
  - {id: r, otherwise: true}
payoffs:
  o: {a: {triangular: [0, 1, 2]}, b: 1}
  r: {a: p, b: {beta: [2, 3]}}
modifiers:
  - {when: {a: y}, add: {b: {lognormal: [0, 0.5]}}}
arguments:
  - {id: g, analyst: A, claim: C, credence: 0.5, effects: [{outcome: o, actor: a, add: {uniform: [1, 2]}}, {outcome: r, actor: b, add: 2}]}
  - {id: h, analyst: A, claim: C, credence: 1, effects: [{outcome: o, actor: b, add: 0.5}]}
)");
  auto model = GameModel::Compile(spec);
  ASSERT_THAT(model, IsOk());
  const std::vector<std::string> names = {"param.p",      "payoff.o.a", "payoff.r.b",
                                          "modifier.1.b", "argument.g", "effect.g.1",
                                          "effect.g.2",   "argument.h", "effect.h.1"};
  EXPECT_EQ(model->uniform_names(), names);
  ASSERT_EQ(model->num_uniforms(), 9);
  const std::vector<bool> uncertain = {true, true, true, true, true, true, false, false, false};
  for (int k = 0; k < 9; ++k) EXPECT_EQ(model->uniform_is_uncertain(k), uncertain[k]) << names[k];

  // Driven by uniforms: each atom is its distribution's quantile, a gate
  // holds when u < credence, and an effect whose argument fails is 0.
  const std::vector<double> u = {0.975, 0.5, 0.5, 0.5, 0.7, 0.25, 0.9, 0.99, 0.5};
  std::vector<double> theta(model->num_draws(), -1.0);
  uint8_t holds[2] = {9, 9};
  model->DrawFromUniforms(u.data(), theta.data(), 1, holds);
  EXPECT_EQ(holds[0], 0);  // 0.7 >= 0.5
  EXPECT_EQ(holds[1], 1);  // 0.99 < 1
  EXPECT_NEAR(theta[0], 1.959963984540054, 1e-13);
  EXPECT_NEAR(theta[1], 1.0, 1e-15);
  EXPECT_NEAR(theta[2], 0.38572756813238945, 1e-12);  // Beta(2, 3) median
  EXPECT_NEAR(theta[3], 1.0, 1e-15);                  // lognormal(0, .5) median
  EXPECT_EQ(theta[4], 0.0);
  EXPECT_EQ(theta[5], 0.0);
  EXPECT_EQ(theta[6], 0.5);
  const std::vector<double> v = {0.5, 0.5, 0.5, 0.5, 0.2, 0.25, 0.9, 0.5, 0.5};
  model->DrawFromUniforms(v.data(), theta.data(), 1, holds);
  EXPECT_EQ(holds[0], 1);
  EXPECT_EQ(theta[4], 1.25);
  EXPECT_EQ(theta[5], 2.0);

  // A forced-off argument makes its effects certain (zero) and its gate too.
  auto forced = GameModel::Compile(spec, {{ArgumentMode::kForcedOff, ArgumentMode::kDrawn}});
  ASSERT_THAT(forced, IsOk());
  EXPECT_FALSE(forced->uniform_is_uncertain(4));
  EXPECT_FALSE(forced->uniform_is_uncertain(5));
  forced->DrawFromUniforms(v.data(), theta.data(), 1, holds);
  EXPECT_EQ(holds[0], 0);
  EXPECT_EQ(theta[4], 0.0);
}

// For uniform and triangular draws, Sample() is the quantile of one
// Uniform() unit, and a gate is one unit: driving DrawFromUniforms with the
// stream's own uniforms must give exactly DrawSample's sample.
TEST(GameModel, UniformsReproduceTheStreamDraws) {
  const ScenarioSpec spec = Load(R"(name: T
actors:
  - {id: a, options: [x, y]}
outcomes:
  - {id: o, when: {a: x}}
  - {id: r, otherwise: true}
payoffs:
  o: {a: {uniform: [-1, 4]}}
  r: {a: {triangular: [0, 1, 3]}}
arguments:
  - {id: g, analyst: A, claim: C, credence: 0.4, effects: [{outcome: o, actor: a, add: {uniform: [1, 2]}}]}
  - {id: h, analyst: A, claim: C, credence: 0.7, effects: [{outcome: r, actor: a, add: {triangular: [-2, 0, 1]}}]}
)");
  auto model = GameModel::Compile(spec);
  ASSERT_THAT(model, IsOk());
  int held = 0;
  for (uint64_t i = 0; i < 200; ++i) {
    SampleRng rng(9, i), units(9, i);
    std::vector<double> expected(model->num_draws()), got(model->num_draws());
    uint8_t h1[2], h2[2];
    model->DrawSample(rng, expected.data(), 1, h1);
    std::vector<double> u(model->num_uniforms());
    for (double& x : u) x = units.Uniform();
    model->DrawFromUniforms(u.data(), got.data(), 1, h2);
    EXPECT_EQ(got, expected);
    EXPECT_EQ(h1[0], h2[0]);
    EXPECT_EQ(h1[1], h2[1]);
    held += h1[0];
  }
  EXPECT_GT(held, 50);  // both branches of the gate were exercised
  EXPECT_LT(held, 150);
}

// DrawSample draws runs of 8 or more normal atoms in bulk
// (SampleRng::Normals); the values must be those of one Distribution::Sample
// per step, in draw order, bit for bit: a run of 9 (odd: it leaves a spare
// normal, which the next beta and lognormal draws use), a run of 8 after
// uniforms, short runs drawn one by one, and gated normals after their
// argument's gate.
TEST(GameModel, BulkNormalRunsEqualOneDrawPerStep) {
  const ScenarioSpec spec = Load(R"(name: T
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x]}
  - {id: c, options: [x]}
  - {id: d, options: [x]}
  - {id: e, options: [x]}
parameters:
  p: {normal: [1, 2]}
  q: {beta: [2, 3]}
outcomes:
  - {id: o1, when: {a: x}}
  - {id: o2, otherwise: true}
payoffs:
  o1: {a: {normal: [0, 1]}, b: {normal: [5, 0.5]}, c: {normal: [1, 1]}, d: {normal: [2, 1]}, e: {normal: [3, 1]}}
  o2: {a: {normal: [0, 2]}, b: {normal: [-1, 3]}, c: {normal: [0, 1]}, d: {normal: [4, 1]}, e: {beta: [1, 2]}}
modifiers:
  - {when: {a: y}, add: {a: {lognormal: [0, 0.5]}, b: {normal: [2, 1]}, c: {uniform: [0, 1]}}}
arguments:
  - id: g
    analyst: A
    claim: C
    credence: 0.5
    effects:
      - {outcome: o1, actor: a, add: {normal: [1, 1]}}
      - {outcome: o1, actor: b, add: {normal: [1, 2]}}
      - {outcome: o1, actor: c, add: {normal: [1, 3]}}
      - {outcome: o1, actor: d, add: {normal: [1, 4]}}
      - {outcome: o2, actor: a, add: {normal: [2, 1]}}
      - {outcome: o2, actor: b, add: {normal: [2, 2]}}
      - {outcome: o2, actor: c, add: {normal: [2, 3]}}
      - {outcome: o2, actor: d, add: {normal: [2, 4]}}
)");
  auto model = GameModel::Compile(spec);
  ASSERT_THAT(model, IsOk());
  using K = Distribution::Kind;
  auto dist = [](K kind, std::vector<double> params) { return *Distribution::Make(kind, params); };
  // Each step by name: its distribution and whether g gates it.
  std::map<std::string, std::pair<Distribution, bool>> steps = {
      {"param.p", {dist(K::kNormal, {1, 2}), false}},
      {"param.q", {dist(K::kBeta, {2, 3}), false}},
      {"payoff.o1.a", {dist(K::kNormal, {0, 1}), false}},
      {"payoff.o1.b", {dist(K::kNormal, {5, 0.5}), false}},
      {"payoff.o1.c", {dist(K::kNormal, {1, 1}), false}},
      {"payoff.o1.d", {dist(K::kNormal, {2, 1}), false}},
      {"payoff.o1.e", {dist(K::kNormal, {3, 1}), false}},
      {"payoff.o2.a", {dist(K::kNormal, {0, 2}), false}},
      {"payoff.o2.b", {dist(K::kNormal, {-1, 3}), false}},
      {"payoff.o2.c", {dist(K::kNormal, {0, 1}), false}},
      {"payoff.o2.d", {dist(K::kNormal, {4, 1}), false}},
      {"payoff.o2.e", {dist(K::kBeta, {1, 2}), false}},
      {"modifier.1.a", {dist(K::kLognormal, {0, 0.5}), false}},
      {"modifier.1.b", {dist(K::kNormal, {2, 1}), false}},
      {"modifier.1.c", {dist(K::kUniform, {0, 1}), false}},
  };
  for (int n = 1; n <= 8; ++n) {
    steps.insert(
        {"effect.g." + std::to_string(n),
         {dist(K::kNormal, {n <= 4 ? 1.0 : 2.0, static_cast<double>((n - 1) % 4 + 1)}), true}});
  }
  ASSERT_EQ(model->num_draws(), static_cast<int>(steps.size()));
  ASSERT_EQ(model->num_uniforms(), model->num_draws() + 1);
  int holds_seen = 0;
  for (uint64_t i = 0; i < 200; ++i) {
    SampleRng rng(9, i), reference(9, i);
    std::vector<double> theta(model->num_draws()), expected;
    uint8_t holds = 2, expected_holds = 2;
    model->DrawSample(rng, theta.data(), 1, &holds);
    for (const std::string& name : model->uniform_names()) {
      if (name == "argument.g") {
        expected_holds = reference.Uniform() < 0.5;
        continue;
      }
      const auto& [d, gated] = steps.at(name);
      const double x = d.Sample(reference);
      expected.push_back(gated && !expected_holds ? 0.0 : x);
    }
    ASSERT_EQ(holds, expected_holds);
    holds_seen += holds;
    for (size_t k = 0; k < expected.size(); ++k) {
      ASSERT_EQ(std::bit_cast<uint64_t>(theta[k]), std::bit_cast<uint64_t>(expected[k]))
          << "sample " << i << " draw " << k;
    }
    EXPECT_EQ(rng.NextU64(), reference.NextU64()) << "sample " << i;
  }
  EXPECT_GT(holds_seen, 50);
  EXPECT_LT(holds_seen, 150);
}

}  // namespace
}  // namespace parley
