// Reports of `parley compare FILE... --models ...` (ModelComparison,
// sim/mc/paired.h): a models x outcomes table and a table of model pairs per
// scenario in the terminal, JSON (docs/reference/json-output.md) and CSV.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/mc/paired.h"

namespace parley {

// `seconds`: the whole command's time. `notes`: none, or one per scenario,
// printed under its name (e.g. "rounds: up to 3, ...").
std::string FormatModelComparisonText(const ModelComparison& comparison, double seconds,
                                      const std::vector<std::string>& notes = {});
// {"kind": "model-comparison", ...}; everything but "run" depends only on
// the scenarios, the models, the seed and the sample count.
nlohmann::ordered_json ModelComparisonToJson(const ModelComparison& comparison, double seconds);
// Header: scenario, file, model, outcome, probability, ci95_low, ci95_high;
// one row per scenario, model and outcome, "unresolved" included.
std::string ModelComparisonToCsv(const ModelComparison& comparison);

}  // namespace parley
