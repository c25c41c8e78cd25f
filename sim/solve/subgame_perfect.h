// Subgame-perfect equilibria of game trees with information sets, by
// subgame decomposition: the tree's proper subgames are solved deepest
// first; a subgame that is a single decision or chance node (every node of a
// perfect-information tree) is solved as in backward induction, and one with
// information sets through its reduced normal form (sim/game/
// reduced_normal_form.h) with a normal-form solver, its leaves being the
// subgames below it at their solved values. A mixed equilibrium of a subgame
// passes its expected value up. Kuhn's theorem maps each subgame's
// equilibrium back to a behaviour strategy at every information set.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/status.h"
#include "sim/game/game_tree.h"
#include "sim/game/normal_form.h"
#include "sim/game/reduced_normal_form.h"
#include "sim/solve/backward_induction.h"
#include "sim/solve/selection.h"

namespace parley {

// A tree split into its subgames: computed once per tree (the reduced
// strategies do not depend on payoffs).
struct SubgameDecomposition {
  struct Unit {
    int root = 0;
    // The subgame is the root alone: its children are terminals or roots of
    // smaller subgames. Otherwise `strategies` is its reduced normal form.
    bool single_node = true;
    ReducedStrategies strategies;
  };
  std::vector<Unit> units;       // deepest first (decreasing root)
  std::vector<uint8_t> is_root;  // per node: 1 at the root of a proper subgame

  // Refuses a DAG of shared subgames (those have perfect information; use
  // SolveBackwardInduction) and, naming the subgame and the sizes, any
  // subgame whose reduced normal form has more than `max_profiles` profiles.
  static StatusOr<SubgameDecomposition> Make(const GameTree& tree,
                                             int64_t max_profiles = kMaxReducedProfiles);
  // The number of subgames solved through their reduced normal form.
  int num_normal_form_subgames() const;
};

// One subgame's equilibria, each a mixed profile [player][strategy] of its
// reduced normal form.
using MixedList = std::vector<std::vector<std::vector<double>>>;
using ReducedFormSolver = std::function<StatusOr<MixedList>(const GameView& game)>;

struct SubgameOptions {
  Selection selection = Selection::kUniform;
  // Empty: pure Nash equilibria (FindPureEquilibria).
  ReducedFormSolver solver;
  // When the whole game's root is solved through its reduced normal form:
  // one solution per equilibrium the solver finds there (instead of the one
  // the selection rule picks). Subgames below still use the selection rule.
  bool all_root_equilibria = false;
};

struct SubgameSolution {
  std::vector<double> value;  // [node * players + player]: payoffs of play from node on
  // The behaviour at every decision information set. `reached` is 0 where
  // the player's own strategy never reaches the set: any action there is
  // consistent with the equilibrium, and the one given is the player's best
  // action there (equal weight on the set's nodes) given the rest.
  Behaviour behaviour;
  std::vector<int32_t> normal_form_roots;  // subgames solved through the reduced normal form
  std::vector<int32_t> equilibria_found;   // per such subgame: how many equilibria there were
  int num_ties = 0;  // subgames where the selection rule chose among several equilibria
};

// Solves every subgame, deepest first. Randomness (ties, selection) is drawn
// from `rng` only where there is a choice. NotFound, naming the subgame, when
// a subgame's solver finds no equilibrium (pure Nash: none in pure strategies).
StatusOr<std::vector<SubgameSolution>> SolveSubgamePerfect(const TreeView& game,
                                                           const SubgameDecomposition& d,
                                                           const SubgameOptions& options,
                                                           SampleRng& rng);

// A pure solution as SubgamePerfect (choice, value, tied, num_ties; reach
// filled by ComputeReach), what the spe model and explain consume. The
// behaviour must be pure (as SolveSubgamePerfect gives with pure Nash).
void ToSubgamePerfect(const TreeView& game, const SubgameSolution& s, SubgamePerfect& out);

// Behaviour of a pure choice per decision node (as from backward induction).
Behaviour BehaviourOfChoices(const GameTree& tree, const std::vector<int32_t>& choice);

// The largest gain any player could get in any proper subgame by switching,
// alone, to its best strategy there, given the others' behaviour: 0 (to
// rounding) exactly at a subgame-perfect equilibrium. Computed from the
// definition on the tree, by each player's best response information set by
// information set (deepest first, weighting each node by the probability
// that chance and the others reach it), sharing no code with the solver.
// Needs perfect recall (every game Parley builds from a scenario has it).
double MaxInfosetRegret(const TreeView& game, const Behaviour& behaviour);

}  // namespace parley
