// Paired differences between two runs of the same samples: a base scenario
// and a what-if variant run with the same seed and sample count. Sample i of
// both runs is keyed by the same (seed, i), so where the two scenarios draw
// alike their samples share draws (common random numbers) and the
// difference of each outcome's probability has a much tighter interval than
// the two runs' own intervals suggest. The interval is valid whatever the
// pairing achieves: it is the normal interval of the mean of the per-sample
// differences, which are independent across samples.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/mc/summary.h"

namespace parley {

struct PairedDifference {
  double difference = 0.0;  // mean over samples of P_variant - P_base
  Interval ci95;            // normal approximation over the per-sample differences
};

// The mean and 95% interval of b - a over `samples` samples, where sample
// i's values are a[i * a_stride] and b[i * b_stride] (one outcome slot of
// two runs' RunControl::sample_slots). The sum runs in sample order, so the
// result does not depend on how the runs were split over threads.
PairedDifference PairedDifferenceOf(const double* a, int a_stride, const double* b, int b_stride,
                                    int64_t samples);

// A comparison of several scenarios run with the same seed and sample count
// (`parley run A.yaml B.yaml ...`): each run, and each later scenario's
// paired difference from the first.
struct Comparison {
  struct Difference {
    std::string id;  // an outcome id both scenarios have, or "unresolved" (last)
    PairedDifference value;
  };
  std::vector<RunSummary> runs;
  // differences[i]: runs[i] minus runs[0]; empty for i = 0, and for every i
  // when `paired` is false.
  std::vector<std::vector<Difference>> differences;
  // False when keeping the samples' outcomes would need more than
  // kPairedMaxBytes (`paired_bytes`): the differences are left out.
  bool paired = false;
  int64_t paired_bytes = 0;
};

// Several models on the same sampled games (`parley compare`): each model's
// run of each scenario and, for every pair of models, their paired
// differences and agreement.
struct ModelComparison {
  // One model on one scenario.
  struct Cell {
    RunSummary run;
    // The model's own time (predicting and counting, summed over threads)
    // per sample: varies between runs.
    double ns_per_sample = 0.0;
  };
  struct OutcomeDifference {
    std::string id;             // an outcome id, or "unresolved" (last)
    PairedDifference paired;    // P_b - P_a over the same samples
    Interval independent_ci95;  // what two independent runs would give
  };
  // Models a and b (indices into `models`, a < b) on one scenario.
  struct Pair {
    int a = 0, b = 0;
    std::vector<OutcomeDifference> differences;
    // Mean over samples of 1 - the total-variation distance between the two
    // predicted outcome distributions (unresolved counted as an outcome):
    // for pure predictions, the share of samples with the same outcome.
    double agreement = 0.0;
    Interval agreement_ci95;
  };
  struct Scenario {
    std::string file;
    std::vector<Cell> cells;  // one per model, in `models` order
    std::vector<Pair> pairs;  // every pair, (0,1), (0,2), ..., (1,2), ...
    // The draws and payoff tables, computed once for all the models, per
    // sample (summed over threads): varies between runs.
    double draw_ns_per_sample = 0.0;
  };
  std::vector<std::string> models;
  std::vector<Scenario> scenarios;
  int64_t samples = 0;
  uint64_t seed = 0;
  int threads = 0;
  // False when keeping every sample's outcomes of a scenario's models would
  // pass kPairedMaxBytes: pairs are then left out.
  bool paired = true;
  int64_t paired_bytes = 0;
};

// The most memory (bytes) a comparison may use to keep every sample's
// outcome probabilities of the base and of one variant; beyond it, paired
// differences are left out (and the output says so).
inline constexpr int64_t kPairedMaxBytes = int64_t{512} << 20;

// The bytes pairing needs for `samples` samples of `slots` slots (two runs).
inline int64_t PairedBytes(int64_t samples, int slots) {
  return 2 * samples * slots * static_cast<int64_t>(sizeof(double));
}

}  // namespace parley
