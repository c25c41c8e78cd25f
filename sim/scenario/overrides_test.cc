#include "sim/scenario/overrides.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>

#include "sim/core/status_matchers.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

using ::testing::HasSubstr;

// Normal draws (a variable number of units, and a spare value carried between
// atoms) before and after the entries the tests override.
constexpr const char* kScenario = R"(name: CRN
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
parameters:
  cost: {value: {normal: [1, 0.5]}, description: a cost}
outcomes:
  - {id: deal, when: {a: x, b: x}}
  - {id: rest, otherwise: true}
payoffs:
  deal: {a: {normal: [2, 1]}, b: {beta: [2, 3]}}
  rest: {a: 3, b: -cost}
modifiers:
  - {when: {a: y}, add: {a: {normal: [0, 1]}, b: 0.5}, note: a moves}
arguments:
  - id: g
    analyst: A
    claim: C
    credence: 0.5
    effects:
      - {outcome: deal, actor: b, add: {normal: [1, 2]}}
      - {outcome: rest, actor: a, add: {lognormal: [0, 0.5]}}
)";

ScenarioSpec Load() {
  auto spec = LoadScenarioString(kScenario, "crn.yaml");
  EXPECT_THAT(spec, IsOk());
  return *spec;
}

std::vector<std::vector<double>> Tables(const ScenarioSpec& spec, int n) {
  auto model = GameModel::Compile(spec);
  EXPECT_THAT(model, IsOk());
  std::vector<std::vector<double>> out;
  for (int i = 0; i < n; ++i) out.push_back(model->SampleTable(7, i));
  return out;
}

// The table entries of (outcome, actor) in a compiled model: classes of
// that outcome, that player.
std::vector<size_t> EntriesOf(const ScenarioSpec& spec, int outcome, int actor) {
  auto model = GameModel::Compile(spec);
  std::vector<size_t> out;
  for (int k = 0; k < model->num_classes(); ++k) {
    // Cells are profiles; find a cell of class k to learn its outcome.
    for (int64_t q = 0; q < model->num_cells(); ++q) {
      if (model->class_of()[q] == k) {
        if (model->outcome_of(q) == outcome) out.push_back(k * model->num_players() + actor);
        break;
      }
    }
  }
  return out;
}

TEST(Overrides, ListsEveryNameWithItsValue) {
  const ScenarioSpec spec = Load();
  std::vector<std::string> names;
  for (const auto& n : ListSweepable(spec)) names.push_back(n.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"param.cost", "payoff.deal.a", "payoff.deal.b",
                                      "payoff.rest.a", "payoff.rest.b", "modifier.1.a",
                                      "modifier.1.b", "credence.g", "effect.g.1", "effect.g.2"}));
  auto rest_b = FindSweepable(spec, "payoff.rest.b");
  ASSERT_THAT(rest_b, IsOk());
  EXPECT_EQ(rest_b->value, "-param.cost");
  EXPECT_DOUBLE_EQ(rest_b->mean, -1.0);
  EXPECT_EQ(rest_b->loc.line, 12);
  auto credence = FindSweepable(spec, "credence.g");
  ASSERT_THAT(credence, IsOk());
  EXPECT_TRUE(credence->is_credence());
  EXPECT_DOUBLE_EQ(credence->mean, 0.5);
}

TEST(Overrides, UnknownNamesAndBadValuesAreRefusedClearly) {
  ScenarioSpec spec = Load();
  auto refused = [](const std::string& part) {
    return StatusIs(StatusCode::kInvalidArgument, HasSubstr(part));
  };
  EXPECT_THAT(ApplySetting(spec, "payoff.deel.a=1"), refused("did you mean 'payoff.deal.a'"));
  EXPECT_THAT(ApplySetting(spec, "credence.g=1.5"), refused("[0, 1]"));
  EXPECT_THAT(ApplySetting(spec, "credence.g=normal: [0.5, 0.1]"), refused("not a distribution"));
  EXPECT_THAT(ApplySetting(spec, "payoff.deal.a"), refused("NAME=VALUE"));
  EXPECT_THAT(ApplySetting(spec, "payoff.deal.a=nomal: [1, 2]"), refused("did you mean 'normal'"));
  EXPECT_THAT(ApplySetting(spec, "payoff.deal.a=uniform: [3, 1]"), refused("low must be <= high"));
  EXPECT_THAT(ApplySetting(spec, "payoff.deal.a=1e12"), refused("1e9"));
  EXPECT_THAT(ApplySetting(spec, "payoff.deal.a=abc"), refused("expected a number"));
  EXPECT_THAT(ApplySetting(spec, "payoff.deal.a=[1, 2"), refused("expected a number"));
  const Status st = ApplySetting(spec, "payoff.deal.a=" + std::string(100000, '['));
  EXPECT_THAT(st, refused("characters long"));
  EXPECT_LT(st.message().size(), 300u);
  EXPECT_THAT(ApplySetting(spec, "payoff.deal.a=[[[[[[1]]]]]]"), refused("6 deep"));
  EXPECT_THAT(ApplySetting(spec, "payoff.deal.a={uniform: [1, 3]}"), IsOk());
  EXPECT_THAT(ApplySetting(spec, "param.cost=triangular: [0, 1, 3]"), IsOk());
  EXPECT_EQ(spec.parameters[0].value.kind(), Distribution::Kind::kTriangular);
  EXPECT_THAT(ApplySetting(spec, "credence.g=0.25"), IsOk());
  EXPECT_DOUBLE_EQ(spec.arguments[0].credence, 0.25);
}

