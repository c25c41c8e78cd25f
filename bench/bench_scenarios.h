// Scenarios for the benchmarks: a file of the source tree, loaded and
// compiled once per process. A file that does not load or compile stops the
// benchmark binary with the message: a benchmark of a broken scenario
// measures nothing.
#pragma once

#include <string>

#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

struct BenchScenario {
  ScenarioSpec spec;
  GameModel game;
};

// `path` is relative to the source tree: "scenarios/istanbul-2025.yaml".
const BenchScenario& LoadBenchScenario(const std::string& path);

}  // namespace parley
