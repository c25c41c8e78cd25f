#include "sim/report/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace parley {
namespace {

std::string Number(double x) {
  if (std::abs(x) < 5e-13) x = 0.0;  // no "-0" or "1e-17" from rounding
  return fmt::format("{:.4g}", x);
}

std::string Vector(const double* v, int n) {
  std::string s = "(";
  for (int p = 0; p < n; ++p) s += (p ? ", " : "") + Number(v[p]);
  return s + ")";
}

}  // namespace

std::string ExplainTree(const ScenarioSpec& spec, const GameModel& game,
                        const std::vector<double>& table, const SubgamePerfect& play,
                        const ExplainOptions& options) {
  const GameTree& tree = game.tree();
  const std::vector<int32_t> offsets = game.EntryOffsets(1);
  const TreeView view = game.Tree(table.data(), offsets);
  const int n = game.num_players();
  std::string out;
  auto line = [&out](const std::string& l) { out += l + "\n"; };

  std::string actors;
  for (const auto& a : spec.actors) actors += (actors.empty() ? "" : ", ") + a.id;
  line(fmt::format("{}: the subgame-perfect equilibrium at {}", spec.name, options.what));
  line(fmt::format("Payoffs are ({}); * marks each actor's equilibrium choice.", actors));
  line("");

  // The tree, depth first. In a game with shared subgames a node met again
  // is not expanded twice: it refers back to its first appearance.
  std::vector<int> first_line(tree.num_nodes(), -1);
  size_t lines = 0;
  bool cut = false;
  int line_number = 0;
  auto value = [&](int v) { return play.value.data() + static_cast<size_t>(v) * n; };
  // Prints node v's line (reached by `edge` below `prefix`); returns the
  // prefix of its children's lines, or nothing when they are not printed.
  auto print = [&](int v, const std::string& prefix,
                   const std::string& edge) -> std::optional<std::string> {
    if (++lines > options.max_lines) {
      cut = true;
      return std::nullopt;
    }
    const TreeNode& node = tree.node(v);
    if (first_line[v] < 0) ++line_number;
    if (first_line[v] >= 0) {
      line(fmt::format("{}{}the same game as at [{}]  {}", prefix, edge, first_line[v],
                       Vector(value(v), n)));
      return std::nullopt;
    }
    first_line[v] = line_number;
    const std::string tag = fmt::format("[{}] ", line_number);
    if (node.kind == NodeKind::kTerminal) {
      const int outcome = game.outcome_of(node.terminal);
      line(fmt::format("{}{}{}outcome {}  {}", prefix, edge, tag, spec.outcomes[outcome].id,
                       Vector(value(v), n)));
      return std::nullopt;
    }
    const int stage_index = game.stage_of_node()[v];
    const StageSpec& stage = spec.stages[stage_index];
    const auto kids = tree.children(v);
    std::string head;
    if (node.kind == NodeKind::kChance) {
      head = fmt::format("chance ({}) draws:", stage.id);
    } else {
      const int mover = stage.actor;
      head = spec.actors[mover].id + " chooses" +
             (stage.id == spec.actors[mover].id ? ":" : " (" + stage.id + "):");
      // Why: the mover's payoff after each action, given equilibrium play later.
      std::string why;
      for (size_t a = 0; a < kids.size(); ++a) {
        why +=
            fmt::format("{}{} {}", a ? ", " : "", stage.options[a], Number(value(kids[a])[mover]));
      }
      const bool tied = play.tied[v] != 0;
      // A node of an information set: the choice is made for the whole set.
      const bool shared = tree.infosets()[node.infoset].nodes.size() > 1;
      head += fmt::format("  {}  - {} gets {}{}", Vector(value(v), n), spec.actors[mover].id, why,
                          tied     ? "; a tie, broken by the selection rule"
                          : shared ? "; one choice for the information set (below)"
                                   : "");
    }
    if (node.kind == NodeKind::kChance) head += "  " + Vector(value(v), n);
    line(prefix + edge + tag + head);
    return prefix + (edge.empty() ? "" : (edge.starts_with("└") ? "   " : "│  "));
  };
  // Depth first with an explicit stack: a node, the prefix of its
  // children's lines and the next child to print.
  struct Step {
    int v;
    std::string child_prefix;
    size_t next;
  };
  std::vector<Step> stack;
  if (auto child_prefix = print(0, "", "")) stack.push_back({0, std::move(*child_prefix), 0});
  while (!stack.empty() && !cut) {
    const int v = stack.back().v;
    const size_t a = stack.back().next++;
    const TreeNode& node = tree.node(v);
    const auto kids = tree.children(v);
    if (a == kids.size()) {
      stack.pop_back();
      continue;
    }
    const StageSpec& stage = spec.stages[game.stage_of_node()[v]];
    const int offset =
        node.kind == NodeKind::kChance ? tree.infosets()[node.infoset].probability_offset : -1;
    const bool last = a + 1 == kids.size();
    std::string label = stage.options[a];
    if (node.kind == NodeKind::kDecision && static_cast<int>(a) == play.choice[v]) {
      label += " *";
    }
    if (offset >= 0) {
      label += fmt::format(" (p = {})", Number(view.Probability(offset + static_cast<int>(a))));
    }
    auto child_prefix = print(kids[a], stack.back().child_prefix,
                              std::string(last ? "└─ " : "├─ ") + label + " -> ");
    if (child_prefix) stack.push_back({kids[a], std::move(*child_prefix), 0});
  }
  if (cut) {
    line(fmt::format("... (cut at {} lines; --max-lines shows more)", options.max_lines));
  }

  // The equilibrium path, following the choices (and every chance branch).
  line("");
  std::vector<std::string> branches;
  WalkEquilibriumPaths(tree, play, [&](int leaf, const std::vector<PathMove>& path) {
    std::string text;
    for (const PathMove& m : path) {
      const StageSpec& stage = spec.stages[game.stage_of_node()[m.node]];
      text += (text.empty() ? "" : " -> ") + stage.id + ": " + stage.options[m.action];
    }
    branches.push_back(text + " => " + spec.outcomes[game.outcome_of(tree.node(leaf).terminal)].id);
  });
  line(branches.size() == 1 ? "Equilibrium path:" : "Equilibrium paths (chance branches):");
  for (size_t i = 0; i < branches.size(); ++i) {
    if (i == options.max_lines) {
      line(fmt::format("  ... ({} more paths; cut at {} lines; --max-lines shows more)",
                       branches.size() - i, options.max_lines));
      break;
    }
    line("  " + branches[i]);
  }
  std::string payoffs;
  for (int p = 0; p < n; ++p) {
    payoffs += fmt::format("{}{} {}", p ? ", " : "", spec.actors[p].id, Number(play.value[p]));
  }
  line("Expected payoffs: " + payoffs);

  // Threats: credible when carrying them out is optimal wherever they apply.
  if (!spec.threats.empty()) {
    line("");
    line("Threats:");
    size_t threat_lines = 0;
    for (size_t k = 0; k < spec.threats.size(); ++k) {
      if (threat_lines >= options.max_lines) {
        line(fmt::format("  ... ({} more threats; cut at {} lines; --max-lines shows more)",
                         spec.threats.size() - k, options.max_lines));
        break;
      }
      threat_lines += game.threat_nodes()[k].empty() ? 1 : 2;
      const ThreatSpec& threat = spec.threats[k];
      const StageSpec& stage = spec.stages[threat.stage];
      const std::string& actor = spec.actors[stage.actor].id;
      const std::string& action = stage.options[threat.action];
      const auto& nodes = game.threat_nodes()[k];
      if (nodes.empty()) {
        line(fmt::format("  {}: never applies (no history reaches {} with its condition)",
                         threat.id, stage.id));
        continue;
      }
      int not_optimal = -1;
      for (const int32_t v : nodes) {
        const double threatened = value(tree.children(v)[threat.action])[stage.actor];
        const double best = value(v)[stage.actor];
        if (threatened < best && !Ties(threatened, best)) {
          not_optimal = v;
          break;
        }
      }
      std::string claim = threat.claim.empty() ? "" : " - \"" + threat.claim + "\"";
      if (not_optimal < 0) {
        line(fmt::format("  {}: CREDIBLE{}", threat.id, claim));
        line(fmt::format("    wherever it applies ({} node{}), {} loses nothing by playing {}.",
                         nodes.size(), nodes.size() == 1 ? "" : "s", actor, action));
      } else {
        const int v = not_optimal;
        const int chosen = play.choice[v];
        line(fmt::format("  {}: NOT CREDIBLE{}", threat.id, claim));
        line(fmt::format(
            "    at [{}] {} would get {} from {} but {} from {}: once there, it would not "
            "carry out the threat.",
            first_line[v] >= 0 ? std::to_string(first_line[v]) : "?", actor,
            Number(value(tree.children(v)[threat.action])[stage.actor]), action,
            Number(value(tree.children(v)[chosen])[stage.actor]), stage.options[chosen]));
      }
    }
  }
  return out;
}

