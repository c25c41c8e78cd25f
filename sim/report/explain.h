// Explanations a student can follow: a sequential game's tree with every
// actor's equilibrium choice at every node and the reason for it, and which
// declared threats are credible.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"
#include "sim/solve/backward_induction.h"

namespace parley {

struct ExplainOptions {
  std::string what = "mean payoffs";  // which game this is, for the heading
  size_t max_lines = 400;             // the tree is cut after this many lines
};

// `table` is one game's table (stride 1: GameModel::MeanTable or
// SampleTable) and `play` its solution (SolveBackwardInduction + ComputeReach).
std::string ExplainTree(const ScenarioSpec& spec, const GameModel& game,
                        const std::vector<double>& table, const SubgamePerfect& play,
                        const ExplainOptions& options);

}  // namespace parley
