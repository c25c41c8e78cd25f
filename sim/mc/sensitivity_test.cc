#include "sim/mc/sensitivity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>

#include "sim/mc/qmc.h"

namespace parley {
namespace {

constexpr double kPi = std::numbers::pi;

// Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x uniform on [-pi, pi]^3.
BatchFunction Ishigami(double a = 7.0, double b = 0.1) {
  return [a, b](const double* u, const uint64_t*, int64_t count, double* out) {
    for (int64_t p = 0; p < count; ++p) {
      const double x1 = -kPi + 2 * kPi * u[3 * p], x2 = -kPi + 2 * kPi * u[3 * p + 1],
                   x3 = -kPi + 2 * kPi * u[3 * p + 2];
      out[p] =
          std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * x3 * x3 * x3 * x3 * std::sin(x1);
    }
  };
}

// The analytic indices, written from the variance decomposition rather than
// copied: V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8,
// V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13.
struct IshigamiTruth {
  double s1[3], st[3];
};
IshigamiTruth Truth(double a = 7.0, double b = 0.1) {
  const double pi4 = std::pow(kPi, 4);
  const double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5);
  const double v2 = a * a / 8;
  const double v13 = b * b * pi4 * pi4 * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

TEST(Sensitivity, IshigamiTruthMatchesThePublishedValues) {
  const IshigamiTruth t = Truth();
  EXPECT_NEAR(t.s1[0], 0.3139, 5e-5);
  EXPECT_NEAR(t.s1[1], 0.4424, 5e-5);
  EXPECT_NEAR(t.st[0], 0.5576, 5e-5);
  EXPECT_NEAR(t.st[1], 0.4424, 5e-5);
  EXPECT_NEAR(t.st[2], 0.2437, 5e-5);
}

// N = 2^14 base rows (81920 evaluations). Tolerance: the Saltelli/Jansen
// estimators have standard errors of about c / sqrt(N) with c <= 2 for
// Ishigami under plain Monte Carlo (Saltelli et al. 2010, fig. 1-2), i.e.
// <= 0.016 here; quasi-random rows only do better, so 0.03 (about 2 standard
// errors of the worst case) is generous yet fails for a wrong estimator (S1
// instead of ST is off by >= 0.24; a swapped A/B off by more than 0.1).
// The bootstrap intervals must contain the analytic value (with a margin
// of 0.005 for the bootstrap's own noise) and be narrow.
TEST(Sensitivity, IshigamiSobolIndices) {
  SensitivityOptions options;
  options.samples = 1 << 14;
  options.seed = 7;
  options.threads = 2;
  auto result = SobolIndices(3, 1, Ishigami(), options);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const IshigamiTruth t = Truth();
  const SobolOutput& out = result->outputs[0];
  EXPECT_EQ(result->run.evaluations, (1 << 14) * 5);
  EXPECT_EQ(out.rows_used, 1 << 14);
  // E f = a / 2, Var f = V (above).
  EXPECT_NEAR(out.mean, 3.5, 0.05);
  const double pi4 = std::pow(kPi, 4);
  EXPECT_NEAR(
      out.variance,
      0.5 * std::pow(1 + 0.1 * pi4 / 5, 2) + 49.0 / 8 + 0.01 * pi4 * pi4 * (1.0 / 18 - 0.02), 0.3);
  for (int i = 0; i < 3; ++i) {
    const SobolIndex& x = out.indices[i];
    EXPECT_NEAR(x.s1, t.s1[i], 0.03) << "S1 of x" << i + 1;
    EXPECT_NEAR(x.st, t.st[i], 0.03) << "ST of x" << i + 1;
    EXPECT_LE(x.s1_lo - 0.005, t.s1[i]) << i;
    EXPECT_GE(x.s1_hi + 0.005, t.s1[i]) << i;
    EXPECT_LE(x.st_lo - 0.005, t.st[i]) << i;
    EXPECT_GE(x.st_hi + 0.005, t.st[i]) << i;
    EXPECT_LT(x.s1_hi - x.s1_lo, 0.1) << i;
    EXPECT_LT(x.st_hi - x.st_lo, 0.1) << i;
    EXPECT_LE(x.s1_lo, x.s1);
    EXPECT_GE(x.s1_hi, x.s1);
  }
}

// The estimates converge: at 2^16 rows the errors shrink below 0.01.
TEST(Sensitivity, IshigamiConvergesWithSamples) {
  SensitivityOptions options;
  options.samples = 1 << 16;
  options.bootstrap = 0;
  auto result = SobolIndices(3, 1, Ishigami(), options);
  ASSERT_TRUE(result.ok());
  const IshigamiTruth t = Truth();
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(result->outputs[0].indices[i].s1, t.s1[i], 0.01) << i;
    EXPECT_NEAR(result->outputs[0].indices[i].st, t.st[i], 0.01) << i;
  }
}

// f = sum c_i x_i with independent uniforms: V_i = c_i^2 / 12, no
// interactions, so S1_i = ST_i = c_i^2 / sum c^2 exactly. Two outputs (the
// second with other weights) check that outputs do not mix.
TEST(Sensitivity, LinearAdditiveFunction) {
  const std::vector<std::vector<double>> c = {{1, 2, 3, 0}, {0, 0, 5, 1}};
  BatchFunction f = [&](const double* u, const uint64_t*, int64_t count, double* out) {
    for (int64_t p = 0; p < count; ++p) {
      for (int o = 0; o < 2; ++o) {
        double y = 10;
        for (int i = 0; i < 4; ++i) y += c[o][i] * u[4 * p + i];
        out[2 * p + o] = y;
      }
    }
  };
  SensitivityOptions options;
  options.samples = 4096;
  options.bootstrap = 200;
  auto result = SobolIndices(4, 2, f, options);
  ASSERT_TRUE(result.ok());
  for (int o = 0; o < 2; ++o) {
    double total = 0;
    for (double x : c[o]) total += x * x;
    EXPECT_NEAR(result->outputs[o].variance, total / 12, 0.01 * total / 12);
    for (int i = 0; i < 4; ++i) {
      const double want = c[o][i] * c[o][i] / total;
      // Linear f has tiny estimator variance: 0.01 at N = 4096.
      EXPECT_NEAR(result->outputs[o].indices[i].s1, want, 0.01) << o << " " << i;
      EXPECT_NEAR(result->outputs[o].indices[i].st, want, 0.01) << o << " " << i;
    }
    // An input with no effect has ST exactly 0 (f_A = f_ABi on every row).
    EXPECT_EQ(result->outputs[o].indices[o == 0 ? 3 : 0].st, 0.0);
  }
}

TEST(Sensitivity, ConstantAndUndefinedOutputs) {
  // Output 0 is constant (indices undefined), output 1 is NaN when u0 < 0.5
  // (those rows are left out), output 2 is u1.
  BatchFunction f = [](const double* u, const uint64_t*, int64_t count, double* out) {
    for (int64_t p = 0; p < count; ++p) {
      out[3 * p] = 4.0;
      out[3 * p + 1] = u[2 * p] < 0.5 ? std::nan("") : u[2 * p + 1];
      out[3 * p + 2] = u[2 * p + 1];
    }
  };
  SensitivityOptions options;
  options.samples = 2048;
  options.bootstrap = 100;
  auto result = SobolIndices(2, 3, f, options);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(std::isnan(result->outputs[0].indices[0].s1));
  EXPECT_TRUE(std::isnan(result->outputs[0].indices[1].st_hi));
  // A row needs u0 >= 0.5 in A, B, and (for A_B^1) in B's column: about 1/4.
  EXPECT_NEAR(static_cast<double>(result->outputs[1].rows_used) / 2048, 0.25, 0.03);
  EXPECT_NEAR(result->outputs[1].indices[1].st, 1.0, 0.05);
  EXPECT_NEAR(result->outputs[2].indices[1].s1, 1.0, 0.02);
  EXPECT_EQ(result->outputs[2].indices[0].st, 0.0);
}

TEST(Sensitivity, ResultsDoNotDependOnThreads) {
  SensitivityOptions options;
  options.samples = 3000;  // not a multiple of the batch
  options.bootstrap = 300;
  std::vector<SobolResult> sobol;
  std::vector<MorrisResult> morris;
  for (int threads : {1, 2, 8}) {
    options.threads = threads;
    sobol.push_back(*SobolIndices(3, 1, Ishigami(), options));
    morris.push_back(*MorrisEffects(3, 1, Ishigami(), options));
  }
  for (size_t r = 1; r < sobol.size(); ++r) {
    for (int i = 0; i < 3; ++i) {
      const SobolIndex &x = sobol[0].outputs[0].indices[i], &y = sobol[r].outputs[0].indices[i];
      EXPECT_EQ(x.s1, y.s1);
      EXPECT_EQ(x.st, y.st);
      EXPECT_EQ(x.s1_lo, y.s1_lo);
      EXPECT_EQ(x.st_hi, y.st_hi);
      const MorrisIndex &a = morris[0].outputs[0].indices[i], &b = morris[r].outputs[0].indices[i];
      EXPECT_EQ(a.mu, b.mu);
      EXPECT_EQ(a.mu_star, b.mu_star);
      EXPECT_EQ(a.sigma, b.sigma);
    }
  }
  // Another seed is another design.
  options.seed = 2;
  EXPECT_NE(SobolIndices(3, 1, Ishigami(), options)->outputs[0].indices[0].s1,
            sobol[0].outputs[0].indices[0].s1);
}

// The progress hook sees every evaluation exactly once, in batches, and
// watching does not change the result.
TEST(Sensitivity, ProgressCountsEveryEvaluation) {
  SensitivityOptions options;
  options.samples = 1000;
  options.bootstrap = 50;
  options.threads = 2;
  const SobolResult plain = *SobolIndices(3, 1, Ishigami(), options);
  std::mutex mutex;
  int64_t calls = 0, largest = 0, planned_seen = 0;
  options.progress = [&](int64_t done, int64_t planned) {
    std::lock_guard lock(mutex);
    ++calls;
    largest = std::max(largest, done);
    planned_seen = planned;
  };
  const SobolResult watched = *SobolIndices(3, 1, Ishigami(), options);
  EXPECT_EQ(planned_seen, 1000 * 5);  // N (k + 2)
  EXPECT_EQ(largest, 1000 * 5);
  EXPECT_GT(calls, 1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(watched.outputs[0].indices[i].s1, plain.outputs[0].indices[i].s1);
    EXPECT_EQ(watched.outputs[0].indices[i].st_hi, plain.outputs[0].indices[i].st_hi);
  }

  calls = largest = planned_seen = 0;
  options.samples = 40;
  const MorrisResult morris = *MorrisEffects(3, 1, Ishigami(), options);
  EXPECT_EQ(planned_seen, 40 * 4);  // r (k + 1)
  EXPECT_EQ(largest, 40 * 4);
  EXPECT_EQ(morris.run.evaluations, 40 * 4);
}

// f = 3 x0 - 2 x1 + 0 x2 + 4 x0 x3: elementary effects of a linear term are
// its coefficient exactly (mu = mu* = c, sigma = 0); x2 has no effect at
// all (mu* = 0); x0 and x3 interact, so their effects vary (sigma > 0) and
// average 3 + 4 E[x3] = 5 and 4 E[x0] = 2 over the symmetric grid.
TEST(Sensitivity, MorrisElementaryEffects) {
  BatchFunction f = [](const double* u, const uint64_t*, int64_t count, double* out) {
    for (int64_t p = 0; p < count; ++p) {
      const double* x = u + 4 * p;
      out[p] = 3 * x[0] - 2 * x[1] + 0 * x[2] + 4 * x[0] * x[3];
    }
  };
  SensitivityOptions options;
  options.samples = 400;
  auto result = MorrisEffects(4, 1, f, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->run.evaluations, 400 * 5);
  const auto& m = result->outputs[0].indices;
  EXPECT_NEAR(m[1].mu, -2, 1e-12);
  EXPECT_NEAR(m[1].mu_star, 2, 1e-12);
  EXPECT_NEAR(m[1].sigma, 0, 1e-12);
  EXPECT_EQ(m[2].mu_star, 0.0);
  EXPECT_EQ(m[2].sigma, 0.0);
  EXPECT_EQ(m[2].effects, 400);
  EXPECT_GT(m[0].sigma, 0.5);
  EXPECT_GT(m[3].sigma, 0.5);
  // Grid means of x are 1/2; with 400 trajectories the sample means are
  // within 4 * sd / sqrt(400) (sd of 4 x on the grid about 1.1).
  EXPECT_NEAR(m[0].mu, 5, 0.25);
  EXPECT_NEAR(m[3].mu, 2, 0.25);
  // Ranking: x0 > x3 > x1 > x2.
  EXPECT_GT(m[0].mu_star, m[3].mu_star);
  EXPECT_GT(m[3].mu_star, m[1].mu_star);
}

TEST(Sensitivity, MorrisOnIshigamiRanksX3AboveZeroDespiteNoFirstOrderEffect) {
  SensitivityOptions options;
  options.samples = 200;
  auto result = MorrisEffects(3, 1, Ishigami(), options);
  ASSERT_TRUE(result.ok());
  const auto& m = result->outputs[0].indices;
  // x3 acts only through its interaction with x1: mu* > 0, mu near 0.
  EXPECT_GT(m[2].mu_star, 1.0);
  EXPECT_GT(m[2].sigma, m[2].mu_star * 0.5);
}

TEST(Sensitivity, RejectsBadOptions) {
  SensitivityOptions options;
  options.samples = 1;
  EXPECT_FALSE(SobolIndices(3, 1, Ishigami(), options).ok());
  options.samples = 100;
  options.levels = 3;
  EXPECT_FALSE(MorrisEffects(3, 1, Ishigami(), options).ok());
  options.levels = 4;
  EXPECT_FALSE(SobolIndices(0, 1, Ishigami(), options).ok());
  EXPECT_FALSE(SobolIndices(2000, 1, Ishigami(), options).ok());
}

// Shifted Sobol points: in (0, 1); point n from seed(n) is the n-th point
// of the plain engine plus the shift; any 2^m consecutive points of the
// unshifted sequence starting at a multiple of 2^m (Boost index 2^m - 1, as
// it skips the origin) put exactly one point in each interval of width 2^-m
// of every coordinate, and a rotation keeps that.
TEST(ShiftedSobol, PointsAreRotatedSobolNets) {
  const int d = 5;
  auto qmc = ShiftedSobol::Make(d, 11, 0);
  ASSERT_TRUE(qmc.ok());
  const int m = 10, n = 1 << m;
  std::vector<double> x(static_cast<size_t>(n) * d);
  qmc->Points(n - 1, n, x.data());
  for (int j = 0; j < d; ++j) {
    std::vector<int> hits(n, 0);
    for (int p = 0; p < n; ++p) {
      const double u = x[p * d + j];
      ASSERT_GT(u, 0.0);
      ASSERT_LT(u, 1.0);
      ++hits[static_cast<int>(u * n)];
    }
    for (int c = 0; c < n; ++c) ASSERT_EQ(hits[c], 1) << "coordinate " << j << " cell " << c;
  }
  // seed(n) agrees with stepping the engine from the start.
  auto zero = ShiftedSobol::Make(d, 11, 0);
  std::vector<double> run(38 * d), one(d);
  zero->Points(0, 38, run.data());
  zero->Points(37, 1, one.data());
  EXPECT_EQ(one, std::vector<double>(run.end() - d, run.end()));
  // Other replicates are other shifts.
  auto other = ShiftedSobol::Make(d, 11, 1);
  std::vector<double> shifted(d);
  other->Points(37, 1, shifted.data());
  EXPECT_NE(one, shifted);
  // The shift is a rotation: differences between replicates are the same
  // for every point, modulo 1.
  std::vector<double> p2(d), q2(d);
  zero->Points(900, 1, p2.data());
  other->Points(900, 1, q2.data());
  for (int j = 0; j < d; ++j) {
    const double d1 = std::fmod(shifted[j] - one[j] + 1.0, 1.0);
    const double d2 = std::fmod(q2[j] - p2[j] + 1.0, 1.0);
    EXPECT_NEAR(std::min(std::abs(d1 - d2), 1 - std::abs(d1 - d2)), 0.0, 1e-12);
  }
  EXPECT_FALSE(ShiftedSobol::Make(4000, 1, 0).ok());
}

}  // namespace
}  // namespace parley
