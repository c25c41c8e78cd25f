// Accumulator: what a Monte Carlo run counts, per block of samples, and how
// two blocks' counts are joined. A sample contributes a probability to each
// outcome slot: 1 to one slot for a pure prediction (so the sums are exact
// whole numbers), the induced distribution for a mixed one. Sums and payoff
// moments (Welford/Chan) are joined in a fixed order by the runner, so the
// result is bit-identical on any number of threads.
//
// What each actor does is counted per option slot: a normal-form game's
// slots are every player's strategies (player p's at option_offsets[p]...),
// a sequential game's every stage's options (stage s's at option_offsets[s]).
// Pure normal-form predictions count their profile only (profile_counts),
// and the options are read off the profiles at the end, which keeps the
// per-sample cost at one increment; where the game has more than
// kMaxCountedProfiles profiles, they count each player's option instead
// (option_counts) and profiles go uncounted.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "sim/core/bytes.h"

namespace parley {

// The most profiles a run counts one by one (dense counts: 8 bytes each per
// partial result, 24 with mixed predictions).
inline constexpr int64_t kMaxCountedProfiles = int64_t{1} << 16;

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
  bool operator==(const RunningStats&) const = default;
};

// A multi-round negotiation's course, per sample (sim/mc/runner.cc plays
// it), with round r counted from 0: the mass negotiating at the start of
// each round, the mass that ended in each slot at each round, and each state
// variable's value at the start of each round. The last round's continuing
// outcomes are not "ended": the negotiation reached the round limit there.
struct NegotiationPath {
  int rounds = 0, slots = 0, variables = 0;
  std::vector<double> alive;  // [r]
  std::vector<double> ended;  // [r * slots + slot]
  std::vector<double> state;  // [r * variables + v], where alive[r] > 0
  // The absorbing Markov chain of a negotiation whose rounds all play the
  // same game (no state, myopic actors): without a round limit, the
  // probability of ending in each slot and the expected number of rounds
  // (infinite when it may never end). `markov` false: not such a
  // negotiation.
  bool markov = false;
  std::vector<double> eventual;  // [slot]
  double expected_rounds = 0.0;

  void Reset(int rounds_, int slots_, int variables_);
};

// What a run of multi-round negotiations adds up (empty vectors: a
// one-round scenario). Sums over samples, joined in the runner's fixed
// order.
struct RoundTotals {
  int rounds = 0, slots = 0, variables = 0;
  std::vector<double> alive;                       // [r]: sum of the mass negotiating
  std::vector<double> ended_by, ended_by_squares;  // [r * slots + slot]: cumulative incidence
  std::vector<double> duration, duration_squares;  // [0]: sum of each sample's mean rounds
  std::vector<double> state_sum, state_squares;    // [r * variables + v], weighted by alive mass
  int64_t markov_samples = 0;                      // negotiations with a Markov chain
  int64_t never_ending = 0;                        // of them, those that may never end
  std::vector<double> eventual, eventual_squares;  // [slot], over markov_samples
  std::vector<double> markov_rounds, markov_rounds_squares;  // [0], over the ones that end

  void Declare(int rounds_, int slots_, int variables_);
  void Add(const NegotiationPath& path);
  void Merge(const RoundTotals& other);
  bool operator==(const RoundTotals&) const = default;
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

  // What each actor does (see the top of the file). The vectors are empty
  // until ReserveActions (profile_mass*: until the first mixed
  // prediction), so that the reduction's identity copies cost nothing and
  // pure models hold 8 bytes per profile; Merge takes an empty side as
  // zeros.
  std::vector<int32_t> option_offsets;  // per player or stage, then the slot count
  int64_t counted_profiles = 0;         // profile_* entries; 0: profiles not counted
  std::vector<int64_t> profile_counts;  // pure predictions, per profile
  std::vector<int64_t> option_counts;   // pure predictions when profiles are not counted
  // Mixed predictions and sequential games: per slot the sum of each
  // sample's probability of playing the option (sequential: of reaching the
  // stage and choosing it there) and of its square; per profile the same.
  std::vector<double> option_mass, option_mass_squares;
  std::vector<double> profile_mass, profile_mass_squares;
  // Multi-round scenarios: the negotiations' course (the outcome slots
  // above then count how each negotiation ended, by the round limit).
  RoundTotals rounds;

  // Declares the option slots (option_offsets: one entry per player or
  // stage, then the total) and whether profiles are counted (`profiles`
  // entries, or 0).
  void CountActions(std::vector<int32_t> offsets, int64_t profiles);
  // Allocates the action counts declared by CountActions, once.
  void ReserveActions();
  int num_option_slots() const { return option_offsets.empty() ? 0 : option_offsets.back(); }

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
  // A pure prediction's profile (counted, or `strategies` its options when
  // profiles are not counted). After ReserveActions.
  void AddPureProfile(int64_t profile) { ++profile_counts[profile]; }
  void AddPureOptions(const int* strategies) {
    for (size_t p = 0; p + 1 < option_offsets.size(); ++p) {
      ++option_counts[option_offsets[p] + strategies[p]];
    }
  }
  // One sample's probability of each option slot (num_option_slots entries)
  // and, when profiles are counted, of each profile with a positive one
  // (`count` (profile, probability) pairs).
  void AddOptionMass(const double* slot_probabilities);
  void AddProfileMass(const std::pair<int64_t, double>* profiles, size_t count);
  // The same from every profile's probability, in profile order (`count`
  // is the number of profiles); zeros add nothing, bit for bit.
  void AddDenseProfileMass(const double* probabilities, size_t count);
  void Merge(const Accumulator& other);

  // Every field, bit for bit, for the ranks of a distributed run
  // (sim/core/bytes.h); Load returns false on bytes Save did not write.
  void Save(ByteWriter& out) const;
  bool Load(ByteReader& in);
  bool operator==(const Accumulator&) const = default;

 private:
  void ReserveProfileMass();
  void AddCommon(int num_equilibria, const double* payoffs_or_null);
};

}  // namespace parley
