// Mixed-strategy equilibria: profiles of mixed strategies, their regret (the
// independent check every reported equilibrium carries), and solvers for
// two-player games: support enumeration and Lemke-Howson.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/game/normal_form.h"

namespace parley {

// One probability vector per player.
using MixedProfile = std::vector<Eigen::VectorXd>;

struct MixedEquilibrium {
  MixedProfile strategies;
  std::vector<double> payoffs;  // each player's expected payoff
  double regret = 0.0;          // max gain of any player from a pure deviation
};

// Each player's expected payoff for each of its pure strategies against the
// others' mixtures: result[p](s). Computed from the definition over all
// profiles, for any number of players.
std::vector<Eigen::VectorXd> StrategyValues(const GameView& game, const MixedProfile& profile);

// Expected payoffs and the maximum regret of `profile` (>= 0).
MixedEquilibrium Evaluate(const GameView& game, const MixedProfile& profile);

// A two-player game as two payoff matrices: a(i, j) and b(i, j) are the row
// and column player's payoffs when row plays i and column plays j.
struct Bimatrix {
  Eigen::MatrixXd a;
  Eigen::MatrixXd b;
};
StatusOr<Bimatrix> ToBimatrix(const GameView& game);

struct SolveOptions {
  double tolerance = 1e-9;  // probabilities and payoff gaps below this are 0
  // Support enumeration visits sum_k C(m,k) C(n,k) support pairs; refuse more.
  double max_support_pairs = 2e7;
};

// All equilibria of a nondegenerate game, by enumerating supports of equal
// size. (In a degenerate game it can miss equilibria with supports of
// unequal size; it is a cross-check for small games.)
StatusOr<std::vector<MixedEquilibrium>> SupportEnumeration(const Bimatrix& game,
                                                           const SolveOptions& options = {});

// One equilibrium by Lemke-Howson complementary pivoting from the artificial
// equilibrium, dropping `label` (0..m-1 the row player's strategies, m..m+n-1
// the column player's). Lexicographic ratio tests keep degenerate games from
// cycling.
MixedEquilibrium LemkeHowson(const Bimatrix& game, int label);

// Lemke-Howson from every label; distinct equilibria in order of discovery.
std::vector<MixedEquilibrium> LemkeHowsonAll(const Bimatrix& game,
                                             const SolveOptions& options = {});

struct VertexEnumeration {
  std::vector<MixedEquilibrium> equilibria;  // every extreme equilibrium found
  bool degenerate = false;                   // some vertex had a zero basic variable
  int64_t vertices_row = 0;                  // vertices of the row player's best-response polytope
  int64_t vertices_column = 0;               // ... and of the column player's
};

// All extreme equilibria by enumerating the vertices of both best-response
// polytopes (the method of lrsnash and gambit-enummixed), in floating point,
// each equilibrium verified by its regret. Vertices are found by reverse
// search over lexicographic bases (as lrs does). Only the column player's
// polytope is stored, 25 bytes a vertex with at most 64 strategies in all
// (33 above: basic set, search-tree parent, flags and index); the row
// player's is walked and matched against it without being stored.
// Complementary vertex pairs are equilibria, reported in breadth-first order
// of the row player's vertices (fewest pivots from the origin, then basic
// set), the order of the earlier breadth-first search. For degenerate games
// the actual label sets of the pairs with a degenerate vertex are also
// compared, and `degenerate` is set. Refuses (ResourceExhausted) games whose
// stored vertices (with the few candidate pairs) would take more than
// `max_stored_bytes`, or with more than 128 strategies in all.
StatusOr<VertexEnumeration> EnumerateVertices(const Bimatrix& game,
                                              int64_t max_stored_bytes = int64_t{4} << 30,
                                              const SolveOptions& options = {});

// True when the two profiles are equal to within `tolerance` in every entry.
bool SameProfile(const MixedProfile& x, const MixedProfile& y, double tolerance);

}  // namespace parley
