// Backward induction on perfect-information game trees with chance nodes:
// the subgame-perfect equilibrium in pure behaviour strategies, with every
// player's choice at every decision node, on and off the equilibrium path.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/rng.h"
#include "sim/game/game_tree.h"
#include "sim/game/play_paths.h"
#include "sim/solve/selection.h"

namespace parley {

// Two payoffs closer than this (relative to their size) count as a tie.
inline constexpr double kTieTolerance = 1e-9;

inline bool Ties(double a, double b) {
  const double abs_a = a < 0 ? -a : a, abs_b = b < 0 ? -b : b;
  const double larger = abs_a > abs_b ? abs_a : abs_b;
  return (a > b ? a - b : b - a) <= kTieTolerance * (larger > 1.0 ? larger : 1.0);
}

// The result of backward induction, in buffers reused across samples.
struct SubgamePerfect {
  std::vector<double> value;    // [node * players + player]: payoffs of play from node on
  std::vector<int32_t> choice;  // per node: the action chosen (decision nodes), else -1
  std::vector<uint8_t> tied;    // per node: 1 when several actions were optimal
  std::vector<double> reach;    // per node: probability that equilibrium play reaches it
  std::vector<int32_t> ties;    // scratch for the tied actions of one node
  std::vector<int32_t> kept;    // scratch for payoff dominance among them
  std::vector<int32_t> walk;    // scratch for ComputeReach
  int num_ties = 0;             // decision nodes where the selection rule had to choose
};

// Solves a perfect-information tree (GameTree::perfect_information()) by
// backward induction. At a node where several actions are optimal for the
// mover, `selection` picks one: kUniform draws uniformly from `rng`;
// kPayoffDominant keeps the actions whose continuation is not Pareto-dominated
// by another optimal one and draws uniformly among those. `rng` is used only
// at ties, so a tree without ties consumes no randomness.
void SolveBackwardInduction(const TreeView& game, Selection selection, SampleRng& rng,
                            SubgamePerfect& out);

// Fills out.reach from out.choice: the probability that equilibrium play
// (and chance) reaches each node.
void ComputeReach(const TreeView& game, SubgamePerfect& out);

// The largest gain any player at any decision node (reached or not) could
// get by changing its action there, given the others' choices: 0 (to
// rounding) for a subgame-perfect profile. An independent check of
// SolveBackwardInduction: it recomputes every node's value from `choice`.
double MaxSubgameRegret(const TreeView& game, const std::vector<int32_t>& choice);

// Walks the equilibrium paths of `play`: the chosen action at each decision
// node and every chance branch play reaches; `on_leaf(terminal_node, moves)`
// gets each terminal reached, in depth-first order.
template <typename OnLeaf>
void WalkEquilibriumPaths(const GameTree& tree, const SubgamePerfect& play, OnLeaf on_leaf) {
  WalkPlayPaths(
      tree,
      [&](int v) {
        return tree.node(v).kind == NodeKind::kTerminal ? PathNode::kLeaf : PathNode::kFollow;
      },
      [&](int v, int a) {
        return tree.node(v).kind == NodeKind::kDecision ? a == play.choice[v]
                                                        : play.reach[tree.children(v)[a]] > 0.0;
      },
      on_leaf);
}

}  // namespace parley
