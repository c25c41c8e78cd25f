#include "sim/mc/accumulator.h"

#include <algorithm>

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
      outcome_mass(outcomes + 1, 0.0),
      outcome_mass_squares(outcomes + 1, 0.0),
      payoffs(players),
      argument_holds(arguments, 0),
      mass_when_holds(static_cast<size_t>(arguments) * (outcomes + 1), 0.0) {}

void Accumulator::AddCommon(int num_equilibria, const double* payoffs_or_null) {
  ++samples;
  ++equilibrium_counts[num_equilibria == 0 ? kNone : num_equilibria == 1 ? kUnique : kMultiple];
  if (payoffs_or_null != nullptr) {
    for (size_t p = 0; p < payoffs.size(); ++p) payoffs[p].Add(payoffs_or_null[p]);
  }
}

void Accumulator::Add(const double* slot_probabilities, int num_equilibria,
                      const double* payoffs_or_null, const uint8_t* holds) {
  AddCommon(num_equilibria, payoffs_or_null);
  const int slots = num_outcomes + 1;
  for (int o = 0; o < slots; ++o) {
    outcome_mass[o] += slot_probabilities[o];
    outcome_mass_squares[o] += slot_probabilities[o] * slot_probabilities[o];
  }
  for (int g = 0; g < num_arguments; ++g) {
    if (holds[g]) {
      ++argument_holds[g];
      double* row = &mass_when_holds[static_cast<size_t>(g) * slots];
      for (int o = 0; o < slots; ++o) row[o] += slot_probabilities[o];
    }
  }
}

void Accumulator::AddPure(int slot, int num_equilibria, const double* payoffs_or_null,
                          const uint8_t* holds) {
  AddCommon(num_equilibria, payoffs_or_null);
  outcome_mass[slot] += 1.0;
  outcome_mass_squares[slot] += 1.0;
  // Without branches (whether an argument holds is a coin toss the branch
  // predictor keeps missing): holds[g] is 0 or 1, and adding 0.0 to these
  // non-negative sums leaves them as they are, bit for bit.
  for (int g = 0; g < num_arguments; ++g) {
    argument_holds[g] += holds[g];
    mass_when_holds[static_cast<size_t>(g) * (num_outcomes + 1) + slot] +=
        static_cast<double>(holds[g]);
  }
}

void Accumulator::Merge(const Accumulator& o) {
  samples += o.samples;
  for (size_t i = 0; i < outcome_mass.size(); ++i) {
    outcome_mass[i] += o.outcome_mass[i];
    outcome_mass_squares[i] += o.outcome_mass_squares[i];
  }
  for (size_t i = 0; i < 3; ++i) equilibrium_counts[i] += o.equilibrium_counts[i];
  not_converged += o.not_converged;
  for (size_t i = 0; i < payoffs.size(); ++i) payoffs[i].Merge(o.payoffs[i]);
  for (size_t i = 0; i < argument_holds.size(); ++i) argument_holds[i] += o.argument_holds[i];
  for (size_t i = 0; i < mass_when_holds.size(); ++i) mass_when_holds[i] += o.mass_when_holds[i];
  for (const auto& [path, n] : o.paths) paths[path] += n;
  threat_credible.resize(std::max(threat_credible.size(), o.threat_credible.size()), 0);
  threat_carried_out.resize(threat_credible.size(), 0);
  for (size_t i = 0; i < o.threat_credible.size(); ++i) {
    threat_credible[i] += o.threat_credible[i];
    threat_carried_out[i] += o.threat_carried_out[i];
  }
}

}  // namespace parley
