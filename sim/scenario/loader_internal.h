// The scenario loader's state and steps, shared by the files that implement
// it: loader.cc (the document and the normal-form sections), loader_sequence.cc
// (`sequence` stages and `threats`) and loader_extends.cc (variants made with
// `extends`). Internal to sim/scenario; the public interface is loader.h.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/core/status.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/spec.h"
#include "sim/scenario/yaml_reader.h"

namespace parley::scenario_internal {

constexpr int kMaxActors = 32;
constexpr int kMaxOptions = 1024;
constexpr size_t kMaxStages = 256;
// Matching every profile against every `when` condition at compile time
// costs profiles x conditions x actors steps; beyond this, refuse.
constexpr double kMaxRuleWork = 2e9;
// Files in one chain of `extends`, counting the variant asked for and the
// base at the end (docs/reference/scenario-schema.md).
constexpr size_t kMaxExtendsChain = 16;

// Reads the file `path` (a base of a variant, or the file asked for); `chain`
// as for Loader.
StatusOr<ScenarioSpec> LoadFileInChain(const std::string& path, const LoadOptions& options,
                                       std::vector<std::string> chain);

// Reads one scenario document into a ScenarioSpec, section by section, each
// checked against what was read before it.
class Loader : public YamlReader {
 public:
  // `chain`: the files extending this one, outermost first, for finding
  // cycles of `extends`.
  Loader(std::string file, const LoadOptions& options, std::vector<std::string> chain = {})
      : YamlReader(std::move(file)), options_(options), chain_(std::move(chain)) {}

  StatusOr<ScenarioSpec> Load(std::string_view text);

 private:
  // A variant: a file with `extends: base.yaml`, whose sections override or
  // add to the base's (see docs/reference/scenario-schema.md).
  StatusOr<ScenarioSpec> LoadVariant(const YAML::Node& root);
  Status MergeParameters(const YAML::Node& node);
  Status MergePayoffs(const YAML::Node& node);
  Status MergeArguments(const YAML::Node& node);
  // One item of `arguments`: a whole new argument, or (`override`) new
  // values for some keys of an existing one.
  Status ReadArgument(const YAML::Node& item, bool override, ArgumentSpec* arg) const;

  Status ReadValue(const YAML::Node& node, const std::string& what, bool allow_parameters,
                   ValueSpec* out) const;
  Status ReadCondition(const YAML::Node& node, const std::string& what, Condition* out) const;
  // Reads `when`, `when_any` or `otherwise` from a map node into `rule`.
  Status ReadRule(const YAML::Node& node, const std::string& what, bool allow_otherwise,
                  ProfileRule* rule) const;
  Status ReadActors(const YAML::Node& node);
  Status ReadParameters(const YAML::Node& node);
  // A parameter's value as written after its name: a value, or a mapping
  // with `value` and `description`. In a file and in a variant alike.
  Status ReadParameterBody(const YAML::Node& body, ParameterSpec* p) const;
  Status ReadOutcomes(const YAML::Node& node);
  Status CheckCoverage(const YAML::Node& outcomes_node) const;
  // Refuses rules whose evaluation over every profile would take too long.
  Status CheckRuleWork(const YAML::Node& where) const;
  Status ReadPayoffs(const YAML::Node& node);
  Status ReadModifiers(const YAML::Node& node);
  Status ReadArguments(const YAML::Node& node);
  Status ReadEffect(const YAML::Node& node, const std::string& what, EffectSpec* out) const;
  // `factors` and `correlations` (loader_copula.cc), then the check of the
  // correlation matrix they make.
  Status ReadCopula(const YAML::Node& root);
  Status ReadFactors(const YAML::Node& node);
  Status ReadCorrelations(const YAML::Node& node);
  // The index of the argument a node names, or -1 with *st saying why (with
  // a did-you-mean).
  int ArgumentOrError(const YAML::Node& node, const std::string& what, Status* st) const;
  // `observed`: the outcome that happened, its date and source (for
  // back-testing); in a variant it replaces the base's.
  Status ReadObserved(const YAML::Node& node);
  Status ReadSimulation(const YAML::Node& node);
  // `rounds` (loader_rounds.cc): the state variables, registered as
  // parameters before the payoffs are read, then the rest after `outcomes`.
  Status ReadRoundsState(const YAML::Node& node);
  Status ReadRounds(const YAML::Node& node);
  // The index of the outcome a node names, or -1 with *st saying why.
  int OutcomeOrError(const YAML::Node& node, const std::string& what, Status* st) const;
  // `simulation.model`: a name, or a mapping with `name` and the model's
  // parameters (scalars, kept as written).
  Status ReadModel(const YAML::Node& node, SimulationSpec* sim) const;
  Status ReadAnchor(const YAML::Node& node, ActorSpec& actor) const;
  int FindActorOrError(const YAML::Node& key, const std::string& what, Status* st) const;
  // The index of outcome `id`, or -1: through outcome_index_ when it holds
  // every outcome, else by a scan.
  int OutcomeIndex(const std::string& id) const;
  Status ReadOptionList(const YAML::Node& node, const std::string& owner,
                        std::vector<std::string>* ids, std::vector<std::string>* labels) const;
  Status ReadSequence(const YAML::Node& node);
  // Counts the sequential game's nodes (histories sharing the game ahead
  // count once, as GameModel compiles them); refuses a tree over the limit.
  Status CheckTreeSize(const YAML::Node& node);
  Status ReadStage(const YAML::Node& item, StageSpec* stage);
  Status ReadChance(const YAML::Node& node, StageSpec* stage) const;
  Status ReadThreats(const YAML::Node& node);
  // Sets the variables `when` conditions range over: the actors, or the
  // first `count` stages.
  void UseActorVariables();
  void UseStageVariables(size_t count);

  // What a `when` condition's keys name: actors (normal form) or stages.
  struct Variable {
    std::string id;
    const std::vector<std::string>* options;
  };

  LoadOptions options_;
  std::vector<std::string> chain_;
  ScenarioSpec spec_;
  bool sequential_ = false;
  std::vector<Variable> vars_;
  std::string var_kind_ = "actor";
  // Strategy profiles (normal form) or tree nodes (sequential): what every
  // rule is matched against at compile time.
  int64_t num_cells_ = 0;
  // Outcome id -> index, filled as `outcomes` is read: payoffs and
  // modifiers name outcomes, and looking each up by a scan is quadratic.
  // (A variant takes its base's outcomes without it: see OutcomeIndex.)
  std::unordered_map<std::string, int> outcome_index_;
  const std::vector<std::string> keys_required_ = {"id", "analyst", "claim", "credence", "effects"};
  // Every stage id the sequence declares, read ahead, so that a condition
  // naming a later stage is told so rather than called unknown.
  std::vector<std::string> stage_ids_;
};

}  // namespace parley::scenario_internal
