// Reports of `parley sensitivity`: per output, a ranked table of inputs in
// the terminal, and the JSON document (docs/reference/json-output.md,
// "Sensitivity").
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/mc/sensitivity.h"

namespace parley {

struct SensitivityReport {
  std::string scenario, scenario_path, model;
  int64_t samples = 0;
  uint64_t seed = 0;
  int bootstrap = 0;  // sobol
  int levels = 0;     // morris
  std::vector<std::string> inputs, outputs;
  std::optional<SobolResult> sobol;  // exactly one of sobol, morris
  std::optional<MorrisResult> morris;
  // The whole command's time (set by the front end; 0: the evaluations'
  // time, run.seconds, which the evaluation rate is computed from).
  double seconds = 0.0;
};

// `top`: inputs shown per output (0: all).
std::string FormatSensitivityText(const SensitivityReport& report, size_t top);

// Everything except the "run" object depends only on the scenario, model,
// method, seed and sample count.
nlohmann::ordered_json SensitivityToJson(const SensitivityReport& report);

}  // namespace parley
