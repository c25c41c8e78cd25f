// Fuzz target: scenario YAML through the loader, the compiler and a few
// samples of the model it names, then the JSON and text of the result. Any
// input must give a Status or a result, never a crash, a hang or an
// exception (nlohmann::json throws on invalid UTF-8, for example).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/app/sampling.h"
#include "sim/mc/runner.h"
#include "sim/report/report.h"
#include "sim/scenario/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  LoadOptions limits;
  limits.max_profiles = 4096;  // the fuzzer looks for bugs, not big games
  limits.max_file_bytes = 1 << 16;
  StatusOr<ScenarioSpec> spec = LoadScenarioString(text, "fuzz.yaml", limits);
  if (!spec.ok()) return 0;
  StatusOr<std::unique_ptr<Model>> model = ModelForScenario(*spec, Selection::kUniform);
  if (!model.ok()) return 0;
  PreparedScenario scenario;
  scenario.spec = *std::move(spec);
  scenario.model = *std::move(model);
  StatusOr<GameModel> game = GameModel::Compile(scenario.spec);
  if (!game.ok()) return 0;
  scenario.game.emplace(*std::move(game));
  RunOptions options;
  options.samples = 16;
  options.seed = 7;
  options.threads = 1;
  StatusOr<RunResult> run = RunMonteCarlo(*scenario.game, *scenario.model, options);
  if (!run.ok()) return 0;
  const RunSummary summary = SummarizeRun(scenario, options, *run);
  (void)ToJson(summary).dump();
  (void)FormatText(summary);
  return 0;
}
