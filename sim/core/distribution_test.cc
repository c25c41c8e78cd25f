#include "sim/core/distribution.h"

#include <gtest/gtest.h>

#include <bit>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace parley {
namespace {

Distribution Make(Distribution::Kind k, std::vector<double> p) {
  auto d = Distribution::Make(k, p);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return *d;
}

struct MomentCase {
  const char* name;
  Distribution::Kind kind;
  std::vector<double> params;
  double mean;      // from theory, written out independently of Mean()
  double variance;  // from theory
};

class DistributionMoments : public ::testing::TestWithParam<MomentCase> {};

TEST_P(DistributionMoments, SampleMeanAndVarianceMatchTheory) {
  const MomentCase& c = GetParam();
  const Distribution d = Make(c.kind, c.params);
  EXPECT_NEAR(d.Mean(), c.mean, 1e-12);
  EXPECT_NEAR(d.Variance(), c.variance, 1e-12);

  const int n = 400000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    SampleRng rng(2025, i);
    const double x = d.Sample(rng);
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  const double var = sum2 / n - mean * mean;
  // Mean within 5 standard errors; variance within 5% (n is large).
  EXPECT_NEAR(mean, c.mean, 5 * std::sqrt(c.variance / n)) << c.name;
  EXPECT_NEAR(var, c.variance, 0.05 * c.variance) << c.name;
}

// Quantile inverts Cdf, and a midpoint rule over u of Quantile(u) gives the
// moments (E[X] = integral of Q(u) du): with n midpoints the rule's error is
// O(1/n^2) in the body plus the tails beyond 1/(2n), far below 1e-3 here.
TEST_P(DistributionMoments, QuantileInvertsCdfAndGivesTheMoments) {
  const MomentCase& c = GetParam();
  const Distribution d = Make(c.kind, c.params);
  for (double u : {1e-9, 1e-4, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 - 1e-4, 1 - 1e-9}) {
    const double x = d.Quantile(u);
    ASSERT_TRUE(std::isfinite(x)) << c.name << " u=" << u;
    EXPECT_GE(x, d.SupportMin());
    EXPECT_LE(x, d.SupportMax());
    EXPECT_NEAR(d.Cdf(x), u, 1e-9 + 1e-9 * u) << c.name << " u=" << u;
  }
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = d.Quantile((i + 0.5) / n);
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, c.mean, 1e-3 * (1 + std::abs(c.mean))) << c.name;
  EXPECT_NEAR(sum2 / n - mean * mean, c.variance, 2e-3 * c.variance) << c.name;
}

// Independent of Boost's CDFs: the share of Sample() draws at or below
// Quantile(u) is u, within 5 binomial standard errors.
TEST_P(DistributionMoments, QuantileAgreesWithTheSampler) {
  const MomentCase& c = GetParam();
  const Distribution d = Make(c.kind, c.params);
  const int n = 100000;
  std::vector<double> draws(n);
  for (int i = 0; i < n; ++i) {
    SampleRng rng(77, i);
    draws[i] = d.Sample(rng);
  }
  for (double u : {0.05, 0.3, 0.5, 0.8, 0.95}) {
    const double q = d.Quantile(u);
    double below = 0;
    for (double x : draws) below += x <= q;
    EXPECT_NEAR(below / n, u, 5 * std::sqrt(u * (1 - u) / n)) << c.name << " u=" << u;
  }
}