TEST(Overrides, RefusesBadValuesWithExactMessages) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"nomal: [1, 2]",
       "unknown distribution 'nomal'; did you mean 'normal'? (expected one of: normal, uniform, "
       "triangular, beta, lognormal)"},
      {"normal: 3", "normal parameters must be a list of numbers, for example 'normal: [1, 2]'"},
      {"normal: [1, x]", "normal parameter: 'x' is not a finite number"},
      {"normal: [1, [2]]", "normal parameters must be numbers"},
      {"normal: [1, 2e9]", "normal parameters must be between -1e9 and 1e9, got 2e9"},
      {"uniform: [3, 1]", "uniform low must be <= high, got [3, 1]"},
      {"{normal: [1, 2], uniform: [1, 2]}",
       "expected a number or a distribution such as 'normal: [2, 0.5]' or '{uniform: [1, 3]}', got "
       "'{normal: [1, 2], uniform: [1, 2]}'"},
      {"abc",
       "expected a number or a distribution such as 'normal: [2, 0.5]' or '{uniform: [1, 3]}', got "
       "'abc'"},
      {"normal: [1, 2, 3, 4, 5]",
       "normal parameters must be a list of numbers, for example 'normal: [1, 2]'"},
      {"[a]: [1]",
       "unknown distribution '' (expected one of: normal, uniform, triangular, beta, lognormal)"},
      {"1e12", "values must be between -1e9 and 1e9, got 1e12"},
      {"1x", "'1x' is not a finite number"},
      {"", "the value is empty; give a number or a distribution such as 'normal: [2, 0.5]'"},
      {"[1, 2",
       "expected a number or a distribution such as 'normal: [2, 0.5]' or '{uniform: [1, 3]}', got "
       "'[1, 2' (end of sequence flow not found)"},
      {"{[a]: [1]}",
       "unknown distribution '' (expected one of: normal, uniform, triangular, beta, lognormal)"},
      {"normal: [1, 1e400]", "normal parameter: '1e400' is not a finite number"},
  };
  for (const auto& [value, message] : cases) {
    EXPECT_THAT(ParseOverrideValue(value), StatusIs(StatusCode::kInvalidArgument, message))
        << value;
  }
  auto ok = ParseOverrideValue(" {triangular: [0, +1, 3]} ");
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->kind(), Distribution::Kind::kTriangular);
  EXPECT_EQ(ok->Mean(), 4.0 / 3.0);
  EXPECT_EQ(ParseOverrideValue("+2.5")->Mean(), 2.5);
}

// Common random numbers: sweeping one entry leaves every other table entry's
// per-sample values exactly as they were.
TEST(Overrides, OverridingAnEntryLeavesEveryOtherDrawInPlace) {
  const ScenarioSpec base = Load();
  const auto before = Tables(base, 200);
  struct Case {
    const char* name;
    Distribution value;
    int outcome, actor;  // the table entries allowed to change (-1: none besides)
  };
  const std::vector<Case> cases = {
      {"payoff.deal.a", Distribution::Constant(-4.0), 0, 0},  // a normal -> a constant
      {"payoff.deal.a", *Distribution::Make(Distribution::Kind::kUniform, {0, 1}), 0, 0},
      {"payoff.rest.a", *Distribution::Make(Distribution::Kind::kNormal, {0, 3}), 1, 0},
      {"payoff.deal.b", Distribution::Constant(9.0), 0, 1},  // a beta (rejection) -> constant
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    for (double scale : {1.0, 2.0}) {
      ScenarioSpec spec = base;
      ASSERT_THAT(ApplyOverride(spec, c.name, c.value), IsOk());
      if (scale != 1.0) {  // a second override of the same entry (a sweep's next point)
        ASSERT_THAT(ApplyOverride(spec, c.name, Distribution::Constant(scale)), IsOk());
      }
      const auto after = Tables(spec, 200);
      const auto changed = EntriesOf(spec, c.outcome, c.actor);
      ASSERT_FALSE(changed.empty());
      for (size_t s = 0; s < after.size(); ++s) {
        ASSERT_EQ(after[s].size(), before[s].size());
        for (size_t i = 0; i < after[s].size(); ++i) {
          if (std::find(changed.begin(), changed.end(), i) != changed.end()) continue;
          ASSERT_EQ(after[s][i], before[s][i]) << "sample " << s << " entry " << i;
        }
      }
    }
  }
}

