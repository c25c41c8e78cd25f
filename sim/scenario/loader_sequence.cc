// The scenario loader's sequential part: the stages of `sequence` (actors'
// moves and chance moves, their `when` and `unobserved`), the size of the
// tree they make, and the `threats` over them.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

#include "sim/scenario/loader_internal.h"

namespace parley::scenario_internal {

Status Loader::ReadChance(const YAML::Node& node, StageSpec* stage) const {
  if (!node.IsMap() || node.size() == 0) {
    return Error(node, "stage '" + stage->id +
                           "' `chance` must map each option to its probability, for example "
                           "{rain: 0.3, sun: rest}");
  }
  if (node.size() > static_cast<size_t>(kMaxOptions)) {
    return Error(node, "stage '" + stage->id + "' has too many chance options");
  }
  double fixed_sum = 0.0, max_sum = 0.0;
  bool any_random = false;
  for (const auto& kv : node) {
    std::string id;
    PARLEY_RETURN_IF_ERROR(ReadId(kv.first, "a chance option", &id));
    if (std::find(stage->options.begin(), stage->options.end(), id) != stage->options.end()) {
      return Error(kv.first, "duplicate option '" + id + "' for stage " + stage->id);
    }
    const int index = static_cast<int>(stage->options.size());
    stage->options.push_back(id);
    stage->option_labels.push_back(id);
    ValueSpec v;
    v.loc = Loc(kv.second);
    if (kv.second.IsScalar() && kv.second.Scalar() == "rest") {
      if (stage->rest_option >= 0) {
        return Error(kv.second, "stage '" + stage->id + "': only one option can take the `rest`");
      }
      stage->rest_option = index;
    } else {
      if (kv.second.IsScalar() && !LooksNumeric(kv.second.Scalar())) {
        // A word: a parameter (not allowed here) or a misspelt `rest`.
        const std::string& word = kv.second.Scalar();
        const bool parameter = std::any_of(
            spec_.parameters.begin(), spec_.parameters.end(), [&](const ParameterSpec& p) {
              return p.id == (word.starts_with('-') ? word.substr(1) : word);
            });
        const std::string what = "the probability of " + stage->id + ": " + id;
        const std::string expected =
            "a number, a distribution within [0, 1] such as {beta: [2, 5]}, or `rest` (1 minus "
            "the others)";
        if (parameter) {
          return Error(kv.second,
                       what + " cannot name a parameter ('" + word + "'); it must be " + expected);
        }
        return Error(kv.second, what + " must be " + expected + ", got '" + word + "'");
      }
      PARLEY_RETURN_IF_ERROR(
          ReadValue(kv.second, "the probability of " + stage->id + ": " + id, false, &v));
      const double lo = v.distribution.SupportMin(), hi = v.distribution.SupportMax();
      if (!(lo >= 0.0 && hi <= 1.0)) {
        return Error(kv.second, "the probability of " + stage->id + ": " + id +
                                    " must stay in [0, 1], but " + v.distribution.ToString() +
                                    " can be " + (lo < 0.0 ? "negative" : "above 1") +
                                    "; use a constant, a uniform or triangular within [0, 1], "
                                    "or a beta");
      }
      any_random = any_random || v.distribution.is_random();
      fixed_sum += v.distribution.Mean();
      max_sum += hi;
    }
    stage->probabilities.push_back(v);
  }
  const int n = static_cast<int>(stage->options.size());
  if (stage->rest_option < 0) {
    if (any_random) {
      return Error(node, "stage '" + stage->id +
                             "' draws its probabilities, so they cannot be checked to sum to 1; "
                             "give one option the probability `rest` (1 minus the others)");
    }
    if (std::abs(fixed_sum - 1.0) > 1e-9) {
      return Error(node, "the probabilities of stage '" + stage->id + "' sum to " +
                             FormatNumber(fixed_sum) +
                             ", not 1; fix them or give one option the probability `rest`");
    }
  } else if (max_sum > 1.0 + 1e-12) {
    return Error(node, "the probabilities of stage '" + stage->id + "' can sum to " +
                           FormatNumber(max_sum) + ", more than 1, leaving `rest` negative");
  }
  (void)n;
  return OkStatus();
}

Status Loader::ReadStage(const YAML::Node& item, StageSpec* stage) {
  PARLEY_RETURN_IF_ERROR(
      CheckMap(item, "a stage",
               {"id", "actor", "chance", "options", "when", "when_any", "unobserved", "note"}, {}));
  stage->loc = Loc(item);
  const bool has_actor = static_cast<bool>(item["actor"]);
  const bool has_chance = static_cast<bool>(item["chance"]);
  if (has_actor == has_chance) {
    return Error(item, std::string("a stage needs ") + (has_actor ? "either" : "exactly one of") +
                           " `actor` (who moves) " + (has_actor ? "or" : "and") +
                           " `chance` (a random move)" + (has_actor ? ", not both" : ""));
  }
  if (item["id"]) PARLEY_RETURN_IF_ERROR(ReadId(item["id"], "stage `id`", &stage->id));
  if (has_actor) {
    Status st;
    stage->actor = FindActorOrError(item["actor"], "stage `actor`", &st);
    if (stage->actor < 0) return st;
    if (stage->id.empty()) stage->id = spec_.actors[stage->actor].id;
    const ActorSpec& actor = spec_.actors[stage->actor];
    if (item["options"]) {
      PARLEY_RETURN_IF_ERROR(ReadOptionList(item["options"], "stage " + stage->id, &stage->options,
                                            &stage->option_labels));
    } else if (actor.options.empty()) {
      return Error(item, "stage '" + stage->id + "' needs `options`: actor " + actor.id +
                             " lists none to default to");
    } else {
      stage->options = actor.options;
      stage->option_labels = actor.option_labels;
    }
  } else {
    if (stage->id.empty()) return Error(item, "a chance stage needs an `id`");
    if (item["options"]) {
      return Error(item["options"], "a chance stage lists its options under `chance`");
    }
    PARLEY_RETURN_IF_ERROR(ReadChance(item["chance"], stage));
  }
  if (spec_.FindStage(stage->id) >= 0) {
    return Error(item["id"] ? item["id"] : item,
                 "duplicate stage id '" + stage->id +
                     (item["id"] ? "'"
                                 : "' (an actor's stage is named after the actor; give "
                                   "this stage its own `id`)"));
  }
  UseStageVariables(spec_.stages.size());
  if (item["when"] || item["when_any"]) {
    PARLEY_RETURN_IF_ERROR(ReadRule(item, "stage '" + stage->id + "'", false, &stage->when));
    stage->has_when = true;
  }
  if (item["unobserved"]) {
    const YAML::Node u = item["unobserved"];
    PARLEY_RETURN_IF_ERROR(CheckSequence(u, "`unobserved` of stage " + stage->id));
    for (const auto& x : u) {
      const std::string id = x.IsScalar() ? x.Scalar() : "";
      const int k = spec_.FindStage(id);
      if (k < 0) {
        std::vector<std::string> ids;
        for (const auto& st : spec_.stages) ids.push_back(st.id);
        std::string msg =
            "stage '" + stage->id + "' `unobserved`: unknown earlier stage '" + id + "'";
        const std::string guess = DidYouMean(id, ids);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        return Error(x, msg);
      }
      if (std::find(stage->unobserved.begin(), stage->unobserved.end(), k) !=
          stage->unobserved.end()) {
        return Error(x, "stage '" + id + "' is listed twice in `unobserved`");
      }
      stage->unobserved.push_back(k);
    }
    if (stage->actor < 0 && !stage->unobserved.empty()) {
      return Error(u, "a chance stage observes nothing; `unobserved` is for actors' stages");
    }
  }
  return OkStatus();
}

Status Loader::ReadSequence(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckSequence(node, "`sequence`"));
  if (node.size() == 0) return Error(node, "`sequence` must list at least one stage");
  if (node.size() > kMaxStages) {
    return Error(node, "`sequence` lists " + std::to_string(node.size()) + " stages; at most " +
                           std::to_string(kMaxStages) + " are supported");
  }
  for (const auto& item : node) {
    if (!item.IsMap()) continue;  // ReadStage says what is wrong
    const YAML::Node id = item["id"] ? item["id"] : item["actor"];
    if (id && id.IsScalar()) stage_ids_.push_back(id.Scalar());
  }
  for (const auto& item : node) {
    StageSpec stage;
    PARLEY_RETURN_IF_ERROR(ReadStage(item, &stage));
    spec_.stages.push_back(std::move(stage));
  }
  PARLEY_RETURN_IF_ERROR(CheckTreeSize(node));
  UseStageVariables(spec_.stages.size());
  return OkStatus();
}

