// `parley compare FILE... --models A,B,...`: several models on the same
// sampled games of each scenario (app/model_comparison.h).
#include <CLI/CLI.hpp>

#include "sim/app/model_comparison.h"
#include "sim/cli/commands.h"
#include "sim/report/model_comparison_report.h"
#include "sim/report/progress.h"
#include "sim/report/provenance.h"

namespace parley {

CLI::App* AddModelsCompareCommand(CLI::App& app, ModelsCompareFlags& flags) {
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Run several models on the same sampled games of one or more scenarios: outcome "
      "probabilities per model, and paired differences and agreement per pair of models");
  cmd->add_option("files", flags.files, "Scenario YAML files")->required();
  cmd->add_option("--models", flags.models,
                  "Models, comma-separated, each as --model takes it: "
                  "nash-pure,qre:lambda=1,nash-logit (see `parley models`)")
      ->required();
  AddSampleFlags(cmd, flags, "Samples per scenario (default: the first's)",
                 "Random seed (default: the first scenario's)");
  AddOverrideFlags(cmd, flags, "Override a sweepable name in every scenario: NAME=VALUE");
  cmd->add_option("--json", flags.json, "Write the JSON result to PATH, or '-' for stdout");
  cmd->add_option("--html", flags.html,
                  "Also write a self-contained HTML report with charts to PATH");
  cmd->add_option("--csv", flags.csv,
                  "Write one CSV row per scenario, model and outcome to PATH, or '-'");
  cmd->add_flag("--quiet,-q", flags.quiet, "Print no terminal tables and no progress bar");
  return cmd;
}

int ModelsCompare(const ModelsCompareFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  if (const Status outputs =
          CheckOutputFlags({{"--json", flags.json}, {"--html", flags.html}, {"--csv", flags.csv}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  ModelComparisonRequest request;
  request.files = flags.files;
  auto models = SplitModelList(flags.models);
  if (!models.ok()) return Fail(models.status());
  request.models = std::move(*models);
  CopyOverrideFlags(flags, request);
  if (const Status copied = CopySampleFlags(flags, request); !copied.ok()) return Fail(copied);
  StatusOr<ModelComparisonResult> result = InvalidArgument("no comparison");
  {
    ProgressBar bar("compare", {.enabled = ShouldShowProgress(flags.quiet)});
    request.progress = bar.Callback();
    result = CompareModels(request);
  }
  if (!result.ok()) return Fail(result.status());
  const ModelComparison& comparison = result->comparison;
  const double seconds = SecondsSince(start);
  const nlohmann::ordered_json doc = ModelComparisonResultJson(*result, seconds);
  auto written =
      WriteResults(doc, flags.json, flags.html, flags.csv, ModelComparisonToCsv(comparison));
  if (!written.ok()) return Fail(written.status());
  if (!*written && !flags.quiet) {
    // Every model of a scenario shares its rounds.
    std::vector<std::string> notes;
    for (const std::vector<Provenance>& models : result->provenance) {
      const std::string rounds = models.empty() ? "" : FormatRoundsProvenance(models.front());
      notes.push_back(rounds.empty() ? "" : "rounds: " + rounds);
    }
    std::cout << FormatModelComparisonText(comparison, seconds, notes);
  }
  return 0;
}

}  // namespace parley
