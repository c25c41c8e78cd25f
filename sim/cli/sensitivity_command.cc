// `parley sensitivity`: global sensitivity of a scenario's outcome
// probabilities and expected payoffs to its uncertain inputs (Sobol indices
// or Morris elementary effects; docs/explanation/sensitivity.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/app/analyses.h"
#include "sim/app/sampling.h"
#include "sim/cli/commands.h"
#include "sim/report/html_report.h"
#include "sim/report/progress.h"
#include "sim/report/provenance.h"
#include "sim/report/sensitivity_report.h"

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
  const std::string method = flags.method.value_or("sobol");
  if (const Status outputs = CheckOutputFlags({{"--json", flags.json}, {"--html", flags.html}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  auto request = ToSamplingRequest(flags, {flags.file});
  if (!request.ok()) return Fail(request.status());
  StatusOr<SensitivityOutput> analysis = InvalidArgument("no analysis");
  {
    ProgressBar bar(method, {.enabled = ShouldShowProgress(flags.quiet), .unit = "evaluations"});
    analysis = RunSensitivityRequest(*request, method, flags.samples, flags.file, bar.Callback());
  }
  if (!analysis.ok()) return Fail(analysis.status());
  nlohmann::ordered_json doc = SensitivityToJson(analysis->report);
  AddProvenanceJson(analysis->provenance, doc);
  auto to_stdout = WriteResults(doc, flags.json, flags.html);
  if (!to_stdout.ok()) return Fail(to_stdout.status());
  if (!*to_stdout && !flags.quiet) {
    std::string text = FormatSensitivityText(analysis->report, flags.top);
    InsertProvenanceText(analysis->provenance, text, 1, /*with_model=*/true);
    std::cout << text;
  }
  return 0;
}

}  // namespace parley
