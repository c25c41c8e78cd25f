#include "sim/report/whatif.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/core/ranks.h"
#include "sim/report/json_values.h"
#include "sim/report/report.h"
#include "sim/version.h"

namespace parley {
namespace {

using J = nlohmann::ordered_json;

// "+1.2 [+0.9, +1.5]", in percentage points.
std::string DifferenceCell(const PairedDifference& d) {
  return fmt::format("{:+.1f} [{:+.1f}, {:+.1f}]", 100.0 * d.difference, 100.0 * d.ci95.low,
                     100.0 * d.ci95.high);
}

// The paired difference of outcome `id` in comparison row `i`, if any.
const PairedDifference* FindDifference(const Comparison& c, size_t i, const std::string& id) {
  if (i >= c.differences.size()) return nullptr;
  for (const auto& d : c.differences[i]) {
    if (d.id == id) return &d.value;
  }
  return nullptr;
}

J OutcomesJson(const RunSummary& s) {
  J outcomes = J::array();
  for (const auto& o : s.outcomes) {
    outcomes.push_back(
        {{"id", o.id}, {"probability", o.probability}, {"ci95", IntervalPair(o.ci95)}});
  }
  return outcomes;
}

J UnresolvedJson(const RunSummary& s) {
  return {{"probability", s.unresolved.probability}, {"ci95", IntervalPair(s.unresolved.ci95)}};
}

// The share of samples not converged, as an estimate (for cells and rows).
OutcomeEstimate NotConverged(const RunSummary& s) {
  OutcomeEstimate e;
  e.id = e.label = "not_converged";
  e.count = static_cast<double>(s.not_converged);
  e.probability = s.not_converged_probability;
  e.ci95 = s.not_converged_ci95;
  return e;
}

// Whether any of the runs reports convergence (an iterative model).
template <typename Range, typename Get>
bool AnyReportsConvergence(const Range& runs, Get get) {
  return std::any_of(runs.begin(), runs.end(),
                     [&](const auto& r) { return get(r).ReportsConvergence(); });
}

}  // namespace

std::string FormatOutcomeCell(const OutcomeEstimate& o) {
  return fmt::format("{:5.1f}% [{:4.1f}, {:4.1f}]", 100.0 * o.probability, 100.0 * o.ci95.low,
                     100.0 * o.ci95.high);
}

std::string FormatTextTable(const std::vector<std::vector<std::string>>& rows,
                            size_t left_columns) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()), 0);
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      if (c) line += "  ";
      line += c < left_columns ? fmt::format("{:<{}}", r[c], width[c])
                               : fmt::format("{:>{}}", r[c], width[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string FormatSweepText(const SweepResult& sweep) {
  std::string out;
  if (sweep.points.empty()) return out;
  const RunSummary& first = sweep.points.front().summary;
  out += fmt::format("{}\n", first.scenario);
  std::string varied;
  for (const auto& a : sweep.axes) {
    varied += fmt::format("{}{} from {} to {} in {} steps", varied.empty() ? "" : "; ", a.name,
                          NumberText(a.low), NumberText(a.high), a.steps);
  }
  out += fmt::format("sweep of {}\n", varied);
  out += fmt::format(
      "model {} (selection: {}{}), {} samples per point, seed {}, the same samples at every "
      "point\n\n",
      first.model, first.selection, ModelParametersSuffix(first), first.samples, first.seed);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const auto& a : sweep.axes) header.push_back(a.name);
  for (const auto& o : first.outcomes) header.push_back(o.id);
  header.push_back("unresolved");
  const bool convergence = AnyReportsConvergence(
      sweep.points, [](const SweepPoint& p) -> const RunSummary& { return p.summary; });
  if (convergence) header.push_back("not converged");
  rows.push_back(header);
  for (const SweepPoint& p : sweep.points) {
    std::vector<std::string> row;
    for (double v : p.values) row.push_back(NumberText(v));
    for (const auto& o : p.summary.outcomes) row.push_back(FormatOutcomeCell(o));
    row.push_back(FormatOutcomeCell(p.summary.unresolved));
    if (convergence) row.push_back(FormatOutcomeCell(NotConverged(p.summary)));
    rows.push_back(row);
  }
  out += FormatTextTable(rows, sweep.axes.size());
  out += "\nCells: P(outcome) [95% CI, in %]\n";
  if (convergence) {
    out +=
        fmt::format("not converged: {} (counted in the outcomes)\n", first.not_converged_meaning);
  }
  out += fmt::format("{} points, {} thread{}, {:.3f} s (sampling {:.3f} s)\n", sweep.points.size(),
                     sweep.threads, sweep.threads == 1 ? "" : "s", sweep.seconds,
                     sweep.sampling_seconds);
  return out;
}

J SweepToJson(const SweepResult& sweep) {
  const RunSummary empty;
  const RunSummary& first = sweep.points.empty() ? empty : sweep.points.front().summary;
  J j = ResultHeaderJson("sweep", first);
  J vary = J::array();
  for (const auto& a : sweep.axes) {
    vary.push_back({{"name", a.name},
                    {"low", a.low},
                    {"high", a.high},
                    {"steps", a.steps},
                    {"values", a.Values()}});
  }
  j["vary"] = vary;
  J points = J::array();
  for (const SweepPoint& p : sweep.points) {
    J values = J::object();
    for (size_t k = 0; k < sweep.axes.size(); ++k) values[sweep.axes[k].name] = p.values[k];
    J point = {{"values", values},
               {"outcomes", OutcomesJson(p.summary)},
               {"unresolved", UnresolvedJson(p.summary)}};
    if (p.summary.ReportsConvergence()) point["not_converged"] = NotConvergedJson(p.summary);
    if (!p.summary.model_note.empty()) point["model_note"] = p.summary.model_note;
    point["payoffs"] = PayoffsJson(p.summary);
    points.push_back(std::move(point));
  }
  j["points"] = points;
  j["run"] = {{"ranks", WorldRanks().size()},
              {"threads", sweep.threads},
              {"seconds", sweep.seconds},
              {"sampling_seconds", sweep.sampling_seconds}};
  return j;
}

std::string SweepToCsv(const SweepResult& sweep) {
  std::string out;
  for (const auto& a : sweep.axes) out += a.name + ",";
  out += "outcome,probability,ci95_low,ci95_high\n";
  for (const SweepPoint& p : sweep.points) {
    std::string prefix;
    for (double v : p.values) prefix += NumberText(v) + ",";
    auto row = [&](const std::string& id, const OutcomeEstimate& o) {
      out += fmt::format("{}{},{},{},{}\n", prefix, id, NumberText(o.probability),
                         NumberText(o.ci95.low), NumberText(o.ci95.high));
    };
    for (const auto& o : p.summary.outcomes) row(o.id, o);
    row("unresolved", p.summary.unresolved);
    if (p.summary.ReportsConvergence()) row("not_converged", NotConverged(p.summary));
  }
  return out;
}

std::string FormatComparisonText(const Comparison& comparison, double seconds) {
  const std::vector<RunSummary>& runs = comparison.runs;
  std::string out;
  if (runs.empty()) return out;
  std::vector<std::string> ids;
  for (const auto& r : runs) {
    for (const auto& o : r.outcomes) {
      if (std::find(ids.begin(), ids.end(), o.id) == ids.end()) ids.push_back(o.id);
    }
  }
  out += fmt::format("Comparison of {} scenarios: {} samples each, seed {}, the same for all\n\n",
                     runs.size(), runs.front().samples, runs.front().seed);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"Scenario", "model"};
  header.insert(header.end(), ids.begin(), ids.end());
  header.push_back("unresolved");
  const bool convergence =
      AnyReportsConvergence(runs, [](const RunSummary& r) -> const RunSummary& { return r; });
  if (convergence) header.push_back("not converged");
  rows.push_back(header);
  for (const auto& r : runs) {
    std::vector<std::string> row = {r.scenario_path, r.model};
    for (const auto& id : ids) {
      auto it = std::find_if(r.outcomes.begin(), r.outcomes.end(),
                             [&](const OutcomeEstimate& o) { return o.id == id; });
      row.push_back(it == r.outcomes.end() ? "-" : FormatOutcomeCell(*it));
    }
    row.push_back(FormatOutcomeCell(r.unresolved));
    if (convergence)
      row.push_back(r.ReportsConvergence() ? FormatOutcomeCell(NotConverged(r)) : "-");
    rows.push_back(row);
  }
  out += FormatTextTable(rows, 2);
  out += "\nCells: P(outcome) [95% CI, in %]; '-': the scenario has no such outcome\n";
  std::vector<std::string> explained;  // each model's meaning once
  for (const auto& r : runs) {
    if (!r.ReportsConvergence() ||
        std::find(explained.begin(), explained.end(), r.model) != explained.end()) {
      continue;
    }
    explained.push_back(r.model);
    out += fmt::format("not converged ({}): {} (counted in the outcomes)\n", r.model,
                       r.not_converged_meaning);
  }
  for (const auto& r : runs) out += fmt::format("  {}: {}\n", r.scenario_path, r.scenario);
  if (runs.size() > 1 && comparison.paired) {
    out +=
        fmt::format("\nDifference from {}, paired by sample (the same seed and sample index)\n\n",
                    runs.front().scenario_path);
    std::vector<std::vector<std::string>> diff_rows = {header};
    diff_rows.front().erase(diff_rows.front().begin() + 1);  // no model column
    for (size_t i = 1; i < runs.size(); ++i) {
      std::vector<std::string> row = {runs[i].scenario_path};
      for (const auto& id : ids) {
        const PairedDifference* d = FindDifference(comparison, i, id);
        row.push_back(d == nullptr ? "-" : DifferenceCell(*d));
      }
      const PairedDifference* d = FindDifference(comparison, i, "unresolved");
      row.push_back(d == nullptr ? "-" : DifferenceCell(*d));
      diff_rows.push_back(row);
    }
    out += FormatTextTable(diff_rows, 1);
    out +=
        "\nCells: P(scenario) - P(first scenario) [paired 95% CI], in percentage points; "
        "'-': an outcome the first scenario lacks\n";
  } else if (runs.size() > 1) {
    out += fmt::format(
        "\n(paired differences left out: keeping every sample's outcomes would take {} MiB, over "
        "the {} MiB limit; use fewer samples)\n",
        (comparison.paired_bytes + (1 << 20) - 1) >> 20, kPairedMaxBytes >> 20);
  }
  int threads = 0;
  double sampling = 0.0;
  for (const auto& r : runs) {
    threads = std::max(threads, r.threads);
    sampling += r.sampling_seconds;
  }
  out += fmt::format("\n{} thread{}, {:.3f} s (sampling {:.3f} s)\n", threads,
                     threads == 1 ? "" : "s", seconds, sampling);
  return out;
}

