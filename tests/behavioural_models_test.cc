// The behavioural and learning models (level-k, cognitive-hierarchy,
// fictitious-play, replicator) against answers worked out by hand or known
// from the literature: level-k choices in a two-player beauty contest,
// iterated dominance reached at the right depth, Poisson cognitive-hierarchy
// mixtures with the weights computed here, fictitious play converging in
// matching pennies and in a dominance-solvable game but not in Shapley's
// game, and replicator dynamics selecting the equilibrium whose basin holds
// the uniform point, eliminating a dominated strategy, and orbiting in a
// zero-sum game with its conserved quantity kept. The shared checks every
// model passes are in model_conformance_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/status_matchers.h"
#include "sim/game/normal_form.h"
#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/model/model.h"
#include "sim/report/report.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/mixed.h"

namespace parley {
namespace {

using ::testing::HasSubstr;

// A two-player game from the row player's and the column player's payoff
// matrices, a[r][c] and b[r][c].
NormalFormGame Bimatrix2(const std::vector<std::vector<double>>& a,
                         const std::vector<std::vector<double>>& b) {
  const size_t rows = a.size(), cols = a[0].size();
  std::vector<std::string> rs, cs;
  for (size_t r = 0; r < rows; ++r) rs.push_back("r" + std::to_string(r));
  for (size_t c = 0; c < cols; ++c) cs.push_back("c" + std::to_string(c));
  std::vector<double> payoffs;  // the row player's strategy varies fastest
  for (size_t c = 0; c < cols; ++c) {
    for (size_t r = 0; r < rows; ++r) {
      payoffs.push_back(a[r][c]);
      payoffs.push_back(b[r][c]);
    }
  }
  return *NormalFormGame::Make({"row", "column"}, {rs, cs}, payoffs);
}

std::unique_ptr<Model> Make(const std::string& name, std::vector<ParameterSetting> settings = {},
                            std::vector<int> anchors = {}) {
  ModelRequest request{name, std::move(settings), Selection::kUniform, std::move(anchors)};
  auto model = ModelRegistry::Make(request);
  EXPECT_THAT(model, IsOk());
  return std::move(*model);
}

// The prediction as one probability vector per player (pure or mixed).
MixedProfile Predict(const Model& model, const NormalFormGame& game, bool* converged = nullptr) {
  auto scratch = model.NewScratch();
  SampleRng rng(1, 0, RngStream::kModel);
  Prediction out;
  model.Predict(game.view(), rng, *scratch, out);
  if (converged != nullptr) *converged = out.converged;
  if (out.mixed) return out.strategies;
  MixedProfile profile;
  for (int p = 0; p < game.space.num_players(); ++p) {
    Eigen::VectorXd v = Eigen::VectorXd::Zero(game.space.num_strategies(p));
    v(game.space.StrategyOf(out.profile, p)) = 1.0;
    profile.push_back(v);
  }
  return profile;
}

void ExpectMix(const Eigen::VectorXd& got, const std::vector<double>& want, double tolerance,
               const std::string& where) {
  ASSERT_EQ(static_cast<size_t>(got.size()), want.size()) << where;
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_NEAR(got(static_cast<Eigen::Index>(k)), want[k], tolerance) << where << " entry " << k;
  }
}

// ---------------------------------------------------------------- level-k

// A two-player beauty contest: each picks x in {0, 10, ..., 100} and gets
// -|x - (2/3) (x + y) / 2| = -|2x - y| / 3. By hand: level 0 is uniform
// (median 50), so level 1 wants 2x as close to 50 as the grid allows: 20
// and 30 tie (|40 - y| and |60 - y| sum alike over the symmetric grid) and
// split evenly. Level 2 best-responds to {20, 30}: any 2x in [20, 30], so
// x = 10. Level 3 to 10: 2x = 10 is between 0 and 10 (a tie). Level 4 to
// {0, 10}: x = 0, the equilibrium, where every higher level stays.
NormalFormGame BeautyContest() {
  std::vector<std::vector<double>> a(11, std::vector<double>(11)), b = a;
  for (int r = 0; r < 11; ++r) {
    for (int c = 0; c < 11; ++c) {
      a[r][c] = -std::abs(2.0 * 10 * r - 10 * c) / 3.0;
      b[r][c] = -std::abs(2.0 * 10 * c - 10 * r) / 3.0;
    }
  }
  return Bimatrix2(a, b);
}

std::vector<double> OnGrid(std::vector<std::pair<int, double>> mass) {
  std::vector<double> v(11, 0.0);
  for (auto [value, p] : mass) v[value / 10] = p;
  return v;
}

TEST(LevelK, BeautyContestLevelsByHand) {
  const NormalFormGame game = BeautyContest();
  const std::vector<std::vector<double>> expected = {std::vector<double>(11, 1.0 / 11),
                                                     OnGrid({{20, 0.5}, {30, 0.5}}),
                                                     OnGrid({{10, 1.0}}),
                                                     OnGrid({{0, 0.5}, {10, 0.5}}),
                                                     OnGrid({{0, 1.0}}),
                                                     OnGrid({{0, 1.0}})};
  for (size_t k = 0; k < expected.size(); ++k) {
    const MixedProfile p = Predict(*Make("level-k", {{"k", std::to_string(k), "test"}}), game);
    ExpectMix(p[0], expected[k], 1e-12, "row at level " + std::to_string(k));
    ExpectMix(p[1], expected[k], 1e-12, "column at level " + std::to_string(k));
  }
}

// Row's U strictly dominates D; against U the column prefers L, against D
// it prefers R (3 to 0), so against a uniform row it picks R. Two rounds of
// deletion (D, then R) leave (U, L), the only equilibrium.
NormalFormGame TwoRoundsOfDominance() { return Bimatrix2({{3, 1}, {2, 0}}, {{1, 0}, {0, 3}}); }

TEST(LevelK, ReachesTheEquilibriumAtTheDepthOfIteratedDominance) {
  const NormalFormGame game = TwoRoundsOfDominance();
  const MixedProfile one = Predict(*Make("level-k", {{"k", "1", "test"}}), game);
  ExpectMix(one[0], {1, 0}, 0, "level 1 row");
  ExpectMix(one[1], {0, 1}, 0, "level 1 column: R against a uniform row");
  for (const char* k : {"2", "3", "7"}) {
    const MixedProfile p = Predict(*Make("level-k", {{"k", k, "test"}}), game);
    ExpectMix(p[0], {1, 0}, 0, std::string("row at level ") + k);
    ExpectMix(p[1], {1, 0}, 0, std::string("column at level ") + k);
    EXPECT_LT(Evaluate(game.view(), p).regret, 1e-12);
  }
}

TEST(LevelK, AnchorsReplaceUniformLevelZero) {
  const NormalFormGame game = TwoRoundsOfDominance();
  // Level 0 anchored on (D, L): level 1 is U for the row (dominant, and
  // its best response to L) and R for the column (its best response to D).
  const std::vector<int> anchors = {1, 0};
  const MixedProfile zero = Predict(*Make("level-k", {{"k", "0", "test"}}, anchors), game);
  ExpectMix(zero[0], {0, 1}, 0, "anchored row");
  ExpectMix(zero[1], {1, 0}, 0, "anchored column");
  const MixedProfile one = Predict(*Make("level-k", {{"k", "1", "test"}}, anchors), game);
  ExpectMix(one[0], {1, 0}, 0, "row best-responds to L");
  ExpectMix(one[1], {0, 1}, 0, "column best-responds to D");
  // -1: that player's level 0 stays uniform.
  const MixedProfile half = Predict(*Make("level-k", {{"k", "0", "test"}}, {-1, 1}), game);
  ExpectMix(half[0], {0.5, 0.5}, 0, "unanchored row");
  ExpectMix(half[1], {0, 1}, 0, "anchored column");
}

TEST(LevelK, OneActorPicksItsBestOption) {
  const NormalFormGame game = *NormalFormGame::Make({"solo"}, {{"a", "b", "c"}}, {1, 3, 2});
  ExpectMix(Predict(*Make("level-k"), game)[0], {0, 1, 0}, 0, "solo");
  ExpectMix(Predict(*Make("level-k", {{"k", "0", "test"}}), game)[0], {1. / 3, 1. / 3, 1. / 3},
            1e-15, "solo at level 0");
}

// ---------------------------------------------------- cognitive-hierarchy

std::vector<double> Poisson(double tau, int levels) {
  std::vector<double> f;
  for (int j = 0; j <= levels; ++j)
    f.push_back(std::exp(-tau) * std::pow(tau, j) / std::tgamma(j + 1));
  return f;
}

TEST(CognitiveHierarchy, PoissonWeightsAtTauOneAndAHalf) {
  // The published weights (Camerer, Ho & Chong 2004) the model uses.
  const std::vector<double> f = Poisson(1.5, 3);
  EXPECT_NEAR(f[0], 0.2231, 5e-5);
  EXPECT_NEAR(f[1], 0.3347, 5e-5);
  EXPECT_NEAR(f[2], 0.2510, 5e-5);
  EXPECT_NEAR(f[3], 0.1255, 5e-5);
  double kept = 0.0;
  for (double w : Poisson(1.5, 10)) kept += w;
  auto model = Make("cognitive-hierarchy");
  char mass[32];
  std::snprintf(mass, sizeof mass, "%.3g", 1.0 - kept);
  EXPECT_THAT(model->Note(), HasSubstr("levels 0 to 10 of Poisson(tau = 1.5)"));
  EXPECT_THAT(model->Note(), HasSubstr(std::string("(") + mass + ")"));
}

// In TwoRoundsOfDominance, every level >= 1 of the row plays U. A column
// level j prefers L when the row's U has probability above 3/4 under its
// belief, the normalised mixture of levels 0..j-1: P(U) = (F - f0/2) / F
// with F = f0 + ... + f(j-1), above 3/4 exactly when F > 2 f0.
TEST(CognitiveHierarchy, MixtureByHandAtTauOneAndAHalf) {
  const int max_level = 10;
  const std::vector<double> f = Poisson(1.5, max_level);
  double total = 0.0;
  for (double w : f) total += w;
  // F after level 0 is f0 (< 2 f0: level 1 plays R); after level 1 it is
  // f0 + f1 = 0.558 > 2 f0 = 0.446, so levels 2 and up play L.
  const double row_u = (total - f[0] / 2) / total;
  const double column_l = (f[0] / 2 + (total - f[0] - f[1])) / total;
  const MixedProfile p = Predict(*Make("cognitive-hierarchy"), TwoRoundsOfDominance());
  ExpectMix(p[0], {row_u, 1 - row_u}, 1e-12, "row");
  ExpectMix(p[1], {column_l, 1 - column_l}, 1e-12, "column");
}

TEST(CognitiveHierarchy, MixtureByHandAtSmallTau) {
  // tau = 0.5: F never exceeds 2 f0 = 1.21, so every column level >= 1 plays R.
  const std::vector<double> f = Poisson(0.5, 4);
  double total = 0.0;
  for (double w : f) total += w;
  const MixedProfile p =
      Predict(*Make("cognitive-hierarchy", {{"tau", "0.5", "test"}, {"max_level", "4", "test"}}),
              TwoRoundsOfDominance());
  const double row_u = (total - f[0] / 2) / total;
  const double column_l = (f[0] / 2) / total;
  ExpectMix(p[0], {row_u, 1 - row_u}, 1e-12, "row");
  ExpectMix(p[1], {column_l, 1 - column_l}, 1e-12, "column");
}

TEST(CognitiveHierarchy, TauZeroIsLevelZeroAndAnchorsApply) {
  const NormalFormGame game = TwoRoundsOfDominance();
  const MixedProfile uniform = Predict(*Make("cognitive-hierarchy", {{"tau", "0", "test"}}), game);
  ExpectMix(uniform[0], {0.5, 0.5}, 0, "row");
  ExpectMix(uniform[1], {0.5, 0.5}, 0, "column");
  // Anchored level 0 (D, L); with tau 1.5 level 1 plays (U, R) against it.
  // Level 2's column believes U with probability f1 / (f0 + f1) = 0.6,
  // below 3/4: R again; the row plays U at every level above 0.
  const MixedProfile anchored =
      Predict(*Make("cognitive-hierarchy", {{"max_level", "2", "test"}}, {1, 0}), game);
  const std::vector<double> f = Poisson(1.5, 2);
  const double total = f[0] + f[1] + f[2];
  ExpectMix(anchored[0], {(f[1] + f[2]) / total, f[0] / total}, 1e-12, "row");
  ExpectMix(anchored[1], {f[0] / total, (f[1] + f[2]) / total}, 1e-12, "column");
}

// Every level computed from the definition (sim/solve StrategyValues, a
// plain sum over profiles): the model, which contracts payoff tensors and
// skips the levels whose best responses it can certify unchanged, must
// give the same mixture on random games of 2-4 players, integer payoffs
// included (their exact ties are split, never certified).
MixedProfile HierarchyByDefinition(const NormalFormGame& game, double tau, int max_level) {
  const int n = game.space.num_players();
  const std::vector<double> f = Poisson(tau, max_level);
  MixedProfile level, cumulative, belief;
  for (int p = 0; p < n; ++p) {
    const int m = game.space.num_strategies(p);
    level.push_back(Eigen::VectorXd::Constant(m, 1.0 / m));
    cumulative.push_back(f[0] * level[p]);
  }
  double below = f[0];
  for (int j = 1; j <= max_level; ++j) {
    belief = cumulative;
    for (auto& b : belief) b /= below;
    const std::vector<Eigen::VectorXd> values = StrategyValues(game.view(), belief);
    for (int p = 0; p < n; ++p) {
      const double best = values[p].maxCoeff();
      const double scale = 1.0 + std::abs(best);
      Eigen::VectorXd br = Eigen::VectorXd::Zero(values[p].size());
      for (Eigen::Index k = 0; k < br.size(); ++k) br(k) = best - values[p](k) <= 1e-9 * scale;
      level[p] = br / br.sum();
      cumulative[p] += f[j] * level[p];
    }
    below += f[j];
  }
  for (auto& c : cumulative) c /= below;
  return cumulative;
}

TEST(CognitiveHierarchy, EqualsEveryLevelComputedFromTheDefinitionOnRandomGames) {
  // 2 to 6 actors: the path certificate's leads are unrolled for 2 to 5.
  const std::vector<std::vector<int>> shapes = {{2, 2},       {3, 3},          {3, 2, 2},
                                                {3, 3, 3, 3}, {2, 3, 2, 2, 2}, {2, 2, 2, 2, 2, 2}};
  int samples = 0;
  for (size_t shape = 0; shape < shapes.size(); ++shape) {
    for (int trial = 0; trial < 50; ++trial) {
      SampleRng rng(29, shape * 1000 + trial);
      std::vector<std::string> players;
      std::vector<std::vector<std::string>> strategies;
      int64_t profiles = 1;
      for (size_t p = 0; p < shapes[shape].size(); ++p) {
        players.push_back("p" + std::to_string(p));
        strategies.emplace_back();
        for (int k = 0; k < shapes[shape][p]; ++k) strategies.back().push_back(std::to_string(k));
        profiles *= shapes[shape][p];
      }
      // Half the games with small integer payoffs (exact ties), half continuous.
      std::vector<double> payoffs(static_cast<size_t>(profiles) * players.size());
      for (double& v : payoffs) {
        v = trial % 2 == 0 ? std::floor(rng.Uniform() * 5.0) : 10.0 * rng.Uniform() - 5.0;
      }
      const NormalFormGame game = *NormalFormGame::Make(players, strategies, payoffs);
      for (double tau : {0.5, 1.5, 4.0}) {
        const MixedProfile want = HierarchyByDefinition(game, tau, 10);
        const MixedProfile got = Predict(
            *Make("cognitive-hierarchy", {{"tau", std::to_string(tau), "test"}}), game);
        ASSERT_EQ(got.size(), want.size());
        for (size_t p = 0; p < want.size(); ++p) {
          ExpectMix(got[p], std::vector<double>(want[p].data(), want[p].data() + want[p].size()),
                    1e-12, "shape " + std::to_string(shape) + " trial " + std::to_string(trial));
        }
        ++samples;
      }
    }
  }
  EXPECT_EQ(samples, 900);
}

// -------------------------------------------------------- fictitious-play

NormalFormGame MatchingPennies() { return Bimatrix2({{1, -1}, {-1, 1}}, {{-1, 1}, {1, -1}}); }

// Shapley's (1964) 3 x 3 game (the row wants to match, the column to be one
// ahead), with the row's first payoff raised by 0.01 so that the first round
// is not a three-way tie (from an exact tie, play split evenly would stay at
// the uniform equilibrium).
NormalFormGame ShapleyGame() {
  return Bimatrix2({{1.01, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
}

TEST(FictitiousPlay, MatchingPenniesFrequenciesAreOneHalf) {
  // From uniform beliefs every round is a tie, split evenly: (1/2, 1/2) at once.
  bool converged = false;
  const MixedProfile p = Predict(*Make("fictitious-play"), MatchingPennies(), &converged);
  ExpectMix(p[0], {0.5, 0.5}, 1e-12, "row");
  ExpectMix(p[1], {0.5, 0.5}, 1e-12, "column");
  EXPECT_TRUE(converged);
}

// A zero-sum 2 x 2 game (matching pennies with unequal stakes) whose
// equilibrium x* = y* = (2/5, 3/5) is not the uniform start: fictitious play
// converges there (Robinson 1951), slowly (the regret falls about as
// 1/sqrt(t): 0.8% of the payoff range after 1,000 rounds, 0.6% after 4,000).
NormalFormGame UnequalPennies() { return Bimatrix2({{2, -1}, {-1, 1}}, {{-2, 1}, {1, -1}}); }

TEST(FictitiousPlay, ZeroSumFrequenciesTendToTheMixedEquilibrium) {
  for (const char* updates : {"simultaneous", "alternating"}) {
    bool converged = false;
    const MixedProfile p = Predict(
        *Make("fictitious-play", {{"iterations", "4000", "test"}, {"updates", updates, "test"}}),
        UnequalPennies(), &converged);
    ExpectMix(p[0], {0.4, 0.6}, 0.015, updates);
    ExpectMix(p[1], {0.4, 0.6}, 0.015, updates);
    EXPECT_TRUE(converged) << updates;
    EXPECT_LT(Evaluate(UnequalPennies().view(), p).regret, 0.02 * 4) << updates;
  }
  // With a tolerance the run cannot meet, the same play is not converged.
  bool converged = true;
  Predict(*Make("fictitious-play", {{"tolerance", "0.001", "test"}}), UnequalPennies(), &converged);
  EXPECT_FALSE(converged);
}

TEST(FictitiousPlay, DominanceSolvableGameConvergesToItsEquilibrium) {
  bool converged = false;
  const MixedProfile p = Predict(*Make("fictitious-play"), TwoRoundsOfDominance(), &converged);
  EXPECT_TRUE(converged);
  ExpectMix(p[0], {1, 0}, 0, "row: U from the first round");
  ExpectMix(p[1], {1, 0}, 0.005, "column: L once the row's U is believed");
  EXPECT_LT(Evaluate(TwoRoundsOfDominance().view(), p).regret, 0.01);
}

TEST(FictitiousPlay, ShapleysGameDoesNotConverge) {
  for (const char* iterations : {"1000", "20000"}) {
    for (const char* updates : {"simultaneous", "alternating"}) {
      bool converged = true;
      const MixedProfile p = Predict(*Make("fictitious-play", {{"iterations", iterations, "test"},
                                                               {"updates", updates, "test"}}),
                                     ShapleyGame(), &converged);
      EXPECT_FALSE(converged) << updates << " " << iterations;
      // The frequencies stay well away from the equilibrium (about 1/3 each).
      EXPECT_GT(Evaluate(ShapleyGame().view(), p).regret, 0.05) << updates << " " << iterations;
    }
  }
}

TEST(FictitiousPlay, OneActorPlaysItsBestOption) {
  bool converged = false;
  const MixedProfile p =
      Predict(*Make("fictitious-play"),
              *NormalFormGame::Make({"solo"}, {{"a", "b", "c"}}, {1, 3, 2}), &converged);
  ExpectMix(p[0], {0, 1, 0}, 0, "solo");
  EXPECT_TRUE(converged);
}

// ------------------------------------------------------------- replicator

TEST(Replicator, CoordinationGoesToTheEquilibriumWhoseBasinHoldsTheUniformPoint) {
  // Payoffs a on (A, A) and b on (B, B): from shares (1/2, 1/2) the state
  // goes to (A, A) when 1/2 > b / (a + b), that is when a > b.
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{{2, 1}, {1, 2}, {5, 4}}) {
    bool converged = false;
    const MixedProfile p =
        Predict(*Make("replicator"), Bimatrix2({{a, 0}, {0, b}}, {{a, 0}, {0, b}}), &converged);
    const double to_a = a > b ? 1.0 : 0.0;
    ExpectMix(p[0], {to_a, 1 - to_a}, 1e-3, "row");
    ExpectMix(p[1], {to_a, 1 - to_a}, 1e-3, "column");
    EXPECT_TRUE(converged) << a << " " << b;
  }
}

TEST(Replicator, PrisonersDilemmaEliminatesCooperation) {
  bool converged = false;
  const MixedProfile p =
      Predict(*Make("replicator"), Bimatrix2({{3, 0}, {5, 1}}, {{3, 5}, {0, 1}}), &converged);
  EXPECT_TRUE(converged);
  EXPECT_GT(p[0](1), 0.99);
  EXPECT_GT(p[1](1), 0.99);
}

// A zero-sum 2 x 2 game with its equilibrium at x* = y* = (2/5, 3/5): from
// the uniform point the two-population dynamics orbit it for ever, keeping
// H = -sum x*_i ln x_i - sum y*_j ln y_j constant (Hofbauer & Sigmund 1998,
// both players having the same payoff range, so the same time scale).
TEST(Replicator, ZeroSumGameOrbitsAndKeepsItsConservedQuantity) {
  const std::vector<std::vector<double>> a = {{2, -1}, {-1, 1}};
  const NormalFormGame game = Bimatrix2(a, {{-2, 1}, {1, -1}});
  auto h = [](const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
    return -(0.4 * std::log(x(0)) + 0.6 * std::log(x(1)) + 0.4 * std::log(y(0)) +
             0.6 * std::log(y(1)));
  };
  const double start = -2.0 * std::log(0.5);
  for (const char* horizon : {"7", "30", "200"}) {
    bool converged = true;
    const MixedProfile p =
        Predict(*Make("replicator", {{"horizon", horizon, "test"}}), game, &converged);
    EXPECT_FALSE(converged) << horizon;
    EXPECT_NEAR(h(p[0], p[1]), start, 1e-3 * start) << horizon;
    // Still as far from the equilibrium, in H, as where it started.
    EXPECT_GT(h(p[0], p[1]) - (-2.0 * (0.4 * std::log(0.4) + 0.6 * std::log(0.6))), 0.03);
  }
}

TEST(Replicator, OneActorGoesToItsBestOption) {
  bool converged = false;
  const MixedProfile p =
      Predict(*Make("replicator"), *NormalFormGame::Make({"solo"}, {{"a", "b", "c"}}, {1, 3, 2}),
              &converged);
  ExpectMix(p[0], {0, 1, 0}, 1e-5, "solo");
  EXPECT_TRUE(converged);
}

// One actor facing fixed payoffs v: dx_s/dt = x_s (v_s - v.x) / R has the
// closed form x_s(t) = exp(v_s t / R) / sum_k exp(v_k t / R). The adaptive
// integrator must follow it to its accuracy at horizons short and long,
// whatever its longest step.
TEST(Replicator, OneActorFollowsTheClosedFormSolution) {
  const NormalFormGame game = *NormalFormGame::Make({"solo"}, {{"a", "b", "c"}}, {1, 3, 2.5});
  const double range = 2.0;
  for (const char* horizon : {"0.5", "3", "12"}) {
    for (const char* step : {"0.1", "8"}) {
      const MixedProfile p = Predict(
          *Make("replicator", {{"horizon", horizon, "test"}, {"step", step, "test"}}), game);
      const double t = std::stod(horizon);
      std::vector<double> want = {std::exp(1 * t / range), std::exp(3 * t / range),
                                  std::exp(2.5 * t / range)};
      const double total = want[0] + want[1] + want[2];
      for (double& w : want) w /= total;
      ExpectMix(p[0], want, 2e-6, std::string("horizon ") + horizon + " step " + step);
    }
  }
}

TEST(Replicator, ZeroHorizonIsTheUniformPoint) {
  bool converged = true;
  const MixedProfile p =
      Predict(*Make("replicator", {{"horizon", "0", "test"}}), TwoRoundsOfDominance(), &converged);
  ExpectMix(p[0], {0.5, 0.5}, 0, "row");
  ExpectMix(p[1], {0.5, 0.5}, 0, "column");
  EXPECT_FALSE(converged);  // the uniform point is not at rest here
}

// ------------------------------------------------- not converged, reported

constexpr const char* kShapleyScenario = R"(name: Shapley's game
actors:
  - id: row
    options: [a, b, c]
  - id: column
    options: [a, b, c]
outcomes:
  - {id: aa, when: {row: a, column: a}}
  - {id: bb, when: {row: b, column: b}}
  - {id: cc, when: {row: c, column: c}}
  - {id: ab, when: {row: a, column: b}}
  - {id: bc, when: {row: b, column: c}}
  - {id: ca, when: {row: c, column: a}}
  - {id: other, otherwise: true}
payoffs:
  aa: {row: {uniform: [1.005, 1.02]}, column: 0}
  bb: {row: 1, column: 0}
  cc: {row: 1, column: 0}
  ab: {row: 0, column: 1}
  bc: {row: 0, column: 1}
  ca: {row: 0, column: 1}
  other: {row: 0, column: 0}
)";

TEST(NotConverged, EveryShapleySampleIsCountedAndReported) {
  auto spec = LoadScenarioString(kShapleyScenario, "shapley.yaml");
  ASSERT_THAT(spec, IsOk());
  auto game = GameModel::Compile(*spec);
  ASSERT_THAT(game, IsOk());
  auto model = Make("fictitious-play");
  RunOptions options;
  options.samples = 200;
  options.seed = 3;
  options.threads = 2;
  auto run = RunMonteCarlo(*game, *model, options);
  ASSERT_THAT(run, IsOk());
  EXPECT_EQ(run->totals.not_converged, 200);
  RunSummary summary = Summarize(*spec, {}, run->totals, model->pure(), &*game);
  DescribeModel(*model, summary);
  EXPECT_EQ(summary.not_converged, 200);
  EXPECT_EQ(summary.not_converged_probability, 1.0);
  EXPECT_THAT(FormatText(summary), HasSubstr("not converged: 100.0% of samples"));
  const auto json = ToJson(summary);
  ASSERT_TRUE(json.contains("not_converged"));
  EXPECT_EQ(json["not_converged"]["count"], 200);
  EXPECT_EQ(json["not_converged"]["meaning"], model->info().not_converged);
}

TEST(NotConverged, ConvergedRunsOfIterativeModelsStillSaySo) {
  // Matching pennies: every sample converges, and the outputs say 0%.
  auto spec =
      LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/scenarios/classic/matching-pennies.yaml");
  ASSERT_THAT(spec, IsOk());
  auto game = GameModel::Compile(*spec);
  ASSERT_THAT(game, IsOk());
  auto model = Make("fictitious-play");
  RunOptions options;
  options.samples = 50;
  auto run = RunMonteCarlo(*game, *model, options);
  ASSERT_THAT(run, IsOk());
  RunSummary summary = Summarize(*spec, {}, run->totals, model->pure(), &*game);
  DescribeModel(*model, summary);
  EXPECT_EQ(summary.not_converged, 0);
  EXPECT_THAT(FormatText(summary), HasSubstr("not converged:   0.0% of samples"));
  EXPECT_TRUE(ToJson(summary).contains("not_converged"));
  // A model without a convergence test says nothing about it.
  auto pure = Make("nash-pure");
  RunSummary other = Summarize(*spec, {}, run->totals, true, &*game);
  DescribeModel(*pure, other);
  EXPECT_THAT(FormatText(other), ::testing::Not(HasSubstr("not converged")));
  EXPECT_FALSE(ToJson(other).contains("not_converged"));
}

}  // namespace
}  // namespace parley
