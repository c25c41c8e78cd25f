#include "sim/solve/strategic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/core/status_matchers.h"
#include "sim/game/test_games.h"
#include "sim/solve/pure_nash.h"

namespace parley {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A two-player game from row-major (row, column) payoff pairs, with the
// given strategy names.
NormalFormGame Bimatrix(std::vector<std::string> rows, std::vector<std::string> cols,
                        const std::vector<double>& rc) {
  const size_t r = rows.size();
  const size_t c = cols.size();
  std::vector<double> payoffs(r * c * 2);
  for (size_t i = 0; i < r; ++i) {
    for (size_t j = 0; j < c; ++j) {
      const size_t profile = i + r * j;
      payoffs[profile * 2] = rc[(i * c + j) * 2];
      payoffs[profile * 2 + 1] = rc[(i * c + j) * 2 + 1];
    }
  }
  return *NormalFormGame::Make({"row", "col"}, {std::move(rows), std::move(cols)}, payoffs);
}

StrategicAnalysis Analyze(const NormalFormGame& g) {
  auto a = AnalyzeStrategies(g);
  EXPECT_THAT(a, IsOk());
  // The equilibria agree with the solver's search.
  PureNashScratch scratch;
  std::vector<int64_t> expected;
  FindPureEquilibria(g.view(), scratch, expected);
  EXPECT_EQ(a->pure_equilibria, expected);
  return *a;
}

int64_t At(const NormalFormGame& g, std::vector<int> s) { return g.space.Encode(s); }

TEST(Strategic, PrisonersDilemma) {
  // c = cooperate, d = defect: T 5 > R 3 > P 1 > S 0.
  const auto g = Bimatrix({"c", "d"}, {"c", "d"}, {3, 3, 0, 5, 5, 0, 1, 1});
  const StrategicAnalysis a = Analyze(g);
  EXPECT_THAT(a.pure_equilibria, ElementsAre(At(g, {1, 1})));
  // Defect is a best response to everything, cooperate to nothing.
  for (int64_t p = 0; p < 4; ++p) {
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(a.best_response[p * 2 + i], g.space.StrategyOf(p, i) == 1) << p << " " << i;
    }
  }
  ASSERT_EQ(a.dominated.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(a.dominated[i].player, i);
    EXPECT_EQ(a.dominated[i].dominated, 0);
    EXPECT_EQ(a.dominated[i].by, 1);
    EXPECT_TRUE(a.dominated[i].strict);
  }
  ASSERT_EQ(a.elimination_rounds.size(), 1u);
  EXPECT_EQ(a.elimination_rounds[0].size(), 2u);
  EXPECT_THAT(a.survivors, ElementsAre(ElementsAre(1), ElementsAre(1)));
  ASSERT_EQ(a.pareto.size(), 1u);
  EXPECT_EQ(a.pareto[0].equilibrium, At(g, {1, 1}));
  EXPECT_THAT(a.pareto[0].dominated_by, ElementsAre(At(g, {0, 0})));
}

TEST(Strategic, MatchingPenniesHasNoPureEquilibrium) {
  const auto g = Bimatrix({"h", "t"}, {"h", "t"}, {1, -1, -1, 1, -1, 1, 1, -1});
  const StrategicAnalysis a = Analyze(g);
  EXPECT_THAT(a.pure_equilibria, IsEmpty());
  EXPECT_THAT(a.dominated, IsEmpty());
  EXPECT_THAT(a.elimination_rounds, IsEmpty());
  EXPECT_THAT(a.survivors, ElementsAre(ElementsAre(0, 1), ElementsAre(0, 1)));
  EXPECT_THAT(a.pareto, IsEmpty());
  // Each player best-responds in exactly half the cells.
  int count = 0;
  for (uint8_t b : a.best_response) count += b;
  EXPECT_EQ(count, 4);
}

TEST(Strategic, BattleOfTheSexesHasTwoUndominatedEquilibria) {
  const auto g = Bimatrix({"opera", "football"}, {"opera", "football"}, {2, 1, 0, 0, 0, 0, 1, 2});
  const StrategicAnalysis a = Analyze(g);
  EXPECT_THAT(a.pure_equilibria, ElementsAre(At(g, {0, 0}), At(g, {1, 1})));
  EXPECT_THAT(a.dominated, IsEmpty());
  EXPECT_THAT(a.pareto, IsEmpty());  // each player prefers a different one
}

TEST(Strategic, StagHuntsHareEquilibriumIsParetoDominated) {
  const auto g = Bimatrix({"stag", "hare"}, {"stag", "hare"}, {4, 4, 0, 3, 3, 0, 3, 3});
  const StrategicAnalysis a = Analyze(g);
  EXPECT_THAT(a.pure_equilibria, ElementsAre(At(g, {0, 0}), At(g, {1, 1})));
  EXPECT_THAT(a.dominated, IsEmpty());
  ASSERT_EQ(a.pareto.size(), 1u);
  EXPECT_EQ(a.pareto[0].equilibrium, At(g, {1, 1}));
  EXPECT_THAT(a.pareto[0].dominated_by, ElementsAre(At(g, {0, 0})));
}

TEST(Strategic, WeakDominanceIsNotStrict) {
  // Row's b ties a against column's a and beats it against column's b.
  const auto g = Bimatrix({"a", "b"}, {"a", "b"}, {1, 0, 0, 0, 1, 0, 1, 0});
  const StrategicAnalysis a = Analyze(g);
  ASSERT_EQ(a.dominated.size(), 1u);
  EXPECT_EQ(a.dominated[0].player, 0);
  EXPECT_EQ(a.dominated[0].dominated, 0);
  EXPECT_EQ(a.dominated[0].by, 1);
  EXPECT_FALSE(a.dominated[0].strict);
  EXPECT_THAT(a.elimination_rounds, IsEmpty());  // only strict dominance is eliminated
}