J ComparisonToJson(const Comparison& comparison, double seconds) {
  const std::vector<RunSummary>& runs = comparison.runs;
  J j;
  j["kind"] = "comparison";
  j["parley_version"] = kParleyVersion;
  j["samples"] = runs.empty() ? 0 : runs.front().samples;
  j["seed"] = runs.empty() ? 0 : runs.front().seed;
  J scenarios = J::array();
  int threads = 0;
  double sampling = 0.0;
  for (const auto& r : runs) {
    J entry = {{"scenario", {{"name", r.scenario}, {"file", r.scenario_path}}},
               {"model", r.model},
               {"selection", r.selection}};
    if (r.lambda) entry["lambda"] = *r.lambda;
    entry["outcomes"] = OutcomesJson(r);
    entry["unresolved"] = UnresolvedJson(r);
    if (r.ReportsConvergence()) entry["not_converged"] = NotConvergedJson(r);
    if (!r.model_note.empty()) entry["model_note"] = r.model_note;
    entry["payoffs"] = PayoffsJson(r);
    const size_t i = scenarios.size();
    if (i > 0 && comparison.paired) {
      J differences = J::array();
      for (const auto& d : comparison.differences[i]) {
        differences.push_back({{"id", d.id},
                               {"difference", d.value.difference},
                               {"ci95", IntervalPair(d.value.ci95)}});
      }
      entry["difference_from_first"] = differences;
    }
    scenarios.push_back(entry);
    threads = std::max(threads, r.threads);
    sampling += r.sampling_seconds;
  }
  j["paired"] = comparison.paired;
  j["scenarios"] = scenarios;
  j["run"] = {{"ranks", WorldRanks().size()},
              {"threads", threads},
              {"seconds", seconds},
              {"sampling_seconds", sampling}};
  return j;
}

