// Accumulator: what a Monte Carlo run counts, per block of samples, and how
// two blocks' counts are joined. Counts are integers; payoff moments use
// Welford/Chan updates, joined in a fixed order by the runner so the result
// is bit-identical on any number of threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace parley {

struct RunningStats {
  int64_t n = 0;
  double mean = 0.0;
  double m2 = 0.0;  // sum of squared deviations from the mean

  void Add(double x) {
    ++n;
    const double d = x - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (x - mean);
  }
  void Merge(const RunningStats& o);
  double Variance() const { return n > 1 ? m2 / static_cast<double>(n - 1) : 0.0; }
};

struct Accumulator {
  enum EquilibriumCount { kNone = 0, kUnique = 1, kMultiple = 2 };

  Accumulator() = default;
  Accumulator(int outcomes, int players, int arguments);

  int num_outcomes = 0;  // outcome slots; index num_outcomes is "unresolved"
  int num_arguments = 0;
  int64_t samples = 0;
  std::vector<int64_t> outcome_counts;          // num_outcomes + 1
  std::array<int64_t, 3> equilibrium_counts{};  // none, unique, multiple
  std::vector<RunningStats> payoffs;            // per player, resolved samples
  std::vector<int64_t> argument_holds;          // per argument
  std::vector<int64_t> outcome_counts_when_holds;  // [argument][outcome slot]

  // Records one sample: its outcome (-1 = unresolved), the number of
  // equilibria, the predicted payoffs (when resolved) and the arguments' state.
  void Add(int outcome, int num_equilibria, const double* payoffs_or_null, const uint8_t* holds);
  void Merge(const Accumulator& other);
};

}  // namespace parley
