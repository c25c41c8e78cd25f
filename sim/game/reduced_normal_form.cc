#include "sim/game/reduced_normal_form.h"

#include <algorithm>
#include <cassert>
#include <unordered_map>

namespace parley {
namespace {

using Plan = std::vector<int32_t>;

bool Compatible(const Plan& a, const Plan& b) {
  for (size_t k = 0; k < a.size(); ++k) {
    if (a[k] >= 0 && b[k] >= 0 && a[k] != b[k]) return false;
  }
  return true;
}

void SortUnique(std::vector<Plan>& plans) {
  std::sort(plans.begin(), plans.end());
  plans.erase(std::unique(plans.begin(), plans.end()), plans.end());
}

std::string TooLarge(const GameTree& tree, const std::vector<int64_t>& counts, int64_t limit) {
  std::string each, total_text;
  double total = 1.0;
  bool over = false;
  for (size_t p = 0; p < counts.size(); ++p) {
    if (counts[p] < 0) {
      over = true;
      each +=
          (each.empty() ? "" : ", ") + tree.players()[p] + " more than " + std::to_string(limit);
    } else {
      total *= static_cast<double>(counts[p]);
      each += (each.empty() ? "" : ", ") + tree.players()[p] + " " + std::to_string(counts[p]);
    }
  }
  if (over) {
    total_text = "more than " + std::to_string(limit);
  } else if (total < 9e15) {
    total_text = std::to_string(static_cast<int64_t>(total));
  } else {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", total);
    total_text = buffer;
  }
  return "the reduced normal form is too large: reduced strategies per player: " + each + "; " +
         (over ? "more than the limit of " + std::to_string(limit) + " strategy profiles"
               : total_text + " strategy profiles, more than the limit of " +
                     std::to_string(limit));
}

}  // namespace

int64_t ReducedStrategies::num_profiles() const {
  int64_t total = 1;
  for (const auto& p : plans) total *= static_cast<int64_t>(p.size());
  return total;
}

std::string ReducedStrategies::StrategyName(const GameTree& tree, int player, int strategy) const {
  const auto& sets = infosets[player];
  if (sets.empty()) return "-";
  const Plan& plan = plans[player][strategy];
  std::string name;
  for (size_t k = 0; k < sets.size(); ++k) {
    if (k > 0) name += "/";
    name += plan[k] < 0 ? "*" : tree.infosets()[sets[k]].actions[plan[k]];
  }
  return name;
}

StatusOr<ReducedStrategies> EnumerateReducedStrategies(const GameTree& tree, int root,
                                                       const uint8_t* is_leaf, int64_t max_profiles,
                                                       int64_t max_plan_entries) {
  if (!tree.is_tree()) {
    return InvalidArgument("the reduced normal form needs a tree, not a graph of shared subgames");
  }
  const int n = tree.num_players();
  ReducedStrategies out;
  out.root = root;
  auto leaf = [&](int v) {
    return tree.kind(v) == NodeKind::kTerminal || (v != root && is_leaf && is_leaf[v]);
  };
  // The part's nodes, in preorder (node numbers are a preorder).
  std::vector<int32_t> stack{root};
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    out.nodes.push_back(v);
    if (leaf(v)) continue;
    for (const int32_t c : tree.children(v)) stack.push_back(c);
  }
  std::sort(out.nodes.begin(), out.nodes.end());
  // Everything below is indexed by position in out.nodes, never by node or
  // information set of the whole tree: a decomposition enumerates every
  // subgame, and arrays the size of the tree would make that quadratic.
  const int32_t size = static_cast<int32_t>(out.nodes.size());
  auto position = [&](int v) {
    return static_cast<int32_t>(std::lower_bound(out.nodes.begin(), out.nodes.end(), v) -
                                out.nodes.begin());
  };
  out.child_begin.assign(static_cast<size_t>(size) + 1, 0);
  std::vector<int32_t> parent_position(size, -1);
  for (int32_t i = 0; i < size; ++i) {
    const int v = out.nodes[i];
    out.child_begin[i] = static_cast<int32_t>(out.child_index.size());
    if (leaf(v)) continue;
    for (const int32_t c : tree.children(v)) {
      const int32_t j = position(c);
      out.child_index.push_back(j);
      parent_position[j] = i;
    }
  }
  out.child_begin[size] = static_cast<int32_t>(out.child_index.size());