namespace {

// Names are free text: quoted, with quotes doubled.
std::string Quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::string RunToCsv(const RunSummary& r) {
  std::string out = "scenario,file,outcome,probability,ci95_low,ci95_high,label,count\n";
  auto row = [&](const std::string& id, const OutcomeEstimate& o) {
    out += fmt::format("{},{},{},{},{},{},{},{}\n", Quote(r.scenario), Quote(r.scenario_path), id,
                       NumberText(o.probability), NumberText(o.ci95.low), NumberText(o.ci95.high),
                       Quote(o.label), NumberText(o.count));
  };
  for (const auto& o : r.outcomes) row(o.id, o);
  row("unresolved", r.unresolved);
  if (r.ReportsConvergence()) row("not_converged", NotConverged(r));
  return out;
}

std::string ComparisonToCsv(const Comparison& comparison) {
  std::string out =
      "scenario,file,outcome,probability,ci95_low,ci95_high,difference,difference_ci95_low,"
      "difference_ci95_high\n";
  for (size_t i = 0; i < comparison.runs.size(); ++i) {
    const RunSummary& r = comparison.runs[i];
    auto row = [&](const std::string& id, const OutcomeEstimate& o) {
      out +=
          fmt::format("{},{},{},{},{},{}", Quote(r.scenario), Quote(r.scenario_path), id,
                      NumberText(o.probability), NumberText(o.ci95.low), NumberText(o.ci95.high));
      const PairedDifference* d = i > 0 ? FindDifference(comparison, i, id) : nullptr;
      out += d == nullptr ? ",,,\n"
                          : fmt::format(",{},{},{}\n", NumberText(d->difference),
                                        NumberText(d->ci95.low), NumberText(d->ci95.high));
    };
    for (const auto& o : r.outcomes) row(o.id, o);
    row("unresolved", r.unresolved);
    if (r.ReportsConvergence()) row("not_converged", NotConverged(r));
  }
  return out;
}

}  // namespace parley
