// `parley compare FILE... --models A,B,...`: several models on the same
// sampled games. For every scenario each model runs with the same seed and
// sample count; the scenario's draws come from their own random stream and
// each model's choices from another (sim/core/rng.h), so sample i is the
// same game for every model (common random numbers). What comes out: each
// model's outcome probabilities and its cost, and for every pair of models
// the paired difference of each outcome's probability, the interval two
// independent runs would give for comparison, and how often the two agree.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/app/sampling.h"
#include "sim/core/status.h"
#include "sim/mc/paired.h"
#include "sim/mc/summary.h"
#include "sim/report/provenance.h"

namespace parley {

struct ModelComparisonRequest {
  std::vector<std::string> files;
  std::vector<std::string> models;  // each as --model takes it: "qre:lambda=2"
  std::vector<std::string> with, without, set;
  std::optional<std::string> selection;
  std::optional<int64_t> samples;  // default: the first scenario's
  std::optional<uint64_t> seed;    // default: the first scenario's
  int threads = 0;
  // After every batch: samples done and planned over every scenario (for a
  // progress bar, or to stop by throwing, as Python's Ctrl-C does).
  std::function<void(int64_t done, int64_t planned)> progress;
};

// The comparison (sim/mc/paired.h) and what produced each cell: the
// provenance of scenario f under model k is provenance[f][k].
struct ModelComparisonResult {
  ModelComparison comparison;
  std::vector<std::vector<Provenance>> provenance;
};

// Loads every scenario under every model (all checked before anything runs),
// runs them, and pairs the models scenario by scenario.
StatusOr<ModelComparisonResult> CompareModels(const ModelComparisonRequest& request);

// The comparison's JSON document (ModelComparisonToJson, `seconds` the
// whole call's time) with each cell's provenance.
nlohmann::ordered_json ModelComparisonResultJson(const ModelComparisonResult& result,
                                                 double seconds);

}  // namespace parley
