#include "sim/scenario/overrides.h"

#include <gtest/gtest.h>

#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

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
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  return *spec;
}

std::vector<std::vector<double>> Tables(const ScenarioSpec& spec, int n) {
  auto model = GameModel::Compile(spec);
  EXPECT_TRUE(model.ok()) << model.status().message();
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
  ASSERT_TRUE(rest_b.ok());
  EXPECT_EQ(rest_b->value, "-param.cost");
  EXPECT_DOUBLE_EQ(rest_b->mean, -1.0);
  EXPECT_EQ(rest_b->loc.line, 12);
  auto credence = FindSweepable(spec, "credence.g");
  ASSERT_TRUE(credence.ok());
  EXPECT_TRUE(credence->is_credence());
  EXPECT_DOUBLE_EQ(credence->mean, 0.5);
}

TEST(Overrides, UnknownNamesAndBadValuesAreRefusedClearly) {
  ScenarioSpec spec = Load();
  Status st = ApplySetting(spec, "payoff.deel.a=1");
  EXPECT_NE(st.message().find("did you mean 'payoff.deal.a'"), std::string::npos) << st.message();
  st = ApplySetting(spec, "credence.g=1.5");
  EXPECT_NE(st.message().find("[0, 1]"), std::string::npos) << st.message();
  st = ApplySetting(spec, "credence.g=normal: [0.5, 0.1]");
  EXPECT_NE(st.message().find("not a distribution"), std::string::npos) << st.message();
  st = ApplySetting(spec, "payoff.deal.a");
  EXPECT_NE(st.message().find("NAME=VALUE"), std::string::npos) << st.message();
  st = ApplySetting(spec, "payoff.deal.a=nomal: [1, 2]");
  EXPECT_NE(st.message().find("did you mean 'normal'"), std::string::npos) << st.message();
  st = ApplySetting(spec, "payoff.deal.a=uniform: [3, 1]");
  EXPECT_FALSE(st.ok());
  st = ApplySetting(spec, "payoff.deal.a=1e12");
  EXPECT_NE(st.message().find("1e9"), std::string::npos) << st.message();
  st = ApplySetting(spec, "payoff.deal.a=abc");
  EXPECT_FALSE(st.ok());
  st = ApplySetting(spec, "payoff.deal.a=[1, 2");
  EXPECT_FALSE(st.ok());
  st = ApplySetting(spec, "payoff.deal.a=" + std::string(100000, '['));
  EXPECT_NE(st.message().find("characters long"), std::string::npos);
  EXPECT_LT(st.message().size(), 300u);
  st = ApplySetting(spec, "payoff.deal.a=[[[[[[1]]]]]]");
  EXPECT_NE(st.message().find("6 deep"), std::string::npos) << st.message();
  EXPECT_TRUE(ApplySetting(spec, "payoff.deal.a={uniform: [1, 3]}").ok());
  EXPECT_TRUE(ApplySetting(spec, "param.cost=triangular: [0, 1, 3]").ok());
  EXPECT_EQ(spec.parameters[0].value.kind(), Distribution::Kind::kTriangular);
  EXPECT_TRUE(ApplySetting(spec, "credence.g=0.25").ok());
  EXPECT_DOUBLE_EQ(spec.arguments[0].credence, 0.25);
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
      ASSERT_TRUE(ApplyOverride(spec, c.name, c.value).ok());
      if (scale != 1.0) {  // a second override of the same entry (a sweep's next point)
        ASSERT_TRUE(ApplyOverride(spec, c.name, Distribution::Constant(scale)).ok());
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
  ASSERT_TRUE(ApplyOverride(spec, "payoff.deal.a", 5.0).ok());
  ASSERT_TRUE(ApplyOverride(spec, "param.cost", 2.0).ok());
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
  ASSERT_TRUE(ApplySetting(spec, "payoff.rest.a=uniform: [10, 20]").ok());
  auto model = GameModel::Compile(spec);
  ASSERT_TRUE(model.ok());
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

}  // namespace
}  // namespace parley
