// `parley`: the command-line interface. Each subcommand parses its flags
// (CLI11), calls the library, and maps Status codes to exit codes:
// 0 success, 2 bad input (scenario, flags, names), 1 any other failure.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "models/model.h"
#include "sim/cli/commands.h"
#include "sim/mc/attribution.h"
#include "sim/mc/precision.h"
#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/report/attribution_report.h"
#include "sim/report/html_report.h"
#include "sim/report/progress.h"
#include "sim/report/report.h"
#include "sim/report/sampler_report.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/overrides.h"
#include "sim/solve/subgame_perfect.h"
#include "sim/version.h"

namespace parley {
namespace {

struct RunFlags : SamplingFlags {
  std::string file;
  std::vector<std::string> more_files;  // `run A.yaml B.yaml ...`: a comparison
  std::optional<std::string> csv;       // comparisons only
  std::optional<double> lambda;
  std::optional<std::string> sampler;      // philox (default) or sobol
  std::optional<std::string> attribution;  // "shapley"
  std::optional<double> precision;         // target 95% half-width
  std::optional<int64_t> max_samples;      // the cap for --precision
};

}  // namespace

void AddSamplingFlags(CLI::App* cmd, SamplingFlags& flags, const std::string& set_help) {
  cmd->add_option("--seed", flags.seed, "Random seed (default: the scenario's)");
  cmd->add_option("--threads,-t", flags.threads,
                  "Worker threads, 1-256; 0 = one per core (results do not depend on it)")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--model,-m", flags.model, "Model (see `parley models`)");
  cmd->add_option("--selection", flags.selection,
                  "Equilibrium selection: uniform or payoff-dominant");
  cmd->add_option("--with", flags.with, "Force an argument to hold (repeatable)")
      ->allow_extra_args(false);  // one ID each: "--with ID FILE" leaves FILE alone
  cmd->add_option("--without", flags.without, "Force an argument not to hold (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--set", flags.set, set_help)->allow_extra_args(false);
  cmd->add_option("--json", flags.json, "Write the JSON result to PATH, or '-' for stdout");
  cmd->add_option("--html", flags.html,
                  "Also write a self-contained HTML report with charts to PATH");
}

namespace {

// The --precision default cap.
constexpr int64_t kDefaultMaxSamples = 10'000'000;

}  // namespace

StatusOr<PreparedRun> Prepare(const std::string& file, const std::optional<std::string>& model,
                              const std::optional<std::string>& selection,
                              const std::vector<std::string>& with,
                              const std::vector<std::string>& without,
                              const std::vector<std::string>& set) {
  auto spec = LoadScenarioFile(file);
  if (!spec.ok()) return spec.status();
  PreparedRun run;
  run.spec = std::move(*spec);
  PARLEY_RETURN_IF_ERROR(ApplySettings(run.spec, set));
  const SimulationSpec& sim = run.spec.simulation;

  auto found = ModelRegistry::Find(model.value_or(sim.model));
  if (!found.ok()) {
    return InvalidArgument(model
                               ? "--model: " + found.status().message()
                               : sim.model_loc.ToString() + ": error: " + found.status().message());
  }
  run.model = *found;
  const bool sequential = run.spec.sequential();
  if (sequential ? !run.model->sequential() : !run.model->normal_form()) {
    const std::string msg =
        "model '" + std::string(run.model->name()) + "' solves " +
        (sequential ? "normal-form games, but this scenario is sequential (it has a `sequence`); "
                      "use the spe model"
                    : "sequential games, but this scenario has no `sequence`; see `parley models`");
    return InvalidArgument(model ? "--model: " + msg
                                 : sim.model_loc.ToString() + ": error: " + msg);
  }

  auto rule = SelectionFromName(selection.value_or(sim.selection));
  if (!rule.ok()) {
    std::string names;
    for (auto n : SelectionNames()) names += (names.empty() ? "" : ", ") + std::string(n);
    const std::string msg = rule.status().message() + " (rules: " + names + ")";
    return InvalidArgument(selection ? "--selection: " + msg
                                     : sim.selection_loc.ToString() + ": error: " + msg);
  }
  run.selection = *rule;

  run.modes.assign(run.spec.arguments.size(), ArgumentMode::kDrawn);
  std::vector<std::string> ids;
  for (const auto& a : run.spec.arguments) ids.push_back(a.id);
  auto force = [&](const std::vector<std::string>& list, ArgumentMode mode,
                   const char* flag) -> Status {
    for (const std::string& id : list) {
      const int g = run.spec.FindArgument(id);
      if (g < 0) {
        std::string msg = std::string(flag) + ": the scenario has no argument '" + id + "'";
        const std::string guess = DidYouMean(id, ids);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        return InvalidArgument(msg + (ids.empty() ? " (it has no arguments)" : ""));
      }
      if (run.modes[g] != ArgumentMode::kDrawn && run.modes[g] != mode) {
        return InvalidArgument("argument '" + id + "' is given to both --with and --without");
      }
      run.modes[g] = mode;
    }
    return OkStatus();
  };
  PARLEY_RETURN_IF_ERROR(force(with, ArgumentMode::kForcedOn, "--with"));
  PARLEY_RETURN_IF_ERROR(force(without, ArgumentMode::kForcedOff, "--without"));
  return run;
}

namespace {

int Run(const RunFlags& flags) {
  // Before sampling, so that a long run does not end in this error.
  if (flags.html && !HtmlReportAvailable()) return Fail(HtmlReportUnavailable());
  if (!flags.more_files.empty()) {
    for (const auto& [given, flag] : {std::pair{flags.attribution.has_value(), "--attribution"},
                                      {flags.precision.has_value(), "--precision"},
                                      {flags.max_samples.has_value(), "--max-samples"},
                                      {flags.lambda.has_value(), "--lambda"},
                                      {flags.sampler.has_value(), "--sampler"}}) {
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
  if (flags.csv) {
    return Fail(InvalidArgument("--csv applies to comparisons (several scenario files) only"));
  }
  auto prepared =
      Prepare(flags.file, flags.model, flags.selection, flags.with, flags.without, flags.set);
  if (!prepared.ok()) return Fail(prepared.status());
  const ScenarioSpec& spec = prepared->spec;

  auto game = GameModel::Compile(spec, {prepared->modes});
  if (!game.ok()) return Fail(game.status());
  if (game->sequential() && !game->tree().perfect_information()) {
    // Refuse reduced normal forms too large to solve before any sample runs.
    auto decomposition = SubgameDecomposition::Make(game->tree());
    if (!decomposition.ok()) {
      return Fail(Status(decomposition.status().code(),
                         flags.file + ": " + decomposition.status().message()));
    }
  }

  RunOptions options;
  options.samples = flags.samples.value_or(spec.simulation.samples);
  options.seed = spec.simulation.seed;
  if (flags.seed) {
    auto seed = ParseUnsigned("--seed", *flags.seed);
    if (!seed.ok()) return Fail(seed.status());
    options.seed = *seed;
  }
  options.threads = flags.threads;
  options.model.selection = prepared->selection;
  if (flags.lambda) options.model.lambda = *flags.lambda;
  if (flags.lambda && prepared->model->name() != "qre") {
    return Fail(InvalidArgument("--lambda applies to the qre model only"));
  }
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
  const bool show_progress = ShouldShowProgress(flags.quiet);
  std::optional<PrecisionSummary> precision;
  StatusOr<RunResult> result = InvalidArgument("no run");
  {
    ProgressBar bar("sampling", {.enabled = show_progress});
    if (flags.precision) {
      const PrecisionOptions target{*flags.precision,
                                    flags.max_samples.value_or(kDefaultMaxSamples)};
      auto reached = RunToPrecision(*game, *prepared->model, options, target, bar.Callback());
      if (!reached.ok()) return Fail(reached.status());
      precision =
          PrecisionSummary{target.target,      reached->reached,    reached->run.totals.samples,
                           target.max_samples, BatchSizeFor(*game), reached->half_width};
      result = std::move(reached->run);
    } else {
      result = RunMonteCarlo(*game, *prepared->model, options, {nullptr, bar.Callback()});
    }
  }
  if (!result.ok()) return Fail(result.status());

  RunSummary summary =
      Summarize(spec, prepared->modes, result->totals, prepared->model->pure(), &*game);
  if (prepared->model->name() == "qre") summary.lambda = options.model.lambda;
  summary.model = std::string(prepared->model->name());
  summary.selection = std::string(SelectionName(prepared->selection));
  summary.seed = options.seed;
  summary.threads = result->threads_used;
  summary.seconds = result->seconds;

  std::optional<AttributionSummary> attribution;
  if (flags.attribution) {
    AttributionOptions how;
    how.samples = summary.samples;
    how.seed = options.seed;
    how.threads = options.threads;
    how.model = options.model;
    ProgressBar bar("attribution", {.enabled = show_progress});
    how.progress = bar.Callback();
    auto shapley = ShapleyAttribution(spec, prepared->modes, *prepared->model, how);
    if (!shapley.ok()) return Fail(shapley.status());
    attribution = SummarizeAttribution(spec, *shapley, summary, how.permutations_per_sample);
  }

  nlohmann::ordered_json doc = ToJson(summary);
  if (precision) doc["precision"] = PrecisionJson(*precision);
  if (options.sampler == Sampler::kSobol) doc["sampler"] = SamplerJson(summary, *result);
  if (attribution) doc["attribution"] = AttributionJson(*attribution);
  auto to_stdout = WriteResults(doc, flags.json, flags.html);
  if (!to_stdout.ok()) return Fail(to_stdout.status());
  if (!*to_stdout && !flags.quiet) {
    // The extras go before the closing timing line.
    std::string text = FormatText(summary);
    std::string extra;
    if (precision) extra += FormatPrecisionText(*precision);
    if (attribution) extra += FormatAttributionText(*attribution);
    if (options.sampler == Sampler::kSobol) extra += FormatSamplerNote(summary, *result);
    if (!extra.empty()) {
      const size_t last = text.rfind('\n', text.size() >= 2 ? text.size() - 2 : 0);
      text.insert(last == std::string::npos ? 0 : last + 1, extra + "\n");
    }
    std::cout << text;
  }
  return 0;
}

int Validate(const std::string& file) {
  auto prepared = Prepare(file, std::nullopt, std::nullopt, {}, {}, {});
  if (!prepared.ok()) return Fail(prepared.status());
  auto game = GameModel::Compile(prepared->spec);
  if (!game.ok()) return Fail(game.status());
  const ScenarioSpec& s = prepared->spec;
  auto count = [](size_t n, std::string_view noun) {
    if (n == 1) return fmt::format("1 {}", noun);
    if (noun.ends_with("s")) return fmt::format("{} {}es", n, noun);  // class -> classes
    if (noun.ends_with("y")) {
      return fmt::format("{} {}ies", n, noun.substr(0, noun.size() - 1));  // history
    }
    return fmt::format("{} {}s", n, noun);
  };
  if (s.sequential()) {
    const GameTree& tree = game->tree();
    std::cout << fmt::format(
        "{}: ok: \"{}\": {}, {} ({}, {}{}) in {}, {}, {}, {}, {}, {} per sample\n", file, s.name,
        count(s.actors.size(), "actor"), count(s.stages.size(), "stage"),
        count(tree.num_nodes(), "tree node"), count(tree.num_terminals(), "terminal history"),
        tree.is_tree() ? "" : ", shared subgames merged",
        count(game->num_classes(), "payoff class"), count(s.outcomes.size(), "outcome"),
        count(s.parameters.size(), "parameter"), count(s.arguments.size(), "argument"),
        count(s.threats.size(), "threat"), count(game->num_draws(), "sampled value"));
    return 0;
  }
  std::cout << fmt::format(
      "{}: ok: \"{}\": {}, {} in {}, {}, {}, {}, {} per sample\n", file, s.name,
      count(s.actors.size(), "actor"), count(game->space().num_profiles(), "strategy profile"),
      count(game->num_classes(), "payoff class"), count(s.outcomes.size(), "outcome"),
      count(s.parameters.size(), "parameter"), count(s.arguments.size(), "argument"),
      count(game->num_draws(), "sampled value"));
  return 0;
}

int ListModels() {
  for (const Model* m : ModelRegistry::All()) {
    std::cout << fmt::format("{:<12} {}\n", m->name(), m->summary());
  }
  return 0;
}

// A finite, non-negative number; CLI11's NonNegativeNumber would print the
// largest double as the range's upper end.
const CLI::Validator kLambda(
    [](std::string& text) -> std::string {
      double x = 0.0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(x) || x < 0) {
        return "must be a finite number >= 0, got '" + text + "'";
      }
      return "";
    },
    "LAMBDA >= 0");

int Main(int argc, char** argv) {
  CLI::App app{"Parley: negotiation scenarios as games, sampled by Monte Carlo.", "parley"};
  app.set_version_flag("--version", std::string("parley ") + kParleyVersion);
  app.require_subcommand(1);

  RunFlags run;
  CLI::App* run_cmd =
      app.add_subcommand("run", "Sample a scenario and report outcome probabilities");
  run_cmd->add_option("file", run.file, "Scenario YAML file")->required();
  run_cmd->add_option("more_files", run.more_files,
                      "More scenario files: run them all with the same seed and samples and "
                      "print one comparison table");
  run_cmd->add_option("--samples,-n", run.samples, "Number of samples (default: the scenario's)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  AddSamplingFlags(run_cmd, run,
                   "Override a sweepable name for this run: NAME=VALUE (repeatable; see "
                   "`parley params`)");
  run_cmd->add_option("--lambda", run.lambda, "Logit precision for the qre model (default 1)")
      ->check(kLambda);
  run_cmd->add_option("--csv", run.csv,
                      "Comparisons: write the table as CSV to PATH, or '-' for stdout");
  run_cmd->add_flag("--quiet,-q", run.quiet, "Print no terminal summary (and no progress bar)");
  run_cmd
      ->add_option("--attribution", run.attribution,
                   "Attribute each outcome's probability to the arguments: shapley")
      ->check(CLI::IsMember({"shapley"}));
  run_cmd
      ->add_option("--precision", run.precision,
                   "Sample until every outcome's 95% CI half-width is at most this (e.g. 0.005)")
      ->check(CLI::Range(1e-6, 0.49));
  run_cmd
      ->add_option("--max-samples", run.max_samples,
                   "Cap on the samples of a --precision run (default 10,000,000)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  run_cmd->add_option("--sampler", run.sampler,
                      "philox (independent draws; the default) or sobol (randomly shifted "
                      "quasi-random points, error from the spread of 8 replicates)");

  std::string validate_file;
  CLI::App* validate_cmd =
      app.add_subcommand("validate", "Check a scenario file and report its size");
  validate_cmd->add_option("file", validate_file, "Scenario YAML file")->required();

  CLI::App* models_cmd = app.add_subcommand("models", "List the available models");

  ParamsFlags params;
  CLI::App* params_cmd = AddParamsCommand(app, params);
  SweepFlags sweep;
  CLI::App* sweep_cmd = AddSweepCommand(app, sweep);

  SolveFlags solve;
  CLI::App* solve_cmd = app.add_subcommand(
      "solve",
      "Find the equilibria of one game: a scenario (mean payoffs or one sample) or a Gambit "
      ".nfg/.efg file");
  solve_cmd->add_option("file", solve.file, "Scenario YAML or Gambit .nfg/.efg file")->required();
  solve_cmd->add_option("--method", solve.method,
                        "pure, vertex, support, lemke-howson (two players), logit (the "
                        "limiting logit equilibrium) or qre (default: vertex for two players, "
                        "pure otherwise); spe for sequential games (the default there)");
  solve_cmd->add_option("--lambda", solve.lambda, "Precision of the logit QRE for --method qre")
      ->check(kLambda);
  solve_cmd->add_option("--sample", solve.sample,
                        "Solve the game of this Monte Carlo sample instead of the mean game");
  solve_cmd->add_option("--seed", solve.seed, "Seed for --sample (default: the scenario's)");
  solve_cmd->add_option("--json", solve.json, "Write the JSON result to PATH, or '-' for stdout");

  ExportFlags export_flags;
  CLI::App* export_cmd = app.add_subcommand(
      "export", "Write a scenario's game (mean payoffs or one sample) as a file");
  export_cmd->add_option("file", export_flags.file, "Scenario YAML (or .nfg) file")->required();
  export_cmd->add_option("--format", export_flags.format,
                         "Output format: nfg (Gambit normal form; the default) or efg (Gambit "
                         "extensive form; the default for sequential games)");
  export_cmd->add_option("--sample", export_flags.sample, "Export this sample's game");
  export_cmd->add_option("--seed", export_flags.seed, "Seed for --sample");
  export_cmd->add_option("--output,-o", export_flags.output, "Output path (default: stdout)");

  ExplainFlags explain;
  CLI::App* explain_cmd = app.add_subcommand(
      "explain",
      "Print a sequential game's tree with each actor's equilibrium choice and the reason");
  explain_cmd->add_option("file", explain.file, "Sequential scenario YAML file")->required();
  explain_cmd->add_option("--sample", explain.sample,
                          "Explain this Monte Carlo sample's game instead of the mean game");
  explain_cmd->add_option("--seed", explain.seed, "Seed for --sample (default: the scenario's)");
  explain_cmd->add_option("--selection", explain.selection,
                          "Tie-breaking: uniform or payoff-dominant (default: the scenario's)");
  explain_cmd->add_option("--max-lines", explain.max_lines, "Cut the tree after this many lines")
      ->check(CLI::Range(size_t{1}, size_t{1} << 24));

  ReportFlags report;
  CLI::App* report_cmd = app.add_subcommand(
      "report", "Render a JSON result (run, comparison, sweep, sensitivity) as an HTML page");
  report_cmd->add_option("file", report.file, "Result JSON file (from --json)")->required();
  report_cmd->add_option("--output,-o", report.output, "HTML file to write, or '-' for stdout")
      ->required();
  SensitivityFlags sensitivity;
  CLI::App* sensitivity_cmd = AddSensitivityCommand(app, sensitivity);

  if (argc > 1 && argv[1][0] != '-') {
    std::string known;
    bool found = false;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      found |= sub->get_name() == argv[1];
      known += (known.empty() ? "" : ", ") + sub->get_name();
    }
    if (!found) {
      std::cerr << "parley: unknown command '" << argv[1] << "' (commands: " << known
                << "; see parley --help)\n";
      return kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*run_cmd) return Run(run);
  if (*validate_cmd) return Validate(validate_file);
  if (*models_cmd) return ListModels();
  if (*params_cmd) return Params(params);
  if (*sweep_cmd) return Sweep(sweep);
  if (*solve_cmd) return Solve(solve);
  if (*export_cmd) return Export(export_flags);
  if (*explain_cmd) return Explain(explain);
  if (*report_cmd) return Report(report);
  if (*sensitivity_cmd) return Sensitivity(sensitivity);
  return 0;
}

}  // namespace
}  // namespace parley

int main(int argc, char** argv) {
  // Library code reports errors as Status; anything thrown is a bug or an
  // exhausted machine, reported without a crash.
  try {
    return parley::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "parley: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "parley: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "parley: internal error\n";
  }
  return 1;
}
