// `parley solve` and `parley export` for sequential games: a sequential
// scenario (at its mean payoffs or one Monte Carlo sample) or a Gambit .efg
// file, solved by backward induction or written as .efg.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/game/efg.h"
#include "sim/game/nfg.h"
#include "sim/game/reduced_normal_form.h"
#include "sim/report/report.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/backward_induction.h"
#include "sim/solve/mixed.h"
#include "sim/solve/qre.h"
#include "sim/solve/subgame_perfect.h"
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
                           "' solves normal-form games and trees with information sets; a "
                           "perfect-information game is solved with --method spe (backward "
                           "induction); for the Nash equilibria of its normal form, export it "
                           "with --format nfg and solve that");
  }
  if (lambda) return InvalidArgument("--lambda applies to --method qre only");
  const GameTree& tree = t.game.tree;
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

// ---------------------------------------------------------------------------
// Trees with information sets: subgame decomposition, each subgame with
// information sets solved through its reduced normal form.

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

struct ImperfectSolution {
  std::string method;
  SubgameDecomposition decomposition;
  std::vector<SubgameSolution> equilibria;
  std::vector<std::optional<double>> regret;  // per equilibrium; none for very large trees
  bool degenerate = false;                    // vertex enumeration met a degenerate subgame
};

// Trees larger than this get no regret check in `parley solve` (it costs
// about nodes x subgames x information sets); nor do games with imperfect
// recall, where the check's best responses are not well defined.
constexpr int kMaxRegretCheckNodes = 5000;

// The normal-form solvers on one subgame's reduced normal form.
ReducedFormSolver MixedSolver(const std::string& method, bool* degenerate) {
  return [method, degenerate](const GameView& game) -> StatusOr<MixedList> {
    std::vector<MixedEquilibrium> found;
    if (method == "logit") {
      auto r = LogitLimit(game);
      if (!r.ok()) return r.status();
      if (!r->converged) {
        return NotFound("the logit path gave up (" + r->termination +
                        ") before a Nash equilibrium");
      }
      found.push_back(std::move(r->profile));
    } else {
      auto bimatrix = ToBimatrix(game);
      if (!bimatrix.ok()) return bimatrix.status();
      if (method == "vertex") {
        auto r = EnumerateVertices(*bimatrix);
        if (!r.ok()) return r.status();
        found = std::move(r->equilibria);
        *degenerate = *degenerate || r->degenerate;
      } else if (method == "support") {
        auto r = SupportEnumeration(*bimatrix);
        if (!r.ok()) return r.status();
        found = std::move(*r);
      } else {
        found = LemkeHowsonAll(*bimatrix);
      }
    }
    MixedList out;
    for (const MixedEquilibrium& e : found) {
      std::vector<std::vector<double>> mixed;
      for (const Eigen::VectorXd& x : e.strategies) mixed.emplace_back(x.begin(), x.end());
      out.push_back(std::move(mixed));
    }
    return out;
  };
}

StatusOr<ImperfectSolution> SolveImperfect(const LoadedTree& t,
                                           const std::optional<std::string>& method_flag,
                                           const std::optional<double>& lambda) {
  const GameTree& tree = t.game.tree;
  ImperfectSolution s;
  s.method = method_flag.value_or("spe");
  if (lambda) return InvalidArgument("--lambda applies to --method qre only");
  const bool mixed = s.method != "spe";
  if (mixed && s.method != "vertex" && s.method != "support" && s.method != "lemke-howson" &&
      s.method != "logit") {
    return InvalidArgument("--method: '" + s.method +
                           "' does not solve trees; a tree with information sets is solved with "
                           "spe (pure equilibria of each subgame), vertex, support, lemke-howson "
                           "or logit (two-player trees)");
  }
  if (mixed && s.method != "logit" && tree.num_players() != 2) {
    return InvalidArgument("--method " + s.method + " needs a two-player game; this tree has " +
                           std::to_string(tree.num_players()) +
                           " players (use --method spe or logit)");
  }
  const bool recall = HasPerfectRecall(tree);
  if (mixed && !recall) {
    return InvalidArgument(
        "--method " + s.method +
        ": a player in this game forgets what it saw or did (imperfect recall), so mixed plans "
        "are not behaviour strategies (Kuhn's theorem needs perfect recall); use --method spe");
  }
  auto d = SubgameDecomposition::Make(tree);
  if (!d.ok()) return d.status();
  s.decomposition = std::move(*d);
  SubgameOptions options;
  options.selection = t.selection;
  if (mixed) {
    options.solver = MixedSolver(s.method, &s.degenerate);
    options.all_root_equilibria = true;
  }
  SampleRng rng(t.seed, t.index, RngStream::kModel);
  auto solved = SolveSubgamePerfect(t.game.view(), s.decomposition, options, rng);
  if (!solved.ok()) {
    if (solved.status().code() == StatusCode::kNotFound && !mixed) {
      return NotFound(solved.status().message() +
                      "; for mixed equilibria use --method vertex, lemke-howson or logit");
    }
    return solved.status();
  }
  s.equilibria = std::move(*solved);
  for (const SubgameSolution& e : s.equilibria) {
    if (recall && tree.num_nodes() <= kMaxRegretCheckNodes) {
      s.regret.push_back(MaxInfosetRegret(t.game.view(), e.behaviour));
    } else {
      s.regret.push_back(std::nullopt);
    }
  }
  return s;
}

// Terminals reached with positive probability under a behaviour profile:
// the moves that lead there, the outcome label and the probability.
struct Branch {
  std::vector<std::string> moves;
  std::string outcome;
  double probability = 0.0;
};
std::vector<Branch> Branches(const TreeView& view, const Behaviour& b) {
  const GameTree& tree = *view.tree;
  std::vector<Branch> out;
  std::vector<std::string> moves;
  std::function<void(int, double)> walk = [&](int v, double p) {
    const TreeNode& node = tree.node(v);
    if (node.kind == NodeKind::kTerminal) {
      out.push_back({moves, node.label, p});
      return;
    }
    const InfoSet& h = tree.infosets()[node.infoset];
    const auto kids = tree.children(v);
    for (size_t a = 0; a < kids.size(); ++a) {
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
      walk(kids[a], p * pa);
      moves.pop_back();
    }
  };
  walk(0, 1.0);
  return out;
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

std::string FormatImperfect(const LoadedTree& t, const ImperfectSolution& s) {
  const GameTree& tree = t.game.tree;
  const TreeView view = t.game.view();
  std::string out =
      fmt::format("{} ({}), method {}: subgame-perfect equilibri{} by subgame decomposition\n",
                  t.name, t.source, s.method, s.equilibria.size() == 1 ? "um" : "a");
  const SubgameSolution& first = s.equilibria.front();
  const int nf = s.decomposition.num_normal_form_subgames();
  out += fmt::format(
      "The game has information sets; {} subgame{} with information sets {} solved through {} "
      "reduced normal form ({}):\n",
      nf, nf == 1 ? "" : "s", nf == 1 ? "was" : "were", nf == 1 ? "its" : "their",
      s.method == "spe" ? "pure Nash equilibria, the selection rule " +
                              std::string(SelectionName(t.selection)) + " choosing among several"
                        : s.method);
  for (const SubgameDecomposition::Unit& u : s.decomposition.units) {
    if (u.single_node) continue;
    std::string sizes;
    for (int p = 0; p < tree.num_players(); ++p) {
      sizes += (p ? " x " : "") + std::to_string(u.strategies.num_strategies(p));
    }
    const auto it =
        std::find(first.normal_form_roots.begin(), first.normal_form_roots.end(), u.root);
    const int found = it == first.normal_form_roots.end()
                          ? 0
                          : first.equilibria_found[it - first.normal_form_roots.begin()];
    out += fmt::format("  {}: {} reduced strategies, {} equilibri{}{}\n",
                       u.root == 0 ? "the whole game" : "the subgame at " + NodeName(tree, u.root),
                       sizes, found, found == 1 ? "um" : "a",
                       u.root == 0 && s.method != "spe" ? " (each listed below)"
                       : found > 1                      ? " (one selected)"
                                                        : "");
  }
  if (s.degenerate) {
    out +=
        "warning: a subgame's reduced normal form is degenerate; vertex enumeration reports the "
        "equilibria it finds at vertices\n";
  }
  for (size_t i = 0; i < s.equilibria.size(); ++i) {
    const SubgameSolution& e = s.equilibria[i];
    const std::string regret =
        s.regret[i] ? fmt::format("{:.3g}", *s.regret[i]) : std::string("not checked");
    out += fmt::format("\n#{}  (regret {}):\n", i + 1, regret);
    out += "Equilibrium play:\n";
    const std::vector<Branch> branches = Branches(view, e.behaviour);
    size_t shown = 0;
    for (const Branch& b : branches) {
      if (++shown > 50) break;
      std::string text;
      for (const auto& m : b.moves) text += (text.empty() ? "" : " -> ") + m;
      if (!b.outcome.empty()) text += " => " + b.outcome;
      out += branches.size() > 1 ? fmt::format("  p = {:.4g}:  {}\n", b.probability, text)
                                 : "  " + text + "\n";
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

nlohmann::ordered_json ImperfectJson(const LoadedTree& t, const std::string& file,
                                     const ImperfectSolution& s) {
  using J = nlohmann::ordered_json;
  const GameTree& tree = t.game.tree;
  const TreeView view = t.game.view();
  J j;
  j["parley_version"] = kParleyVersion;
  j["game"] = {{"name", t.name}, {"file", file}, {"source", t.source}};
  j["method"] = s.method;
  j["players"] = tree.players();
  j["degenerate"] = s.degenerate || s.equilibria.front().num_ties > 0;
  J subgames = J::array();
  const SubgameSolution& first = s.equilibria.front();
  for (const SubgameDecomposition::Unit& u : s.decomposition.units) {
    if (u.single_node) continue;
    J counts = J::object();
    for (int p = 0; p < tree.num_players(); ++p) {
      counts[tree.players()[p]] = u.strategies.num_strategies(p);
    }
    const auto it =
        std::find(first.normal_form_roots.begin(), first.normal_form_roots.end(), u.root);
    subgames.push_back(
        {{"root", NodeName(tree, u.root)},
         {"reduced_strategies", counts},
         {"equilibria", it == first.normal_form_roots.end()
                            ? 0
                            : first.equilibria_found[it - first.normal_form_roots.begin()]}});
  }
  j["normal_form_subgames"] = subgames;
  J list = J::array();
  for (size_t i = 0; i < s.equilibria.size(); ++i) {
    const SubgameSolution& e = s.equilibria[i];
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
    item["regret"] = s.regret[i] ? J(*s.regret[i]) : J(nullptr);
    item["path"] = path;
    item["ties"] = e.num_ties;
    item["information_sets"] = sets;
    list.push_back(std::move(item));
  }
  j["equilibria"] = list;
  return j;
}

int SolveImperfectAndPrint(const LoadedTree& loaded, const SolveFlags& flags) {
  auto solution = SolveImperfect(loaded, flags.method, flags.lambda);
  if (!solution.ok()) {
    return Fail(Status(solution.status().code(), flags.file + ": " + solution.status().message()));
  }
  if (flags.json) {
    const std::string text = ImperfectJson(loaded, flags.file, *solution).dump(2) + "\n";
    if (*flags.json == "-") {
      std::cout << text;
      return 0;
    }
    const Status written = WriteFileAtomically(*flags.json, text);
    if (!written.ok()) return Fail(written);
  }
  std::cout << FormatImperfect(loaded, *solution);
  return 0;
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
  if (!loaded->game.tree.perfect_information()) return SolveImperfectAndPrint(*loaded, flags);
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
  if (flags.format != "efg" && flags.format != "nfg") {
    return Fail(InvalidArgument(
        "--format: a sequential game is exported as efg (Gambit's extensive form) or nfg (its "
        "reduced normal form), not '" +
        *flags.format + "'"));
  }
  auto loaded = LoadTree(flags.file, flags.sample, flags.seed);
  if (!loaded.ok()) return Fail(loaded.status());
  if (flags.format == "nfg") {
    // The reduced normal form: one strategy per plan (an action at every
    // information set the player's own choices do not exclude).
    auto reduced = BuildReducedNormalForm(loaded->game.view());
    if (!reduced.ok()) {
      return Fail(Status(reduced.status().code(), flags.file + ": " + reduced.status().message()));
    }
    NfgDocument doc{loaded->game.title.empty() ? loaded->name : loaded->game.title,
                    "Reduced normal form, exported by parley " + std::string(kParleyVersion) +
                        " from " + flags.file + " (" + loaded->source + ")",
                    std::move(reduced->game)};
    return WriteOutput(flags.output, WriteNfg(doc));
  }
  loaded->game.comment = "Exported by parley " + std::string(kParleyVersion) + " from " +
                         flags.file + " (" + loaded->source + ")";
  if (loaded->game.title.empty()) loaded->game.title = loaded->name;
  return WriteOutput(flags.output, WriteEfg(loaded->game));
}

}  // namespace parley
