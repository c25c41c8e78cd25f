// Sensitivity analysis and the Sobol sampler on the Istanbul scenario.
//
// BM_Sensitivity/<method>/samples:N/threads:T: a whole `parley sensitivity`
// computation (design, N (k + 2) or r (k + 1) scenario evaluations through
// the nash-pure model, estimators and, for Sobol, 1000 bootstrap
// resamples, or none with bootstrap:0). Counter: evaluations_per_s. BM_RunSampler/<sampler>: a
// 1,000,000-sample run on one thread with Philox draws or Sobol points, to
// show what the quasi-random sampler costs.
#include <benchmark/benchmark.h>

#include <functional>
#include <string>

#include "bench/bench_scenarios.h"
#include "sim/mc/runner.h"
#include "sim/mc/scenario_sensitivity.h"
#include "sim/mc/sensitivity.h"
#include "sim/model/model.h"
#include "sim/scenario/game_model.h"

namespace parley {
namespace {

// The Istanbul scenario with its spec (the sensitivity functions need both).
const BenchScenario& IstanbulWithSpec() {
  return LoadBenchScenario("scenarios/istanbul-2025.yaml");
}

void BM_Sensitivity(benchmark::State& state, bool sobol) {
  const BenchScenario& s = IstanbulWithSpec();
  const auto model = *MakeModel("nash-pure");
  const ScenarioFunction f(s.spec, s.game, *model, 20250515);
  SensitivityOptions options;
  options.samples = state.range(0);
  options.threads = static_cast<int>(state.range(1));
  options.seed = 20250515;
  if (sobol) options.bootstrap = static_cast<int>(state.range(2));
  int64_t evaluations = 0;
  for (auto _ : state) {
    if (sobol) {
      auto r = SobolIndices(f.num_inputs(), f.num_outputs(), std::cref(f), options);
      evaluations += r->run.evaluations;
      benchmark::DoNotOptimize(r);
    } else {
      auto r = MorrisEffects(f.num_inputs(), f.num_outputs(), std::cref(f), options);
      evaluations += r->run.evaluations;
      benchmark::DoNotOptimize(r);
    }
  }
  state.counters["evaluations_per_s"] =
      benchmark::Counter(static_cast<double>(evaluations), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Sensitivity, sobol, true)
    ->ArgNames({"samples", "threads", "bootstrap"})
    ->Args({1024, 1, 1000})
    ->Args({1024, 1, 0})
    ->Args({1024, 2, 1000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Sensitivity, morris, false)
    ->ArgNames({"samples", "threads"})
    ->Args({100, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_RunSampler(benchmark::State& state, Sampler sampler) {
  const BenchScenario& s = IstanbulWithSpec();
  const auto model = *MakeModel("nash-pure");
  RunOptions options;
  options.samples = 1000000;
  options.threads = 1;
  options.seed = 20250515;
  options.sampler = sampler;
  for (auto _ : state) {
    auto r = RunMonteCarlo(s.game, *model, options);
    benchmark::DoNotOptimize(r);
  }
  state.counters["samples_per_s"] = benchmark::Counter(
      static_cast<double>(options.samples) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_RunSampler, philox, Sampler::kPhilox)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_RunSampler, sobol, Sampler::kSobol)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace parley
