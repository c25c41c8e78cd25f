// What produced a result, beyond the scenario, seed and sample count that
// every result already records: the model with the value of each of its
// parameters, the equilibrium selection, every --set/--with/--without as
// given, and the chain of files the scenario extends. One place writes it
// into the JSON of every kind of result (run, comparison, sweep,
// sensitivity) and formats it for the terminal; the HTML report reads it
// back (docs/reference/json-output.md, "Provenance").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace parley {

struct Provenance {
  std::string model;      // the model's name: "qre"
  std::string selection;  // "uniform" or "payoff-dominant"; empty: not printed
  // Every declared parameter of the model with the value used, in declaration
  // order: a JSON number, or a string for a choice parameter. Empty for a
  // model without parameters.
  std::vector<std::pair<std::string, nlohmann::ordered_json>> model_parameters;
  // Each override as given on the command line, in order: "param.x=2",
  // "model.lambda=3" (--set); argument ids (--with, --without).
  std::vector<std::string> set, with, without;
  // The scenario files when the scenario extends another: the named file
  // first, then the file it extends, and so on. Empty when it extends none.
  std::vector<std::string> extends;
  // When the scenario correlates credences (`factors`, `correlations`): the
  // correlated arguments, the factors' ids and the number of pairwise
  // correlations. No arguments: credences are independent.
  std::vector<std::string> correlated_arguments, factors;
  int correlations = 0;
  // Multi-round scenarios: "up to 3, myopic actors" (the round limit after
  // overrides and the foresight); empty for one round. Shown in the text of
  // commands whose own output does not describe the rounds (a run's does).
  std::string rounds;
};

// Adds the provenance to `doc`, a result document or, in a comparison, one
// entry of its "scenarios" (any object with a "model" key). Existing keys
// keep their values and order; the new ones go:
//   "scenario": {"name", "file", "extends": [...],
//                "correlated_credences": {"arguments", "factors", "correlations"}}
//     extends and correlated_credences only when non-empty ("scenario" is
//     created at the end when absent);
//   "model_parameters": {"lambda": 2.5}   always, {} without parameters, and
//   "overrides": {"set": [...], "with": [...], "without": [...]}   always,
// right after the last of "model", "selection" and "lambda" in `doc` (when it
// has none of them, "model" and a non-empty "selection" are added at the end
// first). Adding again replaces what an earlier call added.
void AddProvenanceJson(const Provenance& provenance, nlohmann::ordered_json& doc);

// "lambda=2.5, k=2": each model parameter as name=value, numbers as in the
// JSON, strings as they are; empty without parameters.
std::string FormatModelParameters(const Provenance& provenance);

// "up to 3, myopic actors; each P(outcome) is where the negotiations stood
// after the last round"; empty for a one-round scenario.
std::string FormatRoundsProvenance(const Provenance& provenance);

// "a, b, c; factor f; 1 pairwise correlation"; empty when independent.
std::string FormatCorrelatedCredences(const Provenance& provenance);

// Terminal lines, each ending in a newline, printing only the parts that are
// there:
//   model qre (lambda=2.5; selection: uniform)
//   overrides: --set model.lambda=3, --with arg-id, --without other-id
//   extends: variant.yaml -> base.yaml
//   credences: correlated (a, b, c; factor f; 1 pairwise correlation)
// The model line is "model nash-pure (selection: uniform)" without
// parameters, "model qre (lambda=2.5)" without a selection.
std::string FormatProvenanceText(const Provenance& provenance);

// Inserts FormatProvenanceText's lines into a command's terminal `text` after
// its first `after_lines` lines; without `with_model`, leaves out the model
// line (for texts whose header already names the model and its parameters).
void InsertProvenanceText(const Provenance& provenance, std::string& text, int after_lines,
                          bool with_model);

}  // namespace parley
