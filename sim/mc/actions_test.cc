// What each actor does (Accumulator option and profile counts, through
// RunMonteCarlo and SummarizeActions) on games with hand-computed answers.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/mc/test_scenarios.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

struct Ran {
  RunResult result;
  RunSummary summary;
};

Ran RunScenario(const std::string& text, const std::string& model_name, int64_t samples,
                int threads = 2, Selection selection = Selection::kUniform) {
  auto spec = LoadScenarioString(text, "t.yaml");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  EXPECT_TRUE(game.ok()) << game.status().message();
  auto model = MakeModel(model_name, selection);
  EXPECT_TRUE(model.ok());
  RunOptions options;
  options.samples = samples;
  options.seed = 11;
  options.threads = threads;
  auto result = RunMonteCarlo(*game, **model, options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  Ran ran{*result, Summarize(*spec, {}, result->totals, (*model)->pure(), &*game)};
  return ran;
}

// A 2x2 game with the given payoffs (row, column) for (a, a), (a, b), (b, a),
// (b, b); options a and b, each profile its own outcome.
std::string TwoByTwo(const std::string& name, const std::string& a, const std::string& b,
                     const std::string& aa, const std::string& ab, const std::string& ba,
                     const std::string& bb) {
  return "name: " + name + "\nactors:\n  - {id: row, options: [" + a + ", " + b +
         "]}\n  - {id: column, options: [" + a + ", " + b + "]}\noutcomes:\n" +  //
         "  - {id: " + a + a + ", when: {row: " + a + ", column: " + a + "}}\n" + "  - {id: " + a +
         b + ", when: {row: " + a + ", column: " + b + "}}\n" + "  - {id: " + b + a +
         ", when: {row: " + b + ", column: " + a + "}}\n" + "  - {id: " + b + b +
         ", when: {row: " + b + ", column: " + b + "}}\n" + "payoffs:\n  " + a + a + ": " + aa +
         "\n  " + a + b + ": " + ab + "\n  " + b + a + ": " + ba + "\n  " + b + b + ": " + bb +
         "\n";
}

const std::string kPrisonersDilemma =
    TwoByTwo("PD", "c", "d", "{row: 3, column: 3}", "{row: 0, column: 5}", "{row: 5, column: 0}",
             "{row: 1, column: 1}");
const std::string kMatchingPennies =
    TwoByTwo("MP", "h", "t", "{row: 1, column: -1}", "{row: -1, column: 1}", "{row: -1, column: 1}",
             "{row: 1, column: -1}");
const std::string kBattleOfTheSexes =
    TwoByTwo("BoS", "o", "f", "{row: 2, column: 1}", "{row: 0, column: 0}", "{row: 0, column: 0}",
             "{row: 1, column: 2}");

TEST(Actions, PrisonersDilemmaUnderNashPureDefectsAlways) {
  const Ran r = RunScenario(kPrisonersDilemma, "nash-pure", 1000);
  ASSERT_EQ(r.summary.actors.size(), 2u);
  for (const ActorActions& a : r.summary.actors) {
    ASSERT_EQ(a.options.size(), 2u);
    EXPECT_EQ(a.options[0].id, "c");
    EXPECT_EQ(a.options[0].share, 0.0);
    EXPECT_EQ(a.options[0].count, 0.0);
    EXPECT_EQ(a.options[1].id, "d");
    EXPECT_EQ(a.options[1].share, 1.0);
    EXPECT_EQ(a.options[1].count, 1000.0);
    EXPECT_EQ(a.options[1].ci95.high, 1.0);  // Wilson at 1000 of 1000
    EXPECT_NEAR(a.options[1].ci95.low, WilsonInterval(1000, 1000).low, 0.0);
    EXPECT_TRUE(a.stages.empty());
  }
  EXPECT_TRUE(r.summary.profiles_counted);
  EXPECT_EQ(r.summary.num_profiles, 4);
  EXPECT_EQ(r.summary.distinct_profiles, 1);
  ASSERT_EQ(r.summary.profiles.size(), 1u);
  EXPECT_EQ(r.summary.profiles[0].options, (std::vector<std::string>{"d", "d"}));
  EXPECT_EQ(r.summary.profiles[0].outcome, "dd");
  EXPECT_EQ(r.summary.profiles[0].share, 1.0);
  // Pure predictions count profiles only; options are read off them.
  EXPECT_EQ(r.result.totals.profile_counts, (std::vector<int64_t>{0, 0, 0, 1000}));
  EXPECT_EQ(r.result.totals.option_mass, (std::vector<double>{0, 0, 0, 0}));
}

TEST(Actions, MatchingPenniesUnderNashMixedIsHalfAndHalf) {
  const Ran r = RunScenario(kMatchingPennies, "nash-mixed", 500);
  for (const ActorActions& a : r.summary.actors) {
    for (const OptionShare& o : a.options) {
      EXPECT_DOUBLE_EQ(o.share, 0.5) << a.actor << " " << o.id;
      EXPECT_DOUBLE_EQ(o.count, 250.0);
      // Every sample plays it with probability 1/2: no spread.
      EXPECT_DOUBLE_EQ(o.ci95.low, 0.5);
      EXPECT_DOUBLE_EQ(o.ci95.high, 0.5);
    }
  }
  // Four profiles of 1/4 each (to rounding, which decides their order), each
  // with its own outcome.
  EXPECT_EQ(r.summary.distinct_profiles, 4);
  ASSERT_EQ(r.summary.profiles.size(), 4u);
  std::set<std::vector<std::string>> seen;
  for (const ProfileShare& p : r.summary.profiles) {
    EXPECT_DOUBLE_EQ(p.share, 0.25);
    EXPECT_EQ(p.outcome, p.options[0] + p.options[1]);
    seen.insert(p.options);
  }
  EXPECT_EQ(seen.size(), 4u);
}

TEST(Actions, BattleOfTheSexesWithUniformSelectionMatchesTheOutcomeCounts) {
  // Two pure equilibria, (o, o) and (f, f), picked at random: each actor
  // plays o exactly in the samples whose outcome is oo.
  const Ran r = RunScenario(kBattleOfTheSexes, "nash-pure", 4000);
  const double oo = r.summary.outcomes[0].count, ff = r.summary.outcomes[3].count;
  EXPECT_EQ(oo + ff, 4000.0);
  EXPECT_GT(oo, 1800.0);
  EXPECT_LT(oo, 2200.0);
  for (const ActorActions& a : r.summary.actors) {
    EXPECT_EQ(a.options[0].count, oo) << a.actor;
    EXPECT_EQ(a.options[1].count, ff) << a.actor;
    EXPECT_EQ(a.options[0].share, oo / 4000.0);
    const Interval wilson = WilsonInterval(static_cast<int64_t>(oo), 4000);
    EXPECT_EQ(a.options[0].ci95.low, wilson.low);
    EXPECT_EQ(a.options[0].ci95.high, wilson.high);
  }
  ASSERT_EQ(r.summary.profiles.size(), 2u);
  EXPECT_EQ(r.summary.profiles[0].count + r.summary.profiles[1].count, 4000.0);
  EXPECT_EQ(r.summary.profiles[0].count, std::max(oo, ff));
  EXPECT_EQ(r.summary.profiles[0].outcome, oo >= ff ? "oo" : "ff");
}

// Matching pennies except that the column player's mismatch (h, t) pays
// u ~ uniform[-2, 0]: when u < -1, (h, h) is a pure equilibrium (about half
// of the samples); otherwise there is none and the sample is unresolved.
TEST(Actions, SharesAreAmongTheResolvedSamples) {
  const std::string text =
      TwoByTwo("MP2", "h", "t", "{row: 1, column: -1}", "{row: -1, column: {uniform: [-2, 0]}}",
               "{row: -1, column: 1}", "{row: 1, column: -1}");
  const Ran r = RunScenario(text, "nash-pure", 4000);
  const int64_t resolved = r.summary.resolved_samples;
  EXPECT_GT(resolved, 1800);
  EXPECT_LT(resolved, 2200);
  for (const ActorActions& a : r.summary.actors) {
    EXPECT_EQ(a.options[0].share, 1.0) << a.actor;
    EXPECT_EQ(a.options[0].count, static_cast<double>(resolved));
    EXPECT_EQ(a.options[1].share, 0.0);
  }
  ASSERT_EQ(r.summary.profiles.size(), 1u);
  EXPECT_EQ(r.summary.profiles[0].share, 1.0);
  EXPECT_EQ(r.summary.profiles[0].count, static_cast<double>(resolved));

  // Nothing resolved: no shares (and no interval) at all.
  const Ran none = RunScenario(kMatchingPennies, "nash-pure", 200);
  EXPECT_EQ(none.summary.resolved_samples, 0);
  for (const ActorActions& a : none.summary.actors) {
    for (const OptionShare& o : a.options) {
      EXPECT_EQ(o.share, 0.0);
      EXPECT_EQ(o.ci95.high, 0.0);
    }
  }
  EXPECT_EQ(none.summary.distinct_profiles, 0);
  EXPECT_TRUE(none.summary.profiles.empty());
}

// 41 options for each of 3 actors: 68921 profiles, over the counted limit.
// Option o0 pays 1 more than any other whatever the others do.
TEST(Actions, LargeGamesCountOptionsButNotProfiles) {
  std::string options = "[o0";
  for (int k = 1; k < 41; ++k) options += ", o" + std::to_string(k);
  options += "]";
  const std::string text = "name: Large\nactors:\n  - {id: a, options: " + options +
                           "}\n  - {id: b, options: " + options +
                           "}\n  - {id: c, options: " + options +
                           "}\noutcomes:\n  - {id: any, otherwise: true}\n"
                           "payoffs:\n  any: {a: 0, b: 0, c: 0}\n"
                           "modifiers:\n"
                           "  - {when: {a: o0}, add: {a: {uniform: [1, 2]}}}\n"
                           "  - {when: {b: o0}, add: {b: 1}}\n"
                           "  - {when: {c: o0}, add: {c: 1}}\n";
  const Ran r = RunScenario(text, "nash-pure", 40);
  ASSERT_GT(68921, kMaxCountedProfiles);
  EXPECT_FALSE(r.summary.profiles_counted);
  EXPECT_EQ(r.summary.num_profiles, 68921);
  EXPECT_TRUE(r.summary.profiles.empty());
  EXPECT_TRUE(r.result.totals.profile_counts.empty());
  ASSERT_EQ(r.summary.actors.size(), 3u);
  for (const ActorActions& a : r.summary.actors) {
    ASSERT_EQ(a.options.size(), 41u);
    EXPECT_EQ(a.options[0].share, 1.0) << a.actor;
    EXPECT_EQ(a.options[0].count, 40.0);
    for (size_t k = 1; k < 41; ++k) EXPECT_EQ(a.options[k].count, 0.0);
  }
}

// The weather game: the walker stays home in the rain (probability beta(2,
// 6), mean 1/4) and goes out in the sun; the walker's stage is reached in
// every sample, so per sample stay + go = 1, and the share of stay is the
// mean rain probability.
TEST(Actions, SequentialOptionsAreWeightedByTheChanceOfReachingThem) {
  const Ran r = RunScenario(testing::WeatherScenario(), "spe", 20000);
  ASSERT_EQ(r.summary.actors.size(), 2u);
  const ActorActions& walker = r.summary.actors[0];
  ASSERT_EQ(walker.options.size(), 2u);
  EXPECT_EQ(walker.options[0].stage, "walker");
  EXPECT_EQ(walker.options[0].id, "stay");
  EXPECT_EQ(walker.options[1].id, "go");
  EXPECT_NEAR(walker.options[0].share + walker.options[1].share, 1.0, 1e-12);
  EXPECT_NEAR(walker.options[0].share, 0.25, 0.01);
  // The same as the outcome it leads to.
  EXPECT_NEAR(walker.options[0].share, r.summary.outcomes[1].probability, 1e-12);
  ASSERT_EQ(walker.stages.size(), 1u);
  EXPECT_NEAR(walker.stages[0].reached, 1.0, 1e-12);
  EXPECT_TRUE(r.summary.actors[1].options.empty());  // the city never moves
  EXPECT_TRUE(r.summary.profiles.empty());           // its paths are reported instead
}

TEST(Actions, IdenticalOnOneAndThreeThreads) {
  // A mixed model on a game with draws: every sum is of non-whole numbers.
  testing::ThresholdPayoffs payoffs;
  payoffs.yx_b = "{normal: [1, 0.5]}";
  const std::string text = testing::ThresholdScenario(payoffs);
  for (const char* model : {"qre", "nash-pure"}) {
    const Ran one = RunScenario(text, model, 3000, 1);
    const Ran three = RunScenario(text, model, 3000, 3);
    EXPECT_EQ(one.result.totals.option_mass, three.result.totals.option_mass) << model;
    EXPECT_EQ(one.result.totals.option_mass_squares, three.result.totals.option_mass_squares);
    EXPECT_EQ(one.result.totals.profile_mass, three.result.totals.profile_mass) << model;
    EXPECT_EQ(one.result.totals.profile_mass_squares, three.result.totals.profile_mass_squares);
    EXPECT_EQ(one.result.totals.profile_counts, three.result.totals.profile_counts) << model;
  }
}

}  // namespace
}  // namespace parley
