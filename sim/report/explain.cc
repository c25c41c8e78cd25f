#include "sim/report/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

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
  std::function<void(int, const std::string&, const std::string&)> walk =
      [&](int v, const std::string& prefix, const std::string& edge) {
        if (cut) return;
        if (++lines > options.max_lines) {
          cut = true;
          return;
        }
        const TreeNode& node = tree.node(v);
        if (first_line[v] < 0) ++line_number;
        if (first_line[v] >= 0) {
          line(fmt::format("{}{}the same game as at [{}]  {}", prefix, edge, first_line[v],
                           Vector(value(v), n)));
          return;
        }
        first_line[v] = line_number;
        const std::string tag = fmt::format("[{}] ", line_number);
        if (node.kind == NodeKind::kTerminal) {
          const int outcome = game.outcome_of(node.terminal);
          line(fmt::format("{}{}{}outcome {}  {}", prefix, edge, tag, spec.outcomes[outcome].id,
                           Vector(value(v), n)));
          return;
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
            why += fmt::format("{}{} {}", a ? ", " : "", stage.options[a],
                               Number(value(kids[a])[mover]));
          }
          const bool tied = play.tied[v] != 0;
          // A node of an information set: the choice is made for the whole set.
          const bool shared = tree.infosets()[node.infoset].nodes.size() > 1;
          head +=
              fmt::format("  {}  - {} gets {}{}", Vector(value(v), n), spec.actors[mover].id, why,
                          tied     ? "; a tie, broken by the selection rule"
                          : shared ? "; one choice for the information set (below)"
                                   : "");
        }
        if (node.kind == NodeKind::kChance) head += "  " + Vector(value(v), n);
        line(prefix + edge + tag + head);
        const std::string child_prefix =
            prefix + (edge.empty() ? "" : (edge.starts_with("└") ? "   " : "│  "));
        const int offset =
            node.kind == NodeKind::kChance ? tree.infosets()[node.infoset].probability_offset : -1;
        for (size_t a = 0; a < kids.size(); ++a) {
          const bool last = a + 1 == kids.size();
          std::string label = stage.options[a];
          if (node.kind == NodeKind::kDecision && static_cast<int>(a) == play.choice[v]) {
            label += " *";
          }
          if (offset >= 0) {
            label +=
                fmt::format(" (p = {})", Number(view.Probability(offset + static_cast<int>(a))));
          }
          walk(kids[a], child_prefix, std::string(last ? "└─ " : "├─ ") + label + " -> ");
        }
      };
  walk(0, "", "");
  if (cut) {
    line(fmt::format("... (cut at {} lines; --max-lines shows more)", options.max_lines));
  }

  // The equilibrium path, following the choices (and every chance branch).
  line("");
  std::vector<std::string> branches;
  std::vector<std::string> moves;
  std::function<void(int)> path = [&](int v) {
    const TreeNode& node = tree.node(v);
    if (node.kind == NodeKind::kTerminal) {
      std::string text;
      for (const auto& m : moves) text += (text.empty() ? "" : " -> ") + m;
      branches.push_back(text + " => " + spec.outcomes[game.outcome_of(node.terminal)].id);
      return;
    }
    const StageSpec& stage = spec.stages[game.stage_of_node()[v]];
    const auto kids = tree.children(v);
    for (size_t a = 0; a < kids.size(); ++a) {
      if (node.kind == NodeKind::kDecision ? static_cast<int>(a) != play.choice[v]
                                           : play.reach[kids[a]] == 0.0) {
        continue;
      }
      moves.push_back(stage.id + ": " + stage.options[a]);
      path(kids[a]);
      moves.pop_back();
    }
  };
  path(0);
  line(branches.size() == 1 ? "Equilibrium path:" : "Equilibrium paths (chance branches):");
  for (const auto& b : branches) line("  " + b);
  std::string payoffs;
  for (int p = 0; p < n; ++p) {
    payoffs += fmt::format("{}{} {}", p ? ", " : "", spec.actors[p].id, Number(play.value[p]));
  }
  line("Expected payoffs: " + payoffs);

  // Threats: credible when carrying them out is optimal wherever they apply.
  if (!spec.threats.empty()) {
    line("");
    line("Threats:");
    for (size_t k = 0; k < spec.threats.size(); ++k) {
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

}  // namespace parley
