// Pure-strategy Nash equilibria of a normal-form game, and the independent
// regret check every reported equilibrium must pass.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/game/normal_form.h"

namespace parley {

// Payoff differences below this (relative to the payoff's magnitude) are ties.
inline constexpr double kPayoffTolerance = 1e-9;

// Reusable buffers so that solving one sampled game allocates nothing.
struct PureNashScratch {
  std::vector<int64_t> candidates;
  std::vector<uint8_t> lane_bits;  // FindPureEquilibriaSideBySide
};

// Appends every pure Nash equilibrium of `game`, in increasing profile order,
// to `out` (which is cleared first). Player 0's best responses to every
// profile of the others are the first candidates; each further player keeps
// only the candidates where its own strategy is a best response.
void FindPureEquilibria(const GameView& game, PureNashScratch& scratch, std::vector<int64_t>& out);

// FindPureEquilibria for every game of a chunk at once: out[i] gets exactly
// what FindPureEquilibria(chunk.game(i)) gives, for i < chunk.count. The
// games are compared side by side in vector registers (one payoff of all
// of them is one contiguous load), so there is no per-game branching and no
// index arithmetic. Needs SideBySideApplies(chunk).
void FindPureEquilibriaSideBySide(const ChunkView& chunk, PureNashScratch& scratch,
                                  std::vector<int64_t>* out);
// The side-by-side search handles chunks of kSideBySideWidth games with at
// most kMaxSideBySideProfiles profiles and kMaxSideBySideStrategies
// strategies per player.
inline constexpr int kSideBySideWidth = 8;
inline constexpr int64_t kMaxSideBySideProfiles = int64_t{1} << 16;
inline constexpr int kMaxSideBySideStrategies = 64;
bool SideBySideApplies(const ChunkView& chunk);

// The largest gain any single player gets by deviating from `profile`,
// computed directly from the definition (independent of FindPureEquilibria).
double MaxRegret(const GameView& game, int64_t profile);

}  // namespace parley