Status Loader::CheckTreeSize(const YAML::Node& node) {
  int64_t nodes = 0;
  if (!spec_.WalkSequence(
          options_.max_profiles, spec_.perfect_information(),
          [&](int, int, int, const std::vector<int>&) { return static_cast<int>(nodes++); },
          [](int, int, int) {})) {
    return Error(node, "the game tree is too large: more than " +
                           std::to_string(options_.max_profiles) +
                           " nodes, the limit that fits in memory; use fewer stages or options, "
                           "or end histories early with `when`");
  }
  num_cells_ = nodes;
  return OkStatus();
}

Status Loader::ReadThreats(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckSequence(node, "`threats`"));
  for (const auto& item : node) {
    PARLEY_RETURN_IF_ERROR(CheckMap(item, "a threat",
                                    {"id", "claim", "stage", "if", "if_any", "then"},
                                    {"id", "stage", "then"}));
    ThreatSpec t;
    t.loc = Loc(item);
    PARLEY_RETURN_IF_ERROR(ReadId(item["id"], "threat `id`", &t.id));
    for (const auto& other : spec_.threats) {
      if (other.id == t.id) return Error(item["id"], "duplicate threat id '" + t.id + "'");
    }
    if (item["claim"]) PARLEY_RETURN_IF_ERROR(ReadString(item["claim"], "`claim`", &t.claim));
    const YAML::Node sn = item["stage"];
    const std::string sid = sn.IsScalar() ? sn.Scalar() : "";
    t.stage = spec_.FindStage(sid);
    if (t.stage < 0) {
      std::vector<std::string> ids;
      for (const auto& st : spec_.stages) ids.push_back(st.id);
      std::string msg = "threat " + t.id + ": unknown stage '" + sid + "'";
      const std::string guess = DidYouMean(sid, ids);
      if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
      return Error(sn, msg + " (stages: " + Join(ids) + ")");
    }
    const StageSpec& stage = spec_.stages[t.stage];
    if (stage.actor < 0) {
      return Error(sn, "threat " + t.id + ": stage '" + sid +
                           "' is a chance move; a threat is an actor's move");
    }
    const YAML::Node then = item["then"];
    const std::string action = then.IsScalar() ? then.Scalar() : "";
    auto it = std::find(stage.options.begin(), stage.options.end(), action);
    if (it == stage.options.end()) {
      std::string msg = "threat " + t.id + " `then`: '" + action + "' is not an option of " + sid;
      const std::string guess = DidYouMean(action, stage.options);
      if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
      return Error(then, msg + " (options: " + Join(stage.options) + ")");
    }
    t.action = static_cast<int>(it - stage.options.begin());
    if (item["if"] && item["if_any"]) {
      return Error(item, "threat " + t.id + " needs at most one of `if` and `if_any`");
    }
    UseStageVariables(static_cast<size_t>(t.stage));
    if (item["if"]) {
      Condition c;
      PARLEY_RETURN_IF_ERROR(ReadCondition(item["if"], "threat " + t.id + " `if`", &c));
      t.condition.any_of.push_back(std::move(c));
      t.has_condition = true;
    } else if (item["if_any"]) {
      const YAML::Node any = item["if_any"];
      PARLEY_RETURN_IF_ERROR(CheckSequence(any, "threat " + t.id + " `if_any`"));
      if (any.size() == 0) return Error(any, "`if_any` must list at least one condition");
      for (const auto& x : any) {
        Condition c;
        PARLEY_RETURN_IF_ERROR(ReadCondition(x, "threat " + t.id + " `if_any` item", &c));
        t.condition.any_of.push_back(std::move(c));
      }
      t.has_condition = true;
    }
    UseStageVariables(spec_.stages.size());
    spec_.threats.push_back(std::move(t));
  }
  return OkStatus();
}

}  // namespace parley::scenario_internal
