#include "sim/mc/fit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "sim/core/status_matchers.h"

namespace parley {
namespace {

// chi2(1, 0.95) / 2, from the 95% normal quantile 1.959964: 1.96^2 / 2.
constexpr double kCut = 1.959963984540054 * 1.959963984540054 / 2.0;

// Where f, increasing on [a, b], crosses 0: plain bisection, independent of
// the code under test.
template <typename F>
double Bisect(F f, double a, double b) {
  for (int i = 0; i < 200; ++i) {
    const double m = (a + b) / 2;
    (f(m) < 0 ? a : b) = m;
  }
  return (a + b) / 2;
}

// A binomial likelihood: its maximum is k/n, and the profile interval's
// ends solve ll(p) = ll(k/n) - 1.92.
TEST(ProfileLikelihoodTest, BinomialProportion) {
  const double k = 30, n = 100;
  auto ll = [&](double p) { return k * std::log(p) + (n - k) * std::log(1 - p); };
  ProfileLikelihoodOptions options;
  options.low = 0.001;
  options.high = 0.999;
  const auto fit = MaximizeProfileLikelihood([&](double p) -> StatusOr<double> { return ll(p); },
                                             options);
  ASSERT_THAT(fit, IsOk());
  EXPECT_NEAR(fit->estimate, 0.3, 1e-7);
  EXPECT_NEAR(fit->log_likelihood, ll(0.3), 1e-9);
  EXPECT_NEAR(fit->threshold, kCut, 1e-9);
  const double top = ll(0.3) - kCut;
  const double lo = Bisect([&](double p) { return ll(p) - top; }, 0.001, 0.3);
  const double hi = Bisect([&](double p) { return top - ll(p); }, 0.3, 0.999);
  EXPECT_NEAR(fit->ci_low, lo, 1e-8);
  EXPECT_NEAR(fit->ci_high, hi, 1e-8);
  EXPECT_FALSE(fit->ci_low_open);
  EXPECT_FALSE(fit->ci_high_open);
  EXPECT_FALSE(fit->estimate_at_range_end);
  // Every value was evaluated once, and they are listed in order.
  for (size_t i = 1; i < fit->evaluations.size(); ++i) {
    EXPECT_LT(fit->evaluations[i - 1].value, fit->evaluations[i].value);
  }
}

TEST(ProfileLikelihoodTest, WholeNumbers) {
  ProfileLikelihoodOptions options;
  options.low = 0;
  options.high = 20;
  options.integer = true;
  const auto fit = MaximizeProfileLikelihood(
      [](double k) -> StatusOr<double> { return -(k - 7) * (k - 7) / 2; }, options);
  ASSERT_THAT(fit, IsOk());
  EXPECT_EQ(fit->estimate, 7);
  EXPECT_EQ(fit->ci_low, 6);  // (k - 7)^2 / 2 <= 1.92: |k - 7| <= 1.96
  EXPECT_EQ(fit->ci_high, 8);
  EXPECT_EQ(fit->evaluations.size(), 21u);
}

// A maximum at the end of the range, and an interval that runs into it.
TEST(ProfileLikelihoodTest, OpenEnds) {
  ProfileLikelihoodOptions options;
  options.low = 0;
  options.high = 10;
  const auto fit =
      MaximizeProfileLikelihood([](double v) -> StatusOr<double> { return -v; }, options);
  ASSERT_THAT(fit, IsOk());
  EXPECT_NEAR(fit->estimate, 0, 1e-6);
  EXPECT_TRUE(fit->estimate_at_range_end);
  EXPECT_TRUE(fit->ci_low_open);
  EXPECT_EQ(fit->ci_low, 0);
  EXPECT_FALSE(fit->ci_high_open);
  EXPECT_NEAR(fit->ci_high, fit->estimate + kCut, 1e-7);
}

TEST(ProfileLikelihoodTest, TheFirstErrorEndsTheSearch) {
  ProfileLikelihoodOptions options;
  options.low = 0;
  options.high = 10;
  int calls_after = 0;
  const auto fit = MaximizeProfileLikelihood(
      [&](double v) -> StatusOr<double> {
        if (v > 5) {
          ++calls_after;
          return InvalidArgument("no value above 5");
        }
        return -v;
      },
      options);
  EXPECT_THAT(fit, StatusIs(StatusCode::kInvalidArgument, "no value above 5"));
  EXPECT_EQ(calls_after, 1);
  EXPECT_THAT(MaximizeProfileLikelihood([](double) -> StatusOr<double> { return 0.0; },
                                        ProfileLikelihoodOptions{1, 1, false, 41}),
              StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace parley
