// `parley explain`: one sequential game (the mean game, or one Monte Carlo
// sample) printed as a tree with every actor's equilibrium choice and why.
#include <fmt/format.h>

#include "sim/cli/commands.h"
#include "sim/report/explain.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/backward_induction.h"

namespace parley {

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
  if (!game->tree().perfect_information()) {
    return Fail(InvalidArgument(
        flags.file +
        ": this game has information sets (stages with `unobserved`); explain shows "
        "perfect-information games only"));
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
  SolveBackwardInduction(view, *rule, rng, play);
  ComputeReach(view, play);
  std::cout << ExplainTree(*spec, *game, table, play, options);
  return 0;
}

}  // namespace parley
