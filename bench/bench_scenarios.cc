#include "bench/bench_scenarios.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

#include "sim/scenario/loader.h"

namespace parley {

const BenchScenario& LoadBenchScenario(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<BenchScenario>> loaded;
  const std::lock_guard<std::mutex> lock(mutex);
  std::unique_ptr<BenchScenario>& slot = loaded[path];
  if (slot == nullptr) {
    auto spec = LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/" + path);
    if (!spec.ok()) {
      std::fprintf(stderr, "%s\n", spec.status().message().c_str());
      std::exit(1);
    }
    auto game = GameModel::Compile(*spec);
    if (!game.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), game.status().message().c_str());
      std::exit(1);
    }
    slot = std::make_unique<BenchScenario>(BenchScenario{std::move(*spec), std::move(*game)});
  }
  return *slot;
}

}  // namespace parley
