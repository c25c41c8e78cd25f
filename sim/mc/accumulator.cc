#include "sim/mc/accumulator.h"

#include <algorithm>
#include <bit>
#include <cstdint>

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
  // Without branches, as in AddPure: a row gets the probabilities or, where
  // its argument does not hold, +0 (a bit mask, so a NaN probability is not
  // spread), which leaves these sums of non-negative terms as they are, bit
  // for bit.
  for (int g = 0; g < num_arguments; ++g) {
    argument_holds[g] += holds[g];
    const uint64_t keep = uint64_t{0} - uint64_t{holds[g] != 0};
    double* row = &mass_when_holds[static_cast<size_t>(g) * slots];
    for (int o = 0; o < slots; ++o) {
      row[o] += std::bit_cast<double>(std::bit_cast<uint64_t>(slot_probabilities[o]) & keep);
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

void Accumulator::CountActions(std::vector<int32_t> offsets, int64_t profiles) {
  option_offsets = std::move(offsets);
  counted_profiles = profiles;
}

void Accumulator::ReserveActions() {
  if (!option_mass.empty() || option_offsets.empty()) return;
  const size_t slots = static_cast<size_t>(num_option_slots());
  const size_t profiles = static_cast<size_t>(counted_profiles);
  option_mass.assign(slots, 0.0);
  option_mass_squares.assign(slots, 0.0);
  option_counts.assign(profiles == 0 ? slots : 0, 0);
  profile_counts.assign(profiles, 0);
}

void Accumulator::AddOptionMass(const double* slot_probabilities) {
  for (size_t k = 0; k < option_mass.size(); ++k) {
    option_mass[k] += slot_probabilities[k];
    option_mass_squares[k] += slot_probabilities[k] * slot_probabilities[k];
  }
}

void Accumulator::ReserveProfileMass() {
  if (profile_mass.empty()) {  // the first mixed prediction: pure models never pay for these
    profile_mass.assign(static_cast<size_t>(counted_profiles), 0.0);
    profile_mass_squares.assign(static_cast<size_t>(counted_profiles), 0.0);
  }
}

void Accumulator::AddProfileMass(const std::pair<int64_t, double>* profiles, size_t count) {
  ReserveProfileMass();
  for (size_t i = 0; i < count; ++i) {
    profile_mass[profiles[i].first] += profiles[i].second;
    profile_mass_squares[profiles[i].first] += profiles[i].second * profiles[i].second;
  }
}

void Accumulator::AddDenseProfileMass(const double* probabilities, size_t count) {
  ReserveProfileMass();
  double* __restrict mass = profile_mass.data();
  double* __restrict squares = profile_mass_squares.data();
  for (size_t q = 0; q < count; ++q) {
    mass[q] += probabilities[q];
    squares[q] += probabilities[q] * probabilities[q];
  }
}

namespace {

// a += b elementwise, where an empty vector stands for zeros.
template <typename T>
void AddInto(std::vector<T>& a, const std::vector<T>& b) {
  if (b.empty()) return;
  if (a.empty()) {
    a = b;
    return;
  }
  for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
}

}  // namespace

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
  if (option_offsets.empty()) {
    option_offsets = o.option_offsets;
    counted_profiles = o.counted_profiles;
  }
  AddInto(profile_counts, o.profile_counts);
  AddInto(option_counts, o.option_counts);
  AddInto(option_mass, o.option_mass);
  AddInto(option_mass_squares, o.option_mass_squares);
  AddInto(profile_mass, o.profile_mass);
  AddInto(profile_mass_squares, o.profile_mass_squares);
  rounds.Merge(o.rounds);
}

void NegotiationPath::Reset(int rounds_, int slots_, int variables_) {
  rounds = rounds_;
  slots = slots_;
  variables = variables_;
  alive.assign(static_cast<size_t>(rounds), 0.0);
  ended.assign(static_cast<size_t>(rounds) * slots, 0.0);
  state.assign(static_cast<size_t>(rounds) * variables, 0.0);
  markov = false;
  eventual.assign(static_cast<size_t>(slots), 0.0);
  expected_rounds = 0.0;
}

void RoundTotals::Declare(int rounds_, int slots_, int variables_) {
  rounds = rounds_;
  slots = slots_;
  variables = variables_;
}

void RoundTotals::Add(const NegotiationPath& path) {
  if (alive.empty()) {
    alive.assign(static_cast<size_t>(rounds), 0.0);
    ended_by.assign(static_cast<size_t>(rounds) * slots, 0.0);
    ended_by_squares.assign(ended_by.size(), 0.0);
    duration.assign(1, 0.0);
    duration_squares.assign(1, 0.0);
    state_sum.assign(static_cast<size_t>(rounds) * variables, 0.0);
    state_squares.assign(state_sum.size(), 0.0);
    eventual.assign(static_cast<size_t>(slots), 0.0);
    eventual_squares.assign(eventual.size(), 0.0);
    markov_rounds.assign(1, 0.0);
    markov_rounds_squares.assign(1, 0.0);
  }
  // Mean rounds: a negotiation still going at the start of round r lasts
  // at least r + 1 rounds.
  double mean_rounds = 0.0;
  for (int r = 0; r < rounds; ++r) {
    alive[r] += path.alive[r];
    mean_rounds += path.alive[r];
    for (int v = 0; v < variables; ++v) {
      const double x = path.state[static_cast<size_t>(r) * variables + v];
      if (path.alive[r] > 0.0) {
        state_sum[static_cast<size_t>(r) * variables + v] += path.alive[r] * x;
        state_squares[static_cast<size_t>(r) * variables + v] += path.alive[r] * x * x;
      }
    }
  }
  duration[0] += mean_rounds;
  duration_squares[0] += mean_rounds * mean_rounds;
  for (int k = 0; k < slots; ++k) {
    double cumulative = 0.0;
    for (int r = 0; r < rounds; ++r) {
      const size_t i = static_cast<size_t>(r) * slots + k;
      cumulative += path.ended[i];
      ended_by[i] += cumulative;
      ended_by_squares[i] += cumulative * cumulative;
    }
  }
  if (path.markov) {
    ++markov_samples;
    for (int k = 0; k < slots; ++k) {
      eventual[k] += path.eventual[k];
      eventual_squares[k] += path.eventual[k] * path.eventual[k];
    }
    if (std::isfinite(path.expected_rounds)) {
      markov_rounds[0] += path.expected_rounds;
      markov_rounds_squares[0] += path.expected_rounds * path.expected_rounds;
    } else {
      ++never_ending;
    }
  }
}

void RoundTotals::Merge(const RoundTotals& o) {
  if (rounds == 0) Declare(o.rounds, o.slots, o.variables);
  AddInto(alive, o.alive);
  AddInto(ended_by, o.ended_by);
  AddInto(ended_by_squares, o.ended_by_squares);
  AddInto(duration, o.duration);
  AddInto(duration_squares, o.duration_squares);
  AddInto(state_sum, o.state_sum);
  AddInto(state_squares, o.state_squares);
  markov_samples += o.markov_samples;
  never_ending += o.never_ending;
  AddInto(eventual, o.eventual);
  AddInto(eventual_squares, o.eventual_squares);
  AddInto(markov_rounds, o.markov_rounds);
  AddInto(markov_rounds_squares, o.markov_rounds_squares);
}

}  // namespace parley

