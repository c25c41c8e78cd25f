// The `parley` subcommands, one function each, and the shared exit-code rule:
// 0 success, 2 bad input (scenario, game file, flags, names), 1 any other
// failure (I/O, internal errors).
#pragma once

#include <chrono>
#include <cstdint>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/app/numbers.h"
#include "sim/app/sampling.h"
#include "sim/core/status.h"
#include "sim/core/text.h"
#include "sim/model/model.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace parley {

inline constexpr int kExitBadInput = 2;
inline constexpr int kExitFailure = 1;

// Messages quote what was wrong in the input, which may hold control
// characters or bytes that are not UTF-8: they are shown as \xNN.
inline int Fail(const Status& status) {
  std::cerr << "parley: " << EscapeForTerminal(status.message()) << "\n";
  return status.code() == StatusCode::kInternal ? kExitFailure : kExitBadInput;
}

// The seconds since `start`: a command's total time (`run.seconds`) runs from
// its start to just before its outputs are written.
inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A command's output flag and its value ("-": standard output).
using OutputFlag = std::pair<std::string, std::optional<std::string>>;
// Refuses, before any work (exit 2), an output that is a directory, socket or
// block device and two output flags naming the same file, or both "-"
// (CheckOutputs, sim/core/output_file.h); and --html in a build without the
// charting scripts (HtmlReportUnavailable, sim/report/html_report.h).
Status CheckOutputFlags(const std::vector<OutputFlag>& flags);

// Writes a command's output to stdout (no path, or "-") or to `path`
// (WriteOutputFile, sim/core/output_file.h); returns the exit code.
int WriteOutput(const std::optional<std::string>& path, std::string text);

// The exit code once standard output is flushed: a failed write to stdout
// (a full disk, /dev/full) or stderr turns success into 1, with a message.
int FinishOutput(int exit_code);

// ParseUnsigned(flag, text), for --seed and --sample, is in sim/app/numbers.h.

// Which sampled games a command runs on: --samples, --seed, --threads.
struct SampleFlags {
  std::optional<int64_t> samples;
  std::optional<std::string> seed;
  int threads = 0;
};
// Registers --samples (unless `samples_help` is empty: its meaning differs
// between commands), --seed and --threads.
void AddSampleFlags(CLI::App* cmd, SampleFlags& flags, const std::string& samples_help,
                    const std::string& seed_help);

// The what-if flags: --selection, --with, --without, --set.
struct OverrideFlags {
  std::optional<std::string> selection;
  std::vector<std::string> with, without, set;
};
// `set_help` says what --set overrides.
void AddOverrideFlags(CLI::App* cmd, OverrideFlags& flags, const std::string& set_help);

// Copies the sample and what-if flags into an application-layer request
// (SamplingRequest, ModelComparisonRequest, FitRequest, ScoreRequest): the
// fields of the same names.
template <typename Request>
Status CopySampleFlags(const SampleFlags& flags, Request& request) {
  request.samples = flags.samples;
  if (flags.seed) {
    PARLEY_ASSIGN_OR_RETURN(request.seed, ParseUnsigned("--seed", *flags.seed));
  }
  request.threads = flags.threads;
  return OkStatus();
}
template <typename Request>
void CopyOverrideFlags(const OverrideFlags& flags, Request& request) {
  request.selection = flags.selection;
  request.with = flags.with;
  request.without = flags.without;
  request.set = flags.set;
}

// The flags every command that samples a scenario shares (run, comparisons,
// sweep, sensitivity): seed, threads, model and selection rule, the what-if
// overrides, and the JSON and HTML outputs.
struct SamplingFlags : SampleFlags, OverrideFlags {
  std::optional<std::string> model;
  std::optional<double> lambda;  // an alias for --model M:lambda=L
  std::optional<std::string> json, html;
  bool quiet = false;
};
// Registers SamplingFlags on `cmd` except --samples and --quiet, whose
// meaning differs between commands; `set_help` says what --set overrides.
void AddSamplingFlags(CLI::App* cmd, SamplingFlags& flags, const std::string& set_help);
// --lambda's check (a finite number >= 0), shared with `solve --lambda`.
const CLI::Validator& LambdaValidator();
// For every integer flag (->transform): decimal digits only; leading zeros
// ignored, so "-n 010" is ten samples, as "--seed 010" is seed ten.
const CLI::Validator& DecimalValidator();
// The application layer's request for `files` with these flags.
StatusOr<SamplingRequest> ToSamplingRequest(const SamplingFlags& flags,
                                            std::vector<std::string> files);

// `parley run FILE` (run_command.cc); several files make a comparison.
struct RunFlags : SamplingFlags {
  std::string file;
  std::vector<std::string> more_files;     // `run A.yaml B.yaml ...`: a comparison
  std::optional<std::string> csv;          // comparisons only
  std::optional<std::string> sampler;      // philox (default) or sobol
  std::optional<std::string> attribution;  // "shapley"
  std::optional<double> precision;         // target 95% half-width
  std::optional<int64_t> max_samples;      // the cap for --precision
  std::optional<std::string> per_sample;   // --per-sample: one CSV row per sample
};
CLI::App* AddRunCommand(CLI::App& app, RunFlags& flags);
int Run(const RunFlags& flags);

