// Two-player solvers on random games with integer payoffs 0..99 (fixed
// seeds), the setting of the lrsnash / gambit comparison in docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include "sim/core/rng.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/mixed.h"
#include "sim/solve/qre.h"

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
BENCHMARK(BM_VertexEnumeration)->DenseRange(5, 20, 5)->Unit(benchmark::kMillisecond);

void BM_LemkeHowsonAllLabels(benchmark::State& state) {
  const Bimatrix g = RandomGame(static_cast<int>(state.range(0)), 2025);
  size_t equilibria = 0;
  for (auto _ : state) equilibria = LemkeHowsonAll(g).size();
  state.counters["equilibria"] = static_cast<double>(equilibria);
}
BENCHMARK(BM_LemkeHowsonAllLabels)->DenseRange(5, 20, 5)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley

namespace parley {
namespace {

// QRE solves on sampled Istanbul games (4 players x 3 options): one solve
// per iteration, cycling through 64 samples' games.
void BM_QreIstanbul(benchmark::State& state) {
  auto spec = LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/scenarios/istanbul-2025.yaml");
  auto model = GameModel::Compile(*spec);
  std::vector<NormalFormGame> games;
  for (uint64_t i = 0; i < 64; ++i)
    games.push_back(model->ToNormalForm(*spec, model->SampleTable(1, i)));
  const double lambda = static_cast<double>(state.range(0));
  size_t i = 0;
  double steps = 0;
  for (auto _ : state) {
    auto r = LogitQre(games[i++ % games.size()].view(), lambda);
    steps += r->steps;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["steps"] = steps / static_cast<double>(state.iterations());
}
BENCHMARK(BM_QreIstanbul)->Arg(1)->Arg(5)->Unit(benchmark::kMicrosecond);

void BM_LogitLimitIstanbul(benchmark::State& state) {
  auto spec = LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/scenarios/istanbul-2025.yaml");
  auto model = GameModel::Compile(*spec);
  std::vector<NormalFormGame> games;
  for (uint64_t i = 0; i < 64; ++i)
    games.push_back(model->ToNormalForm(*spec, model->SampleTable(1, i)));
  size_t i = 0;
  double steps = 0;
  for (auto _ : state) {
    auto r = LogitLimit(games[i++ % games.size()].view());
    steps += r->steps;
  }
  state.counters["steps"] = steps / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LogitLimitIstanbul)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace parley
