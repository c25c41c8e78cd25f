// `parley sensitivity`: global sensitivity of a scenario's outcome
// probabilities and expected payoffs to its uncertain inputs (Sobol indices
// or Morris elementary effects; docs/explanation/sensitivity.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/app/sampling.h"
#include "sim/cli/commands.h"
#include "sim/mc/negotiation.h"
#include "sim/mc/scenario_sensitivity.h"
#include "sim/mc/sensitivity.h"
#include "sim/model/model.h"
#include "sim/report/html_report.h"
#include "sim/report/progress.h"
#include "sim/report/provenance.h"
#include "sim/report/report.h"
#include "sim/report/sensitivity_report.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"

namespace parley {

CLI::App* AddSensitivityCommand(CLI::App& app, SensitivityFlags& flags) {
  CLI::App* cmd = app.add_subcommand(
      "sensitivity",
      "Global sensitivity of outcome probabilities and expected payoffs to every uncertain "
      "input (Sobol indices or Morris elementary effects)");
  cmd->add_option("file", flags.file, "Scenario YAML file")->required();
  cmd->add_option("--method", flags.method,
                  "sobol (first-order and total indices; the default) or morris (elementary "
                  "effects: mu*, mu, sigma)");
  cmd->add_option("--samples,-n", flags.samples,
                  "Sobol: base rows N, N (inputs + 2) evaluations (default 1024); Morris: "
                  "trajectories r, r (inputs + 1) evaluations (default 100)")
      ->transform(DecimalValidator())
      ->check(CLI::Range(int64_t{2}, int64_t{1} << 32));
  cmd->add_option("--top", flags.top, "Inputs shown per output, highest first (0: all)")
      ->transform(DecimalValidator())
      ->check(CLI::Range(size_t{0}, size_t{1} << 20));
  AddSamplingFlags(cmd, flags,
                   "Override a sweepable name: NAME=VALUE (repeatable; see `parley params`)");
  cmd->add_flag("--quiet,-q", flags.quiet, "Print no terminal tables (and no progress bar)");
  return cmd;
}

int Sensitivity(const SensitivityFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  const std::string method = flags.method.value_or("sobol");
  if (method != "sobol" && method != "morris") {
    return Fail(
        InvalidArgument("--method: unknown method '" + method + "' (methods: sobol, morris)"));
  }
  if (const Status outputs = CheckOutputFlags({{"--json", flags.json}, {"--html", flags.html}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  // Before the computation, so that a long analysis does not end in this error.
  auto request = ToSamplingRequest(flags, {flags.file});
  if (!request.ok()) return Fail(request.status());
  auto prepared = PrepareSampling(*request);
  if (!prepared.ok()) return Fail(prepared.status());
  const PreparedScenario& scenario = prepared->scenarios.front();
  if (const Status rounds = CheckRoundsPlayable(*scenario.game); !rounds.ok()) {
    return Fail(rounds);
  }
  const ScenarioSpec& spec = scenario.spec;
  const Model& model = *scenario.model;
  SensitivityOptions options;
  options.samples = flags.samples.value_or(method == "sobol" ? 1024 : 100);
  options.seed = prepared->options.seed;
  options.threads = flags.threads;
  if (const Status designs = scenario.game->CheckUniformDesigns(); !designs.ok()) {
    return Fail(designs);
  }
  const ScenarioFunction f(spec, *scenario.game, model, options.seed);
  if (f.num_inputs() == 0) {
    return Fail(InvalidArgument(flags.file +
                                ": the scenario has no uncertain inputs (every value is a "
                                "constant and every argument's credence is 0 or 1)"));
  }

  SensitivityReport report;
  report.scenario = spec.name;
  report.scenario_path = flags.file;
  report.model = std::string(model.name());
  report.samples = options.samples;
  report.seed = options.seed;
  report.bootstrap = options.bootstrap;
  report.levels = options.levels;
  report.inputs = f.input_names();
  report.outputs = f.output_names();
  ProgressBar bar(method, {.enabled = ShouldShowProgress(flags.quiet), .unit = "evaluations"});
  options.progress = bar.Callback();
  if (method == "sobol") {
    auto result = SobolIndices(f.num_inputs(), f.num_outputs(), std::cref(f), options);
    if (!result.ok()) return Fail(result.status());
    report.sobol = std::move(*result);
  } else {
    auto result = MorrisEffects(f.num_inputs(), f.num_outputs(), std::cref(f), options);
    if (!result.ok()) return Fail(result.status());
    report.morris = std::move(*result);
  }
  bar.Finish();
  if (const Status finite = f.CheckFinite(); !finite.ok()) return Fail(finite);
  report.seconds = SecondsSince(start);  // load, compile, evaluate
  nlohmann::ordered_json doc = SensitivityToJson(report);
  AddProvenanceJson(scenario.provenance, doc);
  auto to_stdout = WriteResults(doc, flags.json, flags.html);
  if (!to_stdout.ok()) return Fail(to_stdout.status());
  if (!*to_stdout && !flags.quiet) {
    std::string text = FormatSensitivityText(report, flags.top);
    InsertProvenanceText(scenario.provenance, text, 1, /*with_model=*/true);
    std::cout << text;
  }
  return 0;
}

}  // namespace parley
