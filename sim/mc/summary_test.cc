#include "sim/mc/summary.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

TEST(Wilson, MatchesPublishedValues) {
  // Newcombe (1998), Table I: 81/263 -> [0.2553, 0.3662] (Wilson, no correction).
  Interval ci = WilsonInterval(81, 263);
  EXPECT_NEAR(ci.low, 0.2553, 5e-5);
  EXPECT_NEAR(ci.high, 0.3662, 5e-5);
  // 0/10 -> [0, 0.2775].
  ci = WilsonInterval(0, 10);
  EXPECT_EQ(ci.low, 0.0);
  EXPECT_NEAR(ci.high, 0.2775, 5e-5);
  // 10/10 -> [0.7225, 1].
  ci = WilsonInterval(10, 10);
  EXPECT_NEAR(ci.low, 0.7225, 5e-5);
  EXPECT_EQ(ci.high, 1.0);
  for (int64_t n : {1, 7, 1000, 123457}) {
    EXPECT_EQ(WilsonInterval(0, n).low, 0.0);
    EXPECT_EQ(WilsonInterval(n, n).high, 1.0);
  }
}

TEST(RunningStats, MergeEqualsSequential) {
  RunningStats all, left, right;
  for (int i = 0; i < 100; ++i) {
    const double x = (i * 37 % 101) / 7.0;
    all.Add(x);
    (i < 40 ? left : right).Add(x);
  }
  left.Merge(right);
  EXPECT_EQ(left.n, all.n);
  EXPECT_NEAR(left.mean, all.mean, 1e-12);
  EXPECT_NEAR(left.Variance(), all.Variance(), 1e-10);
}

}  // namespace
}  // namespace parley
