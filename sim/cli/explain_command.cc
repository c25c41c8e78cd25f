// `parley explain`: one game (sim/app/game_input.h). A sequential game is
// solved by the spe method of the solver registry and explained
// (sim/report/explain.h); a normal-form game gets the textbook analysis
// (sim/solve/strategic.h, sim/report/strategic_report.h).
#include <iostream>

#include "sim/app/game_input.h"
#include "sim/app/negotiation_walk.h"
#include "sim/cli/commands.h"
#include "sim/report/explain.h"
#include "sim/report/strategic_report.h"
#include "sim/solve/solver.h"
#include "sim/solve/strategic.h"

namespace parley {

int Explain(const ExplainFlags& flags) {
  if (const Status output = CheckOutputFlags({{"--json", flags.json}}); !output.ok()) {
    return Fail(output);
  }
  auto input = LoadGame({.file = flags.file,
                         .sample = flags.sample,
                         .seed = flags.seed,
                         .use = GameUse::kExplain,
                         .selection = flags.selection});
  if (!input.ok()) return Fail(input.status());
  if (input->normal_form) {
    auto analysis = AnalyzeStrategies(*input->normal_form);
    if (!analysis.ok()) {
      return Fail(Status(analysis.status().code(), flags.file + ": " + analysis.status().message() +
                                                       "; for its equilibria use `parley solve " +
                                                       flags.file + "`"));
    }
    const StrategicReportOptions options{.name = input->name,
                                         .what = input->source,
                                         .file = flags.file,
                                         .max_lines = flags.max_lines};
    if (flags.json) {
      return WriteOutput(
          *flags.json,
          NormalFormExplainJson(*input->normal_form, *analysis, options).dump(2) + "\n");
    }
    std::string text = ExplainNormalForm(*input->normal_form, *analysis, options);
    if (input->spec && input->spec->rounds) {
      auto walk = WalkNegotiation(*input);
      if (!walk.ok()) return Fail(walk.status());
      text += ExplainNegotiation(*input->spec, *input->model, *walk);
    }
    std::cout << text;
    return 0;
  }
  if (flags.json) {
    return Fail(InvalidArgument("--json applies to normal-form games; `parley solve " + flags.file +
                                " --json -` gives a sequential game's equilibria as JSON"));
  }
  // The subgame-perfect equilibrium in pure strategies; explain shows no regret.
  auto spe = SolverRegistry::Find("spe", FormOf(*input->tree));
  if (!spe.ok()) return Fail(spe.status());
  TreeSettings settings = input->tree_settings;
  settings.check_regret = false;
  if (input->decomposition) settings.decomposition = &*input->decomposition;
  auto solution = (*spe)->Solve(*input->tree, {}, settings);
  if (!solution.ok()) {
    return Fail(Status(solution.status().code(),
                       flags.file + ": " + solution.status().message() +
                           "; explain shows pure equilibria: for mixed ones use `parley solve " +
                           flags.file + " --method vertex` (or lemke-howson, logit)"));
  }
  ExplainOptions options;
  options.what = input->source;
  options.max_lines = flags.max_lines;
  std::string text = ExplainGame(*input->spec, *input->model, input->table, *solution, options);
  if (input->spec->rounds) {
    auto walk = WalkNegotiation(*input);
    if (!walk.ok()) return Fail(walk.status());
    text += ExplainNegotiation(*input->spec, *input->model, *walk);
  }
  std::cout << text;
  return 0;
}

}  // namespace parley
