// Normal-form games: the mixed-radix indexing of pure-strategy profiles and a
// read-only view of one sampled game's payoffs.
//
// Player 0's strategy varies fastest in the profile index, as in Gambit's
// .nfg payoff order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/status.h"

namespace parley {

class ProfileSpace {
 public:
  // Refuses (ResourceExhausted) a space with more than `max_profiles` profiles.
  static StatusOr<ProfileSpace> Make(std::vector<int> strategy_counts, int64_t max_profiles);

  int num_players() const { return static_cast<int>(counts_.size()); }
  int num_strategies(int player) const { return counts_[player]; }
  int64_t num_profiles() const { return num_profiles_; }
  int64_t stride(int player) const { return strides_[player]; }

  int StrategyOf(int64_t profile, int player) const {
    return static_cast<int>((profile / strides_[player]) % counts_[player]);
  }
  // The profile that differs from `profile` only in `player` playing `strategy`.
  int64_t Deviate(int64_t profile, int player, int strategy) const {
    return profile + (strategy - StrategyOf(profile, player)) * strides_[player];
  }
  std::vector<int> Decode(int64_t profile) const;
  int64_t Encode(const std::vector<int>& strategies) const;

 private:
  std::vector<int> counts_;
  std::vector<int64_t> strides_;
  int64_t num_profiles_ = 1;
};

// One game's payoffs, stored compactly: profiles that share a payoff class
// (the same outcome and the same profile-dependent modifiers) share one row of
// `table`. payoff(profile, player) = table[class_of[profile] * n + player].
// Classic games simply give every profile its own class.
struct GameView {
  const ProfileSpace* space = nullptr;
  const int32_t* class_of = nullptr;
  const double* table = nullptr;

  double Payoff(int64_t profile, int player) const {
    return table[static_cast<int64_t>(class_of[profile]) * space->num_players() + player];
  }
};

// An owning normal-form game with labels: what `parley solve`/export work on
// and what tests build by hand.
struct NormalFormGame {
  std::vector<std::string> players;
  std::vector<std::vector<std::string>> strategies;  // per player
  ProfileSpace space;
  std::vector<int32_t> class_of;  // identity: one class per profile
  std::vector<double> payoffs;    // [profile * num_players + player]

  static StatusOr<NormalFormGame> Make(std::vector<std::string> players,
                                       std::vector<std::vector<std::string>> strategies,
                                       std::vector<double> payoffs);
  GameView view() const { return {&space, class_of.data(), payoffs.data()}; }
};

}  // namespace parley
