// nash-pure on random games against a bare C++ loop doing the same work
// (issue 12: Parley must reach at least 1x the bare loop's samples/s).
//
// The game: bench/data/random-4x3-normal.yaml, 4 players x 3 options, each
// of the 4 x 81 = 324 payoffs an independent normal(0, 1) draw per sample.
//
// What both sides do per sample (the "same work"):
//   - 324 standard normals from the sample's Philox4x32-10 stream (Random123,
//     keyed by the seed, countered by block, stream 0 and the sample index,
//     as sim/core/rng.h), by Marsaglia's polar method keeping the spare
//     value, in the scenario's draw order, into a payoff table;
//   - every pure Nash equilibrium (each player's payoff within the tie
//     tolerance of its best on its line, pure_nash.h);
//   - one equilibrium picked uniformly with the sample's model stream
//     (stream 1) when there are several, as the `uniform` selection rule;
//   - the tallies: the picked profile's outcome (or unresolved), the
//     none/unique/multiple equilibrium count, and each player's payoff mean
//     and variance (Welford).
// Parley does that through its general machinery (the scenario's draw steps,
// the payoff program, the side-by-side search, blocks of 256 samples joined
// in order); what it does beyond (finite checks, the per-argument counts,
// which this game has none of, and joining blocks) is counted against it.
// Intervals and the JSON are computed once per run, after the samples, and
// are not timed on either side. The bare loop uses Random123's own Philox
// (scalar), a flat table and an early-exit search, compiled with the same
// flags; a check before the timings makes sure both give the same tallies.
//
// BM_RandomGame/parley and BM_RandomGame/bare: samples/s on one thread.
// Run them alternately (--benchmark_repetitions with
// --benchmark_enable_random_interleaving) and compare CPU time.
#include <Random123/philox.h>
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_scenarios.h"
#include "sim/mc/runner.h"
#include "sim/model/model.h"
#include "sim/scenario/game_model.h"
#include "sim/solve/pure_nash.h"

namespace parley {
namespace {

constexpr int kPlayers = 4;
constexpr int kOptions = 3;
constexpr int kProfiles = 81;
constexpr uint64_t kSeed = 20250515;
constexpr int64_t kSamples = 100000;

const GameModel& RandomGame() {
  return LoadBenchScenario("bench/data/random-4x3-normal.yaml").game;
}

// ---- The bare loop ----------------------------------------------------------

// One sample's stream: unit i is words 2(i mod 2), 2(i mod 2)+1 of the
// Philox block with counter {i / 2, stream, sample low, sample high}.
class BareStream {
 public:
  BareStream(uint64_t seed, uint64_t sample, uint32_t stream)
      : key_{{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}},
        ctr_{{0, stream, static_cast<uint32_t>(sample), static_cast<uint32_t>(sample >> 32)}} {}
  double Uniform() {
    if ((unit_ & 1) == 0) {
      ctr_.v[0] = static_cast<uint32_t>(unit_ >> 1);
      block_ = philox_(ctr_, key_);
    }
    const uint32_t* w = block_.v + (unit_ & 1) * 2;
    ++unit_;
    return static_cast<double>(((uint64_t{w[0]} << 32) | w[1]) >> 11) * 0x1.0p-53;
  }
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * Uniform() - 1.0;
      v = 2.0 * Uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double scale = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * scale;
    has_spare_ = true;
    return u * scale;
  }

