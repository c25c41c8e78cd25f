// `parley score FILES...`: back-test scenarios that record what happened
// (`observed`) against it, under one or more models, with the uniform and
// base-rate baselines (sim/app/score.h, sim/mc/scoring.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/app/sampling.h"
#include "sim/app/score.h"
#include "sim/cli/commands.h"
#include "sim/report/html_report.h"
#include "sim/report/score_report.h"

namespace parley {

CLI::App* AddScoreCommand(CLI::App& app, ScoreFlags& flags) {
  CLI::App* cmd = app.add_subcommand(
      "score",
      "Back-test scenarios that record what happened (`observed`): Brier and log scores and a "
      "reliability table per model, against uniform and base-rate forecasts");
  cmd->add_option("files", flags.files, "Scenario YAML files, each with an `observed` section")
      ->required();
  cmd->add_option("--models", flags.models,
                  "Models to score, separated by commas, each as --model takes it "
                  "(nash-pure,qre:lambda=2); default: each scenario's own");
  AddSampleFlags(cmd, flags, "Samples per scenario and model (default: each scenario's)",
                 "Random seed (default: each scenario's)");
  cmd->add_option("--bins", flags.bins, "Bins of the reliability table (default 5)")
      ->transform(DecimalValidator())
      ->check(CLI::Range(1, 100));
  cmd->add_option("--json", flags.json, "Write the JSON result to PATH, or '-' for stdout");
  cmd->add_option("--html", flags.html,
                  "Also write a self-contained HTML report with a reliability diagram to PATH");
  cmd->add_flag("--quiet,-q", flags.quiet, "Print no terminal summary");
  return cmd;
}

int Score(const ScoreFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  if (const Status outputs = CheckOutputFlags({{"--json", flags.json}, {"--html", flags.html}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  ScoreRequest request;
  request.files = flags.files;
  if (flags.models) {
    auto models = SplitModelList(*flags.models);
    if (!models.ok()) return Fail(models.status());
    request.models = std::move(*models);
  }
  if (const Status copied = CopySampleFlags(flags, request); !copied.ok()) return Fail(copied);
  request.bins = flags.bins;
  auto test = RunBackTest(request);
  if (!test.ok()) return Fail(test.status());
  const double seconds = SecondsSince(start);
  auto written = WriteResults(ScoreToJson(*test, seconds), flags.json, flags.html);
  if (!written.ok()) return Fail(written.status());
  if (!*written && !flags.quiet) std::cout << FormatScoreText(*test, seconds);
  return 0;
}

}  // namespace parley
