// Correlated arguments against closed forms computed here, independently of
// the implementation: the bivariate normal orthant probability (Plackett's
// integral), arcsine law, and exact conditioning under forcing.
#include "sim/scenario/copula.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "sim/core/status_matchers.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

using ::testing::HasSubstr;

// Phi and its inverse from std::erfc, by bisection (not Boost, which the
// implementation uses).
double Phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double PhiInverse(double p) {
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (Phi(mid) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}
// P(X < a, Y < b) for standard normals with correlation rho: Plackett's
// identity, d/dr Phi2 = phi2(a, b; r), integrated from 0 by Simpson's rule.
double Phi2(double a, double b, double rho) {
  auto density = [&](double r) {
    const double q = 1 - r * r;
    return std::exp(-(a * a - 2 * r * a * b + b * b) / (2 * q)) /
           (2 * std::numbers::pi * std::sqrt(q));
  };
  const int n = 20000;
  const double h = rho / n;
  double s = density(0) + density(rho);
  for (int i = 1; i < n; ++i) s += (i % 2 ? 4 : 2) * density(i * h);
  return Phi(a) * Phi(b) + s * h / 3;
}

// Two to four arguments with the given credences, and `extra` (factors or
// correlations) appended.
std::string Scenario(const std::vector<double>& credences, const std::string& extra) {
  std::string s = R"(name: T
actors:
  - {id: a, options: [x, y]}
outcomes:
  - {id: o, otherwise: true}
payoffs:
  o: {a: 0}
arguments:
)";
  const char* ids[] = {"alpha", "beta", "gamma", "delta"};
  for (size_t i = 0; i < credences.size(); ++i) {
    s += std::string("  - {id: ") + ids[i] +
         ", analyst: A, claim: C, credence: " + std::to_string(credences[i]) +
         ", effects: [{outcome: o, actor: a, add: {normal: [" + std::to_string(i + 1) +
         ", 1]}}]}\n";
  }
  return s + extra;
}

GameModel Compile(const std::string& text, std::vector<ArgumentMode> modes = {}) {
  auto spec = LoadScenarioString(text, "t.yaml");
  EXPECT_THAT(spec, IsOk());
  auto model = GameModel::Compile(*spec, {modes});
  EXPECT_THAT(model, IsOk());
  return std::move(*model);
}

// The holds of samples 0 .. n-1 of seed 7, n x arguments.
std::vector<uint8_t> Holds(const GameModel& m, int n, std::vector<double>* thetas = nullptr) {
  const int k = m.num_arguments();
  std::vector<uint8_t> holds(static_cast<size_t>(n) * k);
  std::vector<double> theta(m.num_draws());
  for (int i = 0; i < n; ++i) {
    SampleRng rng(7, i);
    m.DrawSample(rng, theta.data(), 1, holds.data() + i * k);
    if (thetas) thetas->insert(thetas->end(), theta.begin(), theta.end());
  }
  return holds;
}

// Within 4.5 standard errors of a proportion over n draws.
void ExpectProportion(double observed, double p, int n, const std::string& what) {
  EXPECT_NEAR(observed, p, 4.5 * std::sqrt(p * (1 - p) / n) + 1e-12) << what;
}

constexpr int kN = 200000;

// A gate's uniform becomes its latent one at a time (Latent) or a sample's
// at once (Latents, which DrawSample uses): the same bits, the clamps at 0
// and 1 included, and the inverse of Phi computed here.
TEST(Copula, LatentsOfASampleEqualItsLatentsOneByOne) {
  std::vector<double> u = {0.0, 1.0 - 0x1.0p-53, 0.5, 0.01, 0.3, 0.97, 0x1.0p-70};
  SampleRng rng(5, 0);
  for (int i = 0; i < 99; ++i) u.push_back(rng.Uniform());
  std::vector<double> z = u;
  HoldsCopula::Latents(z.data(), static_cast<int>(z.size()));
  for (size_t i = 0; i < u.size(); ++i) {
    ASSERT_EQ(z[i], HoldsCopula::Latent(u[i])) << u[i];
    EXPECT_TRUE(std::isfinite(z[i])) << u[i];
    if (u[i] > 1e-12 && u[i] < 1 - 1e-12) {
      EXPECT_NEAR(z[i], PhiInverse(u[i]), 1e-9) << u[i];
    }
  }
}

