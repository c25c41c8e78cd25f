#include "sim/mc/doctor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "sim/core/status_matchers.h"
#include "sim/game/normal_form.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/pure_nash.h"

namespace parley {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ScenarioSpec Load(const std::string& name) {
  auto spec = LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/tests/data/doctor/" + name);
  EXPECT_THAT(spec.status(), IsOk());
  return *spec;
}

DoctorResult Diagnosed(const ScenarioSpec& spec, int threads = 1, int64_t samples = 2000) {
  auto model = MakeModel(spec.simulation.model);
  EXPECT_THAT(model.status(), IsOk());
  DoctorOptions options;
  options.samples = samples;
  options.seed = spec.simulation.seed;
  options.threads = threads;
  auto result = Diagnose(spec, **model, options);
  EXPECT_THAT(result.status(), IsOk());
  return *result;
}

// (kind, element, line) of every finding, in order.
using Brief = std::tuple<std::string, std::string, int>;
std::vector<Brief> Briefly(const DoctorResult& r) {
  std::vector<Brief> out;
  for (const Finding& f : r.findings)
    out.emplace_back(FindingKindName(f.kind), f.element, f.loc.line);
  return out;
}

TEST(DoctorTest, CleanScenarioHasNoFindings) {
  const DoctorResult r = Diagnosed(Load("clean.yaml"));
  EXPECT_THAT(r.findings, IsEmpty());
  EXPECT_THAT(r.skipped, IsEmpty());
  EXPECT_EQ(r.unresolved_samples, 0);
}

TEST(DoctorTest, FindsShiftsThatDependOnlyOnTheOtherActor) {
  const DoctorResult r = Diagnosed(Load("inert.yaml"));
  EXPECT_THAT(
      Briefly(r),
      ElementsAre(Brief{"inert", "parameter unused", 12}, Brief{"inert", "parameter spill", 15},
                  Brief{"inert", "modifier 1", 30}, Brief{"inert", "argument others-only", 37},
                  Brief{"inert", "argument partly-inert effect 1", 48},
                  Brief{"inert", "argument through-parameter", 50}));
  EXPECT_THAT(r.findings[0].message, HasSubstr("enters no payoff"));
  EXPECT_THAT(r.findings[2].message, HasSubstr("cannot change any best response of b"));
  // The argument names its effects.
  EXPECT_THAT(r.findings[3].related, ElementsAre(HasSubstr("argument others-only effect 1 at ")));
  EXPECT_EQ(r.findings[3].loc.file,
            std::string(PARLEY_SOURCE_DIR) + "/tests/data/doctor/inert.yaml");
}

TEST(DoctorTest, TreeShiftsEqualBelowEveryDecisionAreInertAndImpossibleConditionsNeverApply) {
  const DoctorResult r = Diagnosed(Load("never-applies.yaml"));
  EXPECT_THAT(Briefly(r),
              ElementsAre(Brief{"inert", "argument fight-the-absent", 32},
                          Brief{"inert", "argument entry-pays-incumbent", 38},
                          Brief{"never-applies", "modifier 1", 25},
                          Brief{"never-applies", "argument fight-the-absent effect 1", 37}));
  EXPECT_THAT(r.findings[2].message, HasSubstr("matches no history"));
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_THAT(r.skipped[0], HasSubstr("normal-form scenarios only"));
}

TEST(DoctorTest, OutcomeThatEarlierOutcomesShadowNeverApplies) {
  const DoctorResult r = Diagnosed(Load("shadowed-outcome.yaml"));
  EXPECT_THAT(Briefly(r),
              ElementsAre(Brief{"inert", "argument reward-both-x", 21},
                          Brief{"never-applies", "outcome both_x", 12},
                          Brief{"never-applies", "argument reward-both-x effect 1", 26}));
}

TEST(DoctorTest, SeveralArgumentsShiftingOneQuantity) {
  const DoctorResult r = Diagnosed(Load("double-counting.yaml"));
  EXPECT_THAT(Briefly(r), ElementsAre(Brief{"double-counting", "argument first-say effect 1", 35},
                                      Brief{"double-counting", "argument cost-up effect 1", 53}));
  EXPECT_THAT(r.findings[0].message,
              HasSubstr("3 arguments lower a's payoff under outcome match_x"));
  EXPECT_THAT(r.findings[0].related,
              ElementsAre(HasSubstr("first-say effect 1"), HasSubstr("second-say effect 1"),
                          HasSubstr("third-say effect 1")));
  EXPECT_THAT(r.findings[1].message, HasSubstr("2 arguments raise parameter cost"));
}

// A shift that may go either way can restate a claim of either direction.
TEST(DoctorTest, AShiftOfEitherSignJoinsBothDirections) {
  const StatusOr<ScenarioSpec> spec = LoadScenarioString(R"(
name: Either sign
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
outcomes:
  - {id: match_x, when: {a: x, b: x}}
  - {id: other, otherwise: true}
payoffs:
  match_x: {a: 1, b: 1}
  other: {a: 0, b: 0}
arguments:
  - {id: up, analyst: T, claim: Up., credence: 0.5, effects: [{outcome: match_x, actor: a, add: 1}]}
  - {id: down, analyst: T, claim: Down., credence: 0.5, effects: [{outcome: match_x, actor: a, add: -1}]}
  - {id: either, analyst: T, claim: Either., credence: 0.5, effects: [{outcome: match_x, actor: a, add: {normal: [0, 1]}}]}
simulation: {samples: 200, seed: 1}
)",
                                                       "either.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const DoctorResult r = Diagnosed(*spec);
  ASSERT_THAT(Briefly(r), ElementsAre(Brief{"double-counting", "argument up effect 1", 13}));
  EXPECT_THAT(r.findings[0].message, HasSubstr("3 arguments shift a's payoff under outcome match_x"));
}

TEST(DoctorTest, DominatedOptionAndArgumentWithoutMeasurableEffect) {
  const DoctorResult r = Diagnosed(Load("dominated.yaml"));
  EXPECT_THAT(Briefly(r),
              ElementsAre(Brief{"no-measurable-effect", "argument z-slightly-better", 26},
                          Brief{"dominated", "actor a option z", 6}));
  // z pays at most -0.9 and x at least 1: dominated in every sample.
  EXPECT_EQ(r.findings[1].share, 1.0);
  EXPECT_THAT(r.findings[1].message,
              HasSubstr("strictly dominated in 100.0% of the samples (by x"));
  EXPECT_THAT(r.findings[0].message, HasSubstr("+0.00 points"));
}

TEST(DoctorTest, NamesTheBestResponseCycleBehindUnresolvedSamples) {
  const DoctorResult r = Diagnosed(Load("cycle.yaml"));
  // Unresolved exactly when b-gives-in does not hold: probability 0.7.
  const double share = r.unresolved_samples / 2000.0;
  EXPECT_NEAR(share, 0.7, 3 * std::sqrt(0.7 * 0.3 / 2000));
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.kind, FindingKind::kBestResponseCycle);
  EXPECT_EQ(f.share, 1.0);
  EXPECT_THAT(f.message,
              HasSubstr("a=heads b=heads -> b switches to tails -> a switches to tails -> b "
                        "switches to heads -> a switches to heads"));
  EXPECT_THAT(f.related, ElementsAre("a=heads b=heads", "a=heads b=tails", "a=tails b=tails",
                                     "a=tails b=heads", "a=heads b=heads"));
}

