// The error note of `parley run --sampler sobol`: intervals from the spread
// between independently shifted replicates (docs/explanation/sensitivity.md,
// "How the sobol sampler's error is estimated").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/mc/runner.h"
#include "sim/mc/summary.h"

namespace parley {

struct ReplicateInterval {
  std::string outcome;             // an outcome id, or "unresolved"
  double probability = 0;          // the pooled estimate (all samples)
  double low = 0, high = 0;        // 95%: pooled +- t(R-1) * sd / sqrt(R)
  std::vector<double> replicates;  // each replicate's estimate
};

// Per outcome slot (the outcomes, then "unresolved").
std::vector<ReplicateInterval> ReplicateIntervals(const RunSummary& summary,
                                                  const RunResult& result);
std::string FormatSamplerNote(const RunSummary& summary, const RunResult& result);
nlohmann::ordered_json SamplerJson(const RunSummary& summary, const RunResult& result);

}  // namespace parley
