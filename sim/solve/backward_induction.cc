#include "sim/solve/backward_induction.h"

#include <algorithm>
#include <cassert>
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

void SolveBackwardInduction(const TreeView& game, Selection selection, SampleRng& rng,
                            SubgamePerfect& out) {
  const GameTree& tree = *game.tree;
  assert(tree.perfect_information());
  const int n = tree.num_players();
  const int nodes = tree.num_nodes();
  // Every entry is written before it is read (children come first), so the
  // buffers are only resized, not cleared.
  out.value.resize(static_cast<size_t>(nodes) * n);
  out.choice.resize(nodes);
  out.tied.resize(nodes);
  out.num_ties = 0;
  double* const values = out.value.data();
  const auto& order = tree.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const int v = *it;
    double* value = values + static_cast<size_t>(v) * n;
    out.choice[v] = -1;
    out.tied[v] = 0;
    switch (tree.kind(v)) {
      case NodeKind::kTerminal: {
        const int t = tree.terminal_or_offset(v);
        for (int p = 0; p < n; ++p) value[p] = game.Payoff(t, p);
        break;
      }
      case NodeKind::kChance: {
        const auto kids = tree.children(v);
        const int offset = tree.terminal_or_offset(v);
        for (int p = 0; p < n; ++p) value[p] = 0.0;
        for (size_t a = 0; a < kids.size(); ++a) {
          const double pr = game.Probability(offset + static_cast<int>(a));
          if (pr == 0.0) continue;
          const double* child = values + static_cast<size_t>(kids[a]) * n;
          for (int p = 0; p < n; ++p) value[p] += pr * child[p];
        }
        break;
      }
      case NodeKind::kDecision: {
        const auto kids = tree.children(v);
        const int mover = tree.mover(v);
        const int k = static_cast<int>(kids.size());
        auto payoff = [&](int a) { return values[static_cast<size_t>(kids[a]) * n + mover]; };
        int best = 0;
        double best_payoff = payoff(0);
        for (int a = 1; a < k; ++a) {
          const double x = payoff(a);
          if (x > best_payoff) {
            best = a;
            best_payoff = x;
          }
        }
        int ties = 0;
        for (int a = 0; a < k; ++a) ties += Ties(payoff(a), best_payoff);
        if (ties > 1) {
          out.tied[v] = 1;
          best = BreakTie(values, kids, n, mover, best_payoff, selection, rng, out);
        }
        out.choice[v] = best;
        const double* chosen = values + static_cast<size_t>(kids[best]) * n;
        for (int p = 0; p < n; ++p) value[p] = chosen[p];
        break;
      }
    }
  }
}

void ComputeReach(const TreeView& game, SubgamePerfect& out) {
  const GameTree& tree = *game.tree;
  const int nodes = tree.num_nodes();
  out.reach.assign(nodes, 0.0);
  out.reach[0] = 1.0;
  // Parents come first in order(); in a DAG a node sums what its parents pass on.
  for (const int32_t v : tree.order()) {
    const double r = out.reach[v];
    if (r == 0.0) continue;
    const TreeNode& node = tree.node(v);
    if (node.kind == NodeKind::kDecision) {
      out.reach[tree.children(v)[out.choice[v]]] += r;
    } else if (node.kind == NodeKind::kChance) {
      const auto kids = tree.children(v);
      const int offset = tree.infosets()[node.infoset].probability_offset;
      for (size_t a = 0; a < kids.size(); ++a) {
        out.reach[kids[a]] += r * game.Probability(offset + static_cast<int>(a));
      }
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
