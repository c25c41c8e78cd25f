// Reports of a Monte Carlo run: the terminal summary and the JSON document
// (schema: docs/reference/json-output.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/core/status.h"
#include "sim/mc/summary.h"

namespace parley {

// The human-readable summary printed by `parley run`.
std::string FormatText(const RunSummary& summary);

// The JSON document of `parley run --json`. Everything except the top-level
// "run" object depends only on the scenario, seed and sample count.
nlohmann::ordered_json ToJson(const RunSummary& summary);

// Writes `contents` to `path` through a temporary file in the same folder and
// a rename, so an interrupted run never leaves a truncated file.
Status WriteFileAtomically(const std::string& path, const std::string& contents);

}  // namespace parley
