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
  std::vector<uint8_t> best_response_count;  // per profile
};

// Appends every pure Nash equilibrium of `game`, in increasing profile order,
// to `out` (which is cleared first). One pass per player: for each profile of
// the others, mark the player's best responses; a profile is an equilibrium
// when every player's strategy in it is marked.
void FindPureEquilibria(const GameView& game, PureNashScratch& scratch,
                        std::vector<int64_t>& out);

// The largest gain any single player gets by deviating from `profile`,
// computed directly from the definition (independent of FindPureEquilibria).
double MaxRegret(const GameView& game, int64_t profile);

}  // namespace parley
