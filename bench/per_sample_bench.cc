// Encoding per-sample rows (`parley run --per-sample`, sim/report): the CPU
// side of writing them, apart from sampling and the disk.
//
// BM_PerSampleRows/<format>: one batch of 16,384 Istanbul rows (nash-pure)
// encoded as CSV or .npy records into a buffer reused from batch to batch.
// Counters: rows_per_s and bytes_per_s. bench/per_sample_speed.sh measures
// the whole run against the disk.
// BM_CsvNumber/<writer>: the batch's numbers (draws, play and outcome
// probabilities) written shortest-round-trip by WriteCsvNumber, and by
// fmt's "{}" for comparison (the same bytes, sample_csv_test.cc).
#include <benchmark/benchmark.h>
#include <fmt/compile.h>
#include <fmt/format.h>

#include <cstdlib>
#include <vector>

#include "bench/bench_scenarios.h"
#include "sim/mc/runner.h"
#include "sim/model/model.h"
#include "sim/report/sample_csv.h"
#include "sim/report/sample_npy.h"

namespace parley {
namespace {

// The first batch of a 16,384-sample Istanbul run (nash-pure), made once
// per process.
const SampleBatch& IstanbulBatch() {
  static const SampleBatch* made = [] {
    const BenchScenario& istanbul = LoadBenchScenario("scenarios/istanbul-2025.yaml");
    auto* batch = new SampleBatch;
    const auto model = *MakeModel("nash-pure");
    RunOptions options;
    options.samples = 16384;
    options.threads = 1;
    options.seed = 20250515;
    RunControl control;
    control.per_sample = [batch](const SampleBatch& b) {
      if (batch->count == 0) *batch = b;
      return OkStatus();
    };
    if (!RunMonteCarlo(istanbul.game, *model, options, control).ok()) std::abort();
    return batch;
  }();
  return *made;
}

void BM_PerSampleRows(benchmark::State& state, bool csv) {
  const BenchScenario& istanbul = LoadBenchScenario("scenarios/istanbul-2025.yaml");
  const SampleBatch& batch = IstanbulBatch();
  fmt::memory_buffer out;
  int64_t rows = 0, bytes = 0;
  for (auto _ : state) {
    out.clear();
    if (csv) {
      AppendPerSampleCsvRows(istanbul.spec, istanbul.game, batch, 0, batch.count, out);
    } else {
      AppendPerSampleNpyRows(istanbul.spec, istanbul.game, batch, 0, batch.count, out);
    }
    benchmark::DoNotOptimize(out.data());
    rows += batch.count;
    bytes += static_cast<int64_t>(out.size());
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["bytes_per_s"] = benchmark::Counter(
      static_cast<double>(bytes), benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}
BENCHMARK_CAPTURE(BM_PerSampleRows, csv, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_PerSampleRows, npy, false)->Unit(benchmark::kMillisecond);

void BM_CsvNumber(benchmark::State& state, bool fmt_writer) {
  const SampleBatch& b = IstanbulBatch();
  std::vector<double> numbers(b.draws);
  numbers.insert(numbers.end(), b.options.begin(), b.options.end());
  numbers.insert(numbers.end(), b.slots.begin(), b.slots.end());
  std::vector<char> out(numbers.size() * (kCsvNumberRoom + 1));
  for (auto _ : state) {
    char* p = out.data();
    for (double x : numbers) {
      p = fmt_writer ? fmt::format_to(p, FMT_COMPILE("{}"), x) : WriteCsvNumber(x, p);
      *p++ = ',';
    }
    benchmark::DoNotOptimize(p);
  }
  state.counters["numbers_per_s"] = benchmark::Counter(
      static_cast<double>(numbers.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_CsvNumber, parley, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvNumber, fmt, true)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley
