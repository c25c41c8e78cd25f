// `parley sweep FILE --vary NAME=LOW:HIGH:STEPS [--vary ...]`: a grid of full
// Monte Carlo runs over one or two sweepable names (sim/mc/sweep.h).
#include <CLI/CLI.hpp>

#include "sim/cli/commands.h"
#include "sim/mc/sweep.h"
#include "sim/report/html_report.h"
#include "sim/report/progress.h"
#include "sim/report/whatif.h"

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
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  AddSamplingFlags(cmd, flags, "Override a sweepable name at every point: NAME=VALUE (repeatable)");
  cmd->add_option("--csv", flags.csv,
                  "Write one CSV row per grid point and outcome to PATH, or '-' for stdout");
  cmd->add_flag("--quiet,-q", flags.quiet, "Print no terminal table (and no progress bar)");
  return cmd;
}

int Sweep(const SweepFlags& flags) {
  std::vector<SweepAxis> axes;
  for (const std::string& v : flags.vary) {
    auto axis = ParseSweepAxis(v);
    if (!axis.ok()) return Fail(axis.status());
    axes.push_back(std::move(*axis));
  }
  if (flags.json && flags.csv && *flags.json == "-" && *flags.csv == "-") {
    return Fail(
        InvalidArgument("--json - and --csv - would both write to stdout; give one a path"));
  }
  // Before sampling, so that a long sweep does not end in this error.
  if (flags.html && !HtmlReportAvailable()) return Fail(HtmlReportUnavailable());
  auto prepared =
      Prepare(flags.file, flags.model, flags.selection, flags.with, flags.without, flags.set);
  if (!prepared.ok()) return Fail(prepared.status());
  const Status checked = CheckSweep(prepared->spec, axes);
  if (!checked.ok()) return Fail(checked);

  SweepOptions options;
  options.compile.argument_modes = prepared->modes;
  options.run.samples = flags.samples.value_or(prepared->spec.simulation.samples);
  options.run.seed = prepared->spec.simulation.seed;
  if (flags.seed) {
    auto seed = ParseUnsigned("--seed", *flags.seed);
    if (!seed.ok()) return Fail(seed.status());
    options.run.seed = *seed;
  }
  options.run.threads = flags.threads;
  options.run.model.selection = prepared->selection;
  StatusOr<SweepResult> result = InvalidArgument("no sweep");
  {
    ProgressBar bar("sweep", {.enabled = ShouldShowProgress(flags.quiet)});
    options.progress = bar.Callback();
    result = RunSweep(prepared->spec, axes, *prepared->model, options);
  }
  if (!result.ok()) return Fail(result.status());

  auto written =
      WriteResults(SweepToJson(*result), flags.json, flags.html, flags.csv, SweepToCsv(*result));
  if (!written.ok()) return Fail(written.status());
  if (!*written && !flags.quiet) std::cout << FormatSweepText(*result);
  return 0;
}

}  // namespace parley
