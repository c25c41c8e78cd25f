// Fuzz target: `--set NAME=VALUE` assignments applied to a small scenario,
// which must then still compile or be refused with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/overrides.h"

namespace {

constexpr std::string_view kScenario = R"(name: fuzz
actors:
  - id: a
    options: [x, y]
  - id: b
    options: [x, y]
parameters:
  gain:
    value: {normal: [1, 0.5]}
outcomes:
  - id: same
    when: {a: x, b: x}
  - id: other
    otherwise: true
payoffs:
  same: {a: gain, b: 1}
  other: {a: 0, b: 0}
arguments:
  - id: claim
    credence: 0.5
    effects:
      - {actor: a, outcome: same, add: 1}
simulation:
  samples: 100
  seed: 1
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley;
  static const StatusOr<ScenarioSpec> base = LoadScenarioString(kScenario, "fuzz.yaml");
  if (!base.ok()) std::abort();  // the fixture itself must load
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)ParseOverrideValue(text);
  ScenarioSpec spec = *base;
  if (!ApplySetting(spec, text).ok()) return 0;
  (void)GameModel::Compile(spec);
  return 0;
}