TEST(DoctorTest, ResultsDoNotDependOnThreads) {
  for (const char* name : {"cycle.yaml", "inert.yaml", "dominated.yaml"}) {
    const ScenarioSpec spec = Load(name);
    const DoctorResult one = Diagnosed(spec, 1, 3000), many = Diagnosed(spec, 4, 3000);
    ASSERT_EQ(one.findings.size(), many.findings.size()) << name;
    for (size_t i = 0; i < one.findings.size(); ++i) {
      EXPECT_EQ(one.findings[i].message, many.findings[i].message) << name;
      EXPECT_EQ(one.findings[i].share, many.findings[i].share) << name;
    }
    EXPECT_EQ(one.unresolved_samples, many.unresolved_samples) << name;
  }
}

// The inertness proof against brute force: with the shift of an element
// reported inert set to 0, every sampled game keeps its pure equilibria;
// with the shift of an element that matters set to 0, some game does not.
std::vector<std::vector<int64_t>> Equilibria(const ScenarioSpec& spec) {
  CompileOptions all_hold;
  all_hold.argument_modes.assign(spec.arguments.size(), ArgumentMode::kForcedOn);
  auto game = GameModel::Compile(spec, all_hold);
  EXPECT_THAT(game.status(), IsOk());
  std::vector<std::vector<int64_t>> out;
  PureNashScratch scratch;
  for (uint64_t i = 0; i < 300; ++i) {
    const NormalFormGame g = game->ToNormalForm(spec, game->SampleTable(7, i));
    out.emplace_back();
    FindPureEquilibria(g.view(), scratch, out.back());
  }
  return out;
}

TEST(DoctorTest, InertShiftsLeaveEveryEquilibriumAndOthersDoNot) {
  const ScenarioSpec spec = Load("inert.yaml");
  const auto base = Equilibria(spec);
  auto zero = [](ValueSpec& v) {
    v.parameter = -1;
    v.distribution = Distribution::Constant(0.0);
  };
  ScenarioSpec modifier = spec;  // modifier 1: inert
  zero(modifier.modifiers[0].add[0].second);
  EXPECT_EQ(Equilibria(modifier), base);
  ScenarioSpec others = spec;  // others-only: inert
  zero(others.arguments[0].effects[0].add);
  EXPECT_EQ(Equilibria(others), base);
  ScenarioSpec first = spec;  // partly-inert effect 1: inert
  zero(first.arguments[1].effects[0].add);
  EXPECT_EQ(Equilibria(first), base);
  ScenarioSpec second = spec;  // partly-inert effect 2: matters
  zero(second.arguments[1].effects[1].add);
  EXPECT_NE(Equilibria(second), base);
}

}  // namespace
}  // namespace parley
