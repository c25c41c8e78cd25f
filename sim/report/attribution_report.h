// Reports of `parley run --attribution shapley` and `--precision`: the
// ranked terminal list of which argument moves each outcome most, and the
// "attribution" and "precision" JSON objects (docs/reference/json-output.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/mc/attribution.h"
#include "sim/mc/summary.h"
#include "sim/scenario/spec.h"

namespace parley {

struct ArgumentAttribution {
  std::string id;
  std::string analyst;
  std::vector<double> shapley;                  // per slot (outcomes, then unresolved)
  std::vector<Interval> ci95;                   // per slot
  std::vector<std::optional<double>> contrast;  // the run's on/off contrast, per slot
};

struct AttributionSummary {
  bool exact = true;
  int64_t samples = 0;
  int64_t coalitions = 0;
  int64_t permutations = 0;  // sampled mode
  int64_t permutations_per_sample = 0;
  std::vector<std::string> slots;  // outcome ids, then "unresolved"
  std::vector<double> all_hold, none_hold;
  std::vector<ArgumentAttribution> arguments;  // scenario order
};

// Names `result` with the scenario's ids; the on/off contrasts come from
// `run` (the run's argument effects).
AttributionSummary SummarizeAttribution(const ScenarioSpec& spec, const AttributionResult& result,
                                        const RunSummary& run, int permutations_per_sample);

std::string FormatAttributionText(const AttributionSummary& a);
nlohmann::ordered_json AttributionJson(const AttributionSummary& a);

struct PrecisionSummary {
  double target = 0.0;
  bool reached = false;
  int64_t samples = 0;
  int64_t max_samples = 0;
  int64_t batch = 0;  // samples between checks
  double half_width = 0.0;
};

std::string FormatPrecisionText(const PrecisionSummary& p);
nlohmann::ordered_json PrecisionJson(const PrecisionSummary& p);

}  // namespace parley
