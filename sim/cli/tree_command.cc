// `parley solve` and `parley export` for sequential games: a sequential
// scenario (at its mean payoffs or one Monte Carlo sample) or a Gambit .efg
// file, solved by backward induction or written as .efg.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/game/efg.h"
#include "sim/report/report.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/backward_induction.h"
#include "sim/version.h"

namespace parley {
namespace {

struct LoadedTree {
  std::string name;
  std::string source;  // "mean payoffs", "sample 12 (seed 1)", "efg file"
  ExtensiveFormGame game;
  Selection selection = Selection::kUniform;
  uint64_t seed = 0, index = 0;  // the model stream for ties
};

StatusOr<LoadedTree> LoadTree(const std::string& file, const std::optional<std::string>& sample,
                              const std::optional<std::string>& seed_flag) {
  LoadedTree t;
  if (IsEfgPath(file)) {
    if (sample || seed_flag) return InvalidArgument("--sample and --seed apply to scenarios only");
    auto game = ReadEfgFile(file);
    if (!game.ok()) return game.status();
    t.name = game->title;
    t.source = "efg file";
    t.game = std::move(*game);
    return t;
  }
  auto spec = LoadScenarioFile(file);
  if (!spec.ok()) return spec.status();
  auto model = GameModel::Compile(*spec);
  if (!model.ok()) return model.status();
  auto rule = SelectionFromName(spec->simulation.selection);
  if (rule.ok()) t.selection = *rule;
  t.name = spec->name;
  t.seed = spec->simulation.seed;
  if (seed_flag) {
    if (!sample) return InvalidArgument("--seed applies with --sample only");
    auto parsed = ParseUnsigned("--seed", *seed_flag);
    if (!parsed.ok()) return parsed.status();
    t.seed = *parsed;
  }
  std::vector<double> table;
  if (sample) {
    auto index = ParseUnsigned("--sample", *sample);
    if (!index.ok()) return index.status();
    t.index = *index;
    table = model->SampleTable(t.seed, t.index);
    t.source = fmt::format("sample {} (seed {})", t.index, t.seed);
  } else {
    table = model->MeanTable();
    t.source = "mean payoffs";
  }
  t.game = model->ToExtensiveForm(*spec, table);
  return t;
}

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

struct TreeSolution {
  SubgamePerfect play;
  double regret = 0.0;
  std::vector<std::vector<std::string>> path;  // per terminal reached: moves
  std::vector<double> path_probability;
  std::vector<std::string> path_outcome;  // the terminal's label (a scenario's outcome id)
};

StatusOr<TreeSolution> SolveLoadedTree(const LoadedTree& t,
                                       const std::optional<std::string>& method,
                                       const std::optional<double>& lambda) {
  if (method && *method != "spe") {
    return InvalidArgument("--method: '" + *method +
                           "' solves normal-form games; a sequential game is solved with "
                           "--method spe (backward induction)");
  }
  if (lambda) return InvalidArgument("--lambda applies to --method qre only");
  const GameTree& tree = t.game.tree;
  if (!tree.perfect_information()) {
    return InvalidArgument(
        "this game has information sets; --method spe needs perfect information");
  }
  TreeSolution s;
  const TreeView view = t.game.view();
  SampleRng rng(t.seed, t.index, RngStream::kModel);
  SolveBackwardInduction(view, t.selection, rng, s.play);
  ComputeReach(view, s.play);
  s.regret = MaxSubgameRegret(view, s.play.choice);
  std::vector<std::string> moves;
  std::function<void(int)> walk = [&](int v) {
    const TreeNode& node = tree.node(v);
    if (node.kind == NodeKind::kTerminal) {
      s.path.push_back(moves);
      s.path_outcome.push_back(node.label);
      s.path_probability.push_back(s.play.reach[v]);
      return;
    }
    const InfoSet& h = tree.infosets()[node.infoset];
    const auto kids = tree.children(v);
    for (size_t a = 0; a < kids.size(); ++a) {
      const bool on = node.kind == NodeKind::kDecision ? static_cast<int>(a) == s.play.choice[v]
                                                       : s.play.reach[kids[a]] > 0.0;
      if (!on) continue;
      moves.push_back((h.label.empty() ? "chance" : h.label) + ": " + h.actions[a]);
      walk(kids[a]);
      moves.pop_back();
    }
  };
  walk(0);
  return s;
}

std::string Shown(double x) { return fmt::format("{:.6g}", std::abs(x) < 1e-12 ? 0.0 : x); }

std::string FormatTreeSolution(const LoadedTree& t, const TreeSolution& s) {
  const GameTree& tree = t.game.tree;
  std::string out =
      fmt::format("{} ({}), method spe: the subgame-perfect equilibrium by backward induction\n",
                  t.name, t.source);
  if (s.play.num_ties > 0) {
    out += fmt::format(
        "{} decision node{} had several optimal actions; the selection rule ({}) chose\n",
        s.play.num_ties, s.play.num_ties == 1 ? "" : "s", SelectionName(t.selection));
  }
  out += fmt::format("\nEquilibrium path  (regret {:.3g}):\n", s.regret);
  for (size_t b = 0; b < s.path.size(); ++b) {
    std::string text;
    for (const auto& m : s.path[b]) text += (text.empty() ? "" : " -> ") + m;
    if (!s.path_outcome[b].empty()) text += " => " + s.path_outcome[b];
    out += s.path.size() > 1 ? fmt::format("  p = {:.4g}:  {}\n", s.path_probability[b], text)
                             : "  " + text + "\n";
  }
  out += "\nPayoffs:\n";
  for (int p = 0; p < tree.num_players(); ++p) {
    out += fmt::format("  {:<12} {}\n", tree.players()[p], Shown(s.play.value[p]));
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
                       h.actions[s.play.choice[v]], s.play.reach[v] > 0 ? "" : "  (off the path)");
  }
  if (decision_nodes > shown) {
    out += fmt::format("  ... and {} more decision nodes (the JSON lists them all)\n",
                       decision_nodes - shown);
  }
  return out;
}

nlohmann::ordered_json TreeSolutionJson(const LoadedTree& t, const std::string& file,
                                        const TreeSolution& s) {
  using J = nlohmann::ordered_json;
  const GameTree& tree = t.game.tree;
  J j;
  j["parley_version"] = kParleyVersion;
  j["game"] = {{"name", t.name}, {"file", file}, {"source", t.source}};
  j["method"] = "spe";
  j["players"] = tree.players();
  j["degenerate"] = s.play.num_ties > 0;
  J strategies = J::object(), payoffs = J::object();
  for (int p = 0; p < tree.num_players(); ++p) strategies[tree.players()[p]] = J::object();
  for (int v = 0; v < tree.num_nodes(); ++v) {
    if (tree.node(v).kind != NodeKind::kDecision) continue;
    const InfoSet& h = tree.infosets()[tree.node(v).infoset];
    J mix = J::object();
    for (size_t a = 0; a < h.actions.size(); ++a) {
      mix[h.actions[a]] = static_cast<int>(a) == s.play.choice[v] ? 1.0 : 0.0;
    }
    strategies[tree.players()[h.player]][NodeName(tree, v)] = mix;
  }
  for (int p = 0; p < tree.num_players(); ++p) payoffs[tree.players()[p]] = s.play.value[p];
  J path = J::array();
  for (size_t b = 0; b < s.path.size(); ++b) {
    path.push_back({{"moves", s.path[b]},
                    {"outcome", s.path_outcome[b]},
                    {"probability", s.path_probability[b]}});
  }
  j["equilibria"] = J::array({J{{"strategies", strategies},
                                {"payoffs", payoffs},
                                {"regret", s.regret},
                                {"path", path},
                                {"ties", s.play.num_ties}}});
  return j;
}

}  // namespace

