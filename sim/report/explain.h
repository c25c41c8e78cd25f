// Explanations a student can follow (`parley explain`): a sequential game's
// tree with every actor's equilibrium choice at every node and the reason for
// it, which declared threats are credible, and in a game with information
// sets what each mover believes there and what each action is worth on it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"
#include "sim/solve/backward_induction.h"
#include "sim/solve/solver.h"
#include "sim/solve/subgame_perfect.h"

namespace parley {

struct ExplainOptions {
  std::string what = "mean payoffs";  // which game this is, for the heading
  // Every section (the tree, the equilibrium paths, the threats, the
  // subgames and the information sets) is cut after this many lines.
  size_t max_lines = 400;
};

// `table` is one game's table (stride 1: GameModel::MeanTable or
// SampleTable) and `play` its solution (SolveBackwardInduction + ComputeReach).
std::string ExplainTree(const ScenarioSpec& spec, const GameModel& game,
                        const std::vector<double>& table, const SubgamePerfect& play,
                        const ExplainOptions& options);

// The part only games with information sets have: which subgames were
// solved through their reduced normal form, and at every information set
// the nodes the mover cannot tell apart, how likely each is in equilibrium
// (the mover's belief), what each action is worth on that belief, and the
// choice. `solution` is the pure equilibrium and `play` its choices
// (ToSubgamePerfect).
// Each of its two sections is cut after `max_lines` lines.
std::string ExplainInformationSets(const ScenarioSpec& spec, const GameModel& game,
                                   const SubgameDecomposition& d, const SubgameSolution& solution,
                                   const SubgamePerfect& play, size_t max_lines);

// All of `parley explain` for the spe solver's Solution of the game whose
// table this is: the tree, and for a game with information sets the rest.
std::string ExplainGame(const ScenarioSpec& spec, const GameModel& game,
                        const std::vector<double>& table, const Solution& solution,
                        const ExplainOptions& options);

}  // namespace parley
