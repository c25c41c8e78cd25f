#include "sim/solve/subgame_perfect.h"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <string>

#include "sim/solve/pure_nash.h"

namespace parley {
namespace {

std::string SubgameName(const GameTree& tree, int root) {
  const TreeNode& node = tree.node(root);
  const std::string& label = tree.infosets()[node.infoset].label;
  return "the subgame at node " + std::to_string(root) + (label.empty() ? "" : " (" + label + ")");
}

// Picks one of several candidate payoff vectors: the payoff-dominant rule
// first keeps those no other weakly improves for everyone and strictly for
// someone; then uniformly. Draws only when there is a choice.
int SelectAmong(const std::vector<std::vector<double>>& payoffs, Selection selection,
                SampleRng& rng) {
  std::vector<int> kept(payoffs.size());
  std::iota(kept.begin(), kept.end(), 0);
  if (selection == Selection::kPayoffDominant && kept.size() > 1) {
    std::vector<int> undominated;
    for (size_t a = 0; a < payoffs.size(); ++a) {
      bool dominated = false;
      for (size_t b = 0; b < payoffs.size() && !dominated; ++b) {
        if (a == b) continue;
        bool weakly = true, strictly = false;
        for (size_t p = 0; p < payoffs[a].size(); ++p) {
          const double x = payoffs[a][p], y = payoffs[b][p];
          if (Ties(x, y)) continue;
          if (y < x) weakly = false;
          if (y > x) strictly = true;
        }
        dominated = weakly && strictly;
      }
      if (!dominated) undominated.push_back(static_cast<int>(a));
    }
    kept.swap(undominated);
  }
  if (kept.size() == 1) return kept[0];
  const auto i = static_cast<size_t>(rng.Uniform() * static_cast<double>(kept.size()));
  return kept[std::min(i, kept.size() - 1)];
}

// Values of the part's nodes under `behaviour` (leaves keep theirs); an
// information set without behaviour yet counts as uniform.
void EvaluatePart(const TreeView& game, const ReducedStrategies& part, const uint8_t* is_leaf,
                  const Behaviour& behaviour, std::vector<double>& value) {
  const GameTree& tree = *game.tree;
  const int n = tree.num_players();
  for (auto it = part.nodes.rbegin(); it != part.nodes.rend(); ++it) {
    const int v = *it;
    const NodeKind kind = tree.kind(v);
    if (kind == NodeKind::kTerminal || (v != part.root && is_leaf[v])) continue;
    double* out = value.data() + static_cast<size_t>(v) * n;
    std::fill(out, out + n, 0.0);
    const auto kids = tree.children(v);
    for (size_t a = 0; a < kids.size(); ++a) {
      double pr;
      if (kind == NodeKind::kChance) {
        pr = game.Probability(tree.terminal_or_offset(v) + static_cast<int>(a));
      } else {
        const auto& b = behaviour.probabilities[tree.node(v).infoset];
        pr = b.empty() ? 1.0 / static_cast<double>(kids.size()) : b[a];
      }
      if (pr == 0.0) continue;
      const double* child = value.data() + static_cast<size_t>(kids[a]) * n;
      for (int p = 0; p < n; ++p) out[p] += pr * child[p];
    }
  }
}

// Applies one equilibrium of a subgame's reduced normal form: Kuhn's
// behaviour, a best action at the sets its player's own strategy excludes,
// and the values of the subgame's nodes.
void ApplyEquilibrium(const TreeView& game, const SubgameDecomposition::Unit& unit,
                      const uint8_t* is_leaf, const std::vector<std::vector<double>>& mixed,
                      SubgameSolution& s) {
  const GameTree& tree = *game.tree;
  const int n = tree.num_players();
  const ReducedStrategies& part = unit.strategies;
  KuhnBehaviour(tree, part, mixed, s.behaviour);
  // Unreached sets, deepest first: the action best for their player with
  // every node of the set weighted equally, given the behaviour below.
  std::vector<int32_t> unreached;
  for (int p = 0; p < n; ++p) {
    for (const int32_t h : part.infosets[p]) {
      if (!s.behaviour.reached[h]) unreached.push_back(h);
    }
  }
  std::sort(unreached.begin(), unreached.end(), [&](int32_t a, int32_t b) {
    return tree.infosets()[a].nodes.front() > tree.infosets()[b].nodes.front();
  });
  for (const int32_t h : unreached) {
    EvaluatePart(game, part, is_leaf, s.behaviour, s.value);
    const InfoSet& set = tree.infosets()[h];
    int best = 0;
    double best_score = 0.0;
    for (size_t a = 0; a < set.actions.size(); ++a) {
      double score = 0.0;
      for (const int x : set.nodes) {
        score += s.value[static_cast<size_t>(tree.children(x)[a]) * n + set.player];
      }
      if (a == 0 || (score > best_score && !Ties(score, best_score))) {
        best = static_cast<int>(a);
        best_score = score;
      }
    }
    s.behaviour.probabilities[h].assign(set.actions.size(), 0.0);
    s.behaviour.probabilities[h][best] = 1.0;
  }
  EvaluatePart(game, part, is_leaf, s.behaviour, s.value);
}

}  // namespace

StatusOr<SubgameDecomposition> SubgameDecomposition::Make(const GameTree& tree,
                                                          int64_t max_profiles) {
  if (!tree.is_tree()) {
    return InvalidArgument(
        "subgame decomposition needs a tree, not a graph of shared subgames (those have perfect "
        "information: solve them by backward induction)");
  }
  SubgameDecomposition d;
  const int nodes = tree.num_nodes();
  d.is_root.assign(nodes, 0);
  for (int v = 0; v < nodes; ++v) {
    d.is_root[v] = tree.kind(v) != NodeKind::kTerminal && tree.is_subgame_root(v);
  }
  for (int v = nodes - 1; v >= 0; --v) {
    if (!d.is_root[v]) continue;
    Unit unit;
    unit.root = v;
    for (const int32_t c : tree.children(v)) {
      if (tree.kind(c) != NodeKind::kTerminal && !d.is_root[c]) unit.single_node = false;
    }
    if (!unit.single_node) {
      auto s = EnumerateReducedStrategies(tree, v, d.is_root.data(), max_profiles);
      if (!s.ok())
        return Status(s.status().code(), SubgameName(tree, v) + ": " + s.status().message());
      unit.strategies = std::move(*s);
    }
    d.units.push_back(std::move(unit));
  }
  return d;
}

int SubgameDecomposition::num_normal_form_subgames() const {
  int count = 0;
  for (const Unit& u : units) count += !u.single_node;
  return count;
}

StatusOr<std::vector<SubgameSolution>> SolveSubgamePerfect(const TreeView& game,
                                                           const SubgameDecomposition& d,
                                                           const SubgameOptions& options,
                                                           SampleRng& rng) {
  const GameTree& tree = *game.tree;
  const int n = tree.num_players();
  SubgameSolution s;
  s.value.assign(static_cast<size_t>(tree.num_nodes()) * n, 0.0);
  s.behaviour.probabilities.assign(tree.infosets().size(), {});
  s.behaviour.reached.assign(tree.infosets().size(), 0);
  for (int t = 0; t < tree.num_terminals(); ++t) {
    const int v = tree.terminal_node(t);
    for (int p = 0; p < n; ++p) s.value[static_cast<size_t>(v) * n + p] = game.Payoff(t, p);
  }
  std::vector<std::vector<double>> candidates;
  std::vector<double> payoffs;
  std::vector<int32_t> offsets;
  PureNashScratch scratch;
  std::vector<int64_t> pure;
  std::vector<SubgameSolution> out;
  for (const SubgameDecomposition::Unit& unit : d.units) {
    const int v = unit.root;
    double* value = s.value.data() + static_cast<size_t>(v) * n;
    const auto kids = tree.children(v);
    if (unit.single_node && tree.kind(v) == NodeKind::kChance) {
      std::fill(value, value + n, 0.0);
      for (size_t a = 0; a < kids.size(); ++a) {
        const double pr = game.Probability(tree.terminal_or_offset(v) + static_cast<int>(a));
        if (pr == 0.0) continue;
        for (int p = 0; p < n; ++p) value[p] += pr * s.value[static_cast<size_t>(kids[a]) * n + p];
      }
      continue;
    }
    if (unit.single_node) {
      // A single decision node: the mover's optimal actions.
      const int mover = tree.mover(v);
      double best = s.value[static_cast<size_t>(kids[0]) * n + mover];
      for (const int32_t c : kids)
        best = std::max(best, s.value[static_cast<size_t>(c) * n + mover]);
      std::vector<int> optimal;
      candidates.clear();
      for (size_t a = 0; a < kids.size(); ++a) {
        const double* child = s.value.data() + static_cast<size_t>(kids[a]) * n;
        if (!Ties(child[mover], best)) continue;
        optimal.push_back(static_cast<int>(a));
        candidates.emplace_back(child, child + n);
      }
      if (optimal.size() > 1) ++s.num_ties;
      const int a = optimal[SelectAmong(candidates, options.selection, rng)];
      const int h = tree.node(v).infoset;
      s.behaviour.probabilities[h].assign(kids.size(), 0.0);
      s.behaviour.probabilities[h][a] = 1.0;
      s.behaviour.reached[h] = 1;
      std::copy_n(s.value.data() + static_cast<size_t>(kids[a]) * n, n, value);
      continue;
    }
    // A subgame with information sets: its reduced normal form.
    const ReducedStrategies& part = unit.strategies;
    ReducedPayoffs(game, part, {d.is_root.data(), s.value.data()}, payoffs);
    std::vector<int> counts(n);
    for (int p = 0; p < n; ++p) counts[p] = part.num_strategies(p);
    auto space = ProfileSpace::Make(counts, part.num_profiles());
    if (!space.ok()) return space.status();
    offsets.resize(payoffs.size());
    std::iota(offsets.begin(), offsets.end(), 0);
    const GameView view{&*space, offsets.data(), payoffs.data()};
    MixedList equilibria;
    if (options.solver) {
      auto found = options.solver(view);
      if (!found.ok()) {
        return Status(found.status().code(),
                      SubgameName(tree, v) + ": " + found.status().message());
      }
      equilibria = std::move(*found);
    } else {
      FindPureEquilibria(view, scratch, pure);
      for (const int64_t q : pure) {
        std::vector<std::vector<double>> mixed(n);
        for (int p = 0; p < n; ++p) {
          mixed[p].assign(counts[p], 0.0);
          mixed[p][space->StrategyOf(q, p)] = 1.0;
        }
        equilibria.push_back(std::move(mixed));
      }
    }
    if (equilibria.empty()) {
      return NotFound(SubgameName(tree, v) + " has no equilibrium" +
                      (options.solver ? "" : " in pure strategies") + " (its reduced normal form " +
                      "has " + std::to_string(space->num_profiles()) + " profiles)");
    }
    s.normal_form_roots.push_back(v);
    s.equilibria_found.push_back(static_cast<int32_t>(equilibria.size()));
    if (v == 0 && options.all_root_equilibria) {
      for (const auto& mixed : equilibria) {
        SubgameSolution copy = s;
        ApplyEquilibrium(game, unit, d.is_root.data(), mixed, copy);
        out.push_back(std::move(copy));
      }
      return out;
    }
    candidates.clear();
    for (const auto& mixed : equilibria) {
      std::vector<double> expected(n, 0.0);
      for (int64_t q = 0; q < space->num_profiles(); ++q) {
        double pr = 1.0;
        for (int p = 0; p < n && pr != 0.0; ++p) pr *= mixed[p][space->StrategyOf(q, p)];
        if (pr == 0.0) continue;
        for (int p = 0; p < n; ++p) expected[p] += pr * payoffs[static_cast<size_t>(q) * n + p];
      }
      candidates.push_back(std::move(expected));
    }
    if (equilibria.size() > 1) ++s.num_ties;
    const int pick = SelectAmong(candidates, options.selection, rng);
    ApplyEquilibrium(game, unit, d.is_root.data(), equilibria[pick], s);
  }
  out.push_back(std::move(s));
  return out;
}

void ToSubgamePerfect(const TreeView& game, const SubgameSolution& s, SubgamePerfect& out) {
  const GameTree& tree = *game.tree;
  const int nodes = tree.num_nodes();
  out.value = s.value;
  out.choice.assign(nodes, -1);
  out.tied.assign(nodes, 0);
  out.num_ties = s.num_ties;
  for (int v = 0; v < nodes; ++v) {
    if (tree.kind(v) != NodeKind::kDecision) continue;
    const auto& b = s.behaviour.probabilities[tree.node(v).infoset];
    out.choice[v] = static_cast<int32_t>(std::max_element(b.begin(), b.end()) - b.begin());
  }
  ComputeReach(game, out);
}

Behaviour BehaviourOfChoices(const GameTree& tree, const std::vector<int32_t>& choice) {
  Behaviour b;
  b.probabilities.assign(tree.infosets().size(), {});
  b.reached.assign(tree.infosets().size(), 1);
  for (int v = 0; v < tree.num_nodes(); ++v) {
    if (tree.kind(v) != NodeKind::kDecision) continue;
    const InfoSet& h = tree.infosets()[tree.node(v).infoset];
    auto& p = b.probabilities[tree.node(v).infoset];
    p.assign(h.actions.size(), 0.0);
    p[choice[v]] = 1.0;
  }
  return b;
}

double MaxInfosetRegret(const TreeView& game, const Behaviour& behaviour) {
  const GameTree& tree = *game.tree;
  const int n = tree.num_players();
  const int nodes = tree.num_nodes();
  const auto& sets = tree.infosets();
  // The probability of action a at decision or chance node v under the behaviour.
  auto prob = [&](int v, int a) {
    if (tree.kind(v) == NodeKind::kChance) {
      return game.Probability(sets[tree.node(v).infoset].probability_offset + a);
    }
    return behaviour.probabilities[tree.node(v).infoset][a];
  };
  // Payoff to `player` from each node of [r, end) on, where `player` plays
  // `decided` at its own sets (when given) and everyone else the behaviour.
  std::vector<double> value(nodes);
  auto evaluate = [&](int r, int end, int player, const std::vector<int>* decided) {
    for (int v = end - 1; v >= r; --v) {
      const TreeNode& node = tree.node(v);
      if (node.kind == NodeKind::kTerminal) {
        value[v] = game.Payoff(node.terminal, player);
        continue;
      }
      const auto kids = tree.children(v);
      if (decided && node.kind == NodeKind::kDecision && sets[node.infoset].player == player) {
        const int a = (*decided)[node.infoset];
        value[v] = a >= 0 ? value[kids[a]] : 0.0;  // undecided: not needed yet
        continue;
      }
      double x = 0.0;
      for (size_t a = 0; a < kids.size(); ++a) x += prob(v, static_cast<int>(a)) * value[kids[a]];
      value[v] = x;
    }
  };
  double regret = 0.0;
  std::vector<double> weight(nodes);
  std::vector<int> decided(sets.size());
  for (int r = 0; r < nodes; ++r) {
    if (tree.kind(r) == NodeKind::kTerminal || !tree.is_subgame_root(r)) continue;
    const int end = r + tree.subtree_size(r);
    for (int player = 0; player < n; ++player) {
      evaluate(r, end, player, nullptr);
      const double current = value[r];
      // How likely chance and the others make each node, from r.
      weight[r] = 1.0;
      std::vector<int> own;  // the player's sets in the subgame
      for (int v = r; v < end; ++v) {
        const TreeNode& node = tree.node(v);
        if (node.kind == NodeKind::kTerminal) continue;
        const bool mine = node.kind == NodeKind::kDecision && sets[node.infoset].player == player;
        if (mine && sets[node.infoset].nodes.front() == v) own.push_back(node.infoset);
        const auto kids = tree.children(v);
        for (size_t a = 0; a < kids.size(); ++a) {
          weight[kids[a]] = weight[v] * (mine ? 1.0 : prob(v, static_cast<int>(a)));
        }
      }
      std::fill(decided.begin(), decided.end(), -1);
      // Deepest set first: with perfect recall every set of the player
      // below one of h's nodes starts after h's first node.
      std::sort(own.begin(), own.end(),
                [&](int a, int b) { return sets[a].nodes.front() > sets[b].nodes.front(); });
      for (const int h : own) {
        evaluate(r, end, player, &decided);
        int best = 0;
        double best_score = 0.0;
        for (size_t a = 0; a < sets[h].actions.size(); ++a) {
          double score = 0.0;
          for (const int x : sets[h].nodes) score += weight[x] * value[tree.children(x)[a]];
          if (a == 0 || score > best_score) {
            best = static_cast<int>(a);
            best_score = score;
          }
        }
        decided[h] = best;
      }
      evaluate(r, end, player, &decided);
      regret = std::max(regret, value[r] - current);
    }
  }
  return regret;
}

}  // namespace parley
