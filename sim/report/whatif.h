// Reports of what-if analyses: parameter sweeps (`parley sweep`) and the
// comparison of several scenarios (`parley run A.yaml B.yaml ...`) as
// terminal tables, JSON (docs/reference/json-output.md) and CSV; and the
// CSV of a single run, in the comparison's format.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/mc/paired.h"
#include "sim/mc/summary.h"
#include "sim/mc/sweep.h"

namespace parley {

// "45.2% [44.9, 45.5]": an outcome's probability and 95% CI, in percent.
std::string FormatOutcomeCell(const OutcomeEstimate& o);
// Rows of cells as aligned text: the first `left_columns` columns left-aligned,
// the rest right-aligned, two spaces apart, trailing spaces trimmed.
std::string FormatTextTable(const std::vector<std::vector<std::string>>& rows, size_t left_columns);

// One row per grid point: the varied values, then each outcome's
// probability with its 95% CI.
std::string FormatSweepText(const SweepResult& sweep);
// {"kind": "sweep", ...}; everything but "run" depends only on the scenario,
// the grid, the seed and the sample count.
nlohmann::ordered_json SweepToJson(const SweepResult& sweep);
// Header: the varied names, outcome, probability, ci95_low, ci95_high; one
// row per grid point and outcome, "unresolved" included.
std::string SweepToCsv(const SweepResult& sweep);

// Runs of several scenarios with the same seed and sample count: a row per
// scenario, a column per outcome (the union of their outcome ids, in order
// of first appearance); then, when the comparison is paired, each later
// scenario's difference from the first with its paired 95% interval.
// `seconds`: the whole command's time; each run's sampling_seconds add up
// to the sampling time.
std::string FormatComparisonText(const Comparison& comparison, double seconds);
nlohmann::ordered_json ComparisonToJson(const Comparison& comparison, double seconds);
// Header: scenario, file, outcome, probability, ci95_low, ci95_high,
// difference, difference_ci95_low, difference_ci95_high (the last three
// empty for the first scenario, for outcomes the first lacks, and when the
// comparison is not paired).
std::string ComparisonToCsv(const Comparison& comparison);
// One run (`parley run FILE --csv`): the comparison's columns, then the
// outcome's label and its count (expected samples for mixed predictions);
// one row per outcome, "unresolved" last.
std::string RunToCsv(const RunSummary& run);

}  // namespace parley
