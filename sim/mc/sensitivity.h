// Global sensitivity analysis of any function f: (0, 1)^k -> R^m, evaluated
// in batches: Sobol first-order and total indices (Saltelli design, Saltelli
// 2010 and Jansen estimators, percentile bootstrap intervals) and Morris
// elementary effects (mu, mu*, sigma). Nothing here knows about scenarios;
// sim/mc/scenario_sensitivity.h adapts a scenario to this interface.
//
// Determinism: the design depends only on (k, samples, seed); points are
// evaluated in fixed blocks written to fixed places, and every statistic is
// computed in a fixed order, so results never depend on the thread count.
// The explanation: docs/explanation/sensitivity.md.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/core/status.h"

namespace parley {

// Evaluates `count` points: point p's k coordinates are points[p * k ...],
// each in (0, 1); its m outputs go to out[p * m ...]. keys[p] is equal for
// points that should share common random numbers (the design's base row or
// trajectory), so that a noisy f compares like with like. An output may be
// NaN where it is undefined: the base row or trajectory step is then left
// out of that output's statistics. Called concurrently from several
// threads on disjoint batches.
using BatchFunction =
    std::function<void(const double* points, const uint64_t* keys, int64_t count, double* out)>;

struct SensitivityOptions {
  int64_t samples = 1024;  // Sobol: base rows N (N (k + 2) evaluations);
                           // Morris: trajectories r (r (k + 1) evaluations)
  uint64_t seed = 1;
  int threads = 0;       // 0: one per core
  int bootstrap = 1000;  // Sobol: bootstrap resamples for the intervals
  int levels = 4;        // Morris: an even number of grid levels
  // Called with (evaluations done, evaluations planned) after each batch,
  // possibly from several threads at once (for a progress display; it
  // cannot change results).
  std::function<void(int64_t done, int64_t planned)> progress;

  bool IsValid(std::string* why) const;
};

struct SobolIndex {
  double s1 = 0, s1_lo = 0, s1_hi = 0;  // first order and its 95% interval
  double st = 0, st_lo = 0, st_hi = 0;  // total
};

struct SobolOutput {
  double mean = 0, variance = 0;
  int64_t rows_used = 0;            // base rows where f was defined throughout
  std::vector<SobolIndex> indices;  // per input; NaN when the variance is 0
};

struct MorrisIndex {
  double mu = 0, mu_star = 0, sigma = 0;
  int64_t effects = 0;  // elementary effects that were defined
};

struct MorrisOutput {
  std::vector<MorrisIndex> indices;  // per input
};

struct SensitivityRun {
  int64_t evaluations = 0;
  int threads_used = 0;
  double seconds = 0;
};

struct SobolResult {
  std::vector<SobolOutput> outputs;
  SensitivityRun run;
};

struct MorrisResult {
  std::vector<MorrisOutput> outputs;
  double delta = 0;  // the step, as a fraction of the unit interval
  SensitivityRun run;
};

// Saltelli's design: rows j = 0 .. N-1 of matrices A and B are the two
// halves of point j of a randomly shifted 2k-dimensional Sobol sequence
// (sim/mc/qmc.h); A_B^i is A with column i from B. With f_A, f_B, f_ABi:
//   V     = variance of f over the 2N points of A and B
//   S1_i  = mean(f_B (f_ABi - f_A)) / V             (Saltelli et al. 2010)
//   ST_i  = mean((f_A - f_ABi)^2) / 2 / V           (Jansen 1999)
// Intervals: the 2.5% and 97.5% points of the indices recomputed on
// `bootstrap` resamples of the rows, drawn from Philox keyed by the seed.
StatusOr<SobolResult> SobolIndices(int k, int m, const BatchFunction& f,
                                   const SensitivityOptions& options);

// Morris' design: r trajectories on a grid of p levels at (l + 1/2) / p,
// l = 0 .. p-1 (inside (0, 1), so every point is a valid uniform); each
// trajectory starts at a random grid point and moves one input at a time,
// in a random order, by delta = 1/2 (p/2 levels, up from the lower half,
// down from the upper). Elementary effect EE = (f(x') - f(x)) / (x'_i -
// x_i); mu = mean EE, mu* = mean |EE|, sigma = standard deviation of EE.
StatusOr<MorrisResult> MorrisEffects(int k, int m, const BatchFunction& f,
                                     const SensitivityOptions& options);

}  // namespace parley
