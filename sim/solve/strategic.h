// The textbook analysis of a normal-form game in pure strategies, as a
// student does it by hand (`parley explain` of a normal-form game): each
// player's best responses, the pure Nash equilibria (profiles where every
// player best-responds), strategies dominated by another pure strategy,
// iterated elimination of strictly dominated strategies, and which pure
// equilibria another profile Pareto-dominates.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/status.h"
#include "sim/game/normal_form.h"

namespace parley {

// The analysis compares every equilibrium with every profile (Pareto), so
// it is bounded: larger games are refused (`parley solve` handles them).
inline constexpr int64_t kMaxStrategicAnalysisProfiles = 4096;

// Player `player`'s strategy `dominated` is dominated by its strategy `by`:
// never better against any profile of the others' strategies, and worse
// against at least one (weakly) or all (strictly).
struct Domination {
  int player = 0;
  int dominated = 0;
  int by = 0;
  bool strict = false;
};

struct StrategicAnalysis {
  // best_response[profile * players + player]: the player's strategy in the
  // profile is a best response to the others' strategies (ties within
  // kPayoffTolerance count, as in FindPureEquilibria).
  std::vector<uint8_t> best_response;
  // Profiles where every player best-responds, in increasing order.
  std::vector<int64_t> pure_equilibria;
  // Every dominated strategy of the whole game, by player then strategy,
  // with the first strategy that dominates it (a strict dominator first).
  std::vector<Domination> dominated;
  // Iterated elimination of strictly dominated strategies: each round
  // removes, at once, every strategy strictly dominated by a surviving
  // strategy against the surviving strategies of the others.
  std::vector<std::vector<Domination>> elimination_rounds;
  std::vector<std::vector<int>> survivors;  // per player, what no round removed
  // Pure equilibria Pareto-dominated by another profile (every player at
  // least as well off, one better off), with every such profile.
  struct ParetoNote {
    int64_t equilibrium = 0;
    std::vector<int64_t> dominated_by;
  };
  std::vector<ParetoNote> pareto;
};

// Refuses (ResourceExhausted) a game with more than
// kMaxStrategicAnalysisProfiles profiles.
StatusOr<StrategicAnalysis> AnalyzeStrategies(const NormalFormGame& game);

}  // namespace parley
