// Accumulator: what a Monte Carlo run counts, per block of samples, and how
// two blocks' counts are joined. A sample contributes a probability to each
// outcome slot: 1 to one slot for a pure prediction (so the sums are exact
// whole numbers), the induced distribution for a mixed one. Sums and payoff
// moments (Welford/Chan) are joined in a fixed order by the runner, so the
// result is bit-identical on any number of threads.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
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
  std::vector<double> outcome_mass;             // per slot: sum of P(slot)
  std::vector<double> outcome_mass_squares;     // per slot: sum of P(slot)^2
  std::array<int64_t, 3> equilibrium_counts{};  // none, unique, multiple
  std::vector<RunningStats> payoffs;            // per player, resolved samples
  std::vector<int64_t> argument_holds;          // per argument
  std::vector<double> mass_when_holds;          // [argument][slot]
  // Samples whose prediction did not converge (Prediction::converged false;
  // iterative models only). They are counted in their outcomes as well.
  int64_t not_converged = 0;

  // Sequential games. An equilibrium path is every node that equilibrium
  // play (and chance) reaches with the move made there, as sorted (node,
  // move) pairs flattened: move -1 at chance nodes, -2 at terminals.
  std::map<std::vector<int32_t>, int64_t> paths;
  std::vector<int64_t> threat_credible;     // per declared threat
  std::vector<int64_t> threat_carried_out;  // the equilibrium plays it wherever it applies

  // The number of samples in `slot` when every prediction was pure.
  int64_t count(int slot) const { return std::llround(outcome_mass[slot]); }

  // Records one sample: the probability of each outcome slot (num_outcomes +
  // 1 entries, the last "unresolved"), the number of equilibria, the
  // predicted payoffs (null when unresolved) and the arguments' state.
  void Add(const double* slot_probabilities, int num_equilibria, const double* payoffs_or_null,
           const uint8_t* holds);
  // The same for a pure prediction that puts the whole sample in `slot`.
  void AddPure(int slot, int num_equilibria, const double* payoffs_or_null, const uint8_t* holds);
  void AddPath(const std::vector<int32_t>& key) { ++paths[key]; }
  void Merge(const Accumulator& other);

 private:
  void AddCommon(int num_equilibria, const double* payoffs_or_null);
};

}  // namespace parley
