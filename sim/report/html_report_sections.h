// The sections of the HTML report, one list per result kind: each section is
// a heading, a note, charts (Vega-Lite specs from html_report_charts.h) and
// tables with every number. html_report.cc lays them out on the page.
//
// Internal to sim/report.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/report/html_report_document.h"

namespace parley::html {

// Cell formatting shared by the pages: "12.3%", "[10.1%, 14.6%]" (empty
// without an interval), percentage points "+1.2" and "[+0.3, +2.1]",
// numbers to `digits` decimals ("n/a" without one), a count, a swept value,
// an interval as a JSON pair (`fallback` twice without one), an id that does
// not break at its hyphens, and the share of samples not converged ("-" for
// a model without a convergence test).
std::string Pct(double p);
std::string PctCi(const std::optional<Ci>& ci);
std::string Points(const std::optional<double>& e);
std::string PointsCi(const std::optional<Ci>& ci);
std::string Num(const std::optional<double>& x, int digits = 3);
std::string NumCi(const std::optional<Ci>& ci, int digits = 3);
std::string Count(const std::optional<double>& c);
std::string Value(double x);
J CiJson(const std::optional<Ci>& ci, double fallback);
std::string Id(const std::string& id);
std::string NotConvergedCell(const std::optional<Estimate>& e);

// One HTML table; `head` and `rows` cells are HTML (already escaped). Columns
// marked in `numeric` are right-aligned.
struct Table {
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;

  std::string Html() const;
};

// A section of the page: a heading, a note, charts and tables.
struct Section {
  std::string title;          // plain text
  std::string note;           // plain text
  std::optional<J> spec;      // a Vega-Lite spec
  std::vector<J> more_specs;  // further charts in the same section
  // When not empty: a heading for `spec`, then one for each of `more_specs`.
  std::vector<std::string> more_titles;
  std::string tables;  // HTML
};

// The "What produced this" block at the top of the page (HTML): scenario
// file and extends chain, model and parameters, selection, samples, seed and
// overrides, as far as the document has them; a table with a row per
// scenario for a comparison. Empty when the document has none of them.
// `kind` is the document's kind.
std::string ProvenanceHtml(const ProvenanceDoc& p, std::string_view kind);

// Outcome probabilities, payoffs, argument effects, attribution, and for
// sequential scenarios equilibrium paths and threats: whatever the run has.
std::vector<Section> RunSections(const RunDoc& r);
// The outcome probabilities of every scenario side by side.
std::vector<Section> ComparisonSections(const ComparisonDoc& c);
// A line chart (one axis), a heat map per outcome (two) or only the table.
std::vector<Section> SweepSections(const SweepDoc& sw);
// One section per output: Sobol indices or Morris screening.
std::vector<Section> SensitivitySections(const SensitivityDoc& sd);
// "Diagnostics": a table of `parley doctor`'s findings, and what it skipped.
std::vector<Section> DoctorSections(const DoctorDoc& d);

}  // namespace parley::html