TEST(Overrides, ConstantOverridesGiveTheValueAndParametersFlowThrough) {
  ScenarioSpec spec = Load();
  ASSERT_THAT(ApplyOverride(spec, "payoff.deal.a", 5.0), IsOk());
  ASSERT_THAT(ApplyOverride(spec, "param.cost", 2.0), IsOk());
  const auto tables = Tables(spec, 20);
  const auto deal_a = EntriesOf(spec, 0, 0);
  const auto rest_b = EntriesOf(spec, 1, 1);
  auto model = GameModel::Compile(spec);
  for (const auto& t : tables) {
    for (size_t i : deal_a) EXPECT_EQ(t[i], 5.0);
    // -cost, plus 0.5 where the modifier (a plays y) applies.
    for (size_t i : rest_b) EXPECT_TRUE(t[i] == -2.0 || t[i] == -1.5) << t[i];
  }
}

TEST(Overrides, ARandomOverrideDrawsItsOwnValues) {
  ScenarioSpec spec = Load();
  // rest.a is the constant 3 in the file: it drew nothing, so the uniform
  // override draws from its own substream, and varies between samples.
  ASSERT_THAT(ApplySetting(spec, "payoff.rest.a=uniform: [10, 20]"), IsOk());
  auto model = GameModel::Compile(spec);
  ASSERT_THAT(model, IsOk());
  // Profile (a: x, b: y) is `rest` without the modifier: the base payoff,
  // plus the positive lognormal effect when g holds.
  const size_t entry = static_cast<size_t>(model->class_of()[2]) * model->num_players();
  std::vector<double> seen;
  for (int i = 0; i < 50; ++i) {
    const auto t = model->SampleTable(7, i);
    seen.push_back(t[entry]);
    EXPECT_GE(t[entry], 10.0);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_LT(std::unique(seen.begin(), seen.end()) - seen.begin(), 51);
  EXPECT_GT(std::unique(seen.begin(), seen.end()) - seen.begin(), 40);
}

ScenarioSpec LoadWithModel(const std::string& simulation) {
  auto spec = LoadScenarioString(std::string(kScenario) + simulation, "crn.yaml");
  EXPECT_THAT(spec, IsOk());
  return *spec;
}

const ModelParameterSetting* FindSetting(const ScenarioSpec& spec, const std::string& name) {
  for (const auto& s : spec.simulation.model_parameters) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

TEST(Overrides, ListsTheModelParametersTheScenarioSetsLast) {
  EXPECT_EQ(ListSweepable(Load()).back().name, "effect.g.2");  // none set: none listed

  const ScenarioSpec spec =
      LoadWithModel("simulation: {model: {name: qre, lambda: 2.5, order: alternating}}\n");
  const std::vector<SweepableName> names = ListSweepable(spec);
  ASSERT_EQ(names.size(), 12u);
  const SweepableName& lambda = names[10];
  EXPECT_EQ(lambda.name, "model.lambda");
  EXPECT_EQ(lambda.kind, SweepableName::Kind::kModel);
  EXPECT_EQ(SweepableKindName(lambda.kind), "model");
  EXPECT_EQ(lambda.value, "2.5");
  EXPECT_EQ(lambda.mean, 2.5);
  EXPECT_EQ(lambda.note, "a parameter of model qre");
  EXPECT_EQ(lambda.loc.ToString(), "crn.yaml:23:41");
  EXPECT_FALSE(lambda.is_credence());
  EXPECT_EQ(names[11].name, "model.order");
  EXPECT_EQ(names[11].value, "alternating");
  EXPECT_TRUE(std::isnan(names[11].mean));  // a word has no mean
}

// A leading '+' is dropped before reading the number (the text itself was
// once read from a temporary: a dangling string_view that Clang flagged).
TEST(Overrides, AModelParameterWithALeadingPlusHasItsNumberAsMean) {
  const ScenarioSpec spec = LoadWithModel("simulation: {model: {name: qre, lambda: +2.75}}\n");
  auto lambda = FindSweepable(spec, "model.lambda");
  ASSERT_THAT(lambda, IsOk());
  EXPECT_EQ(lambda->value, "+2.75");
  EXPECT_EQ(lambda->mean, 2.75);
}

TEST(Overrides, FindsAnyModelParameterNameTheModelLayerChecksTheRest) {
  const ScenarioSpec spec = Load();
  auto k = FindSweepable(spec, "model.k");  // not set in the file
  ASSERT_THAT(k, IsOk());
  EXPECT_EQ(k->kind, SweepableName::Kind::kModel);
  EXPECT_EQ(k->value, "");
  EXPECT_TRUE(std::isnan(k->mean));
  EXPECT_EQ(k->note, "a parameter of model nash-pure");
  EXPECT_THAT(FindSweepable(spec, "model."),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("a model parameter is named model.PARAMETER, for example "
                                 "model.lambda")));
  EXPECT_THAT(FindSweepable(spec, "model.2"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FindSweepable(spec, "models.k"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(Overrides, SetReplacesOrAddsAModelParameterAsWritten) {
  ScenarioSpec spec = LoadWithModel("simulation: {model: {name: qre, lambda: 2}}\n");
  ASSERT_THAT(ApplySetting(spec, "model.lambda= 2.50 "), IsOk());
  ASSERT_THAT(ApplySetting(spec, "model.order=alternating"), IsOk());
  ASSERT_THAT(ApplySetting(spec, "model.k=+1e-3"), IsOk());
  const auto& settings = spec.simulation.model_parameters;
  ASSERT_EQ(settings.size(), 3u);
  EXPECT_EQ(settings[0].name, "lambda");
  EXPECT_EQ(settings[0].value, "2.50");           // replaced in place, kept as written
  EXPECT_EQ(settings[0].loc.ToString(), ":0:0");  // no longer the file's
  EXPECT_EQ(settings[1].name, "order");
  EXPECT_EQ(settings[1].value, "alternating");
  EXPECT_EQ(settings[2].value, "+1e-3");
  EXPECT_EQ(spec.simulation.model, "qre");  // the model itself is not touched
  // A set parameter is listed like one from the file.
  EXPECT_EQ(ListSweepable(spec).back().name, "model.k");
}

TEST(Overrides, ModelParametersAreNotSampled) {
  ScenarioSpec spec = LoadWithModel("simulation: {model: {name: qre, lambda: 2}}\n");
  EXPECT_THAT(ApplySetting(spec, "model.lambda=normal: [2, 0.5]"),
              StatusIs(StatusCode::kInvalidArgument,
                       "--set model.lambda=normal: [2, 0.5]: model parameters are not sampled: "
                       "give a single value such as 2.5 or alternating, not a distribution"));
  EXPECT_THAT(ApplySetting(spec, "model.lambda={uniform: [1, 3]}", "--with-model"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("--with-model model.lambda={uniform: [1, 3]}: model parameters "
                                 "are not sampled")));
  EXPECT_THAT(ApplySetting(spec, "model.lambda="),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("the value is empty")));
  EXPECT_THAT(ApplySetting(spec, "model.lambda=two words"),
              StatusIs(StatusCode::kInvalidArgument,
                       "--set model.lambda=two words: a model parameter takes a single number or "
                       "word such as 2.5 or alternating, got 'two words'"));
  EXPECT_THAT(
      ApplyOverride(spec, "model.lambda", *Distribution::Make(Distribution::Kind::kNormal, {2, 1})),
      StatusIs(StatusCode::kInvalidArgument,
               "model.lambda: model parameters are not sampled; give a single value, not a "
               "distribution"));
  EXPECT_THAT(ApplyOverride(spec, "model.lambda", std::nan("")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("finite")));
  // Nothing was changed by the refused values.
  ASSERT_EQ(spec.simulation.model_parameters.size(), 1u);
  EXPECT_EQ(spec.simulation.model_parameters[0].value, "2");
}

// Sweeps set model parameters as numbers: the text must read back as exactly
// the same double, or a sweep's point would not be the value it reports.
TEST(Overrides, NumericModelOverridesRoundTripExactly) {
  ScenarioSpec spec = Load();
  for (double x : {0.1, 1e-300, 2.0, -3.5, 1.0 / 3.0, 12345678.9, 5e-324, 1.7976931348623157e308,
                   0.30000000000000004}) {
    SCOPED_TRACE(x);
    ASSERT_THAT(ApplyOverride(spec, "model.lambda", x), IsOk());
    const ModelParameterSetting* s = FindSetting(spec, "lambda");
    ASSERT_NE(s, nullptr);
    double back = 0;
    const char* end = s->value.data() + s->value.size();
    const auto [ptr, ec] = std::from_chars(s->value.data(), end, back);
    ASSERT_EQ(ec, std::errc());
    EXPECT_EQ(ptr, end);
    EXPECT_EQ(back, x);
  }
  // The shortest such text, not 0.1000000000000000055 or %.10g's rounding.
  ASSERT_THAT(ApplyOverride(spec, "model.lambda", 0.1), IsOk());
  EXPECT_EQ(FindSetting(spec, "lambda")->value, "0.1");
  ASSERT_THAT(ApplyOverride(spec, "model.lambda", 1.0 / 3.0), IsOk());
  EXPECT_EQ(FindSetting(spec, "lambda")->value, "0.3333333333333333");
  ASSERT_THAT(ApplyOverride(spec, "model.lambda", 1e-300), IsOk());
  EXPECT_EQ(FindSetting(spec, "lambda")->value, "1e-300");
  ASSERT_THAT(ApplyOverride(spec, "model.lambda", 2.0), IsOk());
  EXPECT_EQ(FindSetting(spec, "lambda")->value, "2");
  // Model parameters take values beyond the +-1e9 of scenario numbers: the
  // model checks its own ranges.
  ASSERT_THAT(ApplyOverride(spec, "model.lambda", 1e12), IsOk());
  EXPECT_EQ(FindSetting(spec, "lambda")->value, "1e+12");
  EXPECT_EQ(spec.simulation.model_parameters.size(), 1u);
  // Other names keep their limit.
  EXPECT_THAT(ApplyOverride(spec, "payoff.deal.a", 1e12),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("1e9")));
}

TEST(Overrides, RoundsSettingsAreSweepableWithTheirRanges) {
  auto spec = LoadScenarioString(
      std::string(kScenario) + "rounds: {max: 4, continue: [rest], discount: {a: 0.9}}\n",
      "crn.yaml");
  ASSERT_THAT(spec, IsOk());
  const std::vector<SweepableName> names = ListSweepable(*spec);
  ASSERT_GE(names.size(), 5u);
  EXPECT_EQ(names[names.size() - 5].name, "rounds.max");
  EXPECT_EQ(names[names.size() - 5].kind, SweepableName::Kind::kRounds);
  EXPECT_EQ(names[names.size() - 5].mean, 4.0);
  EXPECT_EQ(names[names.size() - 4].name, "rounds.discount.a");
  EXPECT_EQ(names[names.size() - 4].mean, 0.9);
  EXPECT_EQ(names[names.size() - 2].name, "rounds.foresight");
  EXPECT_EQ(names[names.size() - 2].value, "myopic");
  EXPECT_EQ(names.back().name, "rounds.learning");
  EXPECT_EQ(names.back().value, "fresh");

  ScenarioSpec s = *spec;
  ASSERT_THAT(ApplySetting(s, "rounds.max=7"), IsOk());
  EXPECT_EQ(s.rounds->max_rounds, 7);
  ASSERT_THAT(ApplySetting(s, "rounds.discount.b=0.5"), IsOk());
  EXPECT_EQ(s.rounds->discount[1], 0.5);
  ASSERT_THAT(ApplySetting(s, "rounds.foresight=forward-looking"), IsOk());
  EXPECT_EQ(s.rounds->foresight, Foresight::kForwardLooking);
  ASSERT_THAT(ApplySetting(s, "rounds.learning=carried"), IsOk());
  EXPECT_EQ(s.rounds->learning, RoundsLearning::kCarried);
  EXPECT_THAT(ApplySetting(s, "rounds.learning=kept"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("fresh or carried, got 'kept'")));
  EXPECT_THAT(ApplySetting(s, "rounds.max=2.5"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("rounds.max is a whole number of rounds from 1 to 1000")));
  EXPECT_THAT(ApplySetting(s, "rounds.max=1001"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ApplySetting(s, "rounds.discount.a=0"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("in (0, 1]")));
  EXPECT_THAT(ApplySetting(s, "rounds.max=uniform: [1, 3]"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not sampled")));
  EXPECT_THAT(ApplySetting(s, "rounds.foresight=clairvoyant"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("myopic or forward-looking")));
  // A one-round scenario has none.
  ScenarioSpec plain = Load();
  EXPECT_THAT(ApplySetting(plain, "rounds.max=3"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("need a scenario with a `rounds`")));
}

}  // namespace
}  // namespace parley