TEST(Copula, BothHoldWithArcsineProbability) {
  for (double rho : {-0.9, -0.4, 0.2, 0.7, 0.95}) {
    const GameModel m = Compile(Scenario(
        {0.5, 0.5},
        "correlations:\n  - {between: [alpha, beta], rho: " + std::to_string(rho) + "}\n"));
    const auto h = Holds(m, kN);
    int both = 0, first = 0, second = 0;
    for (int i = 0; i < kN; ++i) {
      both += h[2 * i] && h[2 * i + 1];
      first += h[2 * i];
      second += h[2 * i + 1];
    }
    const std::string what = "rho " + std::to_string(rho);
    ExpectProportion(double(both) / kN, 0.25 + std::asin(rho) / (2 * std::numbers::pi), kN, what);
    ExpectProportion(double(first) / kN, 0.5, kN, what);
    ExpectProportion(double(second) / kN, 0.5, kN, what);
  }
}

TEST(Copula, FactorModelMatchesBivariateNormal) {
  // Loadings 0.8, 0.6, -0.5 on one factor: correlations 0.48, -0.4, -0.3.
  const std::vector<double> c = {0.3, 0.6, 0.5};
  const GameModel m = Compile(Scenario(c, R"(factors:
  - id: moscow-tactical
    loadings: {alpha: 0.8, beta: 0.6, gamma: -0.5}
)"));
  const double lambda[] = {0.8, 0.6, -0.5};
  const auto h = Holds(m, kN);
  for (int i = 0; i < 3; ++i) {
    int holds = 0;
    for (int s = 0; s < kN; ++s) holds += h[3 * s + i];
    ExpectProportion(double(holds) / kN, c[i], kN, "marginal " + std::to_string(i));
    for (int j = i + 1; j < 3; ++j) {
      int both = 0;
      for (int s = 0; s < kN; ++s) both += h[3 * s + i] && h[3 * s + j];
      const double p = Phi2(PhiInverse(c[i]), PhiInverse(c[j]), lambda[i] * lambda[j]);
      ExpectProportion(double(both) / kN, p, kN, std::to_string(i) + "&" + std::to_string(j));
    }
  }
}

TEST(Copula, ArgumentsThatDoNotHoldHaveNoEffect) {
  const GameModel m = Compile(Scenario({0.4, 0.7}, R"(factors:
  - {id: f, loadings: {alpha: 0.9, beta: 0.9}}
)"));
  std::vector<double> thetas;
  const auto h = Holds(m, 2000, &thetas);
  for (int i = 0; i < 2000; ++i) {
    for (int g = 0; g < 2; ++g) EXPECT_EQ(thetas[2 * i + g] != 0.0, h[2 * i + g] != 0);
  }
}

TEST(Copula, PerfectCorrelationIsAccepted) {
  // A singular matrix: the two latents are equal, so the likelier argument
  // holds whenever the other does.
  const GameModel m =
      Compile(Scenario({0.3, 0.6}, "correlations:\n  - {between: [beta, alpha], rho: 1}\n"));
  const auto h = Holds(m, 20000);
  for (int i = 0; i < 20000; ++i) {
    if (h[2 * i]) {
      EXPECT_TRUE(h[2 * i + 1]);
    }
  }
}

TEST(Copula, ForcingOneConditionsTheOther) {
  for (double rho : {-0.6, 0.5}) {
    const std::string text =
        Scenario({0.5, 0.5},
                 "correlations:\n  - {between: [alpha, beta], rho: " + std::to_string(rho) + "}\n");
    const double shift = std::asin(rho) / std::numbers::pi;
    const GameModel on = Compile(text, {ArgumentMode::kForcedOn, ArgumentMode::kDrawn});
    const GameModel off = Compile(text, {ArgumentMode::kForcedOff, ArgumentMode::kDrawn});
    const GameModel free = Compile(text);
    const auto h_on = Holds(on, kN), h_off = Holds(off, kN), h = Holds(free, kN);
    int beta_on = 0, beta_off = 0;
    for (int i = 0; i < kN; ++i) {
      EXPECT_TRUE(h_on[2 * i]);
      EXPECT_FALSE(h_off[2 * i]);
      beta_on += h_on[2 * i + 1];
      beta_off += h_off[2 * i + 1];
      // A sample whose own draw agrees with the forcing is kept as it is.
      if (h[2 * i]) {
        EXPECT_EQ(h_on[2 * i + 1], h[2 * i + 1]);
      } else {
        EXPECT_EQ(h_off[2 * i + 1], h[2 * i + 1]);
      }
    }
    ExpectProportion(double(beta_on) / kN, 0.5 + shift, kN, "with alpha");
    ExpectProportion(double(beta_off) / kN, 0.5 - shift, kN, "without alpha");
  }
}

TEST(Copula, ForcingSeveralIsExactConditioning) {
  // P(delta | alpha on, beta off) against the same conditional frequency
  // among unforced samples; a sequential (GHK-style) draw would be biased.
  const std::string text = Scenario({0.5, 0.4, 0.5, 0.5}, R"(correlations:
  - {between: [alpha, beta], rho: 0.7}
  - {between: [alpha, delta], rho: 0.6}
  - {between: [beta, delta], rho: 0.6}
)");
  const GameModel forced = Compile(text, {ArgumentMode::kForcedOn, ArgumentMode::kForcedOff,
                                          ArgumentMode::kDrawn, ArgumentMode::kDrawn});
  const GameModel free = Compile(text);
  const int n = 400000;
  const auto hf = Holds(forced, kN), h = Holds(free, n);
  int event = 0, delta = 0, delta_forced = 0;
  for (int i = 0; i < n; ++i) {
    if (h[4 * i] && !h[4 * i + 1]) {
      ++event;
      delta += h[4 * i + 3];
    }
  }
  for (int i = 0; i < kN; ++i) delta_forced += hf[4 * i + 3];
  const double p = double(delta) / event, q = double(delta_forced) / kN;
  EXPECT_NEAR(q, p, 4.5 * std::sqrt(p * (1 - p) * (1.0 / event + 1.0 / kN)));
  // Its hold chance in the mean game is that conditional probability.
  EXPECT_NEAR(forced.copula().hold_probability(forced.copula().member_of(3)), p, 0.02);
}

TEST(Copula, ForcingOneRareArgumentIsExact) {
  // One forced argument is drawn directly, however unlikely: no rejection.
  const std::string text =
      Scenario({0.002, 0.3}, "correlations:\n  - {between: [alpha, beta], rho: 0.7}\n");
  const double both = Phi2(PhiInverse(0.002), PhiInverse(0.3), 0.7);
  const GameModel on = Compile(text, {ArgumentMode::kForcedOn, ArgumentMode::kDrawn});
  const GameModel off = Compile(text, {ArgumentMode::kForcedOff, ArgumentMode::kDrawn});
  const auto h_on = Holds(on, kN), h_off = Holds(off, kN);
  int beta_on = 0, beta_off = 0;
  for (int i = 0; i < kN; ++i) {
    beta_on += h_on[2 * i + 1];
    beta_off += h_off[2 * i + 1];
  }
  ExpectProportion(double(beta_on) / kN, both / 0.002, kN, "with alpha");
  ExpectProportion(double(beta_off) / kN, (0.3 - both) / 0.998, kN, "without alpha");
}

TEST(Copula, ImprobableForcingIsRefused) {
  auto spec = LoadScenarioString(
      Scenario({0.02, 0.98}, "correlations:\n  - {between: [alpha, beta], rho: 0.9}\n"), "t.yaml");
  ASSERT_THAT(spec, IsOk());
  auto model = GameModel::Compile(*spec, {{ArgumentMode::kForcedOn, ArgumentMode::kForcedOff}});
  EXPECT_THAT(model, StatusIs(StatusCode::kInvalidArgument,
                              HasSubstr("forcing --with alpha, --without beta")));
}

TEST(Copula, WithoutCorrelationsNothingChanges) {
  const GameModel m = Compile(Scenario({0.5, 0.5}, ""));
  EXPECT_TRUE(m.copula().empty());
  auto spec = LoadScenarioString(Scenario({0.5, 0.5}, ""), "t.yaml");
  EXPECT_FALSE(spec->correlated());
}

struct BadCase {
  std::string extra;
  std::string message;
};

TEST(Copula, LoaderRefusesBadSections) {
  const std::vector<BadCase> cases = {
      {"correlations:\n  - {between: [alpha, betta], rho: 0.5}\n",
       "t.yaml:13:23: error: `between`: the scenario has no argument 'betta'; did you mean "
       "'beta'?"},
      {"factors:\n  - {id: f, loadings: {alpah: 0.5}}\n",
       "t.yaml:13:24: error: `loadings` of factor f: the scenario has no argument 'alpah'; did "
       "you mean 'alpha'?"},
      {"correlations:\n  - {between: [alpha, beta], rho: 1.5}\n",
       "t.yaml:13:35: error: `rho` of alpha and beta is a correlation and must be in [-1, 1], got "
       "1.5"},
      {"factors:\n  - {id: f, loadings: {alpha: -1.2}}\n",
       "t.yaml:13:31: error: the loading of argument alpha on factor f is a correlation and must "
       "be in [-1, 1], got -1.2"},
      {"factors:\n  - {id: f, loadings: {alpha: 0.8, beta: 0.5}}\n  - {id: g, loadings: {alpha: "
       "0.7}}\n",
       "t.yaml:14:31: error: the loadings of argument alpha (f 0.8, g 0.7) have squares summing "
       "to 1.13, over 1"},
      {"correlations:\n  - {between: [alpha, alpha], rho: 0.5}\n", "names argument 'alpha' twice"},
      {"correlations:\n  - {between: [alpha, beta], rho: 0.5}\n  - {between: [beta, alpha], rho: "
       "0.2}\n",
       "t.yaml:14:15: error: the correlation of alpha and beta is given twice"},
      {"correlations:\n  - {between: [alpha, beta], rho: 0.9}\n  - {between: [alpha, gamma], rho: "
       "0.9}\n  - {between: [beta, gamma], rho: -0.9}\n",
       "t.yaml:15:35: error: the correlations of arguments alpha, beta and gamma cannot hold "
       "together: their correlation matrix is not positive semi-definite (smallest eigenvalue "
       "-0.8): alpha~beta 0.9 (`correlations`, t.yaml:13:35); alpha~gamma 0.9 (`correlations`, "
       "t.yaml:14:36); beta~gamma -0.9 (`correlations`, t.yaml:15:35)"},
  };
  for (const BadCase& c : cases) {
    auto spec = LoadScenarioString(Scenario({0.5, 0.5, 0.5}, c.extra), "t.yaml");
    EXPECT_THAT(spec, StatusIs(StatusCode::kInvalidArgument, HasSubstr(c.message))) << c.extra;
  }
}

TEST(Copula, FactorAndPairMakeOneMatrix) {
  // The factor gives alpha~beta 0.36; the pair replaces it with -0.2.
  auto spec = LoadScenarioString(Scenario({0.5, 0.5, 0.5}, R"(factors:
  - {id: f, loadings: {alpha: 0.6, beta: 0.6, gamma: 0.5}}
correlations:
  - {between: [beta, alpha], rho: -0.2}
)"),
                                 "t.yaml");
  ASSERT_THAT(spec, IsOk());
  auto copula = BuildArgumentCopula(*spec);
  ASSERT_THAT(copula, IsOk());
  ASSERT_EQ(copula->members, (std::vector<int>{0, 1, 2}));
  EXPECT_DOUBLE_EQ(copula->correlation(0, 1), -0.2);
  EXPECT_DOUBLE_EQ(copula->correlation(0, 2), 0.3);
  EXPECT_DOUBLE_EQ(copula->correlation(1, 2), 0.3);
  const Eigen::MatrixXd l = copula->factor;
  EXPECT_TRUE((l * l.transpose()).isApprox(copula->correlation, 1e-12));
}

}  // namespace
}  // namespace parley
