// Sweepable names: every input of a scenario that `parley params` lists and
// `--set`, sweeps and sensitivity analyses may change, named as agreed
// (param.<id>, payoff.<outcome>.<actor>, modifier.<n>.<actor>,
// effect.<argument>.<n>, credence.<argument>), and overriding one of them in
// a ScenarioSpec.
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
  enum class Kind { kParameter, kPayoff, kModifier, kEffect, kCredence };
  std::string name;  // "payoff.ceasefire.russia"
  Kind kind = Kind::kParameter;
  std::string value;  // "normal(2, 0.5)", "-1 x param.cost", "0.7"
  double mean = 0.0;  // the value's mean (the credence for credence names)
  std::string note;   // a parameter's description, a modifier's note, ...
  SourceLoc loc;
  // Credences take a number in [0, 1]; every other name any value.
  bool is_credence() const { return kind == Kind::kCredence; }
};

std::string_view SweepableKindName(SweepableName::Kind kind);

// Every sweepable name of `spec`, in file order: parameters, payoffs (by
// outcome, then actor), modifiers (the n-th modifier of the file, 1-based,
// then its actors), then each argument's credence and effects.
std::vector<SweepableName> ListSweepable(const ScenarioSpec& spec);

// The entry named `name`, or InvalidArgument naming the closest names.
StatusOr<SweepableName> FindSweepable(const ScenarioSpec& spec, std::string_view name);

// A value as written after NAME=: a number ("2.5"), or a distribution in
// YAML flow form ("normal: [2, 0.5]", "{uniform: [1, 3]}").
StatusOr<Distribution> ParseOverrideValue(std::string_view text);

// Replaces the entry `name` by `value`. Errors: unknown name (with a
// suggestion), a credence outside [0, 1] or given as a distribution, and
// numbers beyond +-1e9 (as in scenario files).
Status ApplyOverride(ScenarioSpec& spec, std::string_view name, const Distribution& value);
Status ApplyOverride(ScenarioSpec& spec, std::string_view name, double value);

// "NAME=VALUE" as given to --set; messages start with `flag`.
Status ApplySetting(ScenarioSpec& spec, std::string_view assignment,
                    std::string_view flag = "--set");
// Every assignment of a repeated --set, in order (a later one wins).
Status ApplySettings(ScenarioSpec& spec, const std::vector<std::string>& assignments,
                     std::string_view flag = "--set");

}  // namespace parley
