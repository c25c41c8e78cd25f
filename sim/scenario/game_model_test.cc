#include "sim/scenario/game_model.h"

#include <gtest/gtest.h>

#include "sim/scenario/loader.h"

namespace parley {
namespace {

ScenarioSpec Load(const char* text) {
  auto spec = LoadScenarioString(text, "test.yaml");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
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
  ASSERT_TRUE(model.ok()) << model.status().message();
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
  ASSERT_TRUE(drawn.ok() && forced.ok());
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
  ASSERT_TRUE(model.ok());
  EXPECT_DOUBLE_EQ(model->MeanTable()[0], 1.0 + 0.25 * 4.0);
}

}  // namespace
}  // namespace parley
