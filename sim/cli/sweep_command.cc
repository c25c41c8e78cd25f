// `parley sweep FILE --vary NAME=LOW:HIGH:STEPS [--vary ...]`: a grid of full
// Monte Carlo runs over one or two sweepable names (sim/mc/sweep.h).
#include <CLI/CLI.hpp>

#include "sim/app/sampling.h"
#include "sim/cli/commands.h"
#include "sim/mc/sweep.h"
#include "sim/report/html_report.h"
#include "sim/report/progress.h"
#include "sim/report/provenance.h"
#include "sim/report/whatif.h"
#include "sim/scenario/overrides.h"

namespace parley {

CLI::App* AddSweepCommand(CLI::App& app, SweepFlags& flags) {
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Run a scenario over a 1-D or 2-D grid of values of sweepable names (common random "
      "numbers: the same samples at every point)");
  cmd->add_option("file", flags.file, "Scenario YAML file")->required();
  cmd->add_option("--vary", flags.vary,
                  "NAME=LOW:HIGH:STEPS, a name from `parley params` and STEPS >= 2 evenly "
                  "spaced values (once or twice)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("--samples,-n", flags.samples, "Samples per grid point (default: the scenario's)")
      ->transform(DecimalValidator())
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  AddSamplingFlags(cmd, flags, "Override a sweepable name at every point: NAME=VALUE (repeatable)");
  cmd->add_option("--csv", flags.csv,
                  "Write one CSV row per grid point and outcome to PATH, or '-' for stdout");
  cmd->add_flag("--quiet,-q", flags.quiet, "Print no terminal table (and no progress bar)");
  return cmd;
}

int Sweep(const SweepFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<SweepAxis> axes;
  for (const std::string& v : flags.vary) {
    auto axis = ParseSweepAxis(v);
    if (!axis.ok()) return Fail(axis.status());
    axes.push_back(std::move(*axis));
  }
  if (const Status outputs =
          CheckOutputFlags({{"--json", flags.json}, {"--html", flags.html}, {"--csv", flags.csv}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  // Before sampling, so that a long sweep does not end in this error.
  auto request = ToSamplingRequest(flags, {flags.file});
  if (!request.ok()) return Fail(request.status());
  // Each grid point compiles its own game.
  auto prepared = PrepareSampling(*request, /*compile=*/false);
  if (!prepared.ok()) return Fail(prepared.status());
  const PreparedScenario& scenario = prepared->scenarios.front();
  const Status checked = CheckSweep(scenario.spec, axes);
  if (!checked.ok()) return Fail(checked);
  const Selection selection = scenario.model->selection();
  const ModelMaker make_model = [selection](const ScenarioSpec& spec) {
    return ModelForScenario(spec, selection);
  };
  // A model.<param> axis: its values are checked before anything runs.
  for (const SweepAxis& axis : axes) {
    for (const double value : {axis.low, axis.high}) {
      ScenarioSpec varied = scenario.spec;
      Status set = ApplyOverride(varied, axis.name, value);
      if (set.ok()) set = make_model(varied).status();
      if (!set.ok()) return Fail(InvalidArgument("--vary " + axis.name + ": " + set.message()));
    }
  }

  SweepOptions options;
  options.compile.argument_modes = scenario.modes;
  options.run = prepared->options;
  StatusOr<SweepResult> result = InvalidArgument("no sweep");
  {
    ProgressBar bar("sweep", {.enabled = ShouldShowProgress(flags.quiet)});
    options.progress = bar.Callback();
    result = RunSweep(scenario.spec, axes, make_model, options);
  }
  if (!result.ok()) return Fail(result.status());
  result->seconds = SecondsSince(start);  // load, compile every point, sample

  nlohmann::ordered_json doc = SweepToJson(*result);
  AddProvenanceJson(scenario.provenance, doc);
  auto written = WriteResults(doc, flags.json, flags.html, flags.csv, SweepToCsv(*result));
  if (!written.ok()) return Fail(written.status());
  if (!*written && !flags.quiet) {
    std::string text = FormatSweepText(*result);
    InsertProvenanceText(scenario.provenance, text, 3, /*with_model=*/false);
    std::cout << text;
  }
  return 0;
}

}  // namespace parley