  const auto& sets = tree.infosets();
  out.local_index.assign(size, -1);
  out.infosets.assign(n, {});
  {
    std::unordered_map<int, int32_t> seen;  // information set -> its k
    for (int32_t i = 0; i < size; ++i) {
      const int v = out.nodes[i];
      if (tree.kind(v) != NodeKind::kDecision || leaf(v)) continue;
      const int h = tree.node(v).infoset;
      const auto [it, added] = seen.emplace(h, 0);
      if (added) {
        const int p = sets[h].player;
        it->second = static_cast<int32_t>(out.infosets[p].size());
        out.infosets[p].push_back(h);  // first met at its first node: preorder
      }
      out.local_index[i] = it->second;
    }
  }

  // Per player, the plans of each node's part-subtree, combined bottom-up:
  // at the player's own node the union over its actions, elsewhere the
  // compatible combinations of the children's plans. An explicit stack
  // holds the nodes whose children are being combined, so a chain as deep
  // as the tree needs no call stack.
  struct Frame {
    int32_t position = 0;
    size_t next = 0;  // the next child to visit
    bool own = false;
    // Not own: no child's plans combined yet. The result is then the single
    // empty plan, left implicit: a frame per node of a deep chain must not
    // hold a plan as long as the player's information sets.
    bool fresh = true;
    std::vector<Plan> result;
  };
  std::vector<int64_t> counts(n, 0);
  int memory_over = -1;  // the player whose plans ran over max_plan_entries
  out.plans.assign(n, {});
  for (int p = 0; p < n && memory_over < 0; ++p) {
    const int k_count = static_cast<int>(out.infosets[p].size());
    const int64_t plan_size = std::max(k_count, 1);
    // Whether a node's part-subtree holds a node of p (else its only plan is empty).
    std::vector<uint8_t> has(size, 0);
    for (int32_t i = size - 1; i >= 0; --i) {
      const int v = out.nodes[i];
      if (!leaf(v) && tree.kind(v) == NodeKind::kDecision && tree.mover(v) == p) has[i] = 1;
      if (has[i] && i > 0) has[parent_position[i]] = 1;
    }
    bool overflow = false;
    int64_t held = 0;  // plans held by the frames, against the memory budget
    auto over_budget = [&](int64_t plans) {
      if (plans * plan_size <= max_plan_entries) return false;
      overflow = true;
      memory_over = p;
      return true;
    };
    const Plan empty(k_count, -1);
    std::vector<Frame> frames;
    std::vector<Plan> done;  // the plans of the node just finished
    // Starts node i: pushes its frame, or leaves its only plan in `done`.
    auto enter = [&](int32_t i) {
      const int v = out.nodes[i];
      if (!has[i] || leaf(v)) {
        done.assign(1, empty);
        return false;
      }
      Frame f;
      f.position = i;
      f.own = tree.kind(v) == NodeKind::kDecision && tree.mover(v) == p;
      frames.push_back(std::move(f));
      return true;
    };
    // Adds the plans of the child that action a of frame f leads to.
    auto absorb = [&](Frame& f, size_t a, std::vector<Plan>& below) {
      if (f.own) {
        const int k = out.local_index[f.position];
        for (Plan& plan : below) {
          if (plan[k] >= 0 && plan[k] != static_cast<int32_t>(a)) continue;  // imperfect recall
          plan[k] = static_cast<int32_t>(a);
          f.result.push_back(std::move(plan));
          if (over_budget(++held)) return;
        }
        return;
      }
      if (f.fresh) {
        // Combined with the single empty plan, each plan below is itself
        // (and `below` is sorted and unique already).
        f.fresh = false;
        held += static_cast<int64_t>(below.size());
        f.result.swap(below);
        return;
      }
      std::vector<Plan> combined;
      for (const Plan& x : f.result) {
        for (const Plan& y : below) {
          if (!Compatible(x, y)) continue;
          Plan z = x;
          for (int k = 0; k < k_count; ++k) {
            if (z[k] < 0) z[k] = y[k];
          }
          combined.push_back(std::move(z));
          // With perfect recall distinct pairs give distinct plans, and
          // a part's plans extend to the whole: never more than the end.
          if (static_cast<int64_t>(combined.size()) > max_profiles) {
            overflow = true;
            return;
          }
          if (over_budget(held + static_cast<int64_t>(combined.size()))) return;
        }
      }
      SortUnique(combined);
      held += static_cast<int64_t>(combined.size()) - static_cast<int64_t>(f.result.size());
      f.result.swap(combined);
    };
    if (enter(0)) {
      while (!frames.empty() && !overflow) {
        Frame& f = frames.back();
        const int32_t first = out.child_begin[f.position];
        const size_t num_kids = static_cast<size_t>(out.child_begin[f.position + 1] - first);
        if (f.next < num_kids) {
          const size_t a = f.next++;
          const int32_t c = out.child_index[first + a];
          if (!f.own && !has[c]) continue;
          if (enter(c)) continue;  // its plans come back when its frame is done
          absorb(frames.back(), a, done);
          continue;
        }
        if (!f.own && f.fresh) {  // no child with p's nodes: has[] rules this out
          f.result.assign(1, empty);
          ++held;
        }
        SortUnique(f.result);
        if (static_cast<int64_t>(f.result.size()) > max_profiles) overflow = true;
        held -= static_cast<int64_t>(f.result.size());
        done.swap(f.result);
        frames.pop_back();
        if (frames.empty()) break;
        absorb(frames.back(), frames.back().next - 1, done);
      }
    }
    out.plans[p].swap(done);
    if (overflow) {
      counts[p] = -1;
      out.plans[p].clear();
    } else {
      counts[p] = static_cast<int64_t>(out.plans[p].size());
    }
  }
  if (memory_over >= 0) {
    return ResourceExhausted("the reduced normal form is too large: the reduced strategies of " +
                             tree.players()[memory_over] + ", each an action at " +
                             std::to_string(out.infosets[memory_over].size()) +
                             " information sets, need more than the limit of " +
                             std::to_string(max_plan_entries) +
                             " plan entries (strategies x information sets) while they are "
                             "enumerated");
  }
  double total = 1.0;
  bool over = false;
  for (int p = 0; p < n; ++p) {
    if (counts[p] < 0) over = true;
    total *= static_cast<double>(std::max<int64_t>(counts[p], 1));
  }
  if (over || total > static_cast<double>(max_profiles)) {
    return ResourceExhausted(TooLarge(tree, counts, max_profiles));
  }
  return out;
}

