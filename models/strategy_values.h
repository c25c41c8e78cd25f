// Helpers the behavioural and learning models (level-k, cognitive-hierarchy,
// fictitious-play, replicator) share: mixed profiles stored flat (every
// player's probabilities one after another), each strategy's expected
// payoff against the others' mixtures, best responses with ties split
// evenly, and the prediction written from a flat profile. Allocation-free
// on the hot path: callers keep the buffers in their scratch.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/game/normal_form.h"
#include "sim/model/model.h"

namespace parley {

// Where each player's probabilities sit in a flat profile.
struct FlatLayout {
  int players = 0;
  int total = 0;            // strategies of all players
  std::vector<int> offset;  // offset[p]: player p's first entry; offset[players] = total
  std::vector<int> count;   // strategies per player

  explicit FlatLayout(const ProfileSpace& space);
  FlatLayout() = default;
  bool Matches(const ProfileSpace& space) const;
};

// values[offset[p] + s] = player p's expected payoff from strategy s when
// every other player i plays mix[offset[i] ...] independently. Over every
// profile once: O(profiles x players).
void FlatStrategyValues(const GameView& game, const FlatLayout& layout, const double* mix,
                        double* values);

// Whether two payoffs tie: within 1e-9 x `scale` (1 + the magnitude of the
// best payoff), so that payoffs equal on paper but computed in another
// order still tie.
inline bool PayoffsTie(double a, double b, double scale) {
  const double d = a > b ? a - b : b - a;
  return d <= 1e-9 * scale;
}

// The best response to `values` (count entries) with ties split evenly:
// writes the probabilities to `out`; returns how many strategies tie.
int SplitBestResponse(const double* values, int count, double* out);

// The largest absolute payoff of the game plus one: the scale of PayoffsTie
// and of tolerances stated relative to the payoffs.
double PayoffScale(const GameView& game);
// The largest payoff of the game minus the smallest, over every player.
double PayoffRange(const GameView& game);
// The smallest and largest payoff of `player` over every profile.
void PayoffBounds(const GameView& game, int player, double* low, double* high);

// Level 0: uniform play, or each anchored player's anchor (anchors empty, or
// -1 for players without one).
void NaivePlay(const FlatLayout& layout, const std::vector<int>& anchors, double* mix);

// Writes the flat profile `mix` as the prediction: a pure profile when
// every player's mixture is a point mass (which counts the same, faster),
// else the mixed profile (its vectors reused when the shape matches).
void StorePrediction(const ProfileSpace& space, const FlatLayout& layout, const double* mix,
                     Prediction& out);

// The regret of the flat profile `mix` (max over players of the best
// strategy's value minus the mixture's value), from FlatStrategyValues.
double FlatRegret(const GameView& game, const FlatLayout& layout, const double* mix,
                  double* values_buffer);

}  // namespace parley