// `parley validate FILE` and `parley models` (scenario_commands.cc).
int Validate(const std::string& file);
int ListModels();

// `parley solve FILE` (solve_command.cc): the equilibria of one game, by a
// method of the solver registry (sim/solve/solver.h).
struct SolveFlags {
  std::string file;
  std::optional<std::string> method;
  std::optional<double> lambda;       // for --method qre
  std::optional<std::string> sample;  // a sample index; the mean game when absent
  std::optional<std::string> seed;
  std::optional<std::string> json;
};
int Solve(const SolveFlags& flags);

// `parley export FILE` (export_command.cc): one game as a Gambit file.
struct ExportFlags {
  std::string file;
  std::optional<std::string> format;  // default: nfg, or efg for sequential games
  std::optional<std::string> sample;
  std::optional<std::string> seed;
  std::optional<std::string> output;
};
int Export(const ExportFlags& flags);

// `parley explain FILE` (explain_command.cc): a sequential game's tree with
// every choice of its subgame-perfect equilibrium and why, or a normal-form
// game's matrix with best responses, dominance and Pareto notes.
struct ExplainFlags {
  std::string file;
  std::optional<std::string> sample;
  std::optional<std::string> seed;
  std::optional<std::string> selection;
  size_t max_lines = 400;
  std::optional<std::string> json;  // normal-form games only
};
int Explain(const ExplainFlags& flags);

// `parley params FILE` (params_command.cc): every sweepable name.
struct ParamsFlags {
  std::string file;
  std::vector<std::string> set;
  std::optional<std::string> json;
};
CLI::App* AddParamsCommand(CLI::App& app, ParamsFlags& flags);
int Params(const ParamsFlags& flags);

// `parley sweep FILE --vary NAME=LOW:HIGH:STEPS` (sweep_command.cc).
struct SweepFlags : SamplingFlags {
  std::string file;
  std::vector<std::string> vary;
  std::optional<std::string> csv;
};
CLI::App* AddSweepCommand(CLI::App& app, SweepFlags& flags);
int Sweep(const SweepFlags& flags);

// `parley run A.yaml B.yaml ...` (compare_command.cc): the same seed and
// samples for every scenario, one table.
struct CompareFlags : SamplingFlags {
  std::vector<std::string> files;
  std::optional<std::string> csv;
};
int Compare(const CompareFlags& flags);

// `parley compare FILE... --models A,B,...` (models_compare_command.cc).
struct ModelsCompareFlags : SampleFlags, OverrideFlags {
  std::vector<std::string> files;
  std::string models;
  std::optional<std::string> json, html, csv;
  bool quiet = false;
};
CLI::App* AddModelsCompareCommand(CLI::App& app, ModelsCompareFlags& flags);
int ModelsCompare(const ModelsCompareFlags& flags);

// `parley score FILES...` (score_command.cc): back-testing scenarios that
// record what happened.
struct ScoreFlags : SampleFlags {
  std::vector<std::string> files;
  std::optional<std::string> models;  // "nash-pure,qre:lambda=2"
  int bins = 5;
  std::optional<std::string> json, html;
  bool quiet = false;
};
CLI::App* AddScoreCommand(CLI::App& app, ScoreFlags& flags);
int Score(const ScoreFlags& flags);

// `parley fit FILE --model M --param P --observed COUNTS` (fit_command.cc):
// one model parameter fitted to observed choices.
struct FitFlags : SampleFlags, OverrideFlags {
  std::string file, model, param, observed;
  std::optional<std::string> range;
  std::optional<std::string> json, html;
  bool quiet = false;
};
CLI::App* AddFitCommand(CLI::App& app, FitFlags& flags);
int Fit(const FitFlags& flags);

// A command's result document to --json, its HTML report to --html and
// `csv_text` to --csv (each a path or "-"), all committed together: a
// failure leaves every file as it was. Returns whether stdout was used.
StatusOr<bool> WriteResults(const nlohmann::ordered_json& doc,
                            const std::optional<std::string>& json,
                            const std::optional<std::string>& html,
                            const std::optional<std::string>& csv = std::nullopt,
                            const std::string& csv_text = "");

// `parley report` (report_command.cc).
struct ReportFlags {
  std::string file;    // a result JSON file
  std::string output;  // the HTML file, or "-" for stdout
};
int Report(const ReportFlags& flags);

// `parley sensitivity FILE` (sensitivity_command.cc).
struct SensitivityFlags : SamplingFlags {
  std::string file;
  std::optional<std::string> method;  // sobol (default) or morris
  size_t top = 15;
};
// sensitivity_command.cc: registers the subcommand's flags, and runs it.
CLI::App* AddSensitivityCommand(CLI::App& app, SensitivityFlags& flags);
int Sensitivity(const SensitivityFlags& flags);

}  // namespace parley
