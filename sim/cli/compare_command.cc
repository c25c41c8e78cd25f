// `parley run A.yaml B.yaml ...`: several scenarios (typically a base and its
// what-if variants) with the same seed and sample count, in one table.
#include "sim/app/sampling.h"
#include "sim/cli/commands.h"
#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/report/html_report.h"
#include "sim/report/provenance.h"
#include "sim/report/whatif.h"

namespace parley {

int Compare(const CompareFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  if (const Status outputs =
          CheckOutputFlags({{"--json", flags.json}, {"--html", flags.html}, {"--csv", flags.csv}});
      !outputs.ok()) {
    return Fail(outputs);
  }
  // Everything is loaded and checked before anything runs; the first
  // scenario's seed and sample count, unless the flags give them.
  auto request = ToSamplingRequest(flags, flags.files);
  if (!request.ok()) return Fail(request.status());
  auto prepared = PrepareSampling(*request);
  if (!prepared.ok()) return Fail(prepared.status());
  auto comparison = RunComparison(*prepared);
  if (!comparison.ok()) return Fail(comparison.status());
  std::vector<Provenance> provenance;
  for (const PreparedScenario& scenario : prepared->scenarios) {
    provenance.push_back(scenario.provenance);
  }
  const double seconds = SecondsSince(start);
  nlohmann::ordered_json doc = ComparisonToJson(*comparison, seconds);
  for (size_t i = 0; i < provenance.size(); ++i)
    AddProvenanceJson(provenance[i], doc["scenarios"][i]);
  auto written = WriteResults(doc, flags.json, flags.html, flags.csv, ComparisonToCsv(*comparison));
  if (!written.ok()) return Fail(written.status());
  if (!*written && !flags.quiet) {
    // The overrides are the same for every scenario; the table names each model.
    std::string text = FormatComparisonText(*comparison, seconds);
    Provenance shared = provenance.front();
    shared.extends.clear();
    // Correlated credences and rounds belong to a scenario, not to the
    // comparison.
    shared.correlated_arguments.clear();
    shared.rounds.clear();
    std::string correlated;
    for (size_t i = 0; i < provenance.size(); ++i) {
      const std::string what = FormatCorrelatedCredences(provenance[i]);
      if (!what.empty()) {
        correlated += "credences of " + flags.files[i] + ": correlated (" + what + ")\n";
      }
      if (!provenance[i].rounds.empty()) {
        correlated +=
            "rounds of " + flags.files[i] + ": " + FormatRoundsProvenance(provenance[i]) + "\n";
      }
    }
    if (const size_t first_line = text.find('\n'); first_line != std::string::npos) {
      text.insert(first_line + 1, correlated);
    }
    InsertProvenanceText(shared, text, 1, /*with_model=*/false);
    std::cout << text;
  }
  return 0;
}

}  // namespace parley
