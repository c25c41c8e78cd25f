#include "sim/game/normal_form.h"

#include <gtest/gtest.h>

#include <vector>

namespace parley {
namespace {

TEST(ProfileSpace, PlayerZeroVariesFastest) {
  auto s = ProfileSpace::Make({2, 3, 4}, 1000);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->num_profiles(), 24);
  EXPECT_EQ(s->Encode({1, 0, 0}), 1);
  EXPECT_EQ(s->Encode({0, 1, 0}), 2);
  EXPECT_EQ(s->Encode({0, 0, 1}), 6);
  for (int64_t p = 0; p < s->num_profiles(); ++p) EXPECT_EQ(s->Encode(s->Decode(p)), p);
}

TEST(ProfileSpace, DeviateChangesOnePlayer) {
  auto s = ProfileSpace::Make({3, 3, 3, 3}, 1000);
  ASSERT_TRUE(s.ok());
  const int64_t p = s->Encode({2, 1, 0, 2});
  EXPECT_EQ(s->Decode(s->Deviate(p, 1, 2)), (std::vector<int>{2, 2, 0, 2}));
  EXPECT_EQ(s->Deviate(p, 3, 2), p);
}

// Small spaces answer StrategyOf from a table, large ones by division: both
// must give every profile's mixed-radix digits.
TEST(ProfileSpace, StrategyOfIsTheMixedRadixDigitWithOrWithoutTable) {
  for (const std::vector<int>& counts : std::vector<std::vector<int>>{
           {3, 3, 3, 3}, {2, 5, 1, 4}, {256, 2}, {257, 3}, {40, 40, 41}}) {
    auto space = ProfileSpace::Make(counts, int64_t{1} << 30);
    ASSERT_TRUE(space.ok());
    for (int64_t q = 0; q < space->num_profiles(); ++q) {
      int64_t rest = q;
      for (int p = 0; p < space->num_players(); ++p) {
        ASSERT_EQ(space->StrategyOf(q, p), rest % counts[p]) << "profile " << q << " player " << p;
        rest /= counts[p];
      }
    }
  }
}

TEST(ProfileSpace, RefusesHugeSpacesWithoutOverflow) {
  std::vector<int> counts(40, 1000);  // 1000^40 profiles
  auto s = ProfileSpace::Make(counts, int64_t{1} << 24);
  EXPECT_EQ(s.status().code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(ProfileSpace::Make({}, 10).ok());
  EXPECT_FALSE(ProfileSpace::Make({2, 0}, 10).ok());
}

TEST(NormalFormGame, ChecksPayoffCount) {
  EXPECT_FALSE(NormalFormGame::Make({"a", "b"}, {{"x", "y"}, {"x", "y"}}, {1, 2, 3}).ok());
  auto g = NormalFormGame::Make({"a", "b"}, {{"x", "y"}, {"x"}}, {1, 2, 3, 4});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->view().Payoff(1, 0), 3);
}

}  // namespace
}  // namespace parley