// Tree lines are numbered [node + 1]: a game with information sets is a
// tree, walked in node order.
std::string ExplainInformationSets(const ScenarioSpec& spec, const GameModel& game,
                                   const SubgameDecomposition& d, const SubgameSolution& solution,
                                   const SubgamePerfect& play, size_t max_lines) {
  const GameTree& tree = game.tree();
  const int n = tree.num_players();
  std::string out = "\nSubgames solved through their reduced normal form (pure equilibria):\n";
  const auto cut = [&](size_t more, const char* what) {
    out += fmt::format("  ... ({} more {}; cut at {} lines; --max-lines shows more)\n", more, what,
                       max_lines);
  };
  size_t unit_lines = 0, units_left = 0;
  for (const SubgameDecomposition::Unit& u : d.units) units_left += !u.single_node;
  for (const SubgameDecomposition::Unit& u : d.units) {
    if (u.single_node) continue;
    if (unit_lines == max_lines) {
      cut(units_left, "subgames");
      break;
    }
    ++unit_lines;
    --units_left;
    std::string sizes;
    for (int p = 0; p < n; ++p) {
      sizes +=
          fmt::format("{}{} {}", p ? " x " : "", u.strategies.num_strategies(p), spec.actors[p].id);
    }
    const auto it =
        std::find(solution.normal_form_roots.begin(), solution.normal_form_roots.end(), u.root);
    const int found = solution.equilibria_found[it - solution.normal_form_roots.begin()];
    out += fmt::format("  {} [{}]: {} reduced strategies; {} pure equilibri{}{}\n",
                       u.root == 0 ? "the whole game" : "the subgame at", u.root + 1, sizes, found,
                       found == 1 ? "um" : "a", found > 1 ? ", the selection rule chose one" : "");
  }
  out += "\nInformation sets (the mover cannot tell these nodes apart and chooses alike):\n";
  std::vector<size_t> order;
  for (size_t h = 0; h < tree.infosets().size(); ++h) {
    if (tree.infosets()[h].player >= 0 && tree.infosets()[h].nodes.size() > 1) order.push_back(h);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return tree.infosets()[a].nodes.front() < tree.infosets()[b].nodes.front();
  });
  size_t set_lines = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    if (set_lines >= max_lines) {
      cut(order.size() - i, "information sets");
      break;
    }
    const size_t h = order[i];
    const InfoSet& set = tree.infosets()[h];
    const std::string& actor = spec.actors[set.player].id;
    double total = 0.0;
    for (const int v : set.nodes) total += play.reach[v];
    std::string nodes, worth;
    for (const int v : set.nodes) {
      const double belief = total > 0 ? play.reach[v] / total : 1.0 / set.nodes.size();
      nodes += fmt::format("{}[{}] {}", nodes.empty() ? "" : ", ", v + 1, Number(belief));
    }
    for (size_t a = 0; a < set.actions.size(); ++a) {
      double x = 0.0;
      for (const int v : set.nodes) {
        const double belief = total > 0 ? play.reach[v] / total : 1.0 / set.nodes.size();
        x += belief * play.value[static_cast<size_t>(tree.children(v)[a]) * n + set.player];
      }
      worth += fmt::format("{}{} {}", a ? ", " : "", set.actions[a], Number(x));
    }
    const int chosen = play.choice[set.nodes.front()];
    // What the mover has seen: the moves common to the histories of all the nodes.
    auto history = [&](int v) {
      std::vector<std::string> moves;
      for (int u = v; tree.parent(u) >= 0; u = tree.parent(u)) {
        const StageSpec& st = spec.stages[game.stage_of_node()[tree.parent(u)]];
        moves.push_back(st.id + "=" + st.options[tree.action_to(u)]);
      }
      return moves;
    };
    std::vector<std::string> seen = history(set.nodes.front());
    for (const int v : set.nodes) {
      const std::vector<std::string> other = history(v);
      std::erase_if(seen, [&](const std::string& m) {
        return std::find(other.begin(), other.end(), m) == other.end();
      });
    }
    std::string after;
    for (auto it = seen.rbegin(); it != seen.rend(); ++it)
      after += (after.empty() ? "" : ", ") + *it;
    out += fmt::format("  {} at stage {}{}: nodes {}\n", actor, set.label,
                       after.empty() ? ", seeing no earlier move" : " after " + after, nodes);
    out += fmt::format("    {}; expected for {}: {}; chooses {}\n",
                       total > 0 ? "reached in equilibrium, with these probabilities"
                                 : "not reached in equilibrium (nodes weighted equally)",
                       actor, worth, set.actions[chosen]);
    set_lines += 2;
    if (!solution.behaviour.reached[h]) {
      ++set_lines;
      out += fmt::format(
          "    {}'s own earlier choices never lead here, so any action is consistent with the "
          "equilibrium; shown is its best one\n",
          actor);
    }
  }
  return out;
}

std::string ExplainGame(const ScenarioSpec& spec, const GameModel& game,
                        const std::vector<double>& table, const Solution& solution,
                        const ExplainOptions& options) {
  std::string out = ExplainTree(spec, game, table, solution.play, options);
  if (solution.form == GameForm::kTreeWithInformationSets) {
    out += ExplainInformationSets(spec, game, solution.decomposition,
                                  solution.tree_equilibria.front().solution, solution.play,
                                  options.max_lines);
  }
  return out;
}

}  // namespace parley
