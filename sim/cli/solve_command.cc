// `parley solve`: the equilibria of one game (sim/app/game_input.h) by a
// method of the solver registry (sim/solve/solver.h), printed as text or
// JSON (sim/report/solution_report.h).
#include <iostream>

#include "sim/app/game_input.h"
#include "sim/cli/commands.h"
#include "sim/report/solution_report.h"
#include "sim/solve/solver.h"

namespace parley {
namespace {

// Prints the solution: the text, after writing the JSON to --json PATH; or
// only the JSON, to stdout with --json -, and a warning to stderr.
template <typename Game>
int Print(const SolveFlags& flags, const Game& game, const GameLabel& label, const Solution& s) {
  if (flags.json) {
    if (const Status fits = CheckSolutionJsonSize(EstimateSolutionJsonBytes(game, s)); !fits.ok()) {
      return Fail(fits);
    }
    const std::string text = SolutionJson(game, label, s).dump(2) + "\n";
    const bool to_stdout = *flags.json == "-";
    if (to_stdout) {
      if (const std::string warning = SolutionWarning(s); !warning.empty()) {
        std::cerr << "parley: " << warning << "\n";
      }
    }
    if (const int code = WriteOutput(flags.json, text); code != 0 || to_stdout) return code;
  }
  std::cout << SolutionText(game, label, s);
  return 0;
}

}  // namespace

int Solve(const SolveFlags& flags) {
  if (const Status output = CheckOutputFlags({{"--json", flags.json}}); !output.ok()) {
    return Fail(output);
  }
  auto input = LoadGame({.file = flags.file, .sample = flags.sample, .seed = flags.seed});
  if (!input.ok()) return Fail(input.status());
  SolveRequest request;
  request.method = flags.method;
  if (flags.lambda) request.options.emplace("lambda", *flags.lambda);
  request.tree = input->tree_settings;
  const GameLabel label{input->name, input->source, flags.file};
  if (input->normal_form) {
    auto solution = SolveGame(*input->normal_form, request);
    if (!solution.ok()) return Fail(solution.status());
    return Print(flags, *input->normal_form, label, *solution);
  }
  auto solution = SolveGame(*input->tree, request);
  if (!solution.ok()) {
    const Status& why = solution.status();
    // A tree with information sets names the file in every refusal.
    return Fail(FormOf(*input->tree) == GameForm::kTreeWithInformationSets
                    ? Status(why.code(), flags.file + ": " + why.message())
                    : why);
  }
  return Print(flags, *input->tree, label, *solution);
}

}  // namespace parley
