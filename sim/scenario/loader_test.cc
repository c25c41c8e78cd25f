#include "sim/scenario/loader.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

constexpr const char* kMinimal = R"(name: Minimal
actors:
  - id: a
    options: [x, y]
  - id: b
    options: [x, y]
outcomes:
  - id: agree
    when: {a: x, b: x}
  - id: other
    otherwise: true
payoffs:
  agree: {a: 1, b: {normal: [2, 0.5]}}
  other: {a: 0, b: 0}
)";

TEST(Loader, ReadsMinimalScenario) {
  auto spec = LoadScenarioString(kMinimal, "min.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->name, "Minimal");
  ASSERT_EQ(spec->actors.size(), 2u);
  EXPECT_EQ(spec->actors[1].options[1], "y");
  EXPECT_EQ(spec->outcomes[1].rule.otherwise, true);
  EXPECT_EQ(spec->payoffs[0][1].distribution.kind(), Distribution::Kind::kNormal);
  EXPECT_EQ(spec->simulation.model, "nash-pure");
}

TEST(Loader, ReadsParametersOptionLabelsAndArguments) {
  auto spec = LoadScenarioString(R"(name: Full
actors:
  - id: a
    options: [{id: x, label: Say yes}, y]
parameters:
  cost: {value: {uniform: [1, 3]}, description: a cost}
  bonus: 2
outcomes:
  - id: o
    otherwise: true
payoffs:
  o: {a: -cost}
modifiers:
  - when: {a: [x, y]}
    add: {a: bonus}
arguments:
  - id: arg
    analyst: Someone
    claim: Something
    credence: 0.25
    effects:
      - {parameter: cost, add: 1}
      - {outcome: o, actor: a, add: {triangular: [0, 1, 2]}}
      - {when: {a: x}, actor: a, add: -1}
simulation: {samples: 5, seed: 9, selection: payoff-dominant}
)",
                                 "full.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->actors[0].option_labels[0], "Say yes");
  EXPECT_EQ(spec->parameters[0].description, "a cost");
  EXPECT_EQ(spec->payoffs[0][0].parameter, 0);
  EXPECT_EQ(spec->payoffs[0][0].scale, -1.0);
  ASSERT_EQ(spec->arguments[0].effects.size(), 3u);
  EXPECT_EQ(spec->arguments[0].effects[0].target, EffectSpec::Target::kParameter);
  EXPECT_EQ(spec->arguments[0].effects[2].target, EffectSpec::Target::kProfilePayoff);
  EXPECT_EQ(spec->simulation.samples, 5);
  EXPECT_EQ(spec->simulation.seed, 9u);
}

TEST(DidYouMean, SuggestsCloseWordsOnly) {
  EXPECT_EQ(DidYouMean("payofs", {"payoffs", "actors"}), "payoffs");
  EXPECT_EQ(DidYouMean("zzzzzz", {"payoffs", "actors"}), "");
  EXPECT_EQ(DidYouMean("cots", {"cost", "actors"}), "cost");  // swapped letters
  EXPECT_EQ(DidYouMean("Payoffs", {"payoffs"}), "payoffs");
}

}  // namespace
}  // namespace parley