 private:
  r123::Philox4x32 philox_;
  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type ctr_;
  r123::Philox4x32::ctr_type block_;
  uint64_t unit_ = 0;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

struct BareTally {
  std::array<int64_t, kProfiles + 1> outcomes{};  // the last: unresolved
  std::array<int64_t, 3> equilibria{};            // none, unique, multiple
  std::array<RunningStats, kPlayers> payoffs{};
};

void BareRun(int64_t samples, BareTally& t) {
  constexpr int kStride[kPlayers] = {1, 3, 9, 27};
  constexpr double kMean = 0.0, kSd = 1.0;
  double pay[kProfiles * kPlayers];  // pay[q * 4 + p]
  int eq[kProfiles];
  for (int64_t i = 0; i < samples; ++i) {
    BareStream rng(kSeed, static_cast<uint64_t>(i), 0);
    for (double& x : pay) x = kMean + kSd * rng.Normal();
    int n = 0;
    for (int q = 0; q < kProfiles; ++q) {
      bool nash = true;
      for (int p = 0; p < kPlayers && nash; ++p) {
        const int base = q - (q / kStride[p]) % kOptions * kStride[p];
        double best = pay[base * kPlayers + p];
        for (int s = 1; s < kOptions; ++s) {
          best = std::max(best, pay[(base + s * kStride[p]) * kPlayers + p]);
        }
        nash = pay[q * kPlayers + p] >= best - kPayoffTolerance * (1.0 + std::abs(best));
      }
      if (nash) eq[n++] = q;
    }
    ++t.equilibria[n == 0 ? 0 : n == 1 ? 1 : 2];
    if (n == 0) {
      ++t.outcomes[kProfiles];
      continue;
    }
    int pick = eq[0];
    if (n > 1) {
      BareStream model(kSeed, static_cast<uint64_t>(i), 1);
      const int k = static_cast<int>(model.Uniform() * n);
      pick = eq[k < n ? k : n - 1];
    }
    ++t.outcomes[pick];
    for (int p = 0; p < kPlayers; ++p) t.payoffs[p].Add(pay[pick * kPlayers + p]);
  }
}

RunResult ParleyRun(int64_t samples) {
  static const auto model = *MakeModel("nash-pure");
  RunOptions options;
  options.samples = samples;
  options.threads = 1;
  options.seed = kSeed;
  auto result = RunMonteCarlo(RandomGame(), *model, options);
  if (!result.ok()) std::abort();
  return std::move(*result);
}

// Both sides must count the same: same draws, same equilibria, same picks.
bool SameTallies(std::string* why) {
  constexpr int64_t kCheck = 20000;
  BareTally bare;
  BareRun(kCheck, bare);
  const Accumulator totals = ParleyRun(kCheck).totals;
  for (int o = 0; o <= kProfiles; ++o) {
    if (totals.count(o) != bare.outcomes[o]) {
      *why = "outcome " + std::to_string(o) + ": parley " + std::to_string(totals.count(o)) +
             ", bare " + std::to_string(bare.outcomes[o]);
      return false;
    }
  }
  for (int k = 0; k < 3; ++k) {
    if (totals.equilibrium_counts[k] != bare.equilibria[k]) {
      *why = "equilibrium counts differ";
      return false;
    }
  }
  for (int p = 0; p < kPlayers; ++p) {
    // Blocks joined by Chan's formula vs one running mean: equal up to rounding.
    if (std::abs(totals.payoffs[p].mean - bare.payoffs[p].mean) > 1e-12) {
      *why = "payoff means differ";
      return false;
    }
  }
  return true;
}

void CheckOnce(benchmark::State& state) {
  static std::string why;
  static const bool same = SameTallies(&why);
  if (!same) state.SkipWithError(("parley and the bare loop disagree: " + why).c_str());
}

void BM_RandomGame_Parley(benchmark::State& state) {
  CheckOnce(state);
  int64_t total = 0;
  for (auto _ : state) {
    auto result = ParleyRun(kSamples);
    benchmark::DoNotOptimize(result);
    total += kSamples;
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RandomGame_Parley)->Name("BM_RandomGame/parley")->Unit(benchmark::kMillisecond);

void BM_RandomGame_Bare(benchmark::State& state) {
  CheckOnce(state);
  int64_t total = 0;
  for (auto _ : state) {
    BareTally tally;
    BareRun(kSamples, tally);
    benchmark::DoNotOptimize(tally);
    total += kSamples;
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RandomGame_Bare)->Name("BM_RandomGame/bare")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley
