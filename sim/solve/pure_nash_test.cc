#include "sim/solve/pure_nash.h"

#include <gtest/gtest.h>

#include "sim/core/rng.h"
#include "sim/game/test_games.h"
#include "sim/solve/selection.h"

namespace parley {
namespace {

std::vector<int64_t> Solve(const NormalFormGame& g) {
  PureNashScratch scratch;
  std::vector<int64_t> eq;
  FindPureEquilibria(g.view(), scratch, eq);
  return eq;
}

TEST(PureNash, PrisonersDilemmaHasMutualDefection) {
  // a = cooperate, b = defect.
  auto g = TwoByTwo({3, 3, 0, 5, 5, 0, 1, 1});
  EXPECT_EQ(Solve(g), (std::vector<int64_t>{3}));  // (b, b)
}

TEST(PureNash, BattleOfTheSexesHasTwo) {
  auto g = TwoByTwo({2, 1, 0, 0, 0, 0, 1, 2});
  EXPECT_EQ(Solve(g), (std::vector<int64_t>{0, 3}));
}

TEST(PureNash, MatchingPenniesHasNone) {
  auto g = TwoByTwo({1, -1, -1, 1, -1, 1, 1, -1});
  EXPECT_TRUE(Solve(g).empty());
}

TEST(PureNash, TiesCountAsBestResponses) {
  auto g = TwoByTwo({1, 1, 1, 1, 1, 1, 1, 1});
  EXPECT_EQ(Solve(g).size(), 4u);
}

TEST(Selection, PayoffDominantPrefersStagOverHare) {
  // Stag hunt: (stag, stag) = 4,4; (hare, hare) = 2,2 (a = stag).
  auto g = TwoByTwo({4, 4, 0, 3, 3, 0, 2, 2});
  auto eq = Solve(g);
  ASSERT_EQ(eq, (std::vector<int64_t>{0, 3}));
  std::vector<int64_t> scratch;
  for (uint64_t i = 0; i < 50; ++i) {
    SampleRng rng(1, i, RngStream::kModel);
    EXPECT_EQ(SelectEquilibrium(g.view(), eq, Selection::kPayoffDominant, rng, scratch), 0);
  }
}

TEST(Selection, UniformPicksEachEquilibrium) {
  auto g = TwoByTwo({2, 1, 0, 0, 0, 0, 1, 2});
  auto eq = Solve(g);
  std::vector<int64_t> scratch;
  int first = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    SampleRng rng(7, i, RngStream::kModel);
    first += SelectEquilibrium(g.view(), eq, Selection::kUniform, rng, scratch) == 0;
  }
  EXPECT_NEAR(first / static_cast<double>(n), 0.5, 0.03);
}

// Property test: on random games with few payoff levels (so ties occur), the
// solver's set equals the set of profiles with zero regret by definition.
TEST(PureNash, MatchesIndependentRegretCheckOnRandomGames) {
  PureNashScratch scratch;
  std::vector<int64_t> eq;
  for (uint64_t trial = 0; trial < 400; ++trial) {
    SampleRng rng(99, trial);
    const int players = 2 + static_cast<int>(rng.NextU32() % 3);
    std::vector<std::string> names(players, "p");
    std::vector<std::vector<std::string>> strategies(players);
    int64_t profiles = 1;
    for (auto& s : strategies) {
      s.resize(1 + rng.NextU32() % 4, "s");
      profiles *= static_cast<int64_t>(s.size());
    }
    std::vector<double> payoffs(profiles * players);
    for (double& x : payoffs) x = static_cast<double>(rng.NextU32() % 4);
    auto g = *NormalFormGame::Make(names, strategies, payoffs);
    FindPureEquilibria(g.view(), scratch, eq);
    std::vector<int64_t> expected;
    for (int64_t q = 0; q < profiles; ++q) {
      if (MaxRegret(g.view(), q) <= 0.0) expected.push_back(q);
    }
    ASSERT_EQ(eq, expected) << "trial " << trial;
  }
}

}  // namespace
}  // namespace parley
