// Reports of a Monte Carlo run: the terminal summary and the JSON document
// (schema: docs/reference/json-output.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/mc/summary.h"

namespace parley {

// The human-readable summary printed by `parley run`.
std::string FormatText(const RunSummary& summary);
// ", lambda 2.5": each parameter of the summary's model, for header lines.
std::string ModelParametersSuffix(const RunSummary& summary);

// The JSON document of `parley run --json`. Everything except the top-level
// "run" object depends only on the scenario, seed and sample count.
nlohmann::ordered_json ToJson(const RunSummary& summary);

// The opening keys every result document built from runs shares, in order:
// kind, parley_version, scenario, model, selection, lambda (qre only),
// samples, seed. AddProvenanceJson (provenance.h) then adds the model's
// parameters, the overrides and the extends chain.
nlohmann::ordered_json ResultHeaderJson(std::string_view kind, const RunSummary& summary);
// The `not_converged` object of iterative models: probability, ci95, count,
// meaning (RunSummary::ReportsConvergence).
nlohmann::ordered_json NotConvergedJson(const RunSummary& summary);
// The `payoffs` array: per actor its mean and 95% CI (null without samples).
nlohmann::ordered_json PayoffsJson(const RunSummary& summary);

}  // namespace parley
