// `parley fit FILE --model M --param P --observed COUNTS.yaml`: the
// maximum-likelihood value of one model parameter given observed choices
// (app/fit.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/app/fit.h"
#include "sim/app/numbers.h"
#include "sim/cli/commands.h"
#include "sim/report/fit_report.h"
#include "sim/report/provenance.h"

namespace parley {

CLI::App* AddFitCommand(CLI::App& app, FitFlags& flags) {
  CLI::App* cmd = app.add_subcommand(
      "fit",
      "Fit one model parameter to observed choices: its maximum-likelihood value and a "
      "profile-likelihood 95% interval");
  cmd->add_option("file", flags.file, "Scenario YAML file (normal form)")->required();
  cmd->add_option("--model,-m", flags.model,
                  "Model, with any fixed parameters: NAME or NAME:K=V[,K=V] (see `parley models`)")
      ->required();
  cmd->add_option("--param", flags.param, "The model parameter to fit (a number parameter)")
      ->required();
  cmd->add_option("--observed", flags.observed,
                  "YAML file of observed choice counts per actor and option")
      ->required();
  cmd->add_option("--range", flags.range,
                  "Search range LOW,HIGH (default: the parameter's declared range, an open end "
                  "stopping at +-100)");
  AddSampleFlags(cmd, flags, "Samples per evaluation (default: the scenario's)",
                 "Random seed (default: the scenario's)");
  AddOverrideFlags(cmd, flags, "Override a sweepable name: NAME=VALUE (repeatable)");
  cmd->add_option("--json", flags.json, "Write the JSON result to PATH, or '-' for stdout");
  cmd->add_option("--html", flags.html,
                  "Also write a self-contained HTML report with charts to PATH");
  cmd->add_flag("--quiet,-q", flags.quiet, "Print no terminal summary");
  return cmd;
}

int Fit(const FitFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  if (const Status outputs = CheckOutputFlags({{"--json", flags.json}, {"--html", flags.html}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  FitRequest request;
  request.file = flags.file;
  request.model = flags.model;
  request.parameter = flags.param;
  request.observed = flags.observed;
  if (flags.range) {
    auto range = ParseRange("--range", *flags.range);
    if (!range.ok()) return Fail(range.status());
    request.range = *range;
  }
  CopyOverrideFlags(flags, request);
  if (const Status copied = CopySampleFlags(flags, request); !copied.ok()) return Fail(copied);
  auto fit = FitModelParameter(request);
  if (!fit.ok()) return Fail(fit.status());
  const double seconds = SecondsSince(start);
  nlohmann::ordered_json doc = FitToJson(fit->result, seconds);
  AddProvenanceJson(fit->provenance, doc);
  auto written = WriteResults(doc, flags.json, flags.html);
  if (!written.ok()) return Fail(written.status());
  if (!*written && !flags.quiet) std::cout << FormatFitText(fit->result, seconds);
  return 0;
}

}  // namespace parley
