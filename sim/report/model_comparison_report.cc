#include "sim/report/model_comparison_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sim/core/ranks.h"
#include "sim/report/json_values.h"
#include "sim/report/whatif.h"
#include "sim/version.h"

namespace parley {
namespace {

using J = nlohmann::ordered_json;

// "+1.2 [+0.9, +1.5] (±0.6)": the paired interval, then the half-width two
// independent runs would give.
std::string DifferenceCell(const ModelComparison::OutcomeDifference& d) {
  return fmt::format("{:+.1f} [{:+.1f}, {:+.1f}] (±{:.1f})", 100.0 * d.paired.difference,
                     100.0 * d.paired.ci95.low, 100.0 * d.paired.ci95.high,
                     100.0 * (d.independent_ci95.high - d.independent_ci95.low) / 2.0);
}

J EstimateJson(const OutcomeEstimate& o) {
  return {{"probability", o.probability}, {"ci95", IntervalPair(o.ci95)}};
}

// Per pair of models, the scenario where they agree least (first on ties).
struct Separation {
  int a, b;
  size_t scenario;
  double agreement;
};
std::vector<Separation> MostSeparating(const ModelComparison& c) {
  std::vector<Separation> out;
  if (c.scenarios.empty()) return out;
  for (size_t p = 0; p < c.scenarios.front().pairs.size(); ++p) {
    Separation s{c.scenarios.front().pairs[p].a, c.scenarios.front().pairs[p].b, 0, 2.0};
    for (size_t f = 0; f < c.scenarios.size(); ++f) {
      const double agreement = c.scenarios[f].pairs[p].agreement;
      if (agreement < s.agreement) {
        s.scenario = f;
        s.agreement = agreement;
      }
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace

std::string FormatModelComparisonText(const ModelComparison& c, double seconds,
                                      const std::vector<std::string>& notes) {
  std::string out = fmt::format(
      "Model comparison: {} model{} on {} scenario{}, {} samples each, seed {}; every model "
      "sees the same sampled games\n",
      c.models.size(), c.models.size() == 1 ? "" : "s", c.scenarios.size(),
      c.scenarios.size() == 1 ? "" : "s", c.samples, c.seed);
  for (size_t i = 0; i < c.scenarios.size(); ++i) {
    const ModelComparison::Scenario& s = c.scenarios[i];
    if (s.cells.empty()) continue;
    const RunSummary& first = s.cells.front().run;
    out += fmt::format("\n{}: {}\n", s.file, first.scenario);
    if (i < notes.size() && !notes[i].empty()) out += notes[i] + "\n";
    std::vector<std::string> header = {"Model"};
    for (const auto& o : first.outcomes) header.push_back(o.id);
    header.push_back("unresolved");
    // Models that can fail to converge (fictitious play, replicator) say how
    // often they did: their samples are still counted in the outcomes.
    const bool convergence = std::any_of(s.cells.begin(), s.cells.end(), [](const auto& cell) {
      return cell.run.ReportsConvergence();
    });
    if (convergence) header.push_back("not converged");
    std::vector<std::vector<std::string>> rows = {header};
    std::string cost;
    for (size_t k = 0; k < s.cells.size(); ++k) {
      const RunSummary& r = s.cells[k].run;
      std::vector<std::string> row = {c.models[k]};
      for (const auto& o : r.outcomes) row.push_back(FormatOutcomeCell(o));
      row.push_back(FormatOutcomeCell(r.unresolved));
      if (convergence) {
        OutcomeEstimate e;
        e.probability = r.not_converged_probability;
        e.ci95 = r.not_converged_ci95;
        row.push_back(r.ReportsConvergence() ? FormatOutcomeCell(e) : "-");
      }
      rows.push_back(row);
      cost += fmt::format("{}{} {:.0f} ns", k ? ", " : "", c.models[k], s.cells[k].ns_per_sample);
    }
    out += FormatTextTable(rows, 1);
    out += fmt::format("cost per sample on this run: draws {:.0f} ns (once, for all models); {}\n",
                       s.draw_ns_per_sample, cost);
    for (size_t k = 0; k < s.cells.size(); ++k) {
      if (s.cells[k].run.ReportsConvergence()) {
        out += fmt::format("not converged ({}): {} (counted in the outcomes)\n", c.models[k],
                           s.cells[k].run.not_converged_meaning);
      }
    }
    if (s.pairs.empty()) continue;
    out += "\n";
    std::vector<std::string> pair_header = {"A", "B"};
    for (const auto& o : first.outcomes) pair_header.push_back(o.id + ": B - A");
    pair_header.push_back("unresolved: B - A");
    pair_header.push_back("agreement");
    std::vector<std::vector<std::string>> pair_rows = {pair_header};
    for (const ModelComparison::Pair& p : s.pairs) {
      std::vector<std::string> row = {c.models[p.a], c.models[p.b]};
      for (const auto& d : p.differences) row.push_back(DifferenceCell(d));
      row.push_back(fmt::format("{:.1f}% [{:.1f}, {:.1f}]", 100.0 * p.agreement,
                                100.0 * p.agreement_ci95.low, 100.0 * p.agreement_ci95.high));
      pair_rows.push_back(row);
    }
    out += FormatTextTable(pair_rows, 2);
  }
  if (c.scenarios.size() > 1 && c.paired) {
    out += "\nWhere each pair of models differs most (lowest agreement):\n";
    for (const Separation& s : MostSeparating(c)) {
      out += fmt::format("  {} vs {}: {} ({:.1f}% agreement)\n", c.models[s.a], c.models[s.b],
                         c.scenarios[s.scenario].file, 100.0 * s.agreement);
    }
  }
  out +=
      "\nCells: P(outcome) [95% CI, in %]; cost: this run's time per sample (all threads "
      "together): the draws and payoff tables, shared by the models, then each model's own "
      "(predicting and counting)\n";
  if (c.paired && c.models.size() > 1) {
    out +=
        "Pairs: P under B minus P under A in points, [paired 95% CI] over the same samples, "
        "(± the half-width two independent runs would give); agreement: mean 1 - total "
        "variation distance between the two predictions, for pure models the share of samples "
        "with the same outcome\n";
  } else if (c.models.size() > 1) {
    out += fmt::format(
        "(pairs left out: keeping every sample's outcomes would take {} MiB, over the {} MiB "
        "limit; use fewer samples)\n",
        (c.paired_bytes + (1 << 20) - 1) >> 20, kPairedMaxBytes >> 20);
  }
  out += fmt::format("{} thread{}, {:.3f} s\n", c.threads, c.threads == 1 ? "" : "s", seconds);
  return out;
}

J ModelComparisonToJson(const ModelComparison& c, double seconds) {
  J j;
  j["kind"] = "model-comparison";
  j["parley_version"] = kParleyVersion;
  j["samples"] = c.samples;
  j["seed"] = c.seed;
  j["models"] = c.models;
  j["paired"] = c.paired;
  J scenarios = J::array();
  J costs = J::array();
  J draw_costs = J::array();
  for (const ModelComparison::Scenario& s : c.scenarios) {
    J entry;
    entry["scenario"] = {{"name", s.cells.empty() ? "" : s.cells.front().run.scenario},
                         {"file", s.file}};
    J cells = J::array();
    J cost = J::array();
    for (size_t k = 0; k < s.cells.size(); ++k) {
      const RunSummary& r = s.cells[k].run;
      J cell = {{"model", c.models[k]}, {"name", r.model}, {"selection", r.selection}};
      J outcomes = J::array();
      for (const auto& o : r.outcomes) {
        outcomes.push_back(
            {{"id", o.id}, {"probability", o.probability}, {"ci95", IntervalPair(o.ci95)}});
      }
      cell["outcomes"] = outcomes;
      cell["unresolved"] = EstimateJson(r.unresolved);
      if (r.ReportsConvergence()) {
        cell["not_converged"] = {{"probability", r.not_converged_probability},
                                 {"ci95", IntervalPair(r.not_converged_ci95)},
                                 {"meaning", r.not_converged_meaning}};
      }
      cells.push_back(cell);
      cost.push_back(s.cells[k].ns_per_sample);
    }
    entry["models"] = cells;
    J pairs = J::array();
    for (const ModelComparison::Pair& p : s.pairs) {
      J differences = J::array();
      for (const auto& d : p.differences) {
        differences.push_back({{"id", d.id},
                               {"difference", d.paired.difference},
                               {"ci95", IntervalPair(d.paired.ci95)},
                               {"ci95_independent", IntervalPair(d.independent_ci95)}});
      }
      pairs.push_back({{"models", {c.models[p.a], c.models[p.b]}},
                       {"differences", differences},
                       {"agreement", p.agreement},
                       {"agreement_ci95", IntervalPair(p.agreement_ci95)}});
    }
    entry["pairs"] = pairs;
    scenarios.push_back(entry);
    costs.push_back(cost);
    draw_costs.push_back(s.draw_ns_per_sample);
  }
  j["scenarios"] = scenarios;
  J separation = J::array();
  if (c.scenarios.size() > 1) {
    for (const Separation& s : MostSeparating(c)) {
      separation.push_back({{"models", {c.models[s.a], c.models[s.b]}},
                            {"file", c.scenarios[s.scenario].file},
                            {"agreement", s.agreement}});
    }
  }
  j["most_separating"] = separation;
  j["run"] = {{"ranks", WorldRanks().size()},
              {"threads", c.threads},
              {"seconds", seconds},
              {"ns_per_sample", costs},
              {"draw_ns_per_sample", draw_costs}};
  return j;
}

std::string ModelComparisonToCsv(const ModelComparison& c) {
  std::string out = "scenario,file,model,outcome,probability,ci95_low,ci95_high\n";
  auto quote = [](const std::string& s) {
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  };
  for (const ModelComparison::Scenario& s : c.scenarios) {
    for (size_t k = 0; k < s.cells.size(); ++k) {
      const RunSummary& r = s.cells[k].run;
      auto row = [&](const std::string& id, const OutcomeEstimate& o) {
        out += fmt::format("{},{},{},{},{},{},{}\n", quote(r.scenario), quote(s.file),
                           quote(c.models[k]), id, NumberText(o.probability),
                           NumberText(o.ci95.low), NumberText(o.ci95.high));
      };
      for (const auto& o : r.outcomes) row(o.id, o);
      row("unresolved", r.unresolved);
    }
  }
  return out;
}

}  // namespace parley
