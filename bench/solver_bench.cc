// Two-player solvers on random games with integer payoffs 0..99 (fixed
// seeds), the setting of the lrsnash / gambit comparison in docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include "sim/core/rng.h"
#include "sim/solve/mixed.h"

namespace parley {
namespace {

Bimatrix RandomGame(int size, uint64_t seed) {
  SampleRng rng(seed, static_cast<uint64_t>(size));
  Bimatrix g{Eigen::MatrixXd(size, size), Eigen::MatrixXd(size, size)};
  for (int i = 0; i < size; ++i) {
    for (int j = 0; j < size; ++j) {
      g.a(i, j) = static_cast<double>(rng.NextU32() % 100);
      g.b(i, j) = static_cast<double>(rng.NextU32() % 100);
    }
  }
  return g;
}

void BM_VertexEnumeration(benchmark::State& state) {
  const Bimatrix g = RandomGame(static_cast<int>(state.range(0)), 2025);
  size_t equilibria = 0;
  int64_t vertices = 0;
  for (auto _ : state) {
    auto r = EnumerateVertices(g);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    equilibria = r->equilibria.size();
    vertices = r->vertices_row + r->vertices_column;
  }
  state.counters["equilibria"] = static_cast<double>(equilibria);
  state.counters["vertices"] = static_cast<double>(vertices);
}
BENCHMARK(BM_VertexEnumeration)->DenseRange(5, 15, 5)->Unit(benchmark::kMillisecond);

void BM_LemkeHowsonAllLabels(benchmark::State& state) {
  const Bimatrix g = RandomGame(static_cast<int>(state.range(0)), 2025);
  size_t equilibria = 0;
  for (auto _ : state) equilibria = LemkeHowsonAll(g).size();
  state.counters["equilibria"] = static_cast<double>(equilibria);
}
BENCHMARK(BM_LemkeHowsonAllLabels)->DenseRange(5, 20, 5)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley
