// `parley explain`: one sequential game (the mean game, or one Monte Carlo
// sample) printed as a tree with every actor's equilibrium choice and why.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "sim/cli/commands.h"
#include "sim/report/explain.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/backward_induction.h"
#include "sim/solve/subgame_perfect.h"

namespace parley {

namespace {

std::string Num(double x) { return fmt::format("{:.4g}", std::abs(x) < 5e-13 ? 0.0 : x); }

// The part of `explain` that only games with information sets have: which
// subgames were solved through their reduced normal form, and at every
// information set the nodes the mover cannot tell apart, how likely each is
// in equilibrium (the mover's belief), what each action is worth on that
// belief, and the choice. Tree lines are numbered [node + 1]: a game with
// information sets is a tree, walked in node order.
std::string ExplainInformationSets(const ScenarioSpec& spec, const GameModel& game,
                                   const SubgameDecomposition& d, const SubgameSolution& solution,
                                   const SubgamePerfect& play) {
  const GameTree& tree = game.tree();
  const int n = tree.num_players();
  std::string out = "\nSubgames solved through their reduced normal form (pure equilibria):\n";
  for (const SubgameDecomposition::Unit& u : d.units) {
    if (u.single_node) continue;
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
  for (const size_t h : order) {
    const InfoSet& set = tree.infosets()[h];
    const std::string& actor = spec.actors[set.player].id;
    double total = 0.0;
    for (const int v : set.nodes) total += play.reach[v];
    std::string nodes, worth;
    for (const int v : set.nodes) {
      const double belief = total > 0 ? play.reach[v] / total : 1.0 / set.nodes.size();
      nodes += fmt::format("{}[{}] {}", nodes.empty() ? "" : ", ", v + 1, Num(belief));
    }
    for (size_t a = 0; a < set.actions.size(); ++a) {
      double x = 0.0;
      for (const int v : set.nodes) {
        const double belief = total > 0 ? play.reach[v] / total : 1.0 / set.nodes.size();
        x += belief * play.value[static_cast<size_t>(tree.children(v)[a]) * n + set.player];
      }
      worth += fmt::format("{}{} {}", a ? ", " : "", set.actions[a], Num(x));
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
    if (!solution.behaviour.reached[h]) {
      out += fmt::format(
          "    {}'s own earlier choices never lead here, so any action is consistent with the "
          "equilibrium; shown is its best one\n",
          actor);
    }
  }
  return out;
}

}  // namespace

int Explain(const ExplainFlags& flags) {
  auto spec = LoadScenarioFile(flags.file);
  if (!spec.ok()) return Fail(spec.status());
  if (!spec->sequential()) {
    return Fail(
        InvalidArgument(flags.file +
                        ": `parley explain` walks a sequential game's tree, and this scenario has "
                        "no `sequence`; use `parley solve` for its equilibria"));
  }
  auto rule = SelectionFromName(flags.selection.value_or(spec->simulation.selection));
  if (!rule.ok()) {
    const std::string msg = rule.status().message();
    return Fail(InvalidArgument(flags.selection ? "--selection: " + msg
                                                : spec->simulation.selection_loc.ToString() +
                                                      ": error: " + msg));
  }
  auto game = GameModel::Compile(*spec);
  if (!game.ok()) return Fail(game.status());
  std::optional<SubgameDecomposition> decomposition;
  if (!game->tree().perfect_information()) {
    auto d = SubgameDecomposition::Make(game->tree());
    if (!d.ok()) return Fail(Status(d.status().code(), flags.file + ": " + d.status().message()));
    decomposition = std::move(*d);
  }
  uint64_t seed = spec->simulation.seed;
  if (flags.seed) {
    if (!flags.sample) return Fail(InvalidArgument("--seed applies with --sample only"));
    auto parsed = ParseUnsigned("--seed", *flags.seed);
    if (!parsed.ok()) return Fail(parsed.status());
    seed = *parsed;
  }
  ExplainOptions options;
  options.max_lines = flags.max_lines;
  std::vector<double> table;
  uint64_t index = 0;
  if (flags.sample) {
    auto parsed = ParseUnsigned("--sample", *flags.sample);
    if (!parsed.ok()) return Fail(parsed.status());
    index = *parsed;
    table = game->SampleTable(seed, index);
    options.what = fmt::format("sample {} (seed {})", index, seed);
  } else {
    table = game->MeanTable();
    options.what = "mean payoffs";
  }
  // Ties draw from the sample's model stream, as in `parley run`.
  SampleRng rng(seed, index, RngStream::kModel);
  SubgamePerfect play;
  const std::vector<int32_t> offsets = game->EntryOffsets(1);
  const TreeView view = game->Tree(table.data(), offsets);
  if (!decomposition) {
    SolveBackwardInduction(view, *rule, rng, play);
    ComputeReach(view, play);
    std::cout << ExplainTree(*spec, *game, table, play, options);
    return 0;
  }
  SubgameOptions subgame;
  subgame.selection = *rule;
  auto solved = SolveSubgamePerfect(view, *decomposition, subgame, rng);
  if (!solved.ok()) {
    return Fail(Status(solved.status().code(),
                       flags.file + ": " + solved.status().message() +
                           "; explain shows pure equilibria: for mixed ones use `parley solve " +
                           flags.file + " --method vertex` (or lemke-howson, logit)"));
  }
  ToSubgamePerfect(view, solved->front(), play);
  std::cout << ExplainTree(*spec, *game, table, play, options)
            << ExplainInformationSets(*spec, *game, *decomposition, solved->front(), play);
  return 0;
}

}  // namespace parley
