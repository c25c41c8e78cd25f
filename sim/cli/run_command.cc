// `parley run FILE`: sample one scenario and report outcome probabilities;
// with several files, a comparison (compare_command.cc).
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "sim/app/sampling.h"
#include "sim/cli/commands.h"
#include "sim/core/output_file.h"
#include "sim/mc/attribution.h"
#include "sim/mc/precision.h"
#include "sim/mc/runner.h"
#include "sim/report/attribution_report.h"
#include "sim/report/html_report.h"
#include "sim/report/progress.h"
#include "sim/report/provenance.h"
#include "sim/report/report.h"
#include "sim/report/sample_writer.h"
#include "sim/report/sampler_report.h"
#include "sim/report/whatif.h"

namespace parley {
namespace {

// The --precision default cap.
constexpr int64_t kDefaultMaxSamples = 10'000'000;

// Inserts `extra` before the closing timing line of a run's text.
void InsertBeforeLastLine(std::string& text, const std::string& extra) {
  if (extra.empty()) return;
  const size_t last = text.rfind('\n', text.size() >= 2 ? text.size() - 2 : 0);
  text.insert(last == std::string::npos ? 0 : last + 1, extra + "\n");
}

}  // namespace

CLI::App* AddRunCommand(CLI::App& app, RunFlags& run) {
  CLI::App* cmd = app.add_subcommand("run", "Sample a scenario and report outcome probabilities");
  cmd->add_option("file", run.file, "Scenario YAML file")->required();
  cmd->add_option("more_files", run.more_files,
                  "More scenario files: run them all with the same seed and samples and "
                  "print one comparison table");
  cmd->add_option("--samples,-n", run.samples, "Number of samples (default: the scenario's)")
      ->transform(DecimalValidator())
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  AddSamplingFlags(cmd, run,
                   "Override a sweepable name for this run: NAME=VALUE (repeatable; see "
                   "`parley params`)");
  cmd->add_option("--csv", run.csv,
                  "Write the outcome table (a comparison's: its table) as CSV to PATH, or '-' "
                  "for stdout");
  cmd->add_flag("--quiet,-q", run.quiet, "Print no terminal summary (and no progress bar)");
  cmd->add_option("--attribution", run.attribution,
                  "Attribute each outcome's probability to the arguments: shapley")
      ->check(CLI::IsMember({"shapley"}));
  cmd->add_option("--precision", run.precision,
                  "Sample until every outcome's 95% CI half-width is at most this (e.g. 0.005)")
      ->check(CLI::Range(1e-6, 0.49));
  cmd->add_option("--max-samples", run.max_samples,
                  "Cap on the samples of a --precision run (default 10,000,000)")
      ->transform(DecimalValidator())
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_option("--per-sample", run.per_sample,
                  "Write one row per sample (its draws, which arguments held, what each "
                  "actor plays, its outcome distribution) to PATH, or '-' for stdout; streamed "
                  "in sample order. CSV, or a NumPy record array when PATH ends in .npy");
  cmd->add_option("--sampler", run.sampler,
                  "philox (independent draws; the default) or sobol (randomly shifted "
                  "quasi-random points, error from the spread of 8 replicates)");
  return cmd;
}

int Run(const RunFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  if (const Status outputs = CheckOutputFlags({{"--json", flags.json},
                                               {"--html", flags.html},
                                               {"--csv", flags.csv},
                                               {"--per-sample", flags.per_sample}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  // Before sampling, so that a long run does not end in this error.
  if (!flags.more_files.empty()) {
    for (const auto& [given, flag] : {std::pair{flags.attribution.has_value(), "--attribution"},
                                      {flags.precision.has_value(), "--precision"},
                                      {flags.max_samples.has_value(), "--max-samples"},
                                      {flags.sampler.has_value(), "--sampler"},
                                      {flags.per_sample.has_value(), "--per-sample"}}) {
      if (given) {
        return Fail(InvalidArgument(std::string(flag) +
                                    " applies to a single scenario, not to comparisons"));
      }
    }
    CompareFlags compare;
    static_cast<SamplingFlags&>(compare) = flags;
    compare.files.push_back(flags.file);
    compare.csv = flags.csv;
    compare.files.insert(compare.files.end(), flags.more_files.begin(), flags.more_files.end());
    return Compare(compare);
  }
  auto request = ToSamplingRequest(flags, {flags.file});
  if (!request.ok()) return Fail(request.status());
  auto prepared = PrepareSampling(*request);
  if (!prepared.ok()) return Fail(prepared.status());
  const PreparedScenario& scenario = prepared->scenarios.front();
  const GameModel& game = *scenario.game;
  RunOptions options = prepared->options;

  if (flags.sampler && *flags.sampler != "philox") {
    if (*flags.sampler != "sobol") {
      return Fail(InvalidArgument("--sampler: unknown sampler '" + *flags.sampler +
                                  "' (samplers: philox, sobol)"));
    }
    options.sampler = Sampler::kSobol;
  }
  if (options.sampler == Sampler::kSobol && (flags.precision || flags.attribution)) {
    return Fail(InvalidArgument(std::string(flags.precision ? "--precision" : "--attribution") +
                                " works with the philox sampler only"));
  }
  if (flags.max_samples && !flags.precision) {
    return Fail(InvalidArgument("--max-samples applies with --precision only"));
  }
  if (flags.precision && flags.samples) {
    return Fail(InvalidArgument(
        "--samples and --precision exclude each other (--max-samples caps a --precision run)"));
  }
  if (flags.per_sample && options.sampler != Sampler::kPhilox) {
    return Fail(InvalidArgument("--per-sample works with the philox sampler only"));
  }
  const PerSampleFormat per_sample_format =
      PerSampleFormatFor(flags.per_sample.value_or(std::string()));
  if (flags.per_sample && per_sample_format == PerSampleFormat::kNpy && flags.precision) {
    return Fail(InvalidArgument(
        "--per-sample " + *flags.per_sample +
        ": a .npy file states its number of rows before the rows, and a --precision run does "
        "not know it in advance; give --samples, or write a .csv"));
  }
  // Per-sample rows stream to their file (its temporary file until the run
  // succeeds) a batch at a time, so memory does not grow with the samples.
  OutputTransaction per_sample_output;
  std::unique_ptr<PerSampleWriter> per_sample_writer;
  SampleSink per_sample;
  if (flags.per_sample) {
    const std::optional<std::string> path =
        *flags.per_sample == "-" ? std::nullopt : flags.per_sample;
    auto handle = per_sample_output.OpenStream(path);
    if (!handle.ok()) return Fail(handle.status());
    if (const Status header = per_sample_output.Append(
            *handle, PerSampleHeader(per_sample_format, scenario.spec, game, options.samples));
        !header.ok()) {
      return Fail(header);
    }
    const int threads = options.threads > 0
                            ? options.threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    per_sample_writer =
        std::make_unique<PerSampleWriter>(per_sample_format, scenario.spec, game, threads,
                                          [&, handle = *handle](std::string_view rows) {
                                            return per_sample_output.Append(handle, rows);
                                          });
    per_sample = [&](const SampleBatch& batch) { return per_sample_writer->Write(batch); };
  }
  const bool show_progress = ShouldShowProgress(flags.quiet);
  std::optional<PrecisionSummary> precision;
  StatusOr<RunResult> result = InvalidArgument("no run");
  {
    ProgressBar bar("sampling", {.enabled = show_progress});
    if (flags.precision) {
      const PrecisionOptions target{*flags.precision,
                                    flags.max_samples.value_or(kDefaultMaxSamples)};
      auto reached =
          RunToPrecision(game, *scenario.model, options, target, bar.Callback(), per_sample);
      if (!reached.ok()) return Fail(reached.status());
      precision =
          PrecisionSummary{target.target,      reached->reached,   reached->run.totals.samples,
                           target.max_samples, BatchSizeFor(game), reached->half_width};
      result = std::move(reached->run);
    } else {
      RunControl control;
      control.progress = bar.Callback();
      control.per_sample = per_sample;
      result = RunMonteCarlo(game, *scenario.model, options, control);
    }
  }
  if (per_sample_writer) {
    // The last batch's rows are still being written.
    const Status written = per_sample_writer->Finish();
    if (result.ok() && !written.ok()) return Fail(written);
  }
  if (!result.ok()) return Fail(result.status());
  if (const Status committed = per_sample_output.Commit(); !committed.ok()) {
    return Fail(committed);
  }
  RunSummary summary = SummarizeRun(scenario, options, *result);

  std::optional<AttributionSummary> attribution;
  if (flags.attribution) {
    AttributionOptions how;
    how.samples = summary.samples;
    how.seed = options.seed;
    how.threads = options.threads;
    ProgressBar bar("attribution", {.enabled = show_progress});
    how.progress = bar.Callback();
    auto shapley = ShapleyAttribution(scenario.spec, scenario.modes, *scenario.model, how);
    if (!shapley.ok()) return Fail(shapley.status());
    attribution =
        SummarizeAttribution(scenario.spec, *shapley, summary, how.permutations_per_sample);
  }

  summary.seconds = SecondsSince(start);  // load, compile, sample, attribute

  nlohmann::ordered_json doc = ToJson(summary);
  AddProvenanceJson(scenario.provenance, doc);
  if (precision) doc["precision"] = PrecisionJson(*precision);
  if (options.sampler == Sampler::kSobol) doc["sampler"] = SamplerJson(summary, *result);
  if (attribution) doc["attribution"] = AttributionJson(*attribution);
  auto to_stdout =
      WriteResults(doc, flags.json, flags.html, flags.csv, flags.csv ? RunToCsv(summary) : "");
  if (!to_stdout.ok()) return Fail(to_stdout.status());
  if (!*to_stdout && flags.per_sample != "-" && !flags.quiet) {
    std::string text = FormatText(summary);
    // The header names the model and its parameters already, and the
    // rounds have their own section.
    Provenance shown = scenario.provenance;
    shown.rounds.clear();
    InsertProvenanceText(shown, text, 2, /*with_model=*/false);
    // The extras go before the closing timing line.
    std::string extra;
    if (precision) extra += FormatPrecisionText(*precision);
    if (attribution) extra += FormatAttributionText(*attribution);
    if (options.sampler == Sampler::kSobol) extra += FormatSamplerNote(summary, *result);
    InsertBeforeLastLine(text, extra);
    std::cout << text;
  }
  return 0;
}

}  // namespace parley