bool IsEfgPath(const std::string& path) {
  if (path.size() <= 4) return false;
  std::string ext = path.substr(path.size() - 4);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".efg";
}

bool IsSequentialInput(const std::string& file) {
  if (IsEfgPath(file)) return true;
  auto spec = LoadScenarioFile(file);
  return spec.ok() && spec->sequential();
}

int SolveSequential(const SolveFlags& flags) {
  auto loaded = LoadTree(flags.file, flags.sample, flags.seed);
  if (!loaded.ok()) return Fail(loaded.status());
  auto solution = SolveLoadedTree(*loaded, flags.method, flags.lambda);
  if (!solution.ok()) return Fail(solution.status());
  if (flags.json) {
    const std::string text = TreeSolutionJson(*loaded, flags.file, *solution).dump(2) + "\n";
    if (*flags.json == "-") {
      std::cout << text;
      return 0;
    }
    const Status written = WriteFileAtomically(*flags.json, text);
    if (!written.ok()) return Fail(written);
  }
  std::cout << FormatTreeSolution(*loaded, *solution);
  return 0;
}

int ExportSequential(const ExportFlags& flags) {
  if (flags.format != "efg") {
    return Fail(InvalidArgument(
        "--format: a sequential game is exported as efg (Gambit's extensive form), not '" +
        *flags.format + "'"));
  }
  auto loaded = LoadTree(flags.file, flags.sample, flags.seed);
  if (!loaded.ok()) return Fail(loaded.status());
  loaded->game.comment = "Exported by parley " + std::string(kParleyVersion) + " from " +
                         flags.file + " (" + loaded->source + ")";
  if (loaded->game.title.empty()) loaded->game.title = loaded->name;
  return WriteOutput(flags.output, WriteEfg(loaded->game));
}

}  // namespace parley
