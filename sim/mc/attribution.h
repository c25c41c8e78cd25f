// Shapley attribution of outcome probabilities to a scenario's arguments
// (`parley run --attribution shapley`).
//
// The cooperative game: v(S) = P(outcome | exactly the arguments in S hold),
// for every outcome slot (the outcomes, then "unresolved"). Every coalition
// is evaluated on the same samples (common random numbers): each sample is
// drawn once with every argument on, and a coalition's payoff table is that
// draw with the draws of the arguments outside it set to 0 (payoffs are
// linear in the draws), which is exactly the table a run with those
// arguments forced off would compute. So v(S) equals a `--with`/`--without`
// run of the same samples.
//
// With k arguments, k <= exact_max_arguments: all 2^k coalitions, and the
// Shapley values are exact for the estimated v. Otherwise each sample draws
// its own random permutations (from the sample's kAttribution stream) and
// takes the marginal contributions along them, an unbiased estimate. Either
// way a sample gives its own Shapley vector, whose sum is v_s(all) -
// v_s(none). Exact mode reports the subset formula on the estimated v, which
// is the mean of those vectors; sampled mode reports their mean. Both add up
// to v(all) - v(none). The intervals come from the vectors' spread across
// samples, which covers the Monte Carlo error and, in sampled mode, the
// permutation sampling error too.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/model/model.h"
#include "sim/core/status.h"
#include "sim/mc/summary.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

struct AttributionOptions {
  int64_t samples = 10000;
  uint64_t seed = 1;
  int threads = 0;  // 0: all cores; results do not depend on it
  int exact_max_arguments = 12;     // above: sampled permutations
  int permutations_per_sample = 1;  // sampled mode
  // Samples done and planned, between batches (progress displays only).
  std::function<void(int64_t done, int64_t planned)> progress;
};

struct AttributionResult {
  bool exact = true;
  int64_t samples = 0;
  // The players: the arguments not forced by `modes` (indices into the
  // scenario's arguments). Forced arguments keep their forced state in every
  // coalition.
  std::vector<int> players;
  int64_t coalitions = 0;                   // exact: 2^k; sampled: coalitions evaluated per sample
  int64_t permutations = 0;                 // sampled: in all (samples * permutations_per_sample)
  std::vector<double> all_hold, none_hold;  // v(all), v(none), per slot
  // [player][slot]
  std::vector<std::vector<double>> shapley;
  std::vector<std::vector<Interval>> ci95;  // normal approximation across samples
  // Exact mode: v(S) per coalition mask (bit j = players[j] holds), per slot.
  std::vector<std::vector<double>> coalition_values;
  double seconds = 0.0;
};

// `modes`: per argument (empty: all drawn); see AttributionResult::players.
StatusOr<AttributionResult> ShapleyAttribution(const ScenarioSpec& spec,
                                               const std::vector<ArgumentMode>& modes,
                                               const Model& model,
                                               const AttributionOptions& options);

// The Shapley values of the k-player game `v` (2^k entries indexed by
// coalition mask), by the subset formula. Scenario-independent.
std::vector<double> ShapleyValues(int k, const std::vector<double>& v);

}  // namespace parley
