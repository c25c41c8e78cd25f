// `parley run A.yaml B.yaml ...`: several scenarios (typically a base and its
// what-if variants) with the same seed and sample count, in one table.
#include "sim/cli/commands.h"
#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/report/html_report.h"
#include "sim/report/whatif.h"

namespace parley {

int Compare(const CompareFlags& flags) {
  if (flags.json && flags.csv && *flags.json == "-" && *flags.csv == "-") {
    return Fail(
        InvalidArgument("--json - and --csv - would both write to stdout; give one a path"));
  }
  if (flags.html && !HtmlReportAvailable()) return Fail(HtmlReportUnavailable());
  // Everything is loaded and checked before anything runs.
  std::vector<PreparedRun> prepared;
  for (const std::string& file : flags.files) {
    auto p = Prepare(file, flags.model, flags.selection, flags.with, flags.without, flags.set);
    if (!p.ok()) return Fail(p.status());
    prepared.push_back(std::move(*p));
  }
  // The first scenario's settings, unless the flags give them.
  RunOptions options;
  options.samples = flags.samples.value_or(prepared.front().spec.simulation.samples);
  options.seed = prepared.front().spec.simulation.seed;
  if (flags.seed) {
    auto seed = ParseUnsigned("--seed", *flags.seed);
    if (!seed.ok()) return Fail(seed.status());
    options.seed = *seed;
  }
  options.threads = flags.threads;
  std::vector<RunSummary> summaries;
  for (const PreparedRun& p : prepared) {
    auto game = GameModel::Compile(p.spec, {p.modes});
    if (!game.ok()) return Fail(game.status());
    options.model.selection = p.selection;
    auto result = RunMonteCarlo(*game, *p.model, options);
    if (!result.ok()) return Fail(result.status());
    RunSummary s = Summarize(p.spec, p.modes, result->totals, p.model->pure(), &*game);
    s.model = std::string(p.model->name());
    s.selection = std::string(SelectionName(p.selection));
    s.seed = options.seed;
    s.threads = result->threads_used;
    s.seconds = result->seconds;
    summaries.push_back(std::move(s));
  }
  auto written = WriteResults(ComparisonToJson(summaries), flags.json, flags.html, flags.csv,
                              ComparisonToCsv(summaries));
  if (!written.ok()) return Fail(written.status());
  if (!*written && !flags.quiet) std::cout << FormatComparisonText(summaries);
  return 0;
}

}  // namespace parley
