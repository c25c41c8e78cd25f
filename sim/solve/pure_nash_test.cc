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

// Property test: games stored side by side, as the runner's chunks store
// them (payoff classes shared between profiles through the offsets, some
// payoffs near-tied within the tolerance, padding games past `count`),
// give each game exactly what the one-at-a-time search gives.
TEST(PureNash, SideBySideEqualsOneAtATime) {
  PureNashScratch scratch, one_scratch;
  std::vector<int64_t> side[kSideBySideWidth], one;
  for (uint64_t trial = 0; trial < 300; ++trial) {
    SampleRng rng(7, trial);
    const int players = 1 + static_cast<int>(rng.NextU32() % 4);
    std::vector<int> counts(players);
    for (int& k : counts) k = 1 + static_cast<int>(rng.NextU32() % 4);
    auto space = *ProfileSpace::Make(counts, 1 << 20);
    const int64_t cells = space.num_profiles() * players;
    // A few shared slots per game, like payoff classes.
    const int slots = 1 + static_cast<int>(rng.NextU32() % static_cast<uint32_t>(cells));
    std::vector<int32_t> offsets(static_cast<size_t>(cells));
    for (int32_t& o : offsets) {
      o = static_cast<int32_t>(rng.NextU32() % static_cast<uint32_t>(slots)) * kSideBySideWidth;
    }
    std::vector<double> values(static_cast<size_t>(slots) * kSideBySideWidth);
    for (double& x : values) {
      // Levels 0..3, some of them nudged by less than the tie tolerance.
      x = static_cast<double>(rng.NextU32() % 4);
      if (rng.NextU32() % 4 == 0) x += (rng.Uniform() - 0.5) * 1e-9;
    }
    const int count = 1 + static_cast<int>(rng.NextU32() % kSideBySideWidth);
    const ChunkView chunk{&space, offsets.data(), values.data(), kSideBySideWidth, count};
    ASSERT_TRUE(SideBySideApplies(chunk));
    FindPureEquilibriaSideBySide(chunk, scratch, side);
    for (int i = 0; i < count; ++i) {
      FindPureEquilibria(chunk.game(i), one_scratch, one);
      ASSERT_EQ(side[i], one) << "trial " << trial << " game " << i;
    }
  }
}

TEST(PureNash, SideBySideRefusesWhatItCannotHold) {
  auto small = *ProfileSpace::Make({3, 3}, 1 << 20);
  auto wide = *ProfileSpace::Make({2, kMaxSideBySideStrategies + 1}, 1 << 20);
  std::vector<int32_t> offsets(1);
  std::vector<double> values(kSideBySideWidth);
  EXPECT_TRUE(SideBySideApplies({&small, offsets.data(), values.data(), kSideBySideWidth, 8}));
  EXPECT_FALSE(SideBySideApplies({&small, offsets.data(), values.data(), 1, 1}));
  EXPECT_FALSE(SideBySideApplies({&small, offsets.data(), values.data(), kSideBySideWidth, 0}));
  EXPECT_FALSE(SideBySideApplies({&wide, offsets.data(), values.data(), kSideBySideWidth, 8}));
}

}  // namespace
}  // namespace parley
