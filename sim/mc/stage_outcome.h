// What one stage game's prediction leads to: the outcome distribution and
// expected payoffs of a mixed normal-form prediction, or of equilibrium play
// in a game tree (with its path). Shared by the runner's sampling loop and
// the rounds of a multi-round negotiation (sim/mc/negotiation.h).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/model/model.h"
#include "sim/scenario/game_model.h"

namespace parley {

// The buffers the functions below fill; sized by the caller: slot_probabilities
// num_outcomes() + 1, payoffs num_players().
struct StageBuffers {
  std::vector<double> slot_probabilities;
  std::vector<double> payoffs;
  std::vector<std::pair<int64_t, double>> profile_probabilities;
  // Set by MixedOutcome when profiles were asked for and one tabulated
  // block held every profile (a small game): profile_probabilities is then
  // left empty and `products` holds every profile's probability, in
  // profile order, zeros included.
  bool dense_profiles = false;
  std::vector<int32_t> key, stack;  // a tree's path, and its walk
  std::vector<std::pair<int32_t, int32_t>> pairs;
  std::vector<double> products, factors;  // MixedOutcome's profile probabilities
  std::vector<double> next_products;      // (products of one more player)
  std::vector<int> digits;
};

// The outcome distribution and expected payoffs a mixed prediction induces,
// into s.slot_probabilities and s.payoffs; with `profiles`, also each
// profile of positive probability into s.profile_probabilities (or, in a
// small game, every profile's into s.products: s.dense_profiles).
void MixedOutcome(const GameModel& game, const GameView& view, const Prediction& prediction,
                  StageBuffers& s, bool profiles = false);

// Equilibrium play of one sequential-game sample: its outcome distribution
// (into s.slot_probabilities), the root's value (into s.payoffs) and its path
// (into s.key). Returns the number of terminals play reaches, each counted
// once per way of reaching it (more than one only in a DAG), and, in
// `last_terminal`, the last one.
int TreeOutcome(const GameModel& game, const SubgamePerfect& play, StageBuffers& s,
                int* last_terminal);

// A prediction's outcome into s: a normal-form prediction's (pure: its
// outcome and payoffs; mixed: MixedOutcome; none: all mass unresolved,
// payoffs untouched), or a tree prediction's (TreeOutcome; none:
// unresolved).
void PredictionOutcome(const GameModel& game, const GameView& view, const Prediction& prediction,
                       StageBuffers& s, bool profiles = false);
void TreePredictionOutcome(const GameModel& game, const TreePrediction& prediction,
                           StageBuffers& s);

}  // namespace parley