namespace parley {
namespace {

void SaveRoundTotals(const RoundTotals& r, ByteWriter& out) {
  out.Put(r.rounds);
  out.Put(r.slots);
  out.Put(r.variables);
  for (const std::vector<double>* v :
       {&r.alive, &r.ended_by, &r.ended_by_squares, &r.duration, &r.duration_squares, &r.state_sum,
        &r.state_squares, &r.eventual, &r.eventual_squares, &r.markov_rounds,
        &r.markov_rounds_squares}) {
    out.PutVector(*v);
  }
  out.Put(r.markov_samples);
  out.Put(r.never_ending);
}

bool LoadRoundTotals(ByteReader& in, RoundTotals& r) {
  in.Get(r.rounds);
  in.Get(r.slots);
  in.Get(r.variables);
  for (std::vector<double>* v : {&r.alive, &r.ended_by, &r.ended_by_squares, &r.duration,
                                 &r.duration_squares, &r.state_sum, &r.state_squares, &r.eventual,
                                 &r.eventual_squares, &r.markov_rounds, &r.markov_rounds_squares}) {
    in.GetVector(*v);
  }
  in.Get(r.markov_samples);
  return in.Get(r.never_ending);
}

}  // namespace

void Accumulator::Save(ByteWriter& out) const {
  out.Put(num_outcomes);
  out.Put(num_arguments);
  out.Put(samples);
  out.PutVector(outcome_mass);
  out.PutVector(outcome_mass_squares);
  out.Put(equilibrium_counts);
  out.PutVector(payoffs);
  out.PutVector(argument_holds);
  out.PutVector(mass_when_holds);
  out.Put(not_converged);
  out.Put(static_cast<int64_t>(paths.size()));
  for (const auto& [path, count] : paths) {
    out.PutVector(path);
    out.Put(count);
  }
  out.PutVector(threat_credible);
  out.PutVector(threat_carried_out);
  out.PutVector(option_offsets);
  out.Put(counted_profiles);
  out.PutVector(profile_counts);
  out.PutVector(option_counts);
  out.PutVector(option_mass);
  out.PutVector(option_mass_squares);
  out.PutVector(profile_mass);
  out.PutVector(profile_mass_squares);
  SaveRoundTotals(rounds, out);
}

bool Accumulator::Load(ByteReader& in) {
  in.Get(num_outcomes);
  in.Get(num_arguments);
  in.Get(samples);
  in.GetVector(outcome_mass);
  in.GetVector(outcome_mass_squares);
  in.Get(equilibrium_counts);
  in.GetVector(payoffs);
  in.GetVector(argument_holds);
  in.GetVector(mass_when_holds);
  in.Get(not_converged);
  int64_t path_count = 0;
  in.Get(path_count);
  paths.clear();
  for (int64_t i = 0; i < path_count && in.ok(); ++i) {
    std::vector<int32_t> path;
    int64_t count = 0;
    in.GetVector(path);
    in.Get(count);
    paths.emplace(std::move(path), count);
  }
  in.GetVector(threat_credible);
  in.GetVector(threat_carried_out);
  in.GetVector(option_offsets);
  in.Get(counted_profiles);
  in.GetVector(profile_counts);
  in.GetVector(option_counts);
  in.GetVector(option_mass);
  in.GetVector(option_mass_squares);
  in.GetVector(profile_mass);
  in.GetVector(profile_mass_squares);
  return LoadRoundTotals(in, rounds) && in.ok();
}

}  // namespace parley
