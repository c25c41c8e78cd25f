#include "sim/solve/backward_induction.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <span>

namespace parley {
namespace {

// Payoffs of play from each node on, given everyone's choices.
void EvaluateChoices(const TreeView& game, const std::vector<int32_t>& choice,
                     std::vector<double>& value) {
  const GameTree& tree = *game.tree;
  const int n = tree.num_players();
  value.assign(static_cast<size_t>(tree.num_nodes()) * n, 0.0);
  const auto& order = tree.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const int v = *it;
    const TreeNode& node = tree.node(v);
    double* out = value.data() + static_cast<size_t>(v) * n;
    if (node.kind == NodeKind::kTerminal) {
      for (int p = 0; p < n; ++p) out[p] = game.Payoff(node.terminal, p);
    } else if (node.kind == NodeKind::kChance) {
      const auto kids = tree.children(v);
      const int offset = tree.infosets()[node.infoset].probability_offset;
      for (size_t a = 0; a < kids.size(); ++a) {
        const double pr = game.Probability(offset + static_cast<int>(a));
        if (pr == 0.0) continue;
        for (int p = 0; p < n; ++p) out[p] += pr * value[static_cast<size_t>(kids[a]) * n + p];
      }
    } else {
      const int child = tree.children(v)[choice[v]];
      std::copy_n(value.data() + static_cast<size_t>(child) * n, n, out);
    }
  }
}

// Picks one of the optimal actions at a node where several tie for the
// mover (see SolveBackwardInduction); records the tie.
int BreakTie(const double* values, std::span<const int32_t> kids, int n, int mover,
             double best_payoff, Selection selection, SampleRng& rng, SubgamePerfect& out) {
  ++out.num_ties;
  auto row = [&](int a) { return values + static_cast<size_t>(kids[a]) * n; };
  out.ties.clear();
  for (int a = 0; a < static_cast<int>(kids.size()); ++a) {
    if (Ties(row(a)[mover], best_payoff)) out.ties.push_back(a);
  }
  if (selection == Selection::kPayoffDominant) {
    // Keep the actions whose continuation no other optimal action weakly
    // improves for everyone and strictly for someone.
    out.kept.clear();
    for (int a : out.ties) {
      bool dominated = false;
      for (int b : out.ties) {
        if (a == b) continue;
        bool weakly = true, strictly = false;
        for (int p = 0; p < n && weakly; ++p) {
          if (row(b)[p] < row(a)[p] && !Ties(row(b)[p], row(a)[p])) weakly = false;
          if (row(b)[p] > row(a)[p] && !Ties(row(b)[p], row(a)[p])) strictly = true;
        }
        if (weakly && strictly) {
          dominated = true;
          break;
        }
      }
      if (!dominated) out.kept.push_back(a);
    }
    out.ties.swap(out.kept);
  }
  if (out.ties.size() == 1) return out.ties[0];
  return out.ties[static_cast<size_t>(rng.Uniform() * static_cast<double>(out.ties.size()))];
}

}  // namespace