void ReducedPayoffs(const TreeView& game, const ReducedStrategies& s, const TreeCut& cut,
                    std::vector<double>& out) {
  const GameTree& tree = *game.tree;
  const int n = tree.num_players();
  const int64_t profiles = s.num_profiles();
  out.assign(static_cast<size_t>(profiles) * n, 0.0);
  std::vector<int> strategy(n, 0);
  std::vector<std::pair<int32_t, double>> stack;
  for (int64_t q = 0; q < profiles; ++q) {
    double* payoff = out.data() + static_cast<size_t>(q) * n;
    stack.assign(1, {0, 1.0});  // positions in s.nodes; the root is first
    while (!stack.empty()) {
      const auto [i, weight] = stack.back();
      stack.pop_back();
      const int v = s.nodes[i];
      const NodeKind kind = tree.kind(v);
      if (kind == NodeKind::kTerminal) {
        const int t = tree.terminal_or_offset(v);
        for (int p = 0; p < n; ++p) payoff[p] += weight * game.Payoff(t, p);
        continue;
      }
      if (v != s.root && cut.is_leaf && cut.is_leaf[v]) {
        const double* value = cut.values + static_cast<size_t>(v) * n;
        for (int p = 0; p < n; ++p) payoff[p] += weight * value[p];
        continue;
      }
      const int32_t* kids = s.child_index.data() + s.child_begin[i];
      if (kind == NodeKind::kChance) {
        const int offset = tree.terminal_or_offset(v);
        const int num_kids = s.child_begin[i + 1] - s.child_begin[i];
        for (int a = 0; a < num_kids; ++a) {
          const double pr = game.Probability(offset + a);
          if (pr != 0.0) stack.emplace_back(kids[a], weight * pr);
        }
      } else {
        const int mover = tree.mover(v);
        const int a = s.plans[mover][strategy[mover]][s.local_index[i]];
        assert(a >= 0 && "a plan reaches an information set it excludes");
        stack.emplace_back(kids[a], weight);
      }
    }
    for (int p = 0; p < n && ++strategy[p] == s.num_strategies(p); ++p) strategy[p] = 0;
  }
}

