// PayoffTensor (the strategy values behind level-k, cognitive-
// hierarchy, fictitious-play and the replicator) against the definition
// summed over every profile, on random games of every small shape with
// mixtures that are full, sparse and pure; its regret, payoff bounds and
// range against hand-worked games.
#include "models/strategy_values.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/core/rng.h"
#include "sim/game/normal_form.h"

namespace parley {
namespace {

NormalFormGame RandomGame(const std::vector<int>& counts, SampleRng& rng) {
  std::vector<std::string> players;
  std::vector<std::vector<std::string>> strategies;
  int64_t profiles = 1;
  for (size_t p = 0; p < counts.size(); ++p) {
    players.push_back("p" + std::to_string(p));
    strategies.emplace_back();
    for (int s = 0; s < counts[p]; ++s) strategies.back().push_back("s" + std::to_string(s));
    profiles *= counts[p];
  }
  std::vector<double> payoffs(static_cast<size_t>(profiles) * counts.size());
  for (double& v : payoffs) v = std::floor(rng.Uniform() * 21.0) - 10.0;
  return *NormalFormGame::Make(players, strategies, payoffs);
}

// A random mixture per player: kind 0 full support, 1 some options at
// probability 0, 2 a point mass.
std::vector<double> RandomMix(const std::vector<int>& counts, SampleRng& rng) {
  std::vector<double> mix;
  for (int count : counts) {
    const int kind = static_cast<int>(rng.Uniform() * 3.0);
    std::vector<double> x(count, 0.0);
    if (kind == 2) {
      x[static_cast<int>(rng.Uniform() * count)] = 1.0;
    } else {
      double total = 0.0;
      for (double& v : x) {
        v = (kind == 1 && rng.Uniform() < 0.5) ? 0.0 : 0.1 + rng.Uniform();
        total += v;
      }
      if (total == 0.0) x[0] = total = 1.0;
      for (double& v : x) v /= total;
    }
    mix.insert(mix.end(), x.begin(), x.end());
  }
  return mix;
}

// The definition: sum over every profile in which p plays s of p's payoff
// times the others' probabilities.
std::vector<double> ValuesByDefinition(const NormalFormGame& game, const std::vector<double>& mix) {
  const FlatLayout layout(game.space);
  std::vector<double> values(layout.total, 0.0);
  for (int64_t q = 0; q < game.space.num_profiles(); ++q) {
    const std::vector<int> s = game.space.Decode(q);
    for (int p = 0; p < layout.players; ++p) {
      double weight = 1.0;
      for (int i = 0; i < layout.players; ++i) {
        if (i != p) weight *= mix[layout.offset[i] + s[i]];
      }
      values[layout.offset[p] + s[p]] += weight * game.view().Payoff(q, p);
    }
  }
  return values;
}

TEST(PayoffTensor, MatchTheDefinitionOnRandomGamesAndMixtures) {
  // Up to seven players: Load gathers two to six a profile at a time, the
  // others a player at a time.
  const std::vector<std::vector<int>> shapes = {{1},
                                                {3},
                                                {2, 2},
                                                {3, 2},
                                                {1, 4},
                                                {3, 3, 3},
                                                {2, 1, 3},
                                                {9, 2},
                                                {2, 10, 3},
                                                {3, 3, 3, 3},
                                                {4, 2, 3, 1, 2},
                                                {2, 3, 1, 2, 2, 2},
                                                {2, 2, 2, 2, 2, 2, 2}};
  PayoffTensor engine;  // reused across shapes, as in a model's scratch
  for (size_t shape = 0; shape < shapes.size(); ++shape) {
    for (int trial = 0; trial < 40; ++trial) {
      SampleRng rng(17, shape * 1000 + trial);
      const NormalFormGame game = RandomGame(shapes[shape], rng);
      const std::vector<double> mix = RandomMix(shapes[shape], rng);
      engine.Load(game.view());
      std::vector<double> values(engine.layout().total);
      engine.Compute(mix.data(), values.data());
      const std::vector<double> expected = ValuesByDefinition(game, mix);
      ASSERT_EQ(values.size(), expected.size());
      for (size_t i = 0; i < values.size(); ++i) {
        EXPECT_NEAR(values[i], expected[i], 1e-12) << "shape " << shape << " trial " << trial;
      }
      for (int p = 0; p < engine.layout().players; ++p) {
        double low = 0.0, high = 0.0;
        engine.Bounds(p, &low, &high);
        double smallest = game.view().Payoff(0, p), largest = smallest;
        for (int64_t q = 0; q < game.space.num_profiles(); ++q) {
          smallest = std::min(smallest, game.view().Payoff(q, p));
          largest = std::max(largest, game.view().Payoff(q, p));
        }
        EXPECT_EQ(low, smallest) << "shape " << shape << " player " << p;
        EXPECT_EQ(high, largest) << "shape " << shape << " player " << p;
      }
    }
  }
}

TEST(PayoffTensor, PathPolynomialsGiveTheValuesAlongTheSegmentByDefinition) {
  const std::vector<std::vector<int>> shapes = {{1},        {3},          {2, 2},         {3, 2},
                                                {1, 4},     {3, 3, 3},    {2, 1, 3},      {9, 2},
                                                {2, 10, 3}, {3, 3, 3, 3}, {4, 2, 3, 1, 2}};
  PayoffTensor engine;
  for (size_t shape = 0; shape < shapes.size(); ++shape) {
    const std::vector<int>& counts = shapes[shape];
    const int players = static_cast<int>(counts.size());
    for (int trial = 0; trial < 20; ++trial) {
      SampleRng rng(23, shape * 1000 + trial);
      const NormalFormGame game = RandomGame(counts, rng);
      // Mixtures of every kind, point masses included.
      const std::vector<double> mix = RandomMix(counts, rng);
      std::vector<int> pure(players);
      for (int q = 0; q < players; ++q) pure[q] = static_cast<int>(rng.Uniform() * counts[q]);
      engine.Load(game.view());
      const FlatLayout& layout = engine.layout();
      std::vector<double> values(mix.size());
      engine.Compute(mix.data(), values.data(), /*keep_chain=*/true);
      // A Compute that does not keep its chain leaves the kept one alone.
      const std::vector<double> other = RandomMix(counts, rng);
      engine.Compute(other.data(), values.data());
      for (int p = 0; p < players; ++p) {
        std::vector<double> coefficients(static_cast<size_t>(players * counts[p]), -99.0);
        engine.PathPolynomials(p, pure.data(), coefficients.data());
        for (double t : {0.0, 0.3, 0.75, 1.0}) {
          std::vector<double> along(mix.size());
          for (int q = 0; q < players; ++q) {
            for (int s = 0; s < counts[q]; ++s) {
              const int i = layout.offset[q] + s;
              along[i] = (1.0 - t) * mix[i] + t * (s == pure[q] ? 1.0 : 0.0);
            }
          }
          const std::vector<double> expected = ValuesByDefinition(game, along);
          for (int s = 0; s < counts[p]; ++s) {
            double value = 0.0, power = 1.0;
            for (int k = 0; k < players; ++k, power *= t) {
              value += coefficients[k * counts[p] + s] * power;
            }
            EXPECT_NEAR(value, expected[layout.offset[p] + s], 1e-11)
                << "shape " << shape << " trial " << trial << " player " << p << " t " << t;
          }
        }
      }
    }
  }
}

TEST(PayoffTensor, RegretBoundsAndRangeOfThePrisonersDilemma) {
  // (cooperate, defect) per player; payoffs [profile * 2 + player], row fastest:
  // (C,C) 3,3  (D,C) 5,0  (C,D) 0,5  (D,D) 1,1.
  const NormalFormGame game =
      *NormalFormGame::Make({"row", "column"}, {{"C", "D"}, {"C", "D"}}, {3, 3, 5, 0, 0, 5, 1, 1});
  PayoffTensor engine;
  engine.Load(game.view());
  std::vector<double> values(4);
  const std::vector<double> defect = {0, 1, 0, 1};
  EXPECT_DOUBLE_EQ(engine.Regret(defect.data(), values.data()), 0.0);
  // Both cooperating: each gains 5 - 3 = 2 by defecting.
  const std::vector<double> cooperate = {1, 0, 1, 0};
  EXPECT_DOUBLE_EQ(engine.Regret(cooperate.data(), values.data()), 2.0);
  EXPECT_EQ(values, (std::vector<double>{3, 5, 3, 5}));
  double low = 0, high = 0;
  engine.Bounds(1, &low, &high);
  EXPECT_EQ(low, 0.0);
  EXPECT_EQ(high, 5.0);
  EXPECT_EQ(engine.Range(), 5.0);
}

}  // namespace
}  // namespace parley