namespace {

// The first best action for a mover whose payoff after action a is
// column[kids[a] * n], for K actions (0: k, read at run time). Into `near`:
// the number of actions that may tie with it, at least as many as Ties()
// finds: every payoff x here lies in [lowest, best], so Ties(x, best)'s
// tolerance is at most the one of the larger magnitude (with infinities
// too; NaNs tie nothing). Usually only the best action is near, and the
// exact test is not needed. No branches: which payoff is larger is data,
// and mispredicts.
template <int K>
inline int FirstBest(const double* column, const int32_t* kids, int k, int n, double& best_payoff,
                     int& near) {
  const int actions = K > 0 ? K : k;
  auto payoff = [&](int a) { return column[static_cast<size_t>(kids[a]) * n]; };
  int best = 0;
  double best_x = payoff(0), lowest = best_x;
  for (int a = 1; a < actions; ++a) {
    const double x = payoff(a);
    best = x > best_x ? a : best;
    best_x = x > best_x ? x : best_x;
    lowest = x < lowest ? x : lowest;
  }
  const double abs_best = std::abs(best_x), abs_lowest = std::abs(lowest);
  const double larger = abs_best > abs_lowest ? abs_best : abs_lowest;
  // kTieTolerance * max(larger, 1), as a max after the product (the same
  // number) so that it compiles without a branch.
  const double scaled = kTieTolerance * larger;
  const double tolerance = scaled > kTieTolerance ? scaled : kTieTolerance;
  near = 0;
  for (int a = 0; a < actions; ++a) near += best_x - payoff(a) <= tolerance;
  best_payoff = best_x;
  return best;
}

// Backward induction for N players (N = 0: any number, read at run time).
// A fixed N lets the compiler unroll the per-player loops; the tree's flat
// tables are held in locals because the byte stores to `tied` could
// otherwise alias them and force a reload at every node.
template <int N>
void Solve(const TreeView& game, Selection selection, SampleRng& rng, SubgamePerfect& out) {
  const GameTree& tree = *game.tree;
  const int n = N > 0 ? N : tree.num_players();
  const int nodes = tree.num_nodes();
  // Every value is written before it is read (children come first), so
  // that buffer is only resized, not cleared; choice and tied are set in
  // bulk (cheaper than a store per terminal) and then at decision nodes.
  out.value.resize(static_cast<size_t>(nodes) * n);
  out.choice.assign(nodes, -1);
  out.tied.assign(nodes, 0);
  out.num_ties = 0;
  double* const values = out.value.data();
  int32_t* const choice = out.choice.data();
  uint8_t* const tied = out.tied.data();
  const GameTree::Flat f = tree.flat();
  const double* const table = game.table;
  const int32_t* const payoff_offset = game.payoff_offset;
  const int32_t* const probability_offset = game.probability_offset;
  // Terminals first, in one tight loop (no per-node dispatch): every other
  // node comes after all of its children in the walk below.
  const int terminals = tree.num_terminals();
  for (int t = 0; t < terminals; ++t) {
    const int v = f.terminal_nodes[t];
    const int32_t* offset = payoff_offset + static_cast<size_t>(t) * n;
    double* const value = values + static_cast<size_t>(v) * n;
    for (int p = 0; p < n; ++p) value[p] = table[offset[p]];
  }
  for (int i = f.num_internal - 1; i >= 0; --i) {
    const int v = f.internal[i];
    double* const value = values + static_cast<size_t>(v) * n;
    const int32_t* kids = f.children + f.child_begin[v];
    const int k = f.child_begin[v + 1] - f.child_begin[v];
    if (static_cast<NodeKind>(f.kind[v]) == NodeKind::kChance) {
      const int32_t* probability = probability_offset + f.terminal_or_offset[v];
      for (int p = 0; p < n; ++p) value[p] = 0.0;
      for (int a = 0; a < k; ++a) {
        const double pr = table[probability[a]];
        if (pr == 0.0) continue;
        const double* child = values + static_cast<size_t>(kids[a]) * n;
        for (int p = 0; p < n; ++p) value[p] += pr * child[p];
      }
      continue;
    }
    const int mover = f.mover[v];
    auto payoff = [&](int a) { return values[static_cast<size_t>(kids[a]) * n + mover]; };
    // Two and three actions are the common cases: unrolled.
    double best_payoff;
    int best, near;
    switch (k) {
      case 2:
        best = FirstBest<2>(values + mover, kids, k, n, best_payoff, near);
        break;
      case 3:
        best = FirstBest<3>(values + mover, kids, k, n, best_payoff, near);
        break;
      default:
        best = FirstBest<0>(values + mover, kids, k, n, best_payoff, near);
    }
    if (near > 1) [[unlikely]] {
      int ties = 0;
      for (int a = 0; a < k; ++a) ties += Ties(payoff(a), best_payoff);
      if (ties > 1) {
        tied[v] = 1;
        best = BreakTie(values, {kids, static_cast<size_t>(k)}, n, mover, best_payoff, selection,
                        rng, out);
      }
    }
    choice[v] = best;
    const double* chosen = values + static_cast<size_t>(kids[best]) * n;
    for (int p = 0; p < n; ++p) value[p] = chosen[p];
  }
}

}  // namespace

