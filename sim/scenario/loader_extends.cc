// The scenario loader's variants: a file with `extends: base.yaml` takes the
// base's game and overrides or adds parameters, payoffs, modifiers,
// arguments and simulation settings.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "sim/core/text_file.h"
#include "sim/scenario/loader_internal.h"

namespace parley::scenario_internal {

StatusOr<ScenarioSpec> Loader::LoadVariant(const YAML::Node& root) {
  namespace fs = std::filesystem;
  // The game itself (actors, stages, outcomes, threats) comes from the base:
  // a variant changes numbers and arguments, not the game's structure.
  for (const char* key : {"actors", "sequence", "outcomes", "threats"}) {
    if (root[key]) {
      const YAML::Node k = root[key];
      for (const auto& kv : root) {
        if (kv.first.IsScalar() && kv.first.Scalar() == key) {
          return Error(kv.first, std::string("a variant (a file with `extends`) cannot change `") +
                                     key +
                                     "`: it takes the game's actors, sequence, outcomes and "
                                     "threats from its base; copy the base to change them");
        }
      }
      return Error(k, std::string("a variant cannot change `") + key + "`");
    }
  }
  PARLEY_RETURN_IF_ERROR(
      CheckMap(root, "a variant (a scenario with `extends`)",
               {"extends", "name", "description", "parameters", "payoffs", "modifiers", "arguments",
                "factors", "correlations", "observed", "simulation", "rounds"},
               {"extends"}));
  const YAML::Node ext = root["extends"];
  std::string base_name;
  PARLEY_RETURN_IF_ERROR(ReadString(ext, "`extends`", &base_name));
  if (base_name.empty()) return Error(ext, "`extends` must name the base scenario file");
  const fs::path base_path =
      (fs::path(file_).parent_path() / fs::path(base_name)).lexically_normal();
  std::error_code ec;
  const std::string self = fs::weakly_canonical(fs::path(file_), ec).string();
  const std::string base_key = fs::weakly_canonical(base_path, ec).string();
  std::vector<std::string> chain = chain_;
  chain.push_back(self);
  if (std::find(chain.begin(), chain.end(), base_key) != chain.end()) {
    return Error(ext, "`extends` makes a cycle: " + base_path.string() +
                          " extends (directly or through other files) " + file_);
  }
  // `chain` holds this file and the variants extending it; the base would
  // be file chain.size() + 1 of the chain.
  if (chain.size() >= kMaxExtendsChain) {
    return Error(ext, "`extends` chains are limited to " + std::to_string(kMaxExtendsChain) +
                          " files (the variant you asked for, the files it extends, and the "
                          "base); this base would be file " +
                          std::to_string(chain.size() + 1));
  }
  if (!fs::is_regular_file(base_path, ec)) {
    return Error(ext, "`extends`: no scenario file '" + base_path.string() +
                          "' (the path is relative to " + file_ + ")");
  }
  auto base = LoadFileInChain(base_path.string(), options_, chain);
  if (!base.ok()) {
    return InvalidArgument(base.status().message() + " (in the base of " + file_ + ")");
  }
  spec_ = std::move(*base);
  spec_.path = file_;
  spec_.extends_chain.insert(spec_.extends_chain.begin(), file_);
  note_ = " (extending " + base_path.string() + ")";
  sequential_ = spec_.sequential();
  stage_ids_.clear();
  for (const auto& st : spec_.stages) stage_ids_.push_back(st.id);
  if (sequential_) {
    UseStageVariables(spec_.stages.size());
    PARLEY_RETURN_IF_ERROR(CheckTreeSize(ext));
  } else {
    UseActorVariables();
    num_cells_ = spec_.NumProfiles();
  }

  if (root["name"]) PARLEY_RETURN_IF_ERROR(ReadString(root["name"], "`name`", &spec_.name));
  if (root["description"]) {
    PARLEY_RETURN_IF_ERROR(ReadString(root["description"], "`description`", &spec_.description));
  }
  if (root["parameters"]) PARLEY_RETURN_IF_ERROR(MergeParameters(root["parameters"]));
  // A variant may make a one-round base a negotiation of several rounds
  // (its state variables are new parameters, which what follows may name).
  if (root["rounds"]) {
    if (spec_.rounds) {
      return Error(root["rounds"],
                   "a variant cannot change its base's `rounds`; copy the base "
                   "to change them");
    }
    PARLEY_RETURN_IF_ERROR(ReadRoundsState(root["rounds"]));
    PARLEY_RETURN_IF_ERROR(ReadRounds(root["rounds"]));
  }
  if (root["payoffs"]) PARLEY_RETURN_IF_ERROR(MergePayoffs(root["payoffs"]));
  if (root["modifiers"]) {
    PARLEY_RETURN_IF_ERROR(ReadModifiers(root["modifiers"]));
    PARLEY_RETURN_IF_ERROR(CheckRuleWork(root["modifiers"]));
  }
  if (root["arguments"]) {
    PARLEY_RETURN_IF_ERROR(MergeArguments(root["arguments"]));
    PARLEY_RETURN_IF_ERROR(CheckRuleWork(root["arguments"]));
  }
  PARLEY_RETURN_IF_ERROR(ReadCopula(root));
  // New `when` rules may change which histories share a subgame.
  if (sequential_) PARLEY_RETURN_IF_ERROR(CheckTreeSize(ext));
  if (root["observed"]) PARLEY_RETURN_IF_ERROR(ReadObserved(root["observed"]));
  if (root["simulation"]) PARLEY_RETURN_IF_ERROR(ReadSimulation(root["simulation"]));
  return std::move(spec_);
}

Status Loader::MergeParameters(const YAML::Node& node) {
  if (!node.IsMap()) {
    return Error(node,
                 "`parameters` must be a mapping from parameter name to a value, for "
                 "example {sanctions_cost: {uniform: [1, 3]}}");
  }
  std::set<std::string> seen;
  for (const auto& kv : node) {
    std::string id;
    PARLEY_RETURN_IF_ERROR(ReadId(kv.first, "a parameter name", &id));
    if (!seen.insert(id).second) return Error(kv.first, "duplicate parameter '" + id + "'");
    ParameterSpec p;
    p.id = id;
    p.loc = Loc(kv.first);
    PARLEY_RETURN_IF_ERROR(ReadParameterBody(kv.second, &p));
    auto it = std::find_if(spec_.parameters.begin(), spec_.parameters.end(),
                           [&](const ParameterSpec& q) { return q.id == id; });
    if (it == spec_.parameters.end()) {
      spec_.parameters.push_back(std::move(p));
    } else {
      if (p.description.empty()) p.description = it->description;
      *it = std::move(p);  // same index: payoffs referring to it follow
    }
  }
  return OkStatus();
}

Status Loader::MergePayoffs(const YAML::Node& node) {
  std::vector<std::string> outcome_ids, actor_ids;
  for (const auto& o : spec_.outcomes) outcome_ids.push_back(o.id);
  for (const auto& a : spec_.actors) actor_ids.push_back(a.id);
  PARLEY_RETURN_IF_ERROR(CheckMap(
      node, "`payoffs` (outcome -> actor -> value; entries to override)", outcome_ids, {}));
  for (const auto& row : node) {
    const int o = spec_.FindOutcome(row.first.Scalar());
    PARLEY_RETURN_IF_ERROR(
        CheckMap(row.second, "payoffs of outcome '" + row.first.Scalar() + "'", actor_ids, {}));
    for (const auto& kv : row.second) {
      const int a = spec_.FindActor(kv.first.Scalar());
      PARLEY_RETURN_IF_ERROR(
          ReadValue(kv.second, "payoff of " + kv.first.Scalar() + " in " + row.first.Scalar(), true,
                    &spec_.payoffs[o][a]));
    }
  }
  return OkStatus();
}

Status Loader::MergeArguments(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckSequence(node, "`arguments`"));
  std::set<std::string> seen;
  for (const auto& item : node) {
    const YAML::Node id = item.IsMap() ? item["id"] : YAML::Node();
    const int g = id && id.IsScalar() ? spec_.FindArgument(id.Scalar()) : -1;
    if (g >= 0) {
      if (!seen.insert(id.Scalar()).second) {
        return Error(id, "argument '" + id.Scalar() + "' is overridden twice");
      }
      PARLEY_RETURN_IF_ERROR(ReadArgument(item, true, &spec_.arguments[g]));
      continue;
    }
    // An unknown id with keys missing is most likely a misspelt override.
    if (id && id.IsScalar() && item.IsMap()) {
      for (const std::string& key : keys_required_) {
        if (item[key]) continue;
        std::vector<std::string> ids;
        for (const auto& a : spec_.arguments) ids.push_back(a.id);
        std::string msg = "the base has no argument '" + id.Scalar() + "'";
        const std::string guess = DidYouMean(id.Scalar(), ids);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        return Error(id, msg + " (a new argument needs every key: " + Join(keys_required_) + "; '" +
                             key + "' is missing)");
      }
    }
    ArgumentSpec arg;
    PARLEY_RETURN_IF_ERROR(ReadArgument(item, false, &arg));
    seen.insert(arg.id);
    spec_.arguments.push_back(std::move(arg));
  }
  return OkStatus();
}

StatusOr<ScenarioSpec> LoadFileInChain(const std::string& path, const LoadOptions& options,
                                       std::vector<std::string> chain) {
  PARLEY_ASSIGN_OR_RETURN(const std::string text,
                          ReadTextFile(path, options.max_file_bytes, "scenario file"));
  return Loader(path, options, std::move(chain)).Load(text);
}

}  // namespace parley::scenario_internal
