#include "sim/report/solution_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/version.h"

namespace parley {
namespace {

using J = nlohmann::ordered_json;

// The JSON every solution opens with.
J Heading(const GameLabel& label, const Solution& s, const std::vector<std::string>& players) {
  J j;
  j["parley_version"] = kParleyVersion;
  j["game"] = {{"name", label.name}, {"file", label.file}, {"source", label.source}};
  j["method"] = s.method;
  j["players"] = players;
  return j;
}

// ---------------------------------------------------------------------------
// Normal-form games.

std::string FormatProfile(const NormalFormGame& g, const MixedEquilibrium& e, double scale) {
  // Expected payoffs that are zero up to rounding (say -3.7e-32 in Matching
  // Pennies) print as 0; the JSON keeps the computed values.
  auto shown = [scale](double x) { return std::abs(x) <= 1e-12 * scale ? 0.0 : x; };
  std::string out;
  for (int p = 0; p < g.space.num_players(); ++p) {
    std::string mix;
    for (int k = 0; k < g.space.num_strategies(p); ++k) {
      const double x = e.strategies[p](k);
      if (x > 1e-12)
        mix += fmt::format("{}{} {:.4g}", mix.empty() ? "" : ", ", g.strategies[p][k], x);
    }
    out += fmt::format("  {:<12} {:<48} payoff {:.6g}\n", g.players[p], mix, shown(e.payoffs[p]));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Trees.

std::string Shown(double x) { return fmt::format("{:.6g}", std::abs(x) < 1e-12 ? 0.0 : x); }

// A node's name: its information set's label (or "node N") and the moves
// that lead to it (the first such history, in a game with shared subgames).
std::string NodeName(const GameTree& tree, int v) {
  std::vector<std::string> moves;
  for (int u = v; tree.parent(u) >= 0; u = tree.parent(u)) {
    const InfoSet& h = tree.infosets()[tree.node(tree.parent(u)).infoset];
    moves.push_back((h.label.empty() ? "node " + std::to_string(tree.parent(u)) : h.label) + "=" +
                    h.actions[tree.action_to(u)]);
  }
  std::reverse(moves.begin(), moves.end());
  const InfoSet& h = tree.infosets()[tree.node(v).infoset];
  std::string name = h.label.empty() ? "node " + std::to_string(v) : h.label;
  if (moves.empty()) return name + " at the start";
  std::string history;
  for (const auto& m : moves) history += (history.empty() ? "" : ", ") + m;
  return name + " after " + history;
}

// What a player has seen at an information set: the moves (stage=option)
// shared by the histories of all its nodes.
std::string InfoSetName(const GameTree& tree, int h) {
  const InfoSet& set = tree.infosets()[h];
  auto history = [&](int v) {
    std::vector<std::string> moves;
    for (int u = v; tree.parent(u) >= 0; u = tree.parent(u)) {
      const InfoSet& above = tree.infosets()[tree.node(tree.parent(u)).infoset];
      moves.push_back(
          (above.label.empty() ? "node " + std::to_string(tree.parent(u)) : above.label) + "=" +
          above.actions[tree.action_to(u)]);
    }
    std::reverse(moves.begin(), moves.end());
    return moves;
  };
  std::vector<std::string> common = history(set.nodes.front());
  for (size_t i = 1; i < set.nodes.size(); ++i) {
    const std::vector<std::string> other = history(set.nodes[i]);
    std::vector<std::string> kept;
    for (const auto& m : common) {
      if (std::find(other.begin(), other.end(), m) != other.end()) kept.push_back(m);
    }
    common.swap(kept);
  }
  std::string name = set.label.empty() ? tree.players()[set.player] : set.label;
  if (common.empty()) {
    return name + (set.nodes.size() > 1 ? " (seeing no earlier move)" : " at the start");
  }
  std::string seen;
  for (const auto& m : common) seen += (seen.empty() ? "" : ", ") + m;
  return name + " after " + seen;
}

// A terminal reached with positive probability: the moves that lead there,
// the outcome label and the probability.
struct Branch {
  std::vector<std::string> moves;
  std::string outcome;
  double probability = 0.0;
};

// The branches of a pure equilibrium (perfect information): the choice at
// each decision node, every chance branch that play reaches.
std::vector<Branch> PureBranches(const GameTree& tree, const SubgamePerfect& play) {
  std::vector<Branch> out;
  WalkEquilibriumPaths(tree, play, [&](int leaf, const std::vector<PathMove>& path) {
    std::vector<std::string> moves;
    for (const PathMove& m : path) {
      const InfoSet& h = tree.infosets()[tree.node(m.node).infoset];
      moves.push_back((h.label.empty() ? "chance" : h.label) + ": " + h.actions[m.action]);
    }
    out.push_back({std::move(moves), tree.node(leaf).label, play.reach[leaf]});
  });
  return out;
}

// The branches of a behaviour profile (trees with information sets).
std::vector<Branch> Branches(const TreeView& view, const Behaviour& b) {
  const GameTree& tree = *view.tree;
  std::vector<Branch> out;
  std::vector<std::string> moves;
  // Depth first with an explicit stack, as in PureBranches.
  struct Step {
    int v;
    double p;  // the probability of reaching v
    size_t next;
  };
  std::vector<Step> stack;
  auto enter = [&](int v, double p) {
    if (tree.node(v).kind == NodeKind::kTerminal) {
      out.push_back({moves, tree.node(v).label, p});
      return false;
    }
    stack.push_back({v, p, 0});
    return true;
  };
  enter(0, 1.0);
  while (!stack.empty()) {
    const int v = stack.back().v;
    const double p = stack.back().p;
    const size_t a = stack.back().next++;
    const TreeNode& node = tree.node(v);
    const auto kids = tree.children(v);
    if (a == kids.size()) {
      stack.pop_back();
      if (!stack.empty()) moves.pop_back();
      continue;
    }
    const InfoSet& h = tree.infosets()[node.infoset];
    const double pa = node.kind == NodeKind::kChance
                          ? view.Probability(h.probability_offset + static_cast<int>(a))
                          : b.probabilities[node.infoset][a];
    if (pa <= 1e-12) continue;
    const std::string who = !h.label.empty()                 ? h.label
                            : node.kind == NodeKind::kChance ? std::string("chance")
                                                             : tree.players()[h.player];
    std::string move = who + ": " + h.actions[a];
    if (node.kind == NodeKind::kDecision && pa < 1.0 - 1e-12) {
      move += fmt::format(" ({:.4g})", pa);
    }
    moves.push_back(std::move(move));
    if (!enter(kids[a], p * pa)) moves.pop_back();
  }
  return out;
}

// "a -> b -> c => outcome", or "p = 0.5:  ..." among several branches.
std::string BranchLine(const Branch& b, size_t branches) {
  std::string text;
  for (const auto& m : b.moves) text += (text.empty() ? "" : " -> ") + m;
  if (!b.outcome.empty()) text += " => " + b.outcome;
  return branches > 1 ? fmt::format("  p = {:.4g}:  {}\n", b.probability, text)
                      : "  " + text + "\n";
}

std::string Mix(const InfoSet& h, const std::vector<double>& b) {
  std::string out;
  for (size_t a = 0; a < b.size(); ++a) {
    if (b[a] <= 1e-12) continue;
    out += (out.empty() ? "" : ", ") + h.actions[a];
    if (b[a] < 1.0 - 1e-12) out += fmt::format(" {:.4g}", b[a]);
  }
  return out;
}

// How many equilibria the solver found in the subgame at `root` (solved
// through its reduced normal form).
int EquilibriaFound(const SubgameSolution& s, int root) {
  const auto it = std::find(s.normal_form_roots.begin(), s.normal_form_roots.end(), root);
  return it == s.normal_form_roots.end() ? 0 : s.equilibria_found[it - s.normal_form_roots.begin()];
}

std::string PerfectInformationText(const ExtensiveFormGame& game, const GameLabel& label,
                                   const Solution& s) {
  const GameTree& tree = game.tree;
  const SubgamePerfect& play = s.play;
  std::string out =
      fmt::format("{} ({}), method {}: the subgame-perfect equilibrium by backward induction\n",
                  label.name, label.source, s.method);
  if (play.num_ties > 0) {
    out += fmt::format(
        "{} decision node{} had several optimal actions; the selection rule ({}) chose\n",
        play.num_ties, play.num_ties == 1 ? "" : "s", SelectionName(s.selection));
  }
  out += fmt::format("\nEquilibrium path  (regret {:.3g}):\n", s.regret);
  const std::vector<Branch> branches = PureBranches(tree, play);
  for (const Branch& b : branches) out += BranchLine(b, branches.size());
  out += "\nPayoffs:\n";
  for (int p = 0; p < tree.num_players(); ++p) {
    out += fmt::format("  {:<12} {}\n", tree.players()[p], Shown(play.value[p]));
  }
  out += "\nStrategies (the choice at every decision node, on and off the path):\n";
  int shown = 0, decision_nodes = 0;
  for (int v = 0; v < tree.num_nodes(); ++v) {
    if (tree.node(v).kind != NodeKind::kDecision) continue;
    ++decision_nodes;
    if (shown == 200) continue;
    ++shown;
    const InfoSet& h = tree.infosets()[tree.node(v).infoset];
    out += fmt::format("  {:<12} {}: {}{}\n", tree.players()[h.player], NodeName(tree, v),
                       h.actions[play.choice[v]], play.reach[v] > 0 ? "" : "  (off the path)");
  }
  if (decision_nodes > shown) {
    out += fmt::format("  ... and {} more decision nodes (the JSON lists them all)\n",
                       decision_nodes - shown);
  }
  return out;
}

J PerfectInformationJson(const ExtensiveFormGame& game, const GameLabel& label, const Solution& s) {
  const GameTree& tree = game.tree;
  const SubgamePerfect& play = s.play;
  J j = Heading(label, s, tree.players());
  j["degenerate"] = play.num_ties > 0;
  J strategies = J::object(), payoffs = J::object();
  for (int p = 0; p < tree.num_players(); ++p) strategies[tree.players()[p]] = J::object();
  for (int v = 0; v < tree.num_nodes(); ++v) {
    if (tree.node(v).kind != NodeKind::kDecision) continue;
    const InfoSet& h = tree.infosets()[tree.node(v).infoset];
    J mix = J::object();
    for (size_t a = 0; a < h.actions.size(); ++a) {
      mix[h.actions[a]] = static_cast<int>(a) == play.choice[v] ? 1.0 : 0.0;
    }
    strategies[tree.players()[h.player]][NodeName(tree, v)] = mix;
  }
  for (int p = 0; p < tree.num_players(); ++p) payoffs[tree.players()[p]] = play.value[p];
  J path = J::array();
  for (const Branch& b : PureBranches(tree, play)) {
    path.push_back({{"moves", b.moves}, {"outcome", b.outcome}, {"probability", b.probability}});
  }
  j["equilibria"] = J::array({J{{"strategies", strategies},
                                {"payoffs", payoffs},
                                {"regret", s.regret},
                                {"path", path},
                                {"ties", play.num_ties}}});
  return j;
}

std::string InformationSetsText(const ExtensiveFormGame& game, const GameLabel& label,
                                const Solution& s) {
  const GameTree& tree = game.tree;
  const TreeView view = game.view();
  const bool pure = s.pure_equilibria;
  std::string out =
      fmt::format("{} ({}), method {}: subgame-perfect equilibri{} by subgame decomposition\n",
                  label.name, label.source, s.method, s.tree_equilibria.size() == 1 ? "um" : "a");
  const SubgameSolution& first = s.tree_equilibria.front().solution;
  const int nf = s.decomposition.num_normal_form_subgames();
  out += fmt::format(
      "The game has information sets; {} subgame{} with information sets {} solved through {} "
      "reduced normal form ({}):\n",
      nf, nf == 1 ? "" : "s", nf == 1 ? "was" : "were", nf == 1 ? "its" : "their",
      pure ? "pure Nash equilibria, the selection rule " + std::string(SelectionName(s.selection)) +
                 " choosing among several"
           : s.method);
  for (const SubgameDecomposition::Unit& u : s.decomposition.units) {
    if (u.single_node) continue;
    std::string sizes;
    for (int p = 0; p < tree.num_players(); ++p) {
      sizes += (p ? " x " : "") + std::to_string(u.strategies.num_strategies(p));
    }
    const int found = EquilibriaFound(first, u.root);
    out += fmt::format("  {}: {} reduced strategies, {} equilibri{}{}\n",
                       u.root == 0 ? "the whole game" : "the subgame at " + NodeName(tree, u.root),
                       sizes, found, found == 1 ? "um" : "a",
                       u.root == 0 && !pure ? " (each listed below)"
                       : found > 1          ? " (one selected)"
                                            : "");
  }
  if (s.degenerate) {
    out +=
        "warning: a subgame's reduced normal form is degenerate; vertex enumeration reports the "
        "equilibria it finds at vertices\n";
  }
  for (size_t i = 0; i < s.tree_equilibria.size(); ++i) {
    const SubgameSolution& e = s.tree_equilibria[i].solution;
    const std::optional<double>& r = s.tree_equilibria[i].regret;
    const std::string regret = r ? fmt::format("{:.3g}", *r) : std::string("not checked");
    out += fmt::format("\n#{}  (regret {}):\n", i + 1, regret);
    out += "Equilibrium play:\n";
    const std::vector<Branch> branches = Branches(view, e.behaviour);
    size_t shown = 0;
    for (const Branch& b : branches) {
      if (++shown > 50) break;
      out += BranchLine(b, branches.size());
    }
    if (branches.size() > 50) {
      out += fmt::format("  ... and {} more terminal histories\n", branches.size() - 50);
    }
    out += "Payoffs:\n";
    for (int p = 0; p < tree.num_players(); ++p) {
      out += fmt::format("  {:<12} {}\n", tree.players()[p], Shown(e.value[p]));
    }
    out += "Behaviour at every information set:\n";
    int lines = 0, sets = 0;
    std::vector<size_t> order(tree.infosets().size());
    for (size_t h = 0; h < order.size(); ++h) order[h] = h;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return tree.infosets()[a].nodes.front() < tree.infosets()[b].nodes.front();
    });
    for (const size_t h : order) {
      const InfoSet& set = tree.infosets()[h];
      if (set.player < 0) continue;
      ++sets;
      if (lines == 200) continue;
      ++lines;
      const bool own = e.behaviour.reached[h] != 0;
      out += fmt::format("  {:<12} {}{}: {}{}\n", tree.players()[set.player],
                         InfoSetName(tree, static_cast<int>(h)),
                         set.nodes.size() > 1 ? fmt::format(" [{} nodes]", set.nodes.size()) : "",
                         Mix(set, e.behaviour.probabilities[h]),
                         own ? ""
                             : "  (its own choices never lead here: any action fits; shown "
                               "is its best)");
    }
    if (sets > lines) {
      out += fmt::format("  ... and {} more information sets (the JSON lists them all)\n",
                         sets - lines);
    }
  }
  return out;
}

J InformationSetsJson(const ExtensiveFormGame& game, const GameLabel& label, const Solution& s) {
  const GameTree& tree = game.tree;
  const TreeView view = game.view();
  J j = Heading(label, s, tree.players());
  const SubgameSolution& first = s.tree_equilibria.front().solution;
  j["degenerate"] = s.degenerate || first.num_ties > 0;
  J subgames = J::array();
  for (const SubgameDecomposition::Unit& u : s.decomposition.units) {
    if (u.single_node) continue;
    J counts = J::object();
    for (int p = 0; p < tree.num_players(); ++p) {
      counts[tree.players()[p]] = u.strategies.num_strategies(p);
    }
    subgames.push_back({{"root", NodeName(tree, u.root)},
                        {"reduced_strategies", counts},
                        {"equilibria", EquilibriaFound(first, u.root)}});
  }
  j["normal_form_subgames"] = subgames;
  J list = J::array();
  for (const TreeEquilibrium& t : s.tree_equilibria) {
    const SubgameSolution& e = t.solution;
    J strategies = J::object(), payoffs = J::object(), sets = J::array();
    for (int p = 0; p < tree.num_players(); ++p) strategies[tree.players()[p]] = J::object();
    for (int v = 0; v < tree.num_nodes(); ++v) {
      if (tree.node(v).kind != NodeKind::kDecision) continue;
      const int h = tree.node(v).infoset;
      const InfoSet& set = tree.infosets()[h];
      J mix = J::object();
      for (size_t a = 0; a < set.actions.size(); ++a) {
        mix[set.actions[a]] = e.behaviour.probabilities[h][a];
      }
      strategies[tree.players()[set.player]][NodeName(tree, v)] = mix;
    }
    for (size_t h = 0; h < tree.infosets().size(); ++h) {
      const InfoSet& set = tree.infosets()[h];
      if (set.player < 0) continue;
      J mix = J::object(), nodes = J::array();
      for (size_t a = 0; a < set.actions.size(); ++a) {
        mix[set.actions[a]] = e.behaviour.probabilities[h][a];
      }
      for (const int v : set.nodes) nodes.push_back(NodeName(tree, v));
      sets.push_back({{"player", tree.players()[set.player]},
                      {"name", InfoSetName(tree, static_cast<int>(h))},
                      {"nodes", nodes},
                      {"behaviour", mix},
                      {"reached_by_own_choices", e.behaviour.reached[h] != 0}});
    }
    for (int p = 0; p < tree.num_players(); ++p) payoffs[tree.players()[p]] = e.value[p];
    J path = J::array();
    for (const Branch& b : Branches(view, e.behaviour)) {
      path.push_back({{"moves", b.moves}, {"outcome", b.outcome}, {"probability", b.probability}});
    }
    J item = {{"strategies", strategies}, {"payoffs", payoffs}};
    item["regret"] = t.regret ? J(*t.regret) : J(nullptr);
    item["path"] = path;
    item["ties"] = e.num_ties;
    item["information_sets"] = sets;
    list.push_back(std::move(item));
  }
  j["equilibria"] = list;
  return j;
}

// Estimated JSON sizes. Each entry costs its key, its value (a number
// takes up to 24 characters) and the indentation and punctuation of
// dump(2); the estimate stays within a small factor of the real size
// (tests check it) and costs one pass over the game, not the document.
constexpr uint64_t kEntryBytes = 40;

// For each node, the length of NodeName(tree, v), computed parents first.
std::vector<uint64_t> NodeNameLengths(const GameTree& tree) {
  const int n = tree.num_nodes();
  std::vector<uint64_t> history(n, 0);  // ", "-joined moves that lead to v
  std::vector<uint64_t> name(n, 0);
  auto label_length = [&](int v) -> uint64_t {
    const NodeKind kind = tree.node(v).kind;
    if (kind == NodeKind::kTerminal) return 0;
    const InfoSet& h = tree.infosets()[tree.node(v).infoset];
    return h.label.empty() ? 5 + std::to_string(v).size() : h.label.size();
  };
  std::vector<int32_t> order = tree.order();
  if (order.empty()) {
    order.resize(n);
    for (int v = 0; v < n; ++v) order[v] = v;
  }
  for (const int v : order) {
    const int u = v > 0 ? tree.parent(v) : -1;
    if (u >= 0) {
      const InfoSet& h = tree.infosets()[tree.node(u).infoset];
      const uint64_t move = label_length(u) + 1 + h.actions[tree.action_to(v)].size();
      history[v] = history[u] + (history[u] ? 2 : 0) + move;
    }
    name[v] = label_length(v) + (u >= 0 ? 7 + history[v] : 13);
  }
  return name;
}

}  // namespace

uint64_t EstimateSolutionJsonBytes(const NormalFormGame& g, const Solution& s) {
  uint64_t profile = 0;
  for (int p = 0; p < g.space.num_players(); ++p) {
    profile += 2 * kEntryBytes + g.players[p].size();
    for (const std::string& name : g.strategies[p]) profile += kEntryBytes + name.size();
  }
  const uint64_t profiles = s.equilibria.size() + (s.last_point ? 1 : 0);
  return 1024 + profiles * profile;
}

uint64_t EstimateSolutionJsonBytes(const ExtensiveFormGame& game, const Solution& s) {
  const GameTree& tree = game.tree;
  const std::vector<uint64_t> names = NodeNameLengths(tree);
  // One equilibrium: every decision node by name with its actions, the
  // path's moves (at most every terminal's history) and, with information
  // sets, each set's nodes by name again.
  uint64_t profile = 1024;
  for (int v = 0; v < tree.num_nodes(); ++v) {
    const TreeNode& node = tree.node(v);
    if (node.kind == NodeKind::kTerminal) {
      const bool reached = s.form != GameForm::kPerfectInformationTree || s.play.reach[v] > 0.0;
      if (reached) profile += kEntryBytes + names[v];
      continue;
    }
    if (node.kind != NodeKind::kDecision) continue;
    const InfoSet& h = tree.infosets()[node.infoset];
    uint64_t entry = kEntryBytes + names[v];
    for (const std::string& action : h.actions) entry += kEntryBytes + action.size();
    profile += s.form == GameForm::kPerfectInformationTree ? entry : entry + names[v] + 8;
  }
  const uint64_t profiles = s.form == GameForm::kPerfectInformationTree
                                ? 1
                                : std::max<size_t>(1, s.tree_equilibria.size());
  return profiles * profile;
}

Status CheckSolutionJsonSize(uint64_t estimated_bytes) {
  if (estimated_bytes <= kMaxSolutionJsonBytes) return OkStatus();
  return ResourceExhausted(fmt::format(
      "the JSON result would take about {:.1f} MiB, over the limit of {} MiB (every strategy of "
      "every equilibrium is listed, and tree nodes are named by the moves that lead to them); "
      "solve without --json for the text summary",
      static_cast<double>(estimated_bytes) / (1 << 20), kMaxSolutionJsonBytes >> 20));
}

std::string SolutionWarning(const Solution& s) {
  if (s.converged() || !s.lambda) return "";
  const std::string_view termination = TerminationName(s.termination);
  if (s.requested_lambda) {
    return fmt::format(
        "warning: the logit path gave up ({}) at lambda {:.6g}, short of the requested lambda "
        "{:.6g}; shown is the QRE at the lambda it reached, which is not the one asked for",
        termination, *s.lambda, *s.requested_lambda);
  }
  return fmt::format(
      "warning: the logit path gave up ({}) at lambda {:.6g} before its profile came within the "
      "Nash tolerance; {}",
      termination, *s.lambda,
      s.equilibria.empty() ? "shown is where it stopped, which is not an equilibrium"
                           : "its regret is within the tolerance all the same");
}

std::string SolutionText(const NormalFormGame& g, const GameLabel& label, const Solution& s) {
  std::string out;
  if (s.requested_lambda) {
    out = s.converged()
              ? fmt::format("{} ({}), method {}: the logit quantal response equilibrium\n",
                            label.name, label.source, s.method)
              : fmt::format("{} ({}), method {}: lambda {:.6g} not reached\n", label.name,
                            label.source, s.method, *s.requested_lambda);
  } else if (s.last_point) {
    out = fmt::format("{} ({}), method {}: no equilibrium reached\n", label.name, label.source,
                      s.method);
  } else {
    out = fmt::format("{} ({}), method {}: {} equilibri{}\n", label.name, label.source, s.method,
                      s.equilibria.size(), s.equilibria.size() == 1 ? "um" : "a");
  }
  if (s.lambda) {
    out += fmt::format("logit path: lambda {:.6g} ({}); regret is the profile's Nash regret\n",
                       *s.lambda, TerminationName(s.termination));
  }
  if (const std::string warning = SolutionWarning(s); !warning.empty()) out += warning + "\n";
  if (s.degenerate) {
    out +=
        "warning: the game is degenerate; vertex enumeration reports the equilibria it "
        "finds at vertices (a component of equilibria may contain more)\n";
  }
  const double scale = g.MaxAbsPayoff();
  for (size_t i = 0; i < s.equilibria.size(); ++i) {
    const MixedEquilibrium& e = s.equilibria[i];
    out += fmt::format("\n#{}  (regret {:.3g})\n", i + 1, e.regret);
    out += FormatProfile(g, e, scale);
  }
  if (s.last_point) {
    out += fmt::format("\nwhere the path stopped  (regret {:.3g})\n", s.last_point->regret);
    out += FormatProfile(g, *s.last_point, scale);
  }
  return out;
}

nlohmann::ordered_json SolutionJson(const NormalFormGame& g, const GameLabel& label,
                                    const Solution& s) {
  J j = Heading(label, s, g.players);
  j["degenerate"] = s.degenerate;
  if (s.lambda) {
    j["lambda"] = *s.lambda;
    if (s.requested_lambda) j["requested_lambda"] = *s.requested_lambda;
    j["termination"] = std::string(TerminationName(s.termination));
    j["converged"] = s.converged();
  }
  auto profile = [&](const MixedEquilibrium& e) {
    J strategies = J::object(), payoffs = J::object();
    for (int p = 0; p < g.space.num_players(); ++p) {
      J mix = J::object();
      for (int k = 0; k < g.space.num_strategies(p); ++k)
        mix[g.strategies[p][k]] = e.strategies[p](k);
      strategies[g.players[p]] = mix;
      payoffs[g.players[p]] = e.payoffs[p];
    }
    return J{{"strategies", strategies}, {"payoffs", payoffs}, {"regret", e.regret}};
  };
  J list = J::array();
  for (const MixedEquilibrium& e : s.equilibria) list.push_back(profile(e));
  j["equilibria"] = list;
  if (s.last_point) j["last_point"] = profile(*s.last_point);
  return j;
}

std::string SolutionText(const ExtensiveFormGame& game, const GameLabel& label, const Solution& s) {
  return s.form == GameForm::kPerfectInformationTree ? PerfectInformationText(game, label, s)
                                                     : InformationSetsText(game, label, s);
}

nlohmann::ordered_json SolutionJson(const ExtensiveFormGame& game, const GameLabel& label,
                                    const Solution& s) {
  return s.form == GameForm::kPerfectInformationTree ? PerfectInformationJson(game, label, s)
                                                     : InformationSetsJson(game, label, s);
}

}  // namespace parley