TEST(Strategic, ThreeByThreeNeedsTwoRoundsOfElimination) {
  // B is strictly dominated by T at once; only without B is R strictly
  // dominated (by L and C: against B it paid 5). T, M and L, C survive.
  const auto g = Bimatrix({"T", "M", "B"}, {"L", "C", "R"},
                          {3, 2, 1, 3, 2, 1,  //
                           1, 3, 3, 1, 0, 0,  //
                           2, 0, 0, 0, 1, 5});
  const StrategicAnalysis a = Analyze(g);
  ASSERT_EQ(a.elimination_rounds.size(), 2u);
  ASSERT_EQ(a.elimination_rounds[0].size(), 1u);
  EXPECT_EQ(a.elimination_rounds[0][0].player, 0);
  EXPECT_EQ(a.elimination_rounds[0][0].dominated, 2);
  EXPECT_EQ(a.elimination_rounds[0][0].by, 0);
  ASSERT_EQ(a.elimination_rounds[1].size(), 1u);
  EXPECT_EQ(a.elimination_rounds[1][0].player, 1);
  EXPECT_EQ(a.elimination_rounds[1][0].dominated, 2);
  EXPECT_EQ(a.elimination_rounds[1][0].by, 0);
  EXPECT_THAT(a.survivors, ElementsAre(ElementsAre(0, 1), ElementsAre(0, 1)));
  // In the whole game R is not dominated (B protects it).
  for (const Domination& d : a.dominated) EXPECT_FALSE(d.player == 1 && d.dominated == 2);
}

TEST(Strategic, GibbonsEliminationLeavesOneProfile) {
  // Gibbons (1992), figure 1.1.1: Right, then Down, then Left are removed.
  const auto g = Bimatrix({"Up", "Down"}, {"Left", "Middle", "Right"},
                          {1, 0, 1, 2, 0, 1,  //
                           0, 3, 0, 1, 2, 0});
  const StrategicAnalysis a = Analyze(g);
  ASSERT_EQ(a.elimination_rounds.size(), 3u);
  EXPECT_EQ(a.elimination_rounds[0][0].dominated, 2);  // Right, by Middle
  EXPECT_EQ(a.elimination_rounds[0][0].by, 1);
  EXPECT_EQ(a.elimination_rounds[1][0].player, 0);     // Down, by Up
  EXPECT_EQ(a.elimination_rounds[2][0].dominated, 0);  // Left, by Middle
  EXPECT_THAT(a.survivors, ElementsAre(ElementsAre(0), ElementsAre(1)));
  EXPECT_THAT(a.pure_equilibria, ElementsAre(At(g, {0, 1})));
}

TEST(Strategic, ThreePlayerPublicGoods) {
  // Contributing (c) costs 1 and gives each of the three 0.6: not
  // contributing (n) strictly dominates, and everyone not contributing is
  // worse for all than any profile where two or three contribute.
  std::vector<double> payoffs;
  ProfileSpace space = *ProfileSpace::Make({2, 2, 2}, 100);
  for (int64_t p = 0; p < 8; ++p) {
    int k = 0;
    for (int i = 0; i < 3; ++i) k += space.StrategyOf(p, i) == 0;
    for (int i = 0; i < 3; ++i) payoffs.push_back(0.6 * k - (space.StrategyOf(p, i) == 0));
  }
  const auto g =
      *NormalFormGame::Make({"a", "b", "c"}, {{"c", "n"}, {"c", "n"}, {"c", "n"}}, payoffs);
  const StrategicAnalysis a = Analyze(g);
  EXPECT_THAT(a.pure_equilibria, ElementsAre(At(g, {1, 1, 1})));
  EXPECT_EQ(a.dominated.size(), 3u);
  ASSERT_EQ(a.elimination_rounds.size(), 1u);
  EXPECT_EQ(a.elimination_rounds[0].size(), 3u);
  ASSERT_EQ(a.pareto.size(), 1u);
  EXPECT_THAT(a.pareto[0].dominated_by,
              ElementsAre(At(g, {0, 0, 0}), At(g, {1, 0, 0}), At(g, {0, 1, 0}), At(g, {0, 0, 1})));
}

TEST(Strategic, ThreePlayerCoordination) {
  // Everyone gets 1 when all three choose the same, else 0.
  std::vector<double> payoffs;
  for (int64_t p = 0; p < 8; ++p) {
    const double same = (p == 0 || p == 7) ? 1 : 0;
    for (int i = 0; i < 3; ++i) payoffs.push_back(same);
  }
  const auto g =
      *NormalFormGame::Make({"a", "b", "c"}, {{"x", "y"}, {"x", "y"}, {"x", "y"}}, payoffs);
  const StrategicAnalysis a = Analyze(g);
  EXPECT_THAT(a.pure_equilibria, ElementsAre(0, 7));
  EXPECT_THAT(a.dominated, IsEmpty());
  EXPECT_THAT(a.pareto, IsEmpty());
}

TEST(Strategic, RefusesGamesTooLargeToShow) {
  std::vector<double> payoffs(65 * 65 * 2, 0.0);
  std::vector<std::string> names(65, "s");
  const auto g = *NormalFormGame::Make({"row", "col"}, {names, names}, payoffs);
  EXPECT_THAT(AnalyzeStrategies(g), StatusIs(StatusCode::kResourceExhausted));
}

}  // namespace
}  // namespace parley
