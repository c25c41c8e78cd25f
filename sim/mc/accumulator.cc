#include "sim/mc/accumulator.h"

namespace parley {

void RunningStats::Merge(const RunningStats& o) {
  if (o.n == 0) return;
  if (n == 0) {
    *this = o;
    return;
  }
  const double total = static_cast<double>(n + o.n);
  const double d = o.mean - mean;
  mean += d * static_cast<double>(o.n) / total;
  m2 += o.m2 + d * d * static_cast<double>(n) * static_cast<double>(o.n) / total;
  n += o.n;
}

Accumulator::Accumulator(int outcomes, int players, int arguments)
    : num_outcomes(outcomes),
      num_arguments(arguments),
      outcome_counts(outcomes + 1, 0),
      payoffs(players),
      argument_holds(arguments, 0),
      outcome_counts_when_holds(static_cast<size_t>(arguments) * (outcomes + 1), 0) {}

void Accumulator::Add(int outcome, int num_equilibria, const double* payoffs_or_null,
                      const uint8_t* holds) {
  ++samples;
  const int slot = outcome < 0 ? num_outcomes : outcome;
  ++outcome_counts[slot];
  ++equilibrium_counts[num_equilibria == 0 ? kNone : num_equilibria == 1 ? kUnique : kMultiple];
  if (payoffs_or_null != nullptr) {
    for (size_t p = 0; p < payoffs.size(); ++p) payoffs[p].Add(payoffs_or_null[p]);
  }
  for (int g = 0; g < num_arguments; ++g) {
    if (holds[g]) {
      ++argument_holds[g];
      ++outcome_counts_when_holds[static_cast<size_t>(g) * (num_outcomes + 1) + slot];
    }
  }
}

void Accumulator::Merge(const Accumulator& o) {
  samples += o.samples;
  for (size_t i = 0; i < outcome_counts.size(); ++i) outcome_counts[i] += o.outcome_counts[i];
  for (size_t i = 0; i < 3; ++i) equilibrium_counts[i] += o.equilibrium_counts[i];
  for (size_t i = 0; i < payoffs.size(); ++i) payoffs[i].Merge(o.payoffs[i]);
  for (size_t i = 0; i < argument_holds.size(); ++i) argument_holds[i] += o.argument_holds[i];
  for (size_t i = 0; i < outcome_counts_when_holds.size(); ++i) {
    outcome_counts_when_holds[i] += o.outcome_counts_when_holds[i];
  }
}

}  // namespace parley
