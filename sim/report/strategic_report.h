// `parley explain` of a normal-form game, as a textbook shows it: the payoff
// matrix with each best response starred, the pure Nash equilibria (cells
// where every payoff is starred), dominated strategies, iterated elimination
// of strictly dominated strategies, and Pareto notes on the equilibria
// (the analysis is sim/solve/strategic.h).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/game/normal_form.h"
#include "sim/solve/strategic.h"

namespace parley {

struct StrategicReportOptions {
  std::string name;                   // the scenario's name or the .nfg title
  std::string what = "mean payoffs";  // which game this is, for the heading
  std::string file;                   // for the `parley solve` pointer
  size_t max_lines = 400;             // each section is cut after this many lines
};

std::string ExplainNormalForm(const NormalFormGame& game, const StrategicAnalysis& analysis,
                              const StrategicReportOptions& options);

// The same analysis as JSON (`parley explain --json`,
// docs/reference/json-output.md); profiles are named by their strategies.
// `max_lines` does not apply.
nlohmann::ordered_json NormalFormExplainJson(const NormalFormGame& game,
                                             const StrategicAnalysis& analysis,
                                             const StrategicReportOptions& options);

}  // namespace parley
