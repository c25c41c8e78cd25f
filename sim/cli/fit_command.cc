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
  cmd->add_option("--samples,-n", flags.samples, "Samples per evaluation (default: the scenario's)")
      ->transform(DecimalValidator())
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_option("--seed", flags.seed, "Random seed (default: the scenario's)");
  cmd->add_option("--threads,-t", flags.threads,
                  "Worker threads, 1-256; 0 = one per core (results do not depend on it)")
      ->transform(DecimalValidator())
      ->check(CLI::Range(0, 256));
  cmd->add_option("--selection", flags.selection,
                  "Equilibrium selection: uniform or payoff-dominant");
  cmd->add_option("--with", flags.with, "Force an argument to hold (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--without", flags.without, "Force an argument not to hold (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--set", flags.set, "Override a sweepable name: NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--json", flags.json, "Write the JSON result to PATH, or '-' for stdout");
  cmd->add_flag("--quiet,-q", flags.quiet, "Print no terminal summary");
  return cmd;
}

int Fit(const FitFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  if (const Status outputs = CheckOutputFlags({{"--json", flags.json}}); !outputs.ok()) {
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
  request.with = flags.with;
  request.without = flags.without;
  request.set = flags.set;
  request.selection = flags.selection;
  request.samples = flags.samples;
  if (flags.seed) {
    auto seed = ParseUnsigned("--seed", *flags.seed);
    if (!seed.ok()) return Fail(seed.status());
    request.seed = *seed;
  }
  request.threads = flags.threads;
  auto fit = FitModelParameter(request);
  if (!fit.ok()) return Fail(fit.status());
  const double seconds = SecondsSince(start);
  nlohmann::ordered_json doc = FitToJson(fit->result, seconds);
  AddProvenanceJson(fit->provenance, doc);
  auto written = WriteResults(doc, flags.json, std::nullopt, std::nullopt, "");
  if (!written.ok()) return Fail(written.status());
  if (!*written && !flags.quiet) std::cout << FormatFitText(fit->result, seconds);
  return 0;
}

}  // namespace parley
