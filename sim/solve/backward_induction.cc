#include "sim/solve/backward_induction.h"

#include <algorithm>
#include <cassert>

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

}  // namespace

void SolveBackwardInduction(const TreeView& game, Selection selection, SampleRng& rng,
                            SubgamePerfect& out) {
  const GameTree& tree = *game.tree;
  assert(tree.perfect_information());
  const int n = tree.num_players();
  const int nodes = tree.num_nodes();
  out.value.assign(static_cast<size_t>(nodes) * n, 0.0);
  out.choice.assign(nodes, -1);
  out.tied.assign(nodes, 0);
  out.num_ties = 0;
  const auto& order = tree.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const int v = *it;
    const TreeNode& node = tree.node(v);
    double* value = out.value.data() + static_cast<size_t>(v) * n;
    if (node.kind == NodeKind::kTerminal) {
      for (int p = 0; p < n; ++p) value[p] = game.Payoff(node.terminal, p);
      continue;
    }
    const auto kids = tree.children(v);
    if (node.kind == NodeKind::kChance) {
      const int offset = tree.infosets()[node.infoset].probability_offset;
      for (size_t a = 0; a < kids.size(); ++a) {
        const double pr = game.Probability(offset + static_cast<int>(a));
        if (pr == 0.0) continue;
        const double* child = out.value.data() + static_cast<size_t>(kids[a]) * n;
        for (int p = 0; p < n; ++p) value[p] += pr * child[p];
      }
      continue;
    }
    const int mover = tree.infosets()[node.infoset].player;
    auto payoff = [&](int a) { return out.value[static_cast<size_t>(kids[a]) * n + mover]; };
    int best = 0;
    for (int a = 1; a < static_cast<int>(kids.size()); ++a) {
      if (payoff(a) > payoff(best)) best = a;
    }
    out.ties.clear();
    for (int a = 0; a < static_cast<int>(kids.size()); ++a) {
      if (Ties(payoff(a), payoff(best))) out.ties.push_back(a);
    }
    if (out.ties.size() > 1) {
      out.tied[v] = 1;
      ++out.num_ties;
      if (selection == Selection::kPayoffDominant) {
        // Keep the actions whose continuation no other optimal action
        // weakly improves for everyone and strictly for someone.
        auto row = [&](int a) { return out.value.data() + static_cast<size_t>(kids[a]) * n; };
        std::vector<int32_t> kept;
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
          if (!dominated) kept.push_back(a);
        }
        out.ties.swap(kept);
      }
      best =
          out.ties.size() == 1
              ? out.ties[0]
              : out.ties[static_cast<size_t>(rng.Uniform() * static_cast<double>(out.ties.size()))];
    }
    out.choice[v] = best;
    std::copy_n(out.value.data() + static_cast<size_t>(kids[best]) * n, n, value);
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
