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
    if (!digits_.empty()) return digits_[profile * static_cast<int64_t>(counts_.size()) + player];
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
  // Small spaces keep every profile's strategies, [profile * players +
  // player]: equilibrium searches ask for them millions of times, and a
  // 64-bit division costs tens of cycles where a table read costs one.
  std::vector<uint8_t> digits_;
};

// One sampled game's payoffs: payoff(profile, player) = table[offset[profile * n + player]].
// The offsets let many profiles share one stored value (profiles with the same
// outcome and modifiers form one payoff class) and let a view read one
// sample's table out of a block stored sample-minor, without arithmetic on
// the hot path.
struct GameView {
  const ProfileSpace* space = nullptr;
  const int32_t* offset = nullptr;
  const double* table = nullptr;

  double Payoff(int64_t profile, int player) const {
    return table[offset[profile * space->num_players() + player]];
  }
};

// Up to `width` sampled games of one shape stored side by side: game i's
// payoff(profile, player) is values[offset[profile * n + player] + i], so
// one payoff of all the games is `width` consecutive doubles (the runner's
// chunks, see PayoffProgram). Games count .. width-1 are padding: they hold
// finite but meaningless values.
struct ChunkView {
  const ProfileSpace* space = nullptr;
  const int32_t* offset = nullptr;
  const double* values = nullptr;
  int width = 1;
  int count = 0;

  GameView game(int i) const { return {space, offset, values + i}; }
};

// An owning normal-form game with labels: what `parley solve`/export work on
// and what tests build by hand.
struct NormalFormGame {
  std::vector<std::string> players;
  std::vector<std::vector<std::string>> strategies;  // per player
  ProfileSpace space;
  std::vector<int32_t> offsets;  // identity: payoffs are stored densely
  std::vector<double> payoffs;   // [profile * num_players + player]

  static StatusOr<NormalFormGame> Make(std::vector<std::string> players,
                                       std::vector<std::vector<std::string>> strategies,
                                       std::vector<double> payoffs);
  GameView view() const { return {&space, offsets.data(), payoffs.data()}; }
  // The largest |payoff|: the game's scale, for tolerances and display.
  double MaxAbsPayoff() const;
};

}  // namespace parley
