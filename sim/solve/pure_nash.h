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
};

// Appends every pure Nash equilibrium of `game`, in increasing profile order,
// to `out` (which is cleared first). Player 0's best responses to every
// profile of the others are the first candidates; each further player keeps
// only the candidates where its own strategy is a best response.
void FindPureEquilibria(const GameView& game, PureNashScratch& scratch, std::vector<int64_t>& out);

// The largest gain any single player gets by deviating from `profile`,
// computed directly from the definition (independent of FindPureEquilibria).
double MaxRegret(const GameView& game, int64_t profile);

}  // namespace parley
