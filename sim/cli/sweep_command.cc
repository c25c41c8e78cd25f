// `parley sweep FILE --vary NAME=LOW:HIGH:STEPS [--vary ...]`: a grid of full
// Monte Carlo runs over one or two sweepable names (sim/mc/sweep.h).
#include <CLI/CLI.hpp>

#include "sim/app/analyses.h"
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
  if (const Status outputs =
          CheckOutputFlags({{"--json", flags.json}, {"--html", flags.html}, {"--csv", flags.csv}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  auto request = ToSamplingRequest(flags, {flags.file});
  if (!request.ok()) return Fail(request.status());
  StatusOr<SweepOutput> sweep = InvalidArgument("no sweep");
  {
    ProgressBar bar("sweep", {.enabled = ShouldShowProgress(flags.quiet)});
    sweep = RunSweepRequest(*request, flags.vary, bar.Callback());
  }
  if (!sweep.ok()) return Fail(sweep.status());
  nlohmann::ordered_json doc = SweepToJson(sweep->result);
  AddProvenanceJson(sweep->provenance, doc);
  auto written = WriteResults(doc, flags.json, flags.html, flags.csv, SweepToCsv(sweep->result));
  if (!written.ok()) return Fail(written.status());
  if (!*written && !flags.quiet) {
    std::string text = FormatSweepText(sweep->result);
    InsertProvenanceText(sweep->provenance, text, 3, /*with_model=*/false);
    std::cout << text;
  }
  return 0;
}

}  // namespace parley
