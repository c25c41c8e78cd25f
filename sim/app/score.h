// `parley score`: back-testing scenarios against what happened. Each file
// must record its outcome (`observed`); each is run under each model asked
// for (or its own), and the forecasts are scored with the two baselines
// (sim/mc/scoring.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/mc/scoring.h"

namespace parley {

struct ScoreRequest {
  std::vector<std::string> files;
  // Each as --model takes it ("qre:lambda=2"); empty: every scenario's own.
  std::vector<std::string> models;
  std::optional<int64_t> samples;  // default: each scenario's own
  std::optional<uint64_t> seed;    // default: each scenario's own
  int threads = 0;                 // 0: one per core
  int bins = 5;                    // reliability table bins
  // After every batch of every run: runs finished and planned, in
  // thousandths of a run (for a progress bar, or to stop by throwing, as
  // Python's Ctrl-C does).
  std::function<void(int64_t done, int64_t planned)> progress;
};

// Loads every file (each must have `observed`: otherwise an InvalidArgument
// naming the file), then runs each under each model and scores the
// forecasts: a model's forecast of an episode is its outcome probabilities
// among resolved samples (uniform, flagged, when none resolved).
StatusOr<BackTest> RunBackTest(const ScoreRequest& request);

}  // namespace parley