void SolveBackwardInduction(const TreeView& game, Selection selection, SampleRng& rng,
                            SubgamePerfect& out) {
  assert(game.tree->perfect_information());
  switch (game.tree->num_players()) {
    case 2:
      return Solve<2>(game, selection, rng, out);
    case 3:
      return Solve<3>(game, selection, rng, out);
    case 4:
      return Solve<4>(game, selection, rng, out);
    default:
      return Solve<0>(game, selection, rng, out);
  }
}

void ComputeReach(const TreeView& game, SubgamePerfect& out) {
  const GameTree& tree = *game.tree;
  const int nodes = tree.num_nodes();
  out.reach.assign(nodes, 0.0);
  out.reach[0] = 1.0;
  double* const reach = out.reach.data();
  const int32_t* const choice = out.choice.data();
  const GameTree::Flat f = tree.flat();
  if (tree.is_tree()) {
    // One parent per node: each reach is a single product, so following
    // play down from the root (the only nodes it passes on from) gives the
    // same numbers as the walk below without visiting the rest.
    out.walk.clear();
    if (static_cast<NodeKind>(f.kind[0]) != NodeKind::kTerminal) out.walk.push_back(0);
    while (!out.walk.empty()) {
      const int v = out.walk.back();
      out.walk.pop_back();
      const double r = reach[v];
      const int32_t* kids = f.children + f.child_begin[v];
      auto pass = [&](int32_t child, double x) {
        reach[child] += x;
        if (reach[child] != 0.0 && static_cast<NodeKind>(f.kind[child]) != NodeKind::kTerminal) {
          out.walk.push_back(child);
        }
      };
      if (static_cast<NodeKind>(f.kind[v]) == NodeKind::kDecision) {
        pass(kids[choice[v]], r);
      } else {
        const int k = f.child_begin[v + 1] - f.child_begin[v];
        const int offset = f.terminal_or_offset[v];
        for (int a = 0; a < k; ++a) pass(kids[a], r * game.Probability(offset + a));
      }
    }
    return;
  }
  // Parents come first in order(); in a DAG a node sums what its parents
  // pass on. Terminals pass nothing on.
  for (int i = 0; i < f.num_internal; ++i) {
    const int v = f.internal[i];
    const double r = reach[v];
    if (r == 0.0) continue;
    const int32_t* kids = f.children + f.child_begin[v];
    if (static_cast<NodeKind>(f.kind[v]) == NodeKind::kDecision) {
      reach[kids[choice[v]]] += r;
    } else {
      const int k = f.child_begin[v + 1] - f.child_begin[v];
      const int offset = f.terminal_or_offset[v];
      for (int a = 0; a < k; ++a) reach[kids[a]] += r * game.Probability(offset + a);
    }
  }
}

double MaxSubgameRegret(const TreeView& game, const std::vector<int32_t>& choice) {
  const GameTree& tree = *game.tree;
  const int n = tree.num_players();
  std::vector<double> value;
  EvaluateChoices(game, choice, value);
  double regret = 0.0;
  for (int v = 0; v < tree.num_nodes(); ++v) {
    const TreeNode& node = tree.node(v);
    if (node.kind != NodeKind::kDecision) continue;
    const int mover = tree.infosets()[node.infoset].player;
    const auto kids = tree.children(v);
    const double chosen = value[static_cast<size_t>(kids[choice[v]]) * n + mover];
    for (int32_t child : kids) {
      regret = std::max(regret, value[static_cast<size_t>(child) * n + mover] - chosen);
    }
  }
  return regret;
}

}  // namespace parley
