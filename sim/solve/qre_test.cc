#include "sim/solve/qre.h"

#include <gtest/gtest.h>

#include "sim/core/rng.h"
#include "sim/game/test_games.h"

namespace parley {
namespace {

NormalFormGame RandomGame(uint64_t seed, std::vector<int> counts) {
  SampleRng rng(seed, 0);
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> strategies;
  int64_t profiles = 1;
  for (int k : counts) {
    names.push_back("p");
    strategies.emplace_back(k, "s");
    profiles *= k;
  }
  std::vector<double> payoffs(profiles * counts.size());
  for (double& x : payoffs) x = rng.Uniform() * 10;
  return *NormalFormGame::Make(names, strategies, payoffs);
}

TEST(LogitQre, LambdaZeroIsUniformPlay) {
  const NormalFormGame g = RandomGame(1, {3, 2, 4});
  auto r = LogitQre(g.view(), 0.0);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->profile.strategies[0].isApproxToConstant(1.0 / 3));
  EXPECT_TRUE(r->profile.strategies[1].isApproxToConstant(1.0 / 2));
  EXPECT_TRUE(r->profile.strategies[2].isApproxToConstant(1.0 / 4));
}

TEST(LogitQre, SolvesTheFixedPointAtEachLambda) {
  for (uint64_t seed = 0; seed < 10; ++seed) {
    const NormalFormGame g = RandomGame(seed, {3, 3, 3, 3});
    for (double lambda : {0.1, 1.0, 5.0}) {
      auto r = LogitQre(g.view(), lambda);
      ASSERT_TRUE(r.ok()) << r.status().message();
      EXPECT_DOUBLE_EQ(r->lambda, lambda);
      EXPECT_LE(QreResidual(g.view(), r->profile.strategies, lambda), 1e-8)
          << "seed " << seed << " lambda " << lambda;
    }
  }
}

// Players with different numbers of options (one with a single option), so
// that every pair's values are laid out differently: the corrector's Newton
// steps use them, and the independent QreResidual checks the fixed point.
TEST(LogitQre, SolvesTheFixedPointWithUnevenStrategyCounts) {
  const std::vector<std::vector<int>> shapes = {{2, 3, 4}, {4, 1, 3, 2}, {2, 3, 2, 2, 3}};
  for (const auto& shape : shapes) {
    for (uint64_t seed = 0; seed < 5; ++seed) {
      const NormalFormGame g = RandomGame(seed, shape);
      for (double lambda : {0.5, 3.0}) {
        auto r = LogitQre(g.view(), lambda);
        ASSERT_TRUE(r.ok()) << r.status().message();
        EXPECT_LE(QreResidual(g.view(), r->profile.strategies, lambda), 1e-8)
            << shape.size() << " players, seed " << seed << " lambda " << lambda;
      }
      auto lim = LogitLimit(g.view());
      ASSERT_TRUE(lim.ok()) << lim.status().message();
      EXPECT_TRUE(lim->converged) << lim->termination;
      EXPECT_LE(lim->profile.regret, 1e-9 * 11) << shape.size() << " players, seed " << seed;
    }
  }
}

// At a small lambda the logit response is a contraction, so plain
// fixed-point iteration from the centroid is an independent reference for
// the path follower's result.
TEST(LogitQre, MatchesFixedPointIterationAtSmallLambda) {
  const std::vector<std::vector<int>> shapes = {{3, 3, 3, 3}, {2, 3, 4}};
  for (const auto& shape : shapes) {
    for (uint64_t seed = 0; seed < 5; ++seed) {
      const NormalFormGame g = RandomGame(seed, shape);
      const double lambda = 0.05;
      MixedProfile reference;
      for (int k : shape) reference.push_back(Eigen::VectorXd::Constant(k, 1.0 / k));
      for (int it = 0; it < 200; ++it) {
        const std::vector<Eigen::VectorXd> u = StrategyValues(g.view(), reference);
        for (size_t p = 0; p < shape.size(); ++p) {
          const Eigen::ArrayXd w = (lambda * (u[p].array() - u[p].maxCoeff())).exp();
          reference[p] = (w / w.sum()).matrix();
        }
      }
      auto r = LogitQre(g.view(), lambda);
      ASSERT_TRUE(r.ok()) << r.status().message();
      for (size_t p = 0; p < shape.size(); ++p) {
        EXPECT_LE((r->profile.strategies[p] - reference[p]).lpNorm<Eigen::Infinity>(), 1e-9)
            << shape.size() << " players, seed " << seed << ", player " << p;
      }
    }
  }
}

TEST(LogitQre, MatchingPenniesQreIsUniformAtEveryLambda) {
  const NormalFormGame g = TwoByTwo({1, -1, -1, 1, -1, 1, 1, -1});
  auto r = LogitQre(g.view(), 7.0);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->profile.strategies[0](0), 0.5, 1e-10);
  EXPECT_NEAR(r->profile.strategies[1](0), 0.5, 1e-10);
}

TEST(LogitQre, AsymmetricMatchingPenniesHasTheClosedForm) {
  // Row gets 9 for (a, a): in the logit QRE the row player's mixture moves
  // towards a as lambda grows only slowly; check the fixed point directly
  // against a one-dimensional bisection oracle.
  const NormalFormGame g = TwoByTwo({9, -1, -1, 1, -1, 1, 1, -1});
  const double lambda = 2.0;
  auto r = LogitQre(g.view(), lambda);
  ASSERT_TRUE(r.ok());
  // Oracle: p = P(row a), q = P(col a). Row: u_a = 9q - (1-q), u_b = -q + (1-q).
  // Col: v_a = -p + (1-p), v_b = p - (1-p). q = logistic(lambda (v_a - v_b)),
  // p = logistic(lambda (u_a - u_b)); bisection on p.
  auto logistic = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  auto f = [&](double p) {
    const double q = logistic(lambda * ((1 - 2 * p) - (2 * p - 1)));
    return logistic(lambda * ((10 * q - 1) - (1 - 2 * q))) - p;
  };
  double lo = 0, hi = 1;
  for (int i = 0; i < 200; ++i) ((f(0.5 * (lo + hi)) > 0) ? lo : hi) = 0.5 * (lo + hi);
  EXPECT_NEAR(r->profile.strategies[0](0), 0.5 * (lo + hi), 1e-9);
}

TEST(LogitLimit, ApproachesANashEquilibrium) {
  // Prisoner's dilemma: the limit is mutual defection.
  const NormalFormGame pd = TwoByTwo({3, 3, 0, 5, 5, 0, 1, 1});
  auto r = LogitLimit(pd.view());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->termination.rfind("nash tolerance", 0), 0u) << r->termination;
  EXPECT_NEAR(r->profile.strategies[0](1), 1.0, 1e-6);
  EXPECT_NEAR(r->profile.strategies[1](1), 1.0, 1e-6);
  // Random 4-player 3-strategy games: the limit has (nearly) zero regret.
  for (uint64_t seed = 0; seed < 10; ++seed) {
    const NormalFormGame g = RandomGame(100 + seed, {3, 3, 3, 3});
    auto lim = LogitLimit(g.view());
    ASSERT_TRUE(lim.ok()) << lim.status().message();
    EXPECT_LE(lim->profile.regret, 1e-9 * 11) << "seed " << seed << " " << lim->termination;
  }
}

TEST(LogitLimit, BattleOfTheSexesSelectsAnEquilibriumOfTheGame) {
  const NormalFormGame g = TwoByTwo({2, 1, 0, 0, 0, 0, 1, 2});
  auto r = LogitLimit(g.view());
  ASSERT_TRUE(r.ok());
  EXPECT_LE(r->profile.regret, 1e-8);
}

TEST(LogitQre, RejectsBadLambda) {
  const NormalFormGame g = TwoByTwo({1, 1, 1, 1, 1, 1, 1, 1});
  EXPECT_FALSE(LogitQre(g.view(), -1).ok());
  EXPECT_FALSE(LogitQre(g.view(), std::numeric_limits<double>::infinity()).ok());
  EXPECT_FALSE(LogitQre(g.view(), std::numeric_limits<double>::quiet_NaN()).ok());
  // Beyond max_lambda double precision cannot resolve the profile.
  EXPECT_FALSE(LogitQre(g.view(), 2e12).ok());
}

double MaxAbsDifference(const MixedProfile& a, const MixedProfile& b) {
  double d = 0.0;
  for (size_t p = 0; p < a.size(); ++p) d = std::max(d, (a[p] - b[p]).lpNorm<Eigen::Infinity>());
  return d;
}

TEST(LogitQre, ReachesAVeryLargeLambda) {
  // Battle of the Sexes: the branch approaches the mixed equilibrium like
  // 1/lambda. The steps grow with the distance along the path, so lambda =
  // 1e9 is reached in a few hundred steps (not "max steps" near 3.7e5).
  const NormalFormGame g = TwoByTwo({2, 1, 0, 0, 0, 0, 1, 2});
  auto r = LogitQre(g.view(), 1e9);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->termination, "reached lambda");
  EXPECT_TRUE(r->converged);
  EXPECT_EQ(r->lambda, 1e9);
  EXPECT_LT(r->steps, 1000);
  EXPECT_NEAR(r->profile.strategies[0](0), 2.0 / 3.0, 1e-8);
  EXPECT_NEAR(r->profile.strategies[1](0), 1.0 / 3.0, 1e-8);
}

