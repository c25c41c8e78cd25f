#include "sim/mc/runner.h"

#include <gtest/gtest.h>

#include "sim/mc/summary.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

// A game whose pure equilibrium depends on one uniform draw: the row player
// prefers x when d < 0.3, so P(outcome "xx") = 0.3 exactly.
constexpr const char* kThreshold = R"(name: Threshold
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
parameters:
  d: {uniform: [0, 1]}
outcomes:
  - {id: xx, when: {a: x, b: x}}
  - {id: yx, when: {a: y, b: x}}
  - {id: rest, otherwise: true}
payoffs:
  xx: {a: 0.3, b: 1}
  yx: {a: d, b: 1}
  rest: {a: -5, b: 0}
)";

RunResult RunIt(const char* text, int64_t samples, int threads, uint64_t seed = 7) {
  auto spec = LoadScenarioString(text, "t.yaml");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  EXPECT_TRUE(game.ok());
  auto model = ModelRegistry::Find("nash-pure");
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

}  // namespace
}  // namespace parley
