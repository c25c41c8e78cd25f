// The reduced normal form of a game tree with information sets and chance:
// each player's reduced pure strategies (plans), the expected payoff of every
// profile of plans, and Kuhn's map from a mixed strategy over plans back to a
// behaviour strategy at every information set.
//
// A plan assigns an action to every information set of its player that the
// player's own earlier choices do not exclude, and nothing ("*") to the
// others: pure strategies that differ only at excluded information sets
// reach the same terminals against everything the others do, so they are
// one reduced strategy (Gambit's "reduced strategic form").
//
// The transformation can cover a whole tree or one part of it: the nodes
// reached from `root` without passing a node marked as a leaf (a cut). A
// cut node stands for a subgame already solved and contributes its value
// vector; that is how a subgame-perfect solver solves a subgame through its
// reduced normal form once the subgames inside it are solved.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/game/game_tree.h"
#include "sim/game/normal_form.h"

namespace parley {

// The most profiles of plans a reduced normal form may have (before any
// payoff is computed): 2^20. A larger form is refused with a message that
// names each player's count of reduced strategies and the total.
inline constexpr int64_t kMaxReducedProfiles = int64_t{1} << 20;

// The most plan entries (plans x the player's information sets in the part)
// kept at once while one player's plans are enumerated: 2^26 entries, 256
// MiB. A player who sees many different histories has a plan per
// combination of answers, each as long as its number of information sets;
// they are refused at this budget, before memory runs out, even when their
// count has not reached kMaxReducedProfiles yet.
inline constexpr int64_t kMaxReducedPlanEntries = int64_t{1} << 26;

// Which nodes are leaves of the part being transformed (besides terminals)
// and their values.
struct TreeCut {
  const uint8_t* is_leaf = nullptr;  // per node, 1 = a leaf; null: terminals only
  const double* values = nullptr;    // [node * players + player] at leaf nodes
};

// The payoff-independent structure of a reduced normal form: computed once
// per tree (and part), reused for every sampled payoff table.
struct ReducedStrategies {
  int root = 0;
  // Nodes of the part in preorder (the root first), leaves and terminals included.
  std::vector<int32_t> nodes;
  // Per player: its information sets in the part (indices into
  // GameTree::infosets()), in order of their first node.
  std::vector<std::vector<int32_t>> infosets;
  // plans[p][s][k]: the action of player p's strategy s at infosets[p][k],
  // or -1 where p's own earlier choices exclude that information set.
  std::vector<std::vector<std::vector<int32_t>>> plans;
  // Per entry of `nodes`: for a decision node inside the part (not a leaf),
  // the index k of its information set in infosets[its player], else -1.
  // Kept per node of the part rather than per information set of the tree,
  // so that a tree with many small subgames costs the sum of their sizes.
  std::vector<int32_t> local_index;
  // The children of nodes[i] that are inside the part (every child of a node
  // that is neither a leaf nor a terminal), as indices into `nodes`, in
  // action order: child_index[child_begin[i] .. child_begin[i + 1]).
  std::vector<int32_t> child_begin;
  std::vector<int32_t> child_index;

  int num_strategies(int player) const { return static_cast<int>(plans[player].size()); }
  int64_t num_profiles() const;
  // A plan's name: its action at each of the player's information sets, in
  // order, joined by "/", with "*" where the plan assigns nothing (the
  // action alone for a player with one information set; "-" for a player
  // with none).
  std::string StrategyName(const GameTree& tree, int player, int strategy) const;
};

// The reduced strategies of the part of `tree` at `root` (every node below
// it when `is_leaf` is null; the root itself is never a leaf). Refuses with
// ResourceExhausted, naming every player's count and the total, when there
// would be more than `max_profiles` profiles, and, naming the player, when
// its plans would take more than `max_plan_entries` entries at once. Needs
// a tree (not a DAG of shared subgames). Works without recursion, in time
// and memory proportional to the part (and its plans), not the whole tree.
StatusOr<ReducedStrategies> EnumerateReducedStrategies(
    const GameTree& tree, int root = 0, const uint8_t* is_leaf = nullptr,
    int64_t max_profiles = kMaxReducedProfiles, int64_t max_plan_entries = kMaxReducedPlanEntries);

// The expected payoff of every profile of plans, chance included:
// out[profile * players + player], player 0's strategy varying fastest.
void ReducedPayoffs(const TreeView& game, const ReducedStrategies& strategies, const TreeCut& cut,
                    std::vector<double>& out);

// A whole tree's reduced normal form as a labelled game (strategy names from
// StrategyName), with the structure that maps it back to the tree.
struct ReducedNormalForm {
  ReducedStrategies strategies;
  NormalFormGame game;
};
StatusOr<ReducedNormalForm> BuildReducedNormalForm(const TreeView& game,
                                                   int64_t max_profiles = kMaxReducedProfiles);

// A behaviour strategy profile: per tree information set, a probability for
// each action (empty for chance sets and sets outside the part).
struct Behaviour {
  std::vector<std::vector<double>> probabilities;
  // Per information set: 1 when its player's own strategy reaches it with
  // positive probability. Kuhn's map leaves the others empty: any action
  // there is consistent with the strategy, since it never matters.
  std::vector<uint8_t> reached;
};

// Whether every player remembers what it saw and did: at every node of an
// information set, the player's own earlier information sets and actions
// on the path from the root are the same. Kuhn's theorem (mixed plans ==
// behaviour strategies) needs it; pure plans map to pure behaviour without it.
bool HasPerfectRecall(const GameTree& tree);

// Kuhn's map from mixed strategies over plans (mixed[p][s]) to behaviour at
// every information set of the part: the probability of action a at h is
// the weight of the plans that choose a at h over the weight of the plans
// that do not exclude h. Writes only the part's information sets of `out`
// (which must be sized for the tree's information sets).
void KuhnBehaviour(const GameTree& tree, const ReducedStrategies& strategies,
                   const std::vector<std::vector<double>>& mixed, Behaviour& out);

}  // namespace parley