StatusOr<ReducedNormalForm> BuildReducedNormalForm(const TreeView& game, int64_t max_profiles) {
  const GameTree& tree = *game.tree;
  auto strategies = EnumerateReducedStrategies(tree, 0, nullptr, max_profiles);
  if (!strategies.ok()) return strategies.status();
  std::vector<double> payoffs;
  ReducedPayoffs(game, *strategies, {}, payoffs);
  std::vector<std::vector<std::string>> names(tree.num_players());
  for (int p = 0; p < tree.num_players(); ++p) {
    for (int s = 0; s < strategies->num_strategies(p); ++s) {
      names[p].push_back(strategies->StrategyName(tree, p, s));
    }
  }
  auto nf = NormalFormGame::Make(tree.players(), std::move(names), std::move(payoffs));
  if (!nf.ok()) return nf.status();
  return ReducedNormalForm{std::move(*strategies), std::move(*nf)};
}

bool HasPerfectRecall(const GameTree& tree) {
  if (!tree.is_tree()) return true;  // shared subgames: perfect information
  const auto& sets = tree.infosets();
  // The player's own (information set, action) sequence to a node.
  auto own = [&](int v, int player) {
    std::vector<std::pair<int, int>> moves;
    for (int u = v; tree.parent(u) >= 0; u = tree.parent(u)) {
      const int above = tree.parent(u);
      if (tree.kind(above) == NodeKind::kDecision && tree.mover(above) == player) {
        moves.emplace_back(tree.node(above).infoset, tree.action_to(u));
      }
    }
    return moves;
  };
  for (const InfoSet& h : sets) {
    if (h.player < 0 || h.nodes.size() < 2) continue;
    const auto first = own(h.nodes.front(), h.player);
    for (size_t i = 1; i < h.nodes.size(); ++i) {
      if (own(h.nodes[i], h.player) != first) return false;
    }
  }
  return true;
}

void KuhnBehaviour(const GameTree& tree, const ReducedStrategies& s,
                   const std::vector<std::vector<double>>& mixed, Behaviour& out) {
  for (int p = 0; p < tree.num_players(); ++p) {
    for (size_t k = 0; k < s.infosets[p].size(); ++k) {
      const int h = s.infosets[p][k];
      std::vector<double>& prob = out.probabilities[h];
      prob.assign(tree.infosets()[h].actions.size(), 0.0);
      double reach = 0.0;
      for (int st = 0; st < s.num_strategies(p); ++st) {
        const int a = s.plans[p][st][k];
        if (a < 0) continue;
        prob[a] += mixed[p][st];
        reach += mixed[p][st];
      }
      if (reach > 0.0) {
        for (double& x : prob) x /= reach;
        out.reached[h] = 1;
      } else {
        prob.clear();
        out.reached[h] = 0;
      }
    }
  }
}

}  // namespace parley
