#include "sim/mc/paired.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/mc/runner.h"
#include "sim/mc/test_scenarios.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

TEST(PairedDifference, HandComputed) {
  // Differences 1, 0, 1, 0: mean 1/2, sample variance 1/3.
  const std::vector<double> a = {0, 1, 0, 1}, b = {1, 1, 1, 1};
  const PairedDifference d = PairedDifferenceOf(a.data(), 1, b.data(), 1, 4);
  EXPECT_DOUBLE_EQ(d.difference, 0.5);
  const double half = kZ95 * std::sqrt(1.0 / 3.0 / 4.0);
  EXPECT_NEAR(d.ci95.low, 0.5 - half, 1e-15);
  EXPECT_NEAR(d.ci95.high, 0.5 + half, 1e-15);
  // Strides pick one slot of interleaved samples.
  const std::vector<double> a2 = {9, 0, 9, 1, 9, 0, 9, 1}, b2 = {1, 7, 1, 7, 1, 7, 1, 7};
  const PairedDifference d2 = PairedDifferenceOf(a2.data() + 1, 2, b2.data(), 2, 4);
  EXPECT_DOUBLE_EQ(d2.difference, 0.5);
  EXPECT_DOUBLE_EQ(d2.ci95.high, d.ci95.high);
}

TEST(PairedDifference, IdenticalRunsDifferByExactlyZero) {
  const std::vector<double> a = {0.25, 0.5, 1, 0};
  const PairedDifference d = PairedDifferenceOf(a.data(), 1, a.data(), 1, 4);
  EXPECT_EQ(d.difference, 0.0);
  EXPECT_EQ(d.ci95.low, 0.0);
  EXPECT_EQ(d.ci95.high, 0.0);
}

// Runs the Threshold scenario (P(xx) = the xx payoff of a, drawn against
// d ~ uniform[0, 1]) and keeps every sample's slots.
std::vector<double> SampleSlots(const std::string& xx_a, int64_t samples, int threads,
                                Accumulator* totals = nullptr) {
  testing::ThresholdPayoffs payoffs;
  payoffs.xx_a = xx_a;
  auto spec = LoadScenarioString(testing::ThresholdScenario(payoffs), "t.yaml");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  EXPECT_TRUE(game.ok());
  auto model = MakeModel("nash-pure");
  EXPECT_TRUE(model.ok());
  RunOptions options;
  options.samples = samples;
  options.seed = 11;
  options.threads = threads;
  std::vector<double> slots(static_cast<size_t>(samples) * 4, -1.0);
  RunControl control;
  control.sample_slots = slots.data();
  auto result = RunMonteCarlo(*game, **model, options, control);
  EXPECT_TRUE(result.ok());
  if (totals != nullptr) *totals = result->totals;
  return slots;
}

TEST(SampleSlots, EverySampleWrittenAndTheyAddUpToTheTotals) {
  Accumulator totals;
  const std::vector<double> slots = SampleSlots("0.3", 3000, 2, &totals);
  std::vector<double> sums(4, 0.0);
  for (int64_t i = 0; i < 3000; ++i) {
    double row = 0.0;
    for (int k = 0; k < 4; ++k) {
      EXPECT_GE(slots[i * 4 + k], 0.0) << "sample " << i << " not written";
      sums[k] += slots[i * 4 + k];
      row += slots[i * 4 + k];
    }
    EXPECT_EQ(row, 1.0);
  }
  for (int k = 0; k < 4; ++k) EXPECT_EQ(sums[k], totals.outcome_mass[k]);
}

TEST(SampleSlots, SameOnOneAndThreeThreads) {
  EXPECT_EQ(SampleSlots("0.3", 2000, 1), SampleSlots("0.3", 2000, 3));
}

TEST(PairedDifference, CommonRandomNumbersGiveTheExactShiftWithATightInterval) {
  // Raising a's xx payoff from 0.3 to 0.5 moves exactly the samples with
  // 0.3 < d < 0.5 from yx to xx: P(xx) rises by 0.2 in expectation, and the
  // paired difference equals the difference of the two runs' totals.
  const int64_t n = 20000;
  Accumulator ta, tb;
  const std::vector<double> a = SampleSlots("0.3", n, 2, &ta);
  const std::vector<double> b = SampleSlots("0.5", n, 2, &tb);
  const PairedDifference xx = PairedDifferenceOf(a.data(), 4, b.data(), 4, n);
  EXPECT_NEAR(xx.difference, (tb.outcome_mass[0] - ta.outcome_mass[0]) / n, 1e-12);
  EXPECT_LE(xx.ci95.low, 0.2);
  EXPECT_GE(xx.ci95.high, 0.2);
  // Every changed sample moves one way: the per-sample differences are 0 or
  // 1, so the interval is that of a proportion near 0.2, far tighter than
  // two independent runs' (sqrt(0.3 * 0.7 + 0.5 * 0.5) against 0.4).
  const double paired_half = (xx.ci95.high - xx.ci95.low) / 2;
  EXPECT_NEAR(paired_half, kZ95 * std::sqrt(0.2 * 0.8 / n), 0.002);
  EXPECT_LT(paired_half, kZ95 * std::sqrt((0.3 * 0.7 + 0.5 * 0.5) / n) * 0.7);
  const PairedDifference yx = PairedDifferenceOf(a.data() + 1, 4, b.data() + 1, 4, n);
  EXPECT_NEAR(yx.difference, -xx.difference, 1e-12);
}

}  // namespace
}  // namespace parley
