// Sweepable names: every input of a scenario that `parley params` lists and
// `--set`, sweeps and sensitivity analyses may change, named as agreed
// (param.<id>, payoff.<outcome>.<actor>, modifier.<n>.<actor>,
// effect.<argument>.<n>, credence.<argument>, model.<parameter>, and in
// multi-round scenarios rounds.max, rounds.discount.<actor> and
// rounds.foresight), and overriding one of them in a ScenarioSpec.
//
// model.<parameter> sets a parameter of the scenario's model
// (spec.simulation.model_parameters): a single number or word, never sampled.
// This layer does not know which parameters a model declares; the model
// layer checks the name, type and range when the model is built.
//
// Overrides keep common random numbers: an overridden entry still consumes
// the random draws its file value consumed and draws a new random value from
// its own substream (see OverrideSpec and GameModel::Atom), so changing one
// entry never changes another entry's per-sample values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/distribution.h"
#include "sim/core/status.h"
#include "sim/scenario/spec.h"

namespace parley {

struct SweepableName {
  enum class Kind { kParameter, kPayoff, kModifier, kEffect, kCredence, kModel, kRounds };
  std::string name;  // "payoff.ceasefire.russia"
  Kind kind = Kind::kParameter;
  // "normal(2, 0.5)", "-1 x param.cost", "0.7"; a model parameter's value as
  // written ("2", "alternating"), empty when the scenario does not set it.
  std::string value;
  // The value's mean (the credence for credence names); for a model
  // parameter its number, NaN when it is a word or not set.
  double mean = 0.0;
  std::string note;  // a parameter's description, a modifier's note, ...
  SourceLoc loc;     // empty for a model parameter set by --set or not at all
  // Credences take a number in [0, 1]; model parameters a single number or
  // word (the model checks it); every other name any value.
  bool is_credence() const { return kind == Kind::kCredence; }
};

std::string_view SweepableKindName(SweepableName::Kind kind);

// Every sweepable name of `spec`, in file order: parameters, payoffs (by
// outcome, then actor), modifiers (the n-th modifier of the file, 1-based,
// then its actors), then each argument's credence and effects, then the
// model parameters the scenario sets (model.<parameter>, in the order set),
// then the rounds settings of a multi-round scenario.
std::vector<SweepableName> ListSweepable(const ScenarioSpec& spec);

// The entry named `name`, or InvalidArgument naming the closest names. Any
// model.<identifier> is found, set in the scenario or not: which parameters
// the model has is the model layer's to check.
StatusOr<SweepableName> FindSweepable(const ScenarioSpec& spec, std::string_view name);

// A value as written after NAME=: a number ("2.5"), or a distribution in
// YAML flow form ("normal: [2, 0.5]", "{uniform: [1, 3]}").
StatusOr<Distribution> ParseOverrideValue(std::string_view text);

// Replaces the entry `name` by `value`. Errors: unknown name (with a
// suggestion), a credence outside [0, 1] or given as a distribution, and
// numbers beyond +-1e9 (as in scenario files). A model parameter takes a
// constant, stored as the shortest text that reads back as exactly that
// double (a sweep's 0.1 is "0.1"); a distribution is refused.
Status ApplyOverride(ScenarioSpec& spec, std::string_view name, const Distribution& value);
Status ApplyOverride(ScenarioSpec& spec, std::string_view name, double value);

// "NAME=VALUE" as given to --set; messages start with `flag`. For
// model.<parameter>, VALUE is one number or word, kept as written
// (model.lambda=2.5, model.order=alternating).
Status ApplySetting(ScenarioSpec& spec, std::string_view assignment,
                    std::string_view flag = "--set");
// Every assignment of a repeated --set, in order (a later one wins).
Status ApplySettings(ScenarioSpec& spec, const std::vector<std::string>& assignments,
                     std::string_view flag = "--set");

}  // namespace parley
