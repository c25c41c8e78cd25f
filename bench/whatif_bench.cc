// BM_Sweep/<scenario>/points:P/samples:N/threads:T: a 1-D sweep of
// payoff.ceasefire.russia over P points of N samples each (RunSweep: one
// override, compile and full run per point). Counter samples_per_s counts the
// samples of all points; compare it with BM_Run's to see the per-point cost.
#include <benchmark/benchmark.h>

#include <string>

#include "sim/mc/sweep.h"
#include "sim/model/model.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

void BM_Sweep(benchmark::State& state, const char* scenario) {
  auto spec = LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/scenarios/" + scenario);
  if (!spec.ok()) {
    state.SkipWithError(spec.status().message().c_str());
    return;
  }
  const char* model = spec->sequential() ? "spe" : "nash-pure";
  SweepOptions options;
  options.run.samples = state.range(1);
  options.run.threads = static_cast<int>(state.range(2));
  options.run.seed = 20250515;
  const std::vector<SweepAxis> axes = {{"payoff.ceasefire.russia", -1.0, 2.0, state.range(0)}};
  int64_t total = 0;
  for (auto _ : state) {
    auto result = RunSweep(
        *spec, axes, [&](const ScenarioSpec&) { return MakeModel(model); }, options);
    benchmark::DoNotOptimize(result);
    total += state.range(0) * options.run.samples;
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}

void SweepArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"points", "samples", "threads"});
  b->Args({7, 100000, 1});
  b->Args({7, 100000, 2});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK_CAPTURE(BM_Sweep, istanbul, "istanbul-2025.yaml")->Apply(SweepArgs);
BENCHMARK_CAPTURE(BM_Sweep, istanbul_sequential, "istanbul-2025-sequential.yaml")->Apply(SweepArgs);

}  // namespace
}  // namespace parley
