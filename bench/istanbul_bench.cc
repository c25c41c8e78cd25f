// Monte Carlo throughput and memory on the Istanbul scenario.
//
// BM_Run/<model>/<samples>/<threads>: one full run (draws, payoff tables,
// model, accumulation). Counters: samples_per_s (whole run) and
// samples_per_s_per_core (divided by threads), peak_rss_mib (the process's
// peak resident memory so far; runs go from small to large sample counts, so
// a flat peak shows memory does not grow with the sample count).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdlib>
#include <map>
#include <string>

#include "bench/bench_scenarios.h"
#include "sim/core/bytes.h"
#include "sim/mc/runner.h"
#include "sim/model/model.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// A scenario under scenarios/, compiled once per process.
const GameModel& Compiled(const std::string& name) {
  return LoadBenchScenario("scenarios/" + name).game;
}

const GameModel& Istanbul() { return Compiled("istanbul-2025.yaml"); }

void BM_Run(benchmark::State& state, const char* scenario, const char* model_name) {
  const GameModel& game = Compiled(scenario);
  const auto model = *MakeModel(model_name);
  RunOptions options;
  options.samples = state.range(0);
  options.threads = static_cast<int>(state.range(1));
  options.seed = 20250515;
  int64_t total = 0;
  for (auto _ : state) {
    auto result = RunMonteCarlo(game, *model, options);
    benchmark::DoNotOptimize(result);
    total += options.samples;
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.counters["samples_per_s_per_core"] =
      benchmark::Counter(static_cast<double>(total) / static_cast<double>(options.threads),
                         benchmark::Counter::kIsRate);
  state.counters["peak_rss_mib"] = PeakRssMiB();
}

void RunArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"samples", "threads"});
  for (int64_t samples : {100000, 1000000, 4000000}) b->Args({samples, 1});
  b->Args({1000000, 2});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK_CAPTURE(BM_Run, nash_pure, "istanbul-2025.yaml", "nash-pure")->Apply(RunArgs);
// The sequential Istanbul scenario under backward induction (issue 4's target:
// 500,000 samples/s per core).
BENCHMARK_CAPTURE(BM_Run, spe_sequential, "istanbul-2025-sequential.yaml", "spe")->Apply(RunArgs);

// The behavioural and learning models at their defaults (issue 14's targets:
// level-k and cognitive-hierarchy 500,000 samples/s per core,
// fictitious-play and replicator 5,000).
void ModelArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"samples", "threads"});
  b->Args({100000, 1});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
BENCHMARK_CAPTURE(BM_Run, level_k, "istanbul-2025.yaml", "level-k")->Apply(ModelArgs);
BENCHMARK_CAPTURE(BM_Run, cognitive_hierarchy, "istanbul-2025.yaml", "cognitive-hierarchy")
    ->Apply(ModelArgs);
BENCHMARK_CAPTURE(BM_Run, fictitious_play, "istanbul-2025.yaml", "fictitious-play")
    ->Apply(ModelArgs);
BENCHMARK_CAPTURE(BM_Run, replicator, "istanbul-2025.yaml", "replicator")->Apply(ModelArgs);
BENCHMARK_CAPTURE(BM_Run, maximin, "istanbul-2025.yaml", "maximin")->Apply(ModelArgs);

// Multi-round negotiations (issue 15's targets): the Istanbul rounds
// scenario (two state variables) with its round limit set to `rounds`,
// myopic or forward-looking, against the one-round scenario's cost.
// BM_Rounds/<foresight>/rounds:R/samples:N: 10 myopic rounds at most 10x
// one round per sample; forward-looking at most 2x myopic plus the stage
// solves; peak_rss_mib flat from 100,000 to 1,000,000 samples.
void BM_Rounds(benchmark::State& state, Foresight foresight) {
  static std::map<std::pair<int, int>, const GameModel*> cache;
  const int rounds = static_cast<int>(state.range(0));
  auto& slot = cache[{rounds, static_cast<int>(foresight)}];
  if (slot == nullptr) {
    auto spec =
        LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/scenarios/istanbul-2025-rounds.yaml");
    if (!spec.ok()) std::abort();
    spec->rounds->max_rounds = rounds;
    spec->rounds->foresight = foresight;
    auto game = GameModel::Compile(*spec);
    if (!game.ok()) std::abort();
    slot = new GameModel(std::move(*game));
  }
  const auto model = *MakeModel("nash-pure");
  RunOptions options;
  options.samples = state.range(1);
  options.threads = 1;
  options.seed = 20250515;
  int64_t total = 0;
  for (auto _ : state) {
    auto result = RunMonteCarlo(*slot, *model, options);
    benchmark::DoNotOptimize(result);
    total += options.samples;
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.counters["peak_rss_mib"] = PeakRssMiB();
}
void RoundsArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"rounds", "samples"});
  for (int64_t rounds : {1, 3, 10}) b->Args({rounds, 100000});
  b->Args({10, 1000000});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
BENCHMARK_CAPTURE(BM_Rounds, myopic, Foresight::kMyopic)->Apply(RoundsArgs);
BENCHMARK_CAPTURE(BM_Rounds, forward_looking, Foresight::kForwardLooking)->Apply(RoundsArgs);

// Per-stage costs for one block, to guide optimisation.
void BM_DrawSample(benchmark::State& state) {
  const GameModel& game = Istanbul();
  std::vector<double> theta(game.num_draws());
  std::vector<uint8_t> holds(game.num_arguments() + 1);
  uint64_t i = 0;
  for (auto _ : state) {
    SampleRng rng(1, i++);
    game.DrawSample(rng, theta.data(), 1, holds.data());
    benchmark::DoNotOptimize(theta.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DrawSample);

// What a distributed run adds per batch (sim/core/ranks.h): encoding one
// batch's totals on its rank, decoding them on every rank and folding them
// into the run's totals. Counters: bytes per batch and the batch's samples,
// to set against a batch's sampling time (BM_Run).
void BM_ExchangeBatch(benchmark::State& state, const char* scenario, const char* model_name) {
  const GameModel& game = Compiled(scenario);
  const auto model = *MakeModel(model_name);
  RunOptions options;
  options.samples = BatchSizeFor(game);
  options.threads = 1;
  const Accumulator batch = RunMonteCarlo(game, *model, options)->totals;
  Accumulator total = batch;
  size_t bytes = 0;
  for (auto _ : state) {
    ByteWriter out;
    batch.Save(out);
    bytes = out.bytes().size();
    ByteReader in(out.bytes());
    Accumulator received;
    received.Load(in);
    total.Merge(received);
    benchmark::DoNotOptimize(total.samples);
  }
  state.counters["bytes_per_batch"] = static_cast<double>(bytes);
  state.counters["samples_per_batch"] = static_cast<double>(options.samples);
}
BENCHMARK_CAPTURE(BM_ExchangeBatch, nash_pure, "istanbul-2025.yaml", "nash-pure")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ExchangeBatch, rounds_nash_pure, "istanbul-2025-rounds.yaml", "nash-pure")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace parley

BENCHMARK_MAIN();
