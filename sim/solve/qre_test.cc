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
}

}  // namespace
}  // namespace parley
