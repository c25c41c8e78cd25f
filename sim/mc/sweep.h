// Parameter sweeps: a one- or two-dimensional grid over sweepable names
// (sim/scenario/overrides.h), each grid point a full Monte Carlo run.
//
// Every point runs with the same seed and the same sample indices, and an
// override never moves another entry's draws, so the points share their
// random numbers (common random numbers): differences between neighbouring
// points come from the swept value, not from sampling noise. Points run one
// after another, each on all threads, so the result is as deterministic as
// RunMonteCarlo's.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/model/model.h"
#include "sim/core/status.h"
#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

inline constexpr int kMaxSweepAxes = 2;
inline constexpr int64_t kMaxSweepSteps = 1001;    // per axis
inline constexpr int64_t kMaxSweepPoints = 10000;  // in the whole grid

struct SweepAxis {
  std::string name;  // a sweepable name
  double low = 0.0;
  double high = 0.0;
  int64_t steps = 2;  // values low, ..., high, evenly spaced; >= 2
  // The grid values; the first is `low` and the last exactly `high`.
  std::vector<double> Values() const;
};

// "NAME=LOW:HIGH:STEPS" (as given to --vary), checked on its own: STEPS a
// whole number from 2 to kMaxSweepSteps, LOW <= HIGH, both finite.
StatusOr<SweepAxis> ParseSweepAxis(std::string_view text);

struct SweepPoint {
  std::vector<double> values;  // one per axis
  RunSummary summary;
};

struct SweepResult {
  std::vector<SweepAxis> axes;
  // Row-major: the last axis varies fastest.
  std::vector<SweepPoint> points;
  int threads = 0;
  // The sampling of all points together; `seconds` starts there and the
  // front end makes it the whole command's time (compiling each point's
  // game included).
  double sampling_seconds = 0.0;
  double seconds = 0.0;
};

struct SweepOptions {
  RunOptions run;          // samples, seed, threads
  CompileOptions compile;  // argument modes (--with/--without)
  // Samples done and planned over the whole grid, between batches (for a
  // progress display; it cannot change results).
  std::function<void(int64_t done, int64_t planned)> progress;
};

// Checks the axes against `spec` (known names, distinct, credences within
// [0, 1], at most kMaxSweepPoints points) without running anything.
Status CheckSweep(const ScenarioSpec& spec, const std::vector<SweepAxis>& axes);

// The model for one grid point's scenario: an axis may vary the model's
// parameters (model.<param>), so each point makes its own.
using ModelMaker = std::function<StatusOr<std::unique_ptr<Model>>(const ScenarioSpec&)>;

// Runs the grid: `spec` with each point's values set (ApplyOverride), every
// point with options.run's seed and sample count and the model `make_model`
// makes for it.
StatusOr<SweepResult> RunSweep(const ScenarioSpec& spec, const std::vector<SweepAxis>& axes,
                               const ModelMaker& make_model, const SweepOptions& options);

}  // namespace parley
