// `parley`: the command-line interface. Each subcommand (a file each) parses
// its flags (CLI11), calls the application layer (sim/app) or the library,
// prints, and maps Status codes to exit codes: 0 success, 2 bad input
// (scenario, flags, names), 1 any other failure. This file registers them.
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>
#include <string>

#include "sim/cli/commands.h"
#include "sim/cli/doctor_command.h"
#include "sim/core/output_file.h"
#include "sim/mpi/session.h"
#include "sim/scenario/loader.h"
#include "sim/version.h"

namespace parley {
namespace {

// For an unknown flag of the subcommand given (CLI11's ExtrasError), a
// message naming it, with the closest flag that command has: `run --sample`
// suggests --samples, `solve --samples` suggests --sample. Empty when no
// argument left over looks like a flag.
std::string UnknownFlagMessage(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    std::vector<std::string> flags;
    for (const CLI::Option* option : sub->get_options()) {
      for (const std::string& name : option->get_lnames()) flags.push_back("--" + name);
      for (const std::string& name : option->get_snames()) flags.push_back("-" + name);
    }
    for (const std::string& arg : sub->remaining()) {
      if (arg.size() < 2 || arg[0] != '-') continue;
      const std::string flag = arg.substr(0, arg.find('='));
      const std::string guess = DidYouMean(flag, flags);
      return "parley " + sub->get_name() + ": unknown flag '" + flag + "'" +
             (guess.empty() ? "" : " (did you mean '" + guess + "'?)") + "; see parley " +
             sub->get_name() + " --help";
    }
  }
  return "";
}

int Main(int argc, char** argv) {
  CLI::App app{"Parley: negotiation scenarios as games, sampled by Monte Carlo.", "parley"};
  app.set_version_flag("--version", std::string("parley ") + kParleyVersion);
  app.require_subcommand(1);

  RunFlags run;
  CLI::App* run_cmd = AddRunCommand(app, run);

  std::string validate_file;
  CLI::App* validate_cmd =
      app.add_subcommand("validate", "Check a scenario file and report its size");
  validate_cmd->add_option("file", validate_file, "Scenario YAML file")->required();

  CLI::App* models_cmd = app.add_subcommand("models", "List the available models");

  ParamsFlags params;
  CLI::App* params_cmd = AddParamsCommand(app, params);
  SweepFlags sweep;
  CLI::App* sweep_cmd = AddSweepCommand(app, sweep);
  ModelsCompareFlags models_compare;
  CLI::App* compare_cmd = AddModelsCompareCommand(app, models_compare);
  FitFlags fit;
  CLI::App* fit_cmd = AddFitCommand(app, fit);

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
      ->check(LambdaValidator());
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
      "Explain one game: a sequential game's tree with each actor's equilibrium choice and the "
      "reason; a normal-form game's payoff matrix with best responses, pure equilibria, "
      "dominance and Pareto notes");
  explain_cmd->add_option("file", explain.file, "Scenario YAML (or .nfg) file")->required();
  explain_cmd->add_option("--sample", explain.sample,
                          "Explain this Monte Carlo sample's game instead of the mean game");
  explain_cmd->add_option("--seed", explain.seed, "Seed for --sample (default: the scenario's)");
  explain_cmd->add_option("--selection", explain.selection,
                          "Tie-breaking: uniform or payoff-dominant (default: the scenario's)");
  explain_cmd
      ->add_option("--max-lines", explain.max_lines, "Cut each section after this many lines")
      ->transform(DecimalValidator())
      ->check(CLI::Range(size_t{1}, size_t{1} << 24));
  explain_cmd->add_option(
      "--json", explain.json,
      "Normal-form games: write the analysis as JSON to PATH, or '-' for stdout");

  ReportFlags report;
  CLI::App* report_cmd =
      app.add_subcommand("report",
                         "Render a JSON result (run, comparison, sweep, sensitivity, score, "
                         "doctor, model-comparison, fit) as an HTML page");
  report_cmd->add_option("file", report.file, "Result JSON file (from --json)")->required();
  report_cmd->add_option("--output,-o", report.output, "HTML file to write, or '-' for stdout")
      ->required();
  SensitivityFlags sensitivity;
  CLI::App* sensitivity_cmd = AddSensitivityCommand(app, sensitivity);
  ScoreFlags score;
  CLI::App* score_cmd = AddScoreCommand(app, score);
  DoctorFlags doctor;
  CLI::App* doctor_cmd = AddDoctorCommand(app, doctor);

  if (argc > 1 && argv[1][0] != '-') {
    std::string known;
    bool found = false;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      found |= sub->get_name() == argv[1];
      known += (known.empty() ? "" : ", ") + sub->get_name();
    }
    if (!found) {
      std::cerr << "parley: unknown command '" << EscapeForTerminal(argv[1])
                << "' (commands: " << known << "; see parley --help)\n";
      return kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      if (const std::string message = UnknownFlagMessage(app); !message.empty()) {
        std::cerr << EscapeForTerminal(message) << "\n";
        return kExitBadInput;
      }
    }
    // CLI11's messages quote the flag's value: escaped like Fail's.
    std::ostringstream err;
    const int code = app.exit(e, std::cout, err);
    std::cerr << EscapeForTerminal(err.str());
    return code == 0 ? 0 : 2;
  }
  if (*run_cmd) return Run(run);
  if (*validate_cmd) return Validate(validate_file);
  if (*models_cmd) return ListModels();
  if (*params_cmd) return Params(params);
  if (*sweep_cmd) return Sweep(sweep);
  if (*compare_cmd) return ModelsCompare(models_compare);
  if (*fit_cmd) return Fit(fit);
  if (*solve_cmd) return Solve(solve);
  if (*export_cmd) return Export(export_flags);
  if (*explain_cmd) return Explain(explain);
  if (*report_cmd) return Report(report);
  if (*sensitivity_cmd) return Sensitivity(sensitivity);
  if (*score_cmd) return Score(score);
  if (*doctor_cmd) return Doctor(doctor);
  return 0;
}

}  // namespace
}  // namespace parley

int main(int argc, char** argv) {
  // Under mpirun, this process is one rank of a distributed run
  // (sim/mpi/session.h); otherwise the session does nothing.
  auto session = parley::RankSession::Start(&argc, &argv);
  if (!session.ok()) return parley::Fail(session.status());
  // An interrupted write leaves no temporary file; a failed write to stdout
  // is reported (FinishOutput), not ignored.
  parley::RemoveTempFilesOnSignals();
  parley::UseCheckedStandardOutput();
  // Library code reports errors as Status; anything thrown is a bug or an
  // exhausted machine, reported without a crash.
  int code = parley::kExitFailure;
  try {
    code = parley::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "parley: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "parley: internal error: " << parley::EscapeForTerminal(e.what()) << "\n";
  } catch (...) {
    std::cerr << "parley: internal error\n";
  }
  return (*session)->Finish(parley::FinishOutput(code));
}
