// Scenario loading and compilation time, which should grow about linearly
// with the scenario's size (docs/benchmarks.md, "Loading and compiling").
//
// BM_CompileBargaining40: load and compile the shipped 40-round bargaining
// scenario (80 stages, 4,040 modifiers, 8,121 tree nodes).
// BM_LoadOutcomes/N: load and compile a generated normal-form scenario with
// two actors of 100 options each and N outcomes, each with a `when` and a
// payoff row (the last `otherwise`). Doubling N should about double the time.
// BM_InformationSetRounds/R: compile a sequence of R rounds of two
// simultaneous moves (2^(2R+1) - 1 nodes, one small subgame with an
// information set per history) and split it into subgames with their
// reduced strategies.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/subgame_perfect.h"

namespace parley {
namespace {

void BM_CompileBargaining40(benchmark::State& state) {
  const std::string path =
      std::string(PARLEY_SOURCE_DIR) + "/scenarios/sequential/bargaining-40-d90-d80.yaml";
  for (auto _ : state) {
    auto spec = LoadScenarioFile(path);
    if (!spec.ok()) std::abort();
    auto game = GameModel::Compile(*spec);
    if (!game.ok()) std::abort();
    benchmark::DoNotOptimize(game);
  }
}
BENCHMARK(BM_CompileBargaining40)->Unit(benchmark::kMillisecond);

std::string ManyOutcomes(int n) {
  std::string s = "name: Many outcomes\nactors:\n  - {id: a, options: [";
  for (int i = 0; i < 100; ++i) s += (i ? ", x" : "x") + std::to_string(i);
  s += "]}\n  - {id: b, options: [";
  for (int i = 0; i < 100; ++i) s += (i ? ", y" : "y") + std::to_string(i);
  s += "]}\noutcomes:\n";
  for (int i = 0; i + 1 < n; ++i) {
    s += "  - {id: o" + std::to_string(i) + ", when: {a: x" + std::to_string(i % 100) + ", b: y" +
         std::to_string(i / 100 % 100) + "}}\n";
  }
  s += "  - {id: o" + std::to_string(n - 1) + ", otherwise: true}\npayoffs:\n";
  for (int i = 0; i < n; ++i) {
    s += "  o" + std::to_string(i) + ": {a: " + std::to_string(i % 7) +
         ", b: " + std::to_string(i % 5) + "}\n";
  }
  return s;
}

void BM_LoadOutcomes(benchmark::State& state) {
  const std::string text = ManyOutcomes(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto spec = LoadScenarioString(text, "outcomes.yaml");
    if (!spec.ok()) {
      std::fprintf(stderr, "%s\n", spec.status().message().c_str());
      std::abort();
    }
    auto game = GameModel::Compile(*spec);
    if (!game.ok()) std::abort();
    benchmark::DoNotOptimize(game);
  }
}
BENCHMARK(BM_LoadOutcomes)->Arg(10000)->Arg(20000)->Arg(40000)->Unit(benchmark::kMillisecond);

void BM_InformationSetRounds(benchmark::State& state) {
  std::string text =
      "name: Rounds\nactors:\n  - {id: a, options: [x, y]}\n  - {id: b, options: [x, y]}\n"
      "sequence:\n";
  for (int r = 0; r < state.range(0); ++r) {
    const std::string k = std::to_string(r);
    text += "  - {id: a" + k + ", actor: a}\n  - {id: b" + k + ", actor: b, unobserved: [a" + k +
            "]}\n";
  }
  text +=
      "outcomes:\n  - {id: same, when: {a0: x, b0: x}}\n  - {id: other, otherwise: true}\n"
      "payoffs:\n  same: {a: 1, b: 1}\n  other: {a: 0, b: 0}\n";
  auto spec = LoadScenarioString(text, "rounds.yaml");
  if (!spec.ok()) std::abort();
  for (auto _ : state) {
    auto game = GameModel::Compile(*spec);
    if (!game.ok()) std::abort();
    auto d = SubgameDecomposition::Make(game->tree());
    if (!d.ok()) std::abort();
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_InformationSetRounds)->Arg(6)->Arg(7)->Arg(8)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parley
