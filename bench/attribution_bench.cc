// Shapley attribution (`parley run --attribution shapley`) on the Istanbul
// scenarios: with all 17 arguments, sampled orders with 18 coalitions
// (model solves) per sample; with 12, exact over 4,096 coalitions.
//
// BM_Attribution/<scenario>/samples:N/threads:T. Counters: samples_per_s
// and coalitions_per_s (model solves per second, the unit of work).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_scenarios.h"
#include "sim/mc/attribution.h"
#include "sim/model/model.h"

namespace parley {
namespace {

// `forced_off`: the last that many arguments are forced off (not attributed).
void BM_Attribution(benchmark::State& state, const char* scenario, const char* model_name,
                    int forced_off) {
  const ScenarioSpec& spec = LoadBenchScenario(std::string("scenarios/") + scenario).spec;
  const auto model = *MakeModel(model_name);
  AttributionOptions options;
  options.samples = state.range(0);
  options.threads = static_cast<int>(state.range(1));
  options.seed = 20250515;
  std::vector<ArgumentMode> modes(spec.arguments.size(), ArgumentMode::kDrawn);
  for (int i = 0; i < forced_off && i < static_cast<int>(modes.size()); ++i) {
    modes[modes.size() - 1 - i] = ArgumentMode::kForcedOff;
  }
  int64_t samples = 0, coalitions = 0;
  for (auto _ : state) {
    auto result = ShapleyAttribution(spec, modes, *model, options);
    if (!result.ok()) std::abort();
    benchmark::DoNotOptimize(result);
    samples += options.samples;
    coalitions += options.samples * result->coalitions;
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
  state.counters["coalitions_per_s"] =
      benchmark::Counter(static_cast<double>(coalitions), benchmark::Counter::kIsRate);
}

void AttributionArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"samples", "threads"});
  b->Args({10000, 1});
  b->Args({100000, 1});
  b->Args({100000, 2});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

// The default: 17 arguments > 12, one random order per sample.
BENCHMARK_CAPTURE(BM_Attribution, istanbul_sampled, "istanbul-2025.yaml", "nash-pure", 0)
    ->Apply(AttributionArgs);
// Exact: 12 arguments attributed (the last 5 forced off), 4,096 coalitions
// per sample.
BENCHMARK_CAPTURE(BM_Attribution, istanbul_exact_12, "istanbul-2025.yaml", "nash-pure", 5)
    ->Args({1000, 1})
    ->Args({1000, 2})
    ->ArgNames({"samples", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// The sequential Istanbul scenario under spe, likewise sampled.
BENCHMARK_CAPTURE(BM_Attribution, istanbul_sequential_sampled, "istanbul-2025-sequential.yaml",
                  "spe", 0)
    ->Args({10000, 1})
    ->ArgNames({"samples", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace parley