using K = Distribution::Kind;
INSTANTIATE_TEST_SUITE_P(
    AllFamilies, DistributionMoments,
    ::testing::Values(
        MomentCase{"normal", K::kNormal, {2, 0.5}, 2.0, 0.25},
        MomentCase{"uniform", K::kUniform, {1, 3}, 2.0, 4.0 / 12.0},
        MomentCase{"triangular", K::kTriangular, {0, 1, 3}, 4.0 / 3.0, (9.0 + 1.0 - 3.0) / 18.0},
        MomentCase{"beta", K::kBeta, {2, 5}, 2.0 / 7.0, 10.0 / (49.0 * 8.0)},
        MomentCase{"beta_small_shape", K::kBeta, {0.5, 0.5}, 0.5, 0.25 / 2.0},
        MomentCase{"beta_scaled", K::kBeta, {2, 2, -1, 3}, 1.0, 16.0 * 4.0 / (16.0 * 5.0)},
        MomentCase{"lognormal",
                   K::kLognormal,
                   {0, 0.5},
                   std::exp(0.125),
                   (std::exp(0.25) - 1.0) * std::exp(0.25)}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Distribution, RejectsImpossibleParameters) {
  EXPECT_FALSE(Distribution::Make(K::kNormal, {0, -1}).ok());
  EXPECT_FALSE(Distribution::Make(K::kUniform, {3, 1}).ok());
  EXPECT_FALSE(Distribution::Make(K::kTriangular, {0, 5, 3}).ok());
  EXPECT_FALSE(Distribution::Make(K::kBeta, {0, 1}).ok());
  EXPECT_FALSE(Distribution::Make(K::kBeta, {1, -2}).ok());
  EXPECT_FALSE(Distribution::Make(K::kBeta, {1, 1, 2, 2}).ok());
  EXPECT_FALSE(Distribution::Make(K::kLognormal, {0, -0.1}).ok());
  EXPECT_FALSE(Distribution::Make(K::kNormal, {0}).ok());
  EXPECT_FALSE(Distribution::Make(K::kNormal, {NAN, 1}).ok());
  EXPECT_FALSE(Distribution::Make(K::kUniform, {0, INFINITY}).ok());
}

TEST(Distribution, DegenerateParametersAreNotRandom) {
  EXPECT_FALSE(Make(K::kNormal, {1, 0}).is_random());
  EXPECT_FALSE(Make(K::kUniform, {2, 2}).is_random());
  EXPECT_TRUE(Make(K::kUniform, {2, 3}).is_random());
  SampleRng rng(1, 1);
  EXPECT_EQ(Make(K::kTriangular, {4, 4, 4}).Sample(rng), 4.0);
}

TEST(Distribution, SamplesStayInSupport) {
  const Distribution tri = Make(K::kTriangular, {-1, 0, 2});
  const Distribution beta = Make(K::kBeta, {0.3, 0.7, 1, 2});
  for (int i = 0; i < 20000; ++i) {
    SampleRng rng(5, i);
    const double t = tri.Sample(rng);
    ASSERT_GE(t, -1);
    ASSERT_LE(t, 2);
    const double b = beta.Sample(rng);
    ASSERT_GE(b, 1);
    ASSERT_LE(b, 2);
  }
}

TEST(Distribution, FixedUnitsMatchWhatSampleDraws) {
  for (const Distribution& d :
       {Distribution::Constant(2), Make(K::kUniform, {0, 1}), Make(K::kUniform, {1, 1}),
        Make(K::kTriangular, {0, 1, 2}), Make(K::kTriangular, {3, 3, 3})}) {
    ASSERT_GE(d.FixedUnits(), 0) << d.ToString();
    SampleRng sampled(8, 8), skipped(8, 8);
    d.Sample(sampled);
    skipped.Skip(d.FixedUnits());
    EXPECT_EQ(sampled.NextU64(), skipped.NextU64()) << d.ToString();
  }
  EXPECT_EQ(Make(K::kNormal, {0, 1}).FixedUnits(), -1);
  EXPECT_EQ(Make(K::kBeta, {2, 2}).FixedUnits(), -1);
}

TEST(Distribution, QuantileOfKnownPoints) {
  // Textbook values: z(0.975) = 1.959963984540054, the median of a
  // lognormal is exp(mu), Beta(2, 2)'s median is 1/2, a symmetric
  // triangular's median is its mode.
  EXPECT_NEAR(Make(K::kNormal, {0, 1}).Quantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(Make(K::kNormal, {3, 2}).Quantile(0.025), 3 - 2 * 1.959963984540054, 1e-13);
  EXPECT_NEAR(Make(K::kLognormal, {1, 0.7}).Quantile(0.5), std::exp(1.0), 1e-13);
  EXPECT_NEAR(Make(K::kBeta, {2, 2, -1, 3}).Quantile(0.5), 1.0, 1e-13);
  EXPECT_NEAR(Make(K::kTriangular, {0, 1, 2}).Quantile(0.5), 1.0, 1e-15);
  EXPECT_EQ(Make(K::kUniform, {2, 6}).Quantile(0.25), 3.0);
  EXPECT_EQ(Distribution::Constant(4).Quantile(0.3), 4.0);
  EXPECT_EQ(Make(K::kNormal, {5, 0}).Quantile(0.9), 5.0);
  // 0.5 * erfc(-z / sqrt 2) is the normal CDF without Boost.
  for (double z : {-3.0, -0.5, 0.0, 1.2, 2.5}) {
    EXPECT_NEAR(Make(K::kNormal, {0, 1}).Cdf(z), 0.5 * std::erfc(-z / std::sqrt(2.0)), 1e-15);
  }
}

// Every family at the edges of what Make accepts (tiny and huge shapes and
// scales, bounds a hair apart or 2e300 apart): every draw and quantile is a
// finite number in the support. Beta shapes near 0 used to draw 0 / 0 = NaN.
// The standard normal's quantile (Wichura's AS 241) and CDF are evaluated in
// double (they are on the sampling path); against Boost's long double
// evaluation they agree to a few units in the last place, from the far tails
// to the centre, in each of AS 241's three regions and across their borders.
TEST(Distribution, NormalQuantileAndCdfInDoubleAgreeWithLongDouble) {
  const Distribution n = Make(Distribution::Kind::kNormal, {0.0, 1.0});
  const boost::math::normal_distribution<long double> exact(0.0L, 1.0L);
  double worst = 0.0;
  for (double u : {0x1.0p-60, 1e-300, 1e-15, 1e-8, 1e-3, 0.01, 0.1, 0.25, 0.4, 0.49, 0.5, 0.51, 0.6,
                   0.75, 0.9, 0.99, 0.999, 1 - 1e-8, 1 - 0x1.0p-53}) {
    const double got = n.Quantile(u);
    const long double want = boost::math::quantile(exact, static_cast<long double>(u));
    if (want != 0)
      worst = std::max(worst, static_cast<double>(std::fabs((got - want) / want)));
    else
      EXPECT_EQ(got, 0.0);
  }
  for (int k = 1; k < 1000; ++k) {
    const double u = k / 1000.0;
    const long double want = boost::math::quantile(exact, static_cast<long double>(u));
    if (want != 0) {
      worst = std::max(worst, static_cast<double>(std::fabs((n.Quantile(u) - want) / want)));
    }
    const double z = -8.0 + 16.0 * k / 1000.0;
    const long double p = boost::math::cdf(exact, static_cast<long double>(z));
    EXPECT_NEAR(n.Cdf(z) / static_cast<double>(p), 1.0, 1e-14) << z;
  }
  // Both tails on a logarithmic grid, down to 2^-1074 and up to 1 - 2^-53
  // (AS 241's tail regions meet at u = e^-25, about 1.4e-11).
  for (int k = 1; k <= 1074; ++k) {
    for (double u :
         {std::ldexp(1.0, -k), std::ldexp(1.5, -k), 1.0 - std::ldexp(1.0, -std::min(k, 53))}) {
      if (!(u > 0.0 && u < 1.0)) continue;
      const long double want = boost::math::quantile(exact, static_cast<long double>(u));
      worst = std::max(worst, static_cast<double>(std::fabs((n.Quantile(u) - want) / want)));
    }
  }
  EXPECT_LT(worst, 4 * std::numeric_limits<double>::epsilon());
  // The borders of the domain.
  EXPECT_EQ(n.Quantile(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(n.Quantile(1.0), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(n.Quantile(std::numeric_limits<double>::quiet_NaN())));
}

// The batch quantile (two at a time in SSE2 registers) gives the scalar
// function's bits at every value, in place or not, whatever lane a value
// falls in and whatever region its neighbour is in: random values, the
// region borders (|u - 1/2| = 0.425 and the doubles beside them), the
// domain's ends, values outside it and NaN.
TEST(Distribution, BatchNormalQuantilesEqualTheScalarOnesBitForBit) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double tiny = std::numeric_limits<double>::denorm_min(), below_one = 1.0 - 0x1.0p-53;
  std::vector<double> u = {0.0,       1.0, -0.5,  2.0,   nan,   tiny,
                           below_one, 0.5, 0.075, 0.925, 1e-12, 0.3};
  for (double border : {0.075, 0.925}) {
    u.push_back(std::nextafter(border, 0.0));
    u.push_back(std::nextafter(border, 1.0));
  }
  SampleRng rng(11, 0);
  for (int i = 0; i < 5001; ++i) u.push_back(rng.Uniform());  // odd: the last one alone
  for (int shift = 0; shift < 2; ++shift) {                   // every value in both lanes
    const std::vector<double> in(u.begin() + shift, u.end());
    std::vector<double> out(in.size()), in_place = in;
    StandardNormalQuantiles(in.data(), out.data(), static_cast<int64_t>(in.size()));
    StandardNormalQuantiles(in_place.data(), in_place.data(), static_cast<int64_t>(in.size()));
    for (size_t i = 0; i < in.size(); ++i) {
      const uint64_t want = std::bit_cast<uint64_t>(StandardNormalQuantile(in[i]));
      ASSERT_EQ(std::bit_cast<uint64_t>(out[i]), want) << in[i];
      ASSERT_EQ(std::bit_cast<uint64_t>(in_place[i]), want) << in[i];
    }
  }
  // And the scalar function is normal(0, 1)'s quantile.
  const Distribution n = Make(Distribution::Kind::kNormal, {0.0, 1.0});
  for (size_t i = 5; i < u.size(); ++i) EXPECT_EQ(StandardNormalQuantile(u[i]), n.Quantile(u[i]));
}

TEST(Distribution, ExtremeParametersGiveFiniteValuesInTheSupport) {
  const double max = Distribution::kMaxParameter;
  const double tiny_shape = Distribution::kMinBetaShape;
  const double one_up = std::nextafter(1.0, 2.0);
  std::vector<std::pair<K, std::vector<double>>> cases = {
      {K::kNormal, {max, max}},         {K::kNormal, {-max, max}},
      {K::kNormal, {0, 1e-300}},        {K::kNormal, {1e9, 1e9}},
      {K::kUniform, {-max, max}},       {K::kUniform, {1, one_up}},
      {K::kUniform, {0, 5e-324}},       {K::kTriangular, {-max, -max, max}},
      {K::kTriangular, {-max, 0, max}}, {K::kTriangular, {-max, max, max}},
      {K::kTriangular, {1, 1, one_up}}, {K::kTriangular, {0, 1e-200, 2e-200}},
      {K::kLognormal, {50, 10}},        {K::kLognormal, {-max, 10}},
      {K::kLognormal, {0, 1e-300}},
  };
  const double huge_shape = Distribution::kMaxBetaShape;
  for (double a : {tiny_shape, 1e-9, 1e-3, 0.5, 1.0, 7.5, 1e6, huge_shape}) {
    for (double b : {tiny_shape, 1e-3, 1.0, huge_shape}) {
      cases.push_back({K::kBeta, {a, b}});
      cases.push_back({K::kBeta, {a, b, -max, max}});
      cases.push_back({K::kBeta, {a, b, 1, one_up}});
    }
  }
  for (const auto& [kind, params] : cases) {
    const Distribution d = Make(kind, params);
    SCOPED_TRACE(d.ToString());
    const double lo = d.SupportMin(), hi = d.SupportMax();
    for (int i = 0; i < 2000; ++i) {
      SampleRng rng(11, i);
      const double x = d.Sample(rng);
      ASSERT_TRUE(std::isfinite(x)) << d.ToString() << " sample " << i;
      ASSERT_GE(x, lo) << d.ToString() << " sample " << i;
      ASSERT_LE(x, hi) << d.ToString() << " sample " << i;
    }
    for (double u : {1e-300, 0x1p-54, 1e-9, 0.3, 0.5, 0.9, 1 - 0x1p-53}) {
      SCOPED_TRACE(u);
      const double q = d.Quantile(u);
      ASSERT_TRUE(std::isfinite(q)) << d.ToString() << " u=" << u;
      ASSERT_GE(q, lo) << d.ToString() << " u=" << u;
      ASSERT_LE(q, hi) << d.ToString() << " u=" << u;
      const double c = d.Cdf(q);
      ASSERT_TRUE(c >= 0.0 && c <= 1.0) << d.ToString() << " u=" << u << " cdf=" << c;
    }
  }
}

TEST(Distribution, RefusesParametersBeyondItsLimits) {
  EXPECT_FALSE(Distribution::Make(K::kBeta, {1e-301, 1}).ok());
  EXPECT_FALSE(Distribution::Make(K::kBeta, {1, 5e-324}).ok());
  EXPECT_FALSE(Distribution::Make(K::kUniform, {-1e301, 1}).ok());
  EXPECT_FALSE(Distribution::Make(K::kNormal, {0, 2e300}).ok());
  EXPECT_FALSE(Distribution::Make(K::kBeta, {1, 2e9}).ok());
  EXPECT_TRUE(Distribution::Make(K::kBeta, {1e-300, 1e9}).ok());
}

// Beta(a, a) for a near 0 puts half its mass near 0 and half near 1: the
// draws are (almost all) 0 or 1, each about half the time, and never NaN.
TEST(Distribution, TinyBetaShapesDrawZeroOrOneEvenly) {
  for (double a : {1e-9, 1e-3}) {
    const Distribution d = Make(K::kBeta, {a, a});
    const int n = 100000;
    int ones = 0, extremes = 0;
    double sum = 0;
    for (int i = 0; i < n; ++i) {
      SampleRng rng(3, i);
      const double x = d.Sample(rng);
      ASSERT_TRUE(x >= 0.0 && x <= 1.0) << a << " sample " << i << ": " << x;
      ones += x > 0.5;
      extremes += x < 1e-6 || x > 1 - 1e-6;
      sum += x;
    }
    EXPECT_NEAR(static_cast<double>(ones) / n, 0.5, 5 * std::sqrt(0.25 / n)) << a;
    EXPECT_NEAR(sum / n, d.Mean(), 5 * std::sqrt(d.Variance() / n)) << a;
    EXPECT_GT(extremes, 0.95 * n) << a;
  }
}

// The determinism promise: where the old arithmetic gave a finite draw, the
// draw is bit for bit what it was (x / (x + y) of two gamma draws; the
// triangular inverse CDF as one square root).
TEST(Distribution, DrawsOfOrdinaryParametersAreUnchanged) {
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{
           {2, 5}, {0.5, 0.5}, {0.3, 0.7}, {0.01, 2}, {1e-3, 1e-3}}) {
    const Distribution d = Make(K::kBeta, {a, b, -1, 3});
    for (int i = 0; i < 5000; ++i) {
      SampleRng r1(9, i), r2(9, i);
      const double x = SampleGamma(a, r2);
      const double y = SampleGamma(b, r2);
      const double old = -1 + 4 * (x / (x + y));
      const double now = d.Sample(r1);
      if (std::isfinite(old)) {
        ASSERT_EQ(std::bit_cast<uint64_t>(now), std::bit_cast<uint64_t>(old));
      }
      ASSERT_EQ(r1.NextU64(), r2.NextU64());  // the same units used
    }
  }
  const Distribution tri = Make(K::kTriangular, {-1, 0.5, 2});
  for (int i = 0; i < 5000; ++i) {
    SampleRng r1(4, i), r2(4, i);
    const double u = r2.Uniform();
    const double old = u < 0.5 ? -1 + std::sqrt(u * 3 * 1.5) : 2 - std::sqrt((1 - u) * 3 * 1.5);
    ASSERT_EQ(std::bit_cast<uint64_t>(tri.Sample(r1)), std::bit_cast<uint64_t>(old));
  }
}

TEST(Distribution, ToStringNamesFamilyAndParameters) {
  EXPECT_EQ(Make(K::kNormal, {2, 0.5}).ToString(), "normal(2, 0.5)");
  EXPECT_EQ(Distribution::Constant(-1).ToString(), "-1");
}

}  // namespace
}  // namespace parley
