// `parley doctor FILE`: diagnostics of a scenario, each pointing at the
// place in the file it concerns (sim/mc/doctor.h). Findings are advice: the
// exit status is 0 whether or not there are any; 2 for bad input.
#include "sim/cli/doctor_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "sim/app/sampling.h"
#include "sim/mc/doctor.h"
#include "sim/report/doctor_report.h"
#include "sim/report/html_report.h"
#include "sim/report/provenance.h"

namespace parley {

CLI::App* AddDoctorCommand(CLI::App& app, DoctorFlags& flags) {
  CLI::App* cmd = app.add_subcommand(
      "doctor",
      "Check a scenario: inert or never-applying effects, double counting, arguments with no "
      "measurable effect, dominated options, best-response cycles");
  cmd->add_option("file", flags.file, "Scenario YAML file")->required();
  cmd->add_option("--samples,-n", flags.samples,
                  "Samples of the sampled checks (default: the scenario's)")
      ->transform(DecimalValidator())
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 32));
  AddSamplingFlags(cmd, flags,
                   "Override a sweepable name: NAME=VALUE (repeatable; see `parley params`)");
  cmd->add_flag("--quiet,-q", flags.quiet, "Print no terminal findings");
  return cmd;
}

int Doctor(const DoctorFlags& flags) {
  if (const Status outputs = CheckOutputFlags({{"--json", flags.json}, {"--html", flags.html}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  auto request = ToSamplingRequest(flags, {flags.file});
  if (!request.ok()) return Fail(request.status());
  auto prepared = PrepareSampling(*request);
  if (!prepared.ok()) return Fail(prepared.status());
  const PreparedScenario& scenario = prepared->scenarios.front();
  const DoctorOptions options{.samples = prepared->options.samples,
                              .seed = prepared->options.seed,
                              .threads = prepared->options.threads,
                              .modes = scenario.modes};
  auto result = Diagnose(scenario.spec, *scenario.model, options);
  if (!result.ok()) return Fail(result.status());
  const DoctorReportInfo info{scenario.spec.name, flags.file, scenario.provenance.model};
  nlohmann::ordered_json doc = DoctorToJson(*result, info);
  AddProvenanceJson(scenario.provenance, doc);
  auto to_stdout = WriteResults(doc, flags.json, flags.html);
  if (!to_stdout.ok()) return Fail(to_stdout.status());
  if (!*to_stdout && !flags.quiet) {
    std::string text = FormatDoctorText(*result, info);
    // The doctor checks the first round's game and says so.
    Provenance shown = scenario.provenance;
    shown.rounds.clear();
    InsertProvenanceText(shown, text, 2, /*with_model=*/false);
    std::cout << text;
  }
  return 0;
}

}  // namespace parley
