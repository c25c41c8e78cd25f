// Equilibrium selection: which of several equilibria a model predicts.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/status.h"
#include "sim/game/normal_form.h"

namespace parley {

enum class Selection {
  kUniform,         // each equilibrium equally likely
  kPayoffDominant,  // the Pareto-undominated equilibria; uniform among them
};

StatusOr<Selection> SelectionFromName(std::string_view name);
std::string_view SelectionName(Selection s);
const std::vector<std::string_view>& SelectionNames();

// Picks one of `equilibria` (non-empty). Draws from `rng` only when there is a
// real choice, so unique-equilibrium games consume no model randomness.
int64_t SelectEquilibrium(const GameView& game, std::span<const int64_t> equilibria, Selection rule,
                          SampleRng& rng, std::vector<int64_t>& scratch);

}  // namespace parley