TEST(LogitQre, AStoppedPathSaysSoAndWhereItStopped) {
  const NormalFormGame g = RandomGame(3, {3, 3});
  QreOptions options;
  options.max_steps = 3;
  auto r = LogitQre(g.view(), 50.0, options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->termination, "max steps");
  EXPECT_FALSE(r->converged);
  EXPECT_LT(r->lambda, 50.0);
  // The profile is the QRE at the lambda reached, not at the one requested.
  EXPECT_LE(QreResidual(g.view(), r->profile.strategies, r->lambda), 1e-8);
  auto limit = LogitLimit(g.view(), options);
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(limit->termination, "max steps");
  EXPECT_FALSE(limit->converged);
}

// Stag Hunt (scenarios/classic/stag-hunt.yaml): the principal branch heads
// for (hare, hare), the risk-dominant equilibrium: at lambda = 10 stag has
// probability 2e-9. Polishing on the early support {stag, hare} used to
// return the mixed equilibrium (stag with probability 2/3) at lambda 2.1.
TEST(LogitLimit, StagHuntSelectsHareHare) {
  const NormalFormGame g = TwoByTwo({4, 4, 0, 3, 3, 0, 2, 2});
  auto qre = LogitQre(g.view(), 10.0);
  ASSERT_TRUE(qre.ok());
  EXPECT_LT(qre->profile.strategies[0](0), 1e-8);
  auto r = LogitLimit(g.view());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->converged) << r->termination;
  EXPECT_NEAR(r->profile.strategies[0](1), 1.0, 1e-6);
  EXPECT_NEAR(r->profile.strategies[1](1), 1.0, 1e-6);
  EXPECT_LE(r->profile.regret, 1e-9 * 5);
}

// A degenerate game (payoffs 0-3): against row's (0.4, 0.6) the column
// player's options 2, 3 and 4 all earn 1.8, and the path converges to column
// mixing 3 and 4 with option 2's probability falling only like 1 / lambda (4e-8
// at lambda 1e7). A support threshold that shrinks with lambda keeps option 2
// in, where Newton finds no nearby equilibrium; the fixed 1e-3 threshold
// leaves it out and finds an equilibrium next to the path point. (The path
// used to give up at max steps.) Against column's (0, 0, 1/2, 1/2) row is
// indifferent, so every row mixture with P(a) <= 0.4 is an equilibrium: the
// polish lands in that segment next to the path point, close to the end
// P(a) = 0.4 that the path approaches.
TEST(LogitLimit, DegenerateGameWithAnOptionTiedInTheLimit) {
  const NormalFormGame g =
      *NormalFormGame::Make({"row", "column"}, {{"a", "b"}, {"a", "b", "c", "d"}},
                            {3, 0, 1, 1, 1, 3, 2, 1, 2, 0, 1, 3, 0, 0, 1, 3});
  auto r = LogitLimit(g.view());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->converged) << r->termination << " at lambda " << r->lambda;
  EXPECT_LE(r->profile.regret, 1e-9 * 4);
  EXPECT_NEAR(r->profile.strategies[0](0), 0.4, 1e-4);
  EXPECT_NEAR(r->profile.strategies[1](2), 0.5, 1e-6);
  EXPECT_NEAR(r->profile.strategies[1](3), 0.5, 1e-6);
}

// The limit is the equilibrium the path converges to: it lies next to the
// last path point, and the QRE far out on the branch (lambda = 1e6, beyond
// every turning point of these games' branches) is next to it too. Random
// games with 2 to 3 players; among them 2x2 seed 8 (polished onto the mixed
// equilibrium at lambda 1.3 while the path goes to a pure one), 3x3 seed 18,
// and 3x3 seed 195 and 4x4 seeds 91 and 183, where the path used to jump
// branches near a turning point and fail ("step too small").
TEST(LogitLimit, IsTheEquilibriumThePathConvergesTo) {
  const std::vector<std::vector<int>> shapes = {{2, 2}, {3, 3}, {4, 4}, {2, 2, 2}, {3, 3, 3}};
  for (const auto& shape : shapes) {
    for (uint64_t seed = 0; seed < 200; ++seed) {
      if (shape.size() == 3 && seed >= 40) break;
      const NormalFormGame g = RandomGame(seed, shape);
      const std::string what = "shape " + std::to_string(shape[0]) + "^" +
                               std::to_string(shape.size()) + " seed " + std::to_string(seed);
      auto r = LogitLimit(g.view());
      ASSERT_TRUE(r.ok()) << what << ": " << r.status().message();
      EXPECT_TRUE(r->converged) << what << ": " << r->termination;
      EXPECT_LE(r->profile.regret, 1e-9 * 11) << what;
      EXPECT_LE(MaxAbsDifference(r->profile.strategies, r->path), 1e-2) << what;
      auto far = LogitQre(g.view(), 1e6);
      ASSERT_TRUE(far.ok()) << what << ": " << far.status().message();
      EXPECT_LE(MaxAbsDifference(r->profile.strategies, far->profile.strategies), 1e-3)
          << what << ": limit at lambda " << r->lambda << " (" << r->termination << ")";
    }
  }
}

}  // namespace
}  // namespace parley
