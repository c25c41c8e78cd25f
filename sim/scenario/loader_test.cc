#include "sim/scenario/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sim/core/status_matchers.h"

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
  ASSERT_THAT(spec, IsOk());
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
  ASSERT_THAT(spec, IsOk());
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

// kMinimal with `extra` appended (a `simulation` section).
std::string WithSimulation(const std::string& extra) { return std::string(kMinimal) + extra; }

TEST(Loader, ReadsTheModelAsANameOrAMappingWithParameters) {
  auto plain = LoadScenarioString(WithSimulation("simulation: {model: qre}\n"), "m.yaml");
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(plain->simulation.model, "qre");
  EXPECT_TRUE(plain->simulation.model_parameters.empty());
  EXPECT_EQ(plain->simulation.model_loc.ToString(), "m.yaml:15:21");

  auto flow =
      LoadScenarioString(WithSimulation("simulation: {model: {name: qre, lambda: 2}}\n"), "m.yaml");
  ASSERT_THAT(flow, IsOk());
  EXPECT_EQ(flow->simulation.model, "qre");
  EXPECT_EQ(flow->simulation.model_loc.ToString(), "m.yaml:15:28");
  ASSERT_EQ(flow->simulation.model_parameters.size(), 1u);
  EXPECT_EQ(flow->simulation.model_parameters[0].name, "lambda");
  EXPECT_EQ(flow->simulation.model_parameters[0].value, "2");
  EXPECT_EQ(flow->simulation.model_parameters[0].loc.ToString(), "m.yaml:15:41");

  // Block form; values are kept exactly as written, words included, and
  // `name` need not come first.
  auto block = LoadScenarioString(WithSimulation(R"(simulation:
  samples: 10
  model:
    lambda: 2.50
    order: alternating
    name: level-k
)"),
                                  "m.yaml");
  ASSERT_THAT(block, IsOk());
  const SimulationSpec& sim = block->simulation;
  EXPECT_EQ(sim.model, "level-k");
  EXPECT_EQ(sim.model_loc.ToString(), "m.yaml:20:11");
  ASSERT_EQ(sim.model_parameters.size(), 2u);
  EXPECT_EQ(sim.model_parameters[0].name, "lambda");
  EXPECT_EQ(sim.model_parameters[0].value, "2.50");
  EXPECT_EQ(sim.model_parameters[0].loc.ToString(), "m.yaml:18:13");
  EXPECT_EQ(sim.model_parameters[1].name, "order");
  EXPECT_EQ(sim.model_parameters[1].value, "alternating");
  EXPECT_EQ(sim.model_parameters[1].loc.ToString(), "m.yaml:19:12");
  EXPECT_EQ(sim.samples, 10);

  // A mapping with only a name is a model without parameters.
  auto bare = LoadScenarioString(WithSimulation("simulation: {model: {name: qre}}\n"), "m.yaml");
  ASSERT_THAT(bare, IsOk());
  EXPECT_EQ(bare->simulation.model, "qre");
  EXPECT_TRUE(bare->simulation.model_parameters.empty());
}

TEST(Loader, RefusesBadModelMappingsWithTheirPositions) {
  auto expect = [](const std::string& simulation, const std::string& message) {
    auto spec = LoadScenarioString(WithSimulation(simulation), "m.yaml");
    EXPECT_THAT(spec, StatusIs(StatusCode::kInvalidArgument, message)) << simulation;
  };
  expect("simulation: {model: {lambda: 2}}\n",
         "m.yaml:15:21: error: `model` (a model name, or {name: MODEL, PARAMETER: VALUE, ...}) is "
         "missing the required key 'name'");
  expect("simulation: {model: {name: qre, lambda: [1, 2]}}\n",
         "m.yaml:15:41: error: model parameter `lambda` must be a single value such as 2 or "
         "alternating, got a list (model parameters are not sampled)");
  expect("simulation: {model: {name: qre, lambda: {normal: [1, 2]}}}\n",
         "m.yaml:15:41: error: model parameter `lambda` must be a single value such as 2 or "
         "alternating, got a mapping (model parameters are not sampled)");
  expect("simulation:\n  model:\n    name: qre\n    lambda:\n",
         "m.yaml:18:5: error: model parameter `lambda` must be a single value such as 2 or "
         "alternating, got nothing (model parameters are not sampled)");
  expect("simulation: {model: {name: qre, lambda: 1, lambda: 2}}\n",
         "m.yaml:15:44: error: duplicate key 'lambda' in `model`");
  expect("simulation: {model: {name: qre, name: logit}}\n",
         "m.yaml:15:33: error: duplicate key 'name' in `model`");
  expect("simulation: {model: {name: [qre]}}\n",
         "m.yaml:15:28: error: the model `name` must be an identifier (letters, digits, '_', "
         "'-', '.'; starting with a letter or '_'), got 'a list'");
  expect("simulation: {model: {name: qre, 2x: 1}}\n",
         "m.yaml:15:33: error: a model parameter name must be an identifier (letters, digits, "
         "'_', '-', '.'; starting with a letter or '_'), got '2x'");
  expect("simulation: {model: {name: qre, [a]: 1}}\n",
         "m.yaml:15:33: error: keys in `model` must be plain words");
  expect("simulation: {model: [qre]}\n",
         "m.yaml:15:21: error: `model` must be an identifier (letters, digits, '_', '-', '.'; "
         "starting with a letter or '_'), got 'a list'");
}

