// The parallel Monte Carlo runner: samples a compiled scenario, asks a model
// for each sample's prediction, and accumulates the results.
//
// Determinism: sample i draws from SampleRng(seed, i) only; samples are
// processed in fixed blocks whose results are joined by
// tbb::parallel_deterministic_reduce, so the result depends only on the
// scenario, the seed and the sample count, never on the thread count.
#pragma once

#include <cstdint>
#include <string>

#include "models/model.h"
#include "sim/core/status.h"
#include "sim/mc/accumulator.h"
#include "sim/scenario/game_model.h"

namespace parley {

struct RunOptions {
  int64_t samples = 10000;
  uint64_t seed = 1;
  int threads = 0;     // 0: all available cores
  ModelOptions model;  // selection rule, lambda

  // Returns false and explains why in `why` when an option is out of range.
  bool IsValid(std::string* why) const;
};

struct RunResult {
  Accumulator totals;
  int threads_used = 0;
  double seconds = 0.0;
  int64_t block_size = 0;
};

StatusOr<RunResult> RunMonteCarlo(const GameModel& game, const Model& model,
                                  const RunOptions& options);

// Samples per block for `game`: fixed per scenario, so part of the
// determinism contract; smaller for very large games to bound memory.
int64_t BlockSizeFor(const GameModel& game);

}  // namespace parley