// Every way a value can be wrong, with its message: the loader and
// ParseOverrideValue share one reader of distributions, and each keeps its
// own wording.
TEST(Loader, RefusesBadValuesWithExactMessages) {
  const std::string head =
      "name: M\nactors: [{id: a, options: [x]}]\nparameters: {cost: 1}\n"
      "outcomes: [{id: o, otherwise: true}]\npayoffs:\n  o: {a: ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{nomal: [1, 2]}",
       "p.yaml:6:11: error: payoff of a in o: unknown distribution 'nomal'; did you mean 'normal'? "
       "(expected one of: normal, uniform, triangular, beta, lognormal)"},
      {"{normal: 3}",
       "p.yaml:6:19: error: payoff of a in o: normal parameters must be a list of numbers, for "
       "example {normal: [1, 2]}"},
      {"{normal: [1, x]}",
       "p.yaml:6:23: error: payoff of a in o (normal parameter) must be a finite number, got 'x'"},
      {"{normal: [1, [2]]}",
       "p.yaml:6:23: error: payoff of a in o (normal parameter) must be a number"},
      {"{normal: [1, 2e9]}",
       "p.yaml:6:23: error: payoff of a in o (normal parameter) must be between -1e9 and 1e9, got "
       "'2e9' (payoffs on such scales lose all precision when added)"},
      {"{uniform: [3, 1]}",
       "p.yaml:6:20: error: payoff of a in o: uniform low must be <= high, got [3, 1]"},
      {"{normal: [1, 2], uniform: [1, 2]}",
       "p.yaml:6:10: error: payoff of a in o must be a number, a distribution such as {normal: "
       "[mean, sd]}, or a parameter name (optionally with a leading '-')"},
      {"abc", "p.yaml:6:10: error: payoff of a in o: unknown parameter 'abc' (parameters: cost)"},
      {"{normal: [1, 2, 3, 4, 5]}",
       "p.yaml:6:19: error: payoff of a in o: normal parameters must be a list of numbers, for "
       "example {normal: [1, 2]}"},
      {"{[a]: [1]}",
       "p.yaml:6:11: error: payoff of a in o: unknown distribution '' (expected one of: normal, "
       "uniform, triangular, beta, lognormal)"},
      {"1e12",
       "p.yaml:6:10: error: payoff of a in o must be between -1e9 and 1e9, got '1e12' (payoffs on "
       "such scales lose all precision when added)"},
      {"1x", "p.yaml:6:10: error: payoff of a in o must be a finite number, got '1x'"},
      {"-coast",
       "p.yaml:6:10: error: payoff of a in o: unknown parameter 'coast'; did you mean 'cost'? "
       "(parameters: cost)"},
      {"nan", "p.yaml:6:10: error: payoff of a in o must be a finite number, got 'nan'"},
      {"[1, 2]",
       "p.yaml:6:10: error: payoff of a in o must be a number, a distribution such as {normal: "
       "[mean, sd]}, or a parameter name (optionally with a leading '-')"},
  };
  for (const auto& [value, message] : cases) {
    EXPECT_THAT(LoadScenarioString(head + value + "}\n", "p.yaml"),
                StatusIs(StatusCode::kInvalidArgument, message))
        << value;
  }
}

TEST(DidYouMean, SuggestsCloseWordsOnly) {
  EXPECT_EQ(DidYouMean("payofs", {"payoffs", "actors"}), "payoffs");
  EXPECT_EQ(DidYouMean("zzzzzz", {"payoffs", "actors"}), "");
  EXPECT_EQ(DidYouMean("cots", {"cost", "actors"}), "cost");  // swapped letters
  EXPECT_EQ(DidYouMean("Payoffs", {"payoffs"}), "payoffs");
}

}  // namespace
}  // namespace parley
