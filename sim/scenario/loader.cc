// The scenario loader: the document (size, nesting, YAML syntax), the
// sections of a normal-form scenario in the order each needs the ones before
// (actors, parameters, outcomes, payoffs, modifiers, arguments, simulation),
// and the entry points of loader.h. Stages and threats: loader_sequence.cc;
// variants: loader_extends.cc; the YAML primitives: yaml_reader.cc.
#include "sim/scenario/loader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/text.h"
#include "sim/scenario/loader_internal.h"

namespace parley {

namespace {}  // namespace

namespace scenario_internal {

void Loader::UseActorVariables() {
  vars_.clear();
  var_kind_ = "actor";
  for (const auto& a : spec_.actors) vars_.push_back({a.id, &a.options});
}

void Loader::UseStageVariables(size_t count) {
  vars_.clear();
  var_kind_ = "stage";
  for (size_t k = 0; k < count; ++k)
    vars_.push_back({spec_.stages[k].id, &spec_.stages[k].options});
}

Status Loader::ReadValue(const YAML::Node& node, const std::string& what, bool allow_parameters,
                         ValueSpec* out) const {
  out->loc = Loc(node);
  const std::string expected =
      std::string("a number, a distribution such as {normal: [mean, sd]}") +
      (allow_parameters ? ", or a parameter name (optionally with a leading '-')" : "");
  if (node.IsScalar()) {
    // Anything that starts like a number must be a valid one.
    if (LooksNumeric(node.Scalar())) {
      double x;
      PARLEY_RETURN_IF_ERROR(ReadNumber(node, what, &x));
      out->distribution = Distribution::Constant(x);
      return OkStatus();
    }
    std::string name = node.Scalar();
    double scale = 1.0;
    if (!name.empty() && name[0] == '-') {
      scale = -1.0;
      name = name.substr(1);
    }
    if (allow_parameters && IsIdentifier(name)) {
      for (size_t i = 0; i < spec_.parameters.size(); ++i) {
        if (spec_.parameters[i].id == name) {
          out->parameter = static_cast<int>(i);
          out->scale = scale;
          return OkStatus();
        }
      }
      std::vector<std::string> ids;
      for (const auto& p : spec_.parameters) ids.push_back(p.id);
      std::string msg = what + ": unknown parameter '" + name + "'";
      const std::string guess = DidYouMean(name, ids);
      if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
      msg += ids.empty() ? " (the scenario defines no parameters)"
                         : " (parameters: " + Join(ids) + ")";
      return Error(node, msg);
    }
    return Error(node, what + " must be " + expected + ", got '" + node.Scalar() + "'");
  }
  return ReadDistribution(node, what, expected, &out->distribution);
}

// An actor's `anchor`: the option its naive (level-0) play is anchored on,
// its public position (level-k, cognitive-hierarchy).
Status Loader::ReadAnchor(const YAML::Node& node, ActorSpec& actor) const {
  if (sequential_) {
    return Error(node,
                 "`anchor` is for actors of normal-form scenarios (the level-0 play of level-k "
                 "and cognitive-hierarchy); this scenario is sequential");
  }
  std::string id;
  PARLEY_RETURN_IF_ERROR(ReadString(node, "actor `anchor`", &id));
  const auto it = std::find(actor.options.begin(), actor.options.end(), id);
  if (it == actor.options.end()) {
    return Error(node, "actor " + actor.id + " has no option '" + id +
                           "' to anchor on (options: " + Join(actor.options) + ")");
  }
  actor.anchor = static_cast<int>(it - actor.options.begin());
  actor.anchor_loc = Loc(node);
  return OkStatus();
}

int Loader::FindActorOrError(const YAML::Node& key, const std::string& what, Status* st) const {
  const std::string id = key.IsScalar() ? key.Scalar() : "";
  const int a = spec_.FindActor(id);
  if (a < 0) {
    std::vector<std::string> ids;
    for (const auto& x : spec_.actors) ids.push_back(x.id);
    std::string msg = what + ": unknown actor '" + id + "'";
    const std::string guess = DidYouMean(id, ids);
    if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
    *st = Error(key, msg + " (actors: " + Join(ids) + ")");
  }
  return a;
}

Status Loader::ReadCondition(const YAML::Node& node, const std::string& what,
                             Condition* out) const {
  if (!node.IsMap() || node.size() == 0) {
    return Error(node, what + " must be a mapping from " + var_kind_ +
                           " to option(s), for example {russia: walkout} or "
                           "{us: [talks, walkout]}");
  }
  out->allowed.assign(vars_.size(), {});
  std::set<size_t> seen;
  for (const auto& kv : node) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    size_t v = 0;
    while (v < vars_.size() && vars_[v].id != key) ++v;
    if (v == vars_.size()) {
      if (sequential_ &&
          (spec_.FindStage(key) >= 0 ||
           std::find(stage_ids_.begin(), stage_ids_.end(), key) != stage_ids_.end())) {
        return Error(kv.first, what + ": stage '" + key +
                                   "' is not played yet at this point; a condition can only "
                                   "refer to earlier stages");
      }
      std::vector<std::string> ids;
      for (const auto& x : vars_) ids.push_back(x.id);
      std::string msg = what + ": unknown " + var_kind_ + " '" + key + "'";
      const std::string guess = DidYouMean(key, ids);
      if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
      if (sequential_ && var_kind_ == "stage" && spec_.FindActor(key) >= 0) {
        msg += "; in a sequential scenario conditions name stages, not actors";
      }
      return Error(kv.first,
                   msg + " (" + var_kind_ + "s: " + (ids.empty() ? "none" : Join(ids)) + ")");
    }
    if (!seen.insert(v).second)
      return Error(kv.first, what + ": " + var_kind_ + " '" + key + "' is named twice");
    const std::vector<std::string>& opts = *vars_[v].options;
    std::vector<YAML::Node> options;
    if (kv.second.IsSequence() && kv.second.size() > 0 && kv.second.size() <= kMaxListItems) {
      for (const auto& o : kv.second) options.push_back(o);
    } else {
      options.push_back(kv.second);
    }
    out->allowed[v].assign(opts.size(), false);
    for (const YAML::Node& o : options) {
      const std::string id = o.IsScalar() ? o.Scalar() : "";
      auto it = std::find(opts.begin(), opts.end(), id);
      if (it == opts.end()) {
        std::string msg = what + ": '" + id + "' is not an option of " + key;
        const std::string guess = DidYouMean(id, opts);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        return Error(o, msg + " (options: " + Join(opts) + ")");
      }
      out->allowed[v][it - opts.begin()] = true;
    }
  }
  out->constrained.clear();
  for (size_t v = 0; v < out->allowed.size(); ++v) {
    if (!out->allowed[v].empty()) out->constrained.push_back(static_cast<int32_t>(v));
  }
  return OkStatus();
}

Status Loader::ReadRule(const YAML::Node& node, const std::string& what, bool allow_otherwise,
                        ProfileRule* rule) const {
  const bool has_when = static_cast<bool>(node["when"]);
  const bool has_any = static_cast<bool>(node["when_any"]);
  const bool has_otherwise = allow_otherwise && static_cast<bool>(node["otherwise"]);
  const int count = has_when + has_any + has_otherwise;
  if (count != 1) {
    const std::string keys =
        allow_otherwise ? "`when`, `when_any` or `otherwise: true`" : "`when` or `when_any`";
    return Error(node,
                 what + " needs exactly one of " + keys + (count == 0 ? "" : ", not several"));
  }
  if (has_when) {
    Condition c;
    PARLEY_RETURN_IF_ERROR(ReadCondition(node["when"], what + " `when`", &c));
    rule->any_of.push_back(std::move(c));
  } else if (has_any) {
    const YAML::Node any = node["when_any"];
    PARLEY_RETURN_IF_ERROR(CheckSequence(any, what + " `when_any`"));
    if (any.size() == 0) return Error(any, what + " `when_any` must list at least one condition");
    for (const auto& item : any) {
      Condition c;
      PARLEY_RETURN_IF_ERROR(ReadCondition(item, what + " `when_any` item", &c));
      rule->any_of.push_back(std::move(c));
    }
  } else {
    const YAML::Node o = node["otherwise"];
    if (!o.IsScalar() || o.Scalar() != "true") {
      return Error(o, what + " `otherwise` must be `true`");
    }
    rule->otherwise = true;
  }
  return OkStatus();
}

Status Loader::ReadOptionList(const YAML::Node& opts, const std::string& owner,
                              std::vector<std::string>* ids,
                              std::vector<std::string>* labels) const {
  PARLEY_RETURN_IF_ERROR(CheckSequence(opts, "`options` of " + owner));
  if (opts.size() == 0) return Error(opts, owner + " needs at least one option");
  if (opts.size() > kMaxOptions) {
    return Error(opts, owner + " has " + std::to_string(opts.size()) + " options; at most " +
                           std::to_string(kMaxOptions) + " are supported");
  }
  for (const auto& o : opts) {
    std::string id, label;
    if (o.IsMap()) {
      PARLEY_RETURN_IF_ERROR(CheckMap(o, "an option", {"id", "label"}, {"id"}));
      PARLEY_RETURN_IF_ERROR(ReadId(o["id"], "option `id`", &id));
      label = id;
      if (o["label"]) PARLEY_RETURN_IF_ERROR(ReadString(o["label"], "option `label`", &label));
    } else {
      PARLEY_RETURN_IF_ERROR(ReadId(o, "an option of " + owner, &id));
      label = id;
    }
    if (std::find(ids->begin(), ids->end(), id) != ids->end()) {
      return Error(o, "duplicate option '" + id + "' for " + owner);
    }
    ids->push_back(id);
    labels->push_back(label);
  }
  return OkStatus();
}

Status Loader::ReadActors(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckSequence(node, "`actors`"));
  if (node.size() == 0) return Error(node, "`actors` must list at least one actor");
  if (node.size() > kMaxActors) {
    return Error(node, "`actors` lists " + std::to_string(node.size()) + " actors; at most " +
                           std::to_string(kMaxActors) + " are supported");
  }
  for (const auto& item : node) {
    PARLEY_RETURN_IF_ERROR(
        CheckMap(item, "an actor", {"id", "name", "description", "options", "anchor"}, {"id"}));
    ActorSpec a;
    a.loc = Loc(item);
    PARLEY_RETURN_IF_ERROR(ReadId(item["id"], "actor `id`", &a.id));
    if (spec_.FindActor(a.id) >= 0) return Error(item["id"], "duplicate actor id '" + a.id + "'");
    a.name = a.id;
    if (item["name"]) PARLEY_RETURN_IF_ERROR(ReadString(item["name"], "actor `name`", &a.name));
    if (item["options"]) {
      PARLEY_RETURN_IF_ERROR(
          ReadOptionList(item["options"], "actor " + a.id, &a.options, &a.option_labels));
    } else if (!sequential_) {
      return Error(item, "an actor is missing the required key 'options'");
    }
    if (item["anchor"]) PARLEY_RETURN_IF_ERROR(ReadAnchor(item["anchor"], a));
    spec_.actors.push_back(std::move(a));
  }
  if (sequential_) return OkStatus();  // the tree's size is checked with the sequence
  const int64_t profiles = spec_.NumProfiles();
  num_cells_ = profiles;
  UseActorVariables();
  if (profiles > options_.max_profiles) {
    std::string sizes;
    for (const auto& a : spec_.actors) {
      sizes += (sizes.empty() ? "" : " x ") + std::to_string(a.options.size());
    }
    return Error(
        node, "the game is too large: " + sizes + " options make " +
                  (profiles == std::numeric_limits<int64_t>::max() ? std::string("more than 9.2e18")
                                                                   : std::to_string(profiles)) +
                  " strategy profiles, more than the limit of " +
                  std::to_string(options_.max_profiles) + " that fits in memory");
  }
  return OkStatus();
}

Status Loader::ReadParameters(const YAML::Node& node) {
  if (!node.IsMap()) {
    return Error(node,
                 "`parameters` must be a mapping from parameter name to a value, for "
                 "example {sanctions_cost: {uniform: [1, 3]}}");
  }
  for (const auto& kv : node) {
    ParameterSpec p;
    p.loc = Loc(kv.first);
    PARLEY_RETURN_IF_ERROR(ReadId(kv.first, "a parameter name", &p.id));
    for (const auto& q : spec_.parameters) {
      if (q.id == p.id) return Error(kv.first, "duplicate parameter '" + p.id + "'");
    }
    PARLEY_RETURN_IF_ERROR(ReadParameterBody(kv.second, &p));
    spec_.parameters.push_back(std::move(p));
  }
  return OkStatus();
}

Status Loader::ReadParameterBody(const YAML::Node& body, ParameterSpec* p) const {
  const bool described = body.IsMap() && body["value"];
  if (described) {
    PARLEY_RETURN_IF_ERROR(
        CheckMap(body, "parameter " + p->id, {"value", "description"}, {"value"}));
    if (body["description"]) {
      PARLEY_RETURN_IF_ERROR(ReadString(body["description"], "`description`", &p->description));
    }
  }
  ValueSpec v;
  PARLEY_RETURN_IF_ERROR(
      ReadValue(described ? body["value"] : body, "parameter " + p->id, false, &v));
  p->value = v.distribution;
  return OkStatus();
}

Status Loader::ReadOutcomes(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckSequence(node, "`outcomes`"));
  if (node.size() == 0) return Error(node, "`outcomes` must list at least one outcome");
  bool seen_otherwise = false;
  for (const auto& item : node) {
    PARLEY_RETURN_IF_ERROR(CheckMap(item, "an outcome",
                                    {"id", "label", "description", "when", "when_any", "otherwise"},
                                    {"id"}));
    OutcomeSpec o;
    o.loc = Loc(item);
    PARLEY_RETURN_IF_ERROR(ReadId(item["id"], "outcome `id`", &o.id));
    if (outcome_index_.count(o.id) > 0)
      return Error(item["id"], "duplicate outcome id '" + o.id + "'");
    if (o.id == "unresolved") {
      return Error(item["id"],
                   "the outcome id 'unresolved' is reserved for samples a model "
                   "cannot resolve; choose another id");
    }
    if (seen_otherwise) {
      return Error(item, "outcome '" + o.id +
                             "' can never be reached: an earlier outcome has "
                             "`otherwise: true` and outcomes are matched in order");
    }
    o.label = o.id;
    if (item["label"])
      PARLEY_RETURN_IF_ERROR(ReadString(item["label"], "outcome `label`", &o.label));
    if (item["description"]) {
      PARLEY_RETURN_IF_ERROR(ReadString(item["description"], "`description`", &o.description));
    }
    PARLEY_RETURN_IF_ERROR(ReadRule(item, "outcome '" + o.id + "'", true, &o.rule));
    seen_otherwise = o.rule.otherwise;
    outcome_index_.emplace(o.id, static_cast<int>(spec_.outcomes.size()));
    spec_.outcomes.push_back(std::move(o));
  }
  PARLEY_RETURN_IF_ERROR(CheckRuleWork(node));
  return CheckCoverage(node);
}

Status Loader::CheckRuleWork(const YAML::Node& where) const {
  size_t conditions = 0;
  for (const auto& o : spec_.outcomes) conditions += o.rule.any_of.size();
  for (const auto& m : spec_.modifiers) conditions += m.rule.any_of.size();
  for (const auto& a : spec_.arguments) {
    for (const auto& e : a.effects) conditions += e.rule.any_of.size();
  }
  const double work = static_cast<double>(num_cells_) * static_cast<double>(conditions) *
                      static_cast<double>(std::max<size_t>(vars_.size(), 1));
  if (work > kMaxRuleWork) {
    return Error(where, "the rules are too large to evaluate: " + std::to_string(num_cells_) +
                            (sequential_ ? " tree nodes x " : " strategy profiles x ") +
                            std::to_string(conditions) +
                            " `when` conditions; use fewer options or fewer, broader conditions");
  }
  return OkStatus();
}

Status Loader::CheckCoverage(const YAML::Node& outcomes_node) const {
  if (spec_.outcomes.back().rule.otherwise) return OkStatus();
  if (sequential_) {
    std::string uncovered;
    // The outcomes' conditions can split histories that the stages' `when`
    // alone let share a node, so the walk may visit more nodes than were
    // counted with the sequence: bound it by the tree limit, not that count.
    const bool walked = spec_.WalkSequence(
        options_.max_profiles, spec_.perfect_information(),
        [&](int stage, int, int, const std::vector<int>& history) {
          if (stage >= 0 || !uncovered.empty()) return 0;
          for (const auto& o : spec_.outcomes) {
            if (o.rule.Matches(history)) return 0;
          }
          for (size_t k = 0; k < history.size(); ++k) {
            if (history[k] < 0) continue;
            uncovered += (uncovered.empty() ? "" : ", ") + spec_.stages[k].id + ": " +
                         spec_.stages[k].options[history[k]];
          }
          if (uncovered.empty()) uncovered = " ";
          return 0;
        },
        [](int, int, int) {});
    if (!walked) {
      return Error(outcomes_node, "the game tree is too large: more than " +
                                      std::to_string(options_.max_profiles) +
                                      " nodes once the outcomes' conditions are applied; use "
                                      "fewer stages or options, or end histories early with "
                                      "`when`");
    }
    if (uncovered.empty()) return OkStatus();
    return Error(outcomes_node, "the terminal history {" + uncovered +
                                    "} is not covered by any outcome; extend a `when`, or "
                                    "add a last outcome with `otherwise: true`");
  }
  std::vector<int> counts;
  for (const auto& a : spec_.actors) counts.push_back(static_cast<int>(a.options.size()));
  std::vector<int> profile(counts.size(), 0);
  while (true) {
    bool covered = false;
    for (const auto& o : spec_.outcomes) {
      if (o.rule.Matches(profile)) {
        covered = true;
        break;
      }
    }
    if (!covered) {
      std::string p;
      for (size_t a = 0; a < profile.size(); ++a) {
        p += (a ? ", " : "") + spec_.actors[a].id + ": " + spec_.actors[a].options[profile[a]];
      }
      return Error(outcomes_node, "the profile {" + p +
                                      "} is not covered by any outcome; extend "
                                      "a `when`, or add a last outcome with `otherwise: true`");
    }
    size_t a = 0;
    while (a < profile.size() && ++profile[a] == counts[a]) profile[a++] = 0;
    if (a == profile.size()) break;
  }
  return OkStatus();
}

int Loader::OutcomeIndex(const std::string& id) const {
  if (outcome_index_.size() != spec_.outcomes.size()) return spec_.FindOutcome(id);
  const auto found = outcome_index_.find(id);
  return found == outcome_index_.end() ? -1 : found->second;
}

Status Loader::ReadPayoffs(const YAML::Node& node) {
  std::vector<std::string> outcome_ids, actor_ids;
  for (const auto& o : spec_.outcomes) outcome_ids.push_back(o.id);
  for (const auto& a : spec_.actors) actor_ids.push_back(a.id);
  PARLEY_RETURN_IF_ERROR(CheckMap(node, "`payoffs` (outcome -> actor -> value)", outcome_ids, {}));
  spec_.payoffs.assign(spec_.outcomes.size(), std::vector<ValueSpec>(spec_.actors.size()));
  // The rows by outcome, in one pass: yaml-cpp finds a key by scanning.
  std::vector<YAML::Node> rows(spec_.outcomes.size());
  std::vector<uint8_t> has_row(spec_.outcomes.size(), 0);
  for (const auto& kv : node) {
    const int o = OutcomeIndex(kv.first.Scalar());
    if (o < 0 || has_row[o]) continue;
    rows[o] = kv.second;
    has_row[o] = 1;
  }
  for (size_t o = 0; o < spec_.outcomes.size(); ++o) {
    const std::string& oid = spec_.outcomes[o].id;
    const YAML::Node& row = rows[o];
    if (!has_row[o]) {
      return Error(node, "`payoffs` has no entry for outcome '" + oid +
                             "'; every outcome needs a payoff for every actor (" + Join(actor_ids) +
                             ")");
    }
    PARLEY_RETURN_IF_ERROR(CheckMap(row, "payoffs of outcome '" + oid + "'", actor_ids, {}));
    for (size_t a = 0; a < spec_.actors.size(); ++a) {
      const std::string& aid = spec_.actors[a].id;
      const YAML::Node v = row[aid];
      if (!v) {
        return Error(row, "missing payoff for actor '" + aid + "' in outcome '" + oid + "'");
      }
      PARLEY_RETURN_IF_ERROR(
          ReadValue(v, "payoff of " + aid + " in " + oid, true, &spec_.payoffs[o][a]));
    }
  }
  return OkStatus();
}

Status Loader::ReadModifiers(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckSequence(node, "`modifiers`"));
  std::vector<std::string> actor_ids;
  for (const auto& a : spec_.actors) actor_ids.push_back(a.id);
  int index = 0;
  for (const auto& item : node) {
    const std::string what = "modifier #" + std::to_string(++index);
    PARLEY_RETURN_IF_ERROR(CheckMap(item, what, {"when", "when_any", "add", "note"}, {"add"}));
    ModifierSpec m;
    m.loc = Loc(item);
    if (item["note"]) PARLEY_RETURN_IF_ERROR(ReadString(item["note"], "`note`", &m.note));
    PARLEY_RETURN_IF_ERROR(ReadRule(item, what, false, &m.rule));
    const YAML::Node add = item["add"];
    PARLEY_RETURN_IF_ERROR(CheckMap(add, what + " `add` (actor -> value)", actor_ids, {}));
    for (const auto& kv : add) {
      const int a = spec_.FindActor(kv.first.Scalar());
      ValueSpec v;
      PARLEY_RETURN_IF_ERROR(
          ReadValue(kv.second, what + " shift for " + kv.first.Scalar(), true, &v));
      m.add.emplace_back(a, v);
    }
    spec_.modifiers.push_back(std::move(m));
  }
  return OkStatus();
}

Status Loader::ReadEffect(const YAML::Node& node, const std::string& what, EffectSpec* e) const {
  PARLEY_RETURN_IF_ERROR(CheckMap(
      node, what, {"outcome", "actor", "parameter", "when", "when_any", "add", "note"}, {"add"}));
  e->loc = Loc(node);
  const bool has_outcome = static_cast<bool>(node["outcome"]);
  const bool has_rule = node["when"] || node["when_any"];
  const bool has_param = static_cast<bool>(node["parameter"]);
  if (has_outcome + has_rule + has_param != 1) {
    return Error(node, what +
                           " needs exactly one target: `outcome` + `actor` (shift a payoff), "
                           "`when`/`when_any` + `actor` (shift a payoff in matching profiles), "
                           "or `parameter` (shift a parameter)");
  }
  if (has_param) {
    if (node["actor"]) return Error(node["actor"], what + ": a parameter effect takes no `actor`");
    const std::string id = node["parameter"].IsScalar() ? node["parameter"].Scalar() : "";
    for (size_t i = 0; i < spec_.parameters.size(); ++i) {
      if (spec_.parameters[i].id == id) e->parameter = static_cast<int>(i);
    }
    if (e->parameter < 0) {
      std::vector<std::string> ids;
      for (const auto& p : spec_.parameters) ids.push_back(p.id);
      std::string msg = what + ": unknown parameter '" + id + "'";
      const std::string guess = DidYouMean(id, ids);
      if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
      return Error(node["parameter"], msg);
    }
    e->target = EffectSpec::Target::kParameter;
  } else {
    if (!node["actor"]) return Error(node, what + " is missing the required key 'actor'");
    Status st;
    e->actor = FindActorOrError(node["actor"], what, &st);
    if (e->actor < 0) return st;
    if (has_outcome) {
      const YAML::Node on = node["outcome"];
      const std::string id = on.IsScalar() ? on.Scalar() : "";
      e->outcome = OutcomeIndex(id);
      if (e->outcome < 0) {
        std::vector<std::string> ids;
        for (const auto& o : spec_.outcomes) ids.push_back(o.id);
        std::string msg = what + ": unknown outcome '" + id + "'";
        const std::string guess = DidYouMean(id, ids);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        return Error(on, msg + " (outcomes: " + Join(ids) + ")");
      }
      e->target = EffectSpec::Target::kOutcomePayoff;
    } else {
      PARLEY_RETURN_IF_ERROR(ReadRule(node, what, false, &e->rule));
      e->target = EffectSpec::Target::kProfilePayoff;
    }
  }
  // An effect's shift is a number or a distribution, drawn only when the
  // argument holds; a parameter reference would need a product of two random
  // values, which the linear payoff form does not have.
  const YAML::Node add = node["add"];
  if (add.IsScalar() && IsIdentifier(add.Scalar().substr(add.Scalar().starts_with('-') ? 1 : 0)) &&
      !LooksLikeNonFinite(add.Scalar())) {
    return Error(add, what +
                          " `add` must be a number or a distribution; parameters cannot be "
                          "used in argument effects (got '" +
                          add.Scalar() + "')");
  }
  return ReadValue(node["add"], what + " `add`", false, &e->add);
}

Status Loader::ReadArguments(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckSequence(node, "`arguments`"));
  for (const auto& item : node) {
    ArgumentSpec arg;
    PARLEY_RETURN_IF_ERROR(ReadArgument(item, false, &arg));
    if (spec_.FindArgument(arg.id) >= 0) {
      return Error(item["id"], "duplicate argument id '" + arg.id + "'");
    }
    spec_.arguments.push_back(std::move(arg));
  }
  return OkStatus();
}

Status Loader::ReadArgument(const YAML::Node& item, bool override, ArgumentSpec* arg) const {
  const std::vector<std::string> keys = {"id", "analyst", "claim", "source", "credence", "effects"};
  PARLEY_RETURN_IF_ERROR(CheckMap(item, override ? "an argument override" : "an argument", keys,
                                  override ? std::vector<std::string>{"id"} : keys_required_));
  if (!override) arg->loc = Loc(item);
  PARLEY_RETURN_IF_ERROR(ReadId(item["id"], "argument `id`", &arg->id));
  if (item["analyst"])
    PARLEY_RETURN_IF_ERROR(ReadString(item["analyst"], "`analyst`", &arg->analyst));
  if (item["claim"]) PARLEY_RETURN_IF_ERROR(ReadString(item["claim"], "`claim`", &arg->claim));
  if (item["source"]) PARLEY_RETURN_IF_ERROR(ReadString(item["source"], "`source`", &arg->source));
  if (item["credence"]) {
    PARLEY_RETURN_IF_ERROR(ReadNumber(item["credence"], "`credence`", &arg->credence));
    if (arg->credence < 0.0 || arg->credence > 1.0) {
      return Error(item["credence"], "`credence` of " + arg->id +
                                         " is a probability and must be in [0, 1], got " +
                                         item["credence"].Scalar());
    }
  }
  if (!item["effects"]) return OkStatus();
  const YAML::Node effects = item["effects"];
  PARLEY_RETURN_IF_ERROR(CheckSequence(effects, "`effects` of " + arg->id));
  if (effects.size() == 0) {
    return Error(effects, "argument " + arg->id + " needs at least one effect");
  }
  arg->effects.clear();  // an override's effects replace the base's
  int index = 0;
  for (const auto& e : effects) {
    EffectSpec effect;
    PARLEY_RETURN_IF_ERROR(
        ReadEffect(e, "effect #" + std::to_string(++index) + " of argument " + arg->id, &effect));
    arg->effects.push_back(std::move(effect));
  }
  return OkStatus();
}

namespace {

// An ISO 8601 calendar date, YYYY-MM-DD, that exists (no 2023-02-30).
bool IsIsoDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  const int year = std::stoi(text.substr(0, 4));
  const int month = std::stoi(text.substr(5, 2));
  const int day = std::stoi(text.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace

Status Loader::ReadObserved(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckMap(node, "`observed` (what happened: outcome, date, source)",
                                  {"outcome", "date", "source", "note"},
                                  {"outcome", "date", "source"}));
  ObservedSpec observed;
  observed.loc = Loc(node);
  const YAML::Node outcome = node["outcome"];
  std::string id;
  PARLEY_RETURN_IF_ERROR(ReadId(outcome, "`observed.outcome`", &id));
  observed.outcome = OutcomeIndex(id);
  observed.outcome_loc = Loc(outcome);
  if (observed.outcome < 0) {
    std::vector<std::string> ids;
    for (const auto& o : spec_.outcomes) ids.push_back(o.id);
    std::string msg = "`observed.outcome`: unknown outcome '" + id + "'";
    const std::string guess = DidYouMean(id, ids);
    if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
    return Error(outcome, msg + " (the scenario's outcomes: " + Join(ids) + ")");
  }
  PARLEY_RETURN_IF_ERROR(ReadString(node["date"], "`observed.date`", &observed.date));
  if (!IsIsoDate(observed.date)) {
    return Error(node["date"], "`observed.date` must be a calendar date written YYYY-MM-DD, got '" +
                                   observed.date + "'");
  }
  PARLEY_RETURN_IF_ERROR(ReadString(node["source"], "`observed.source`", &observed.source));
  if (observed.source.empty()) {
    return Error(node["source"], "`observed.source` must say where the outcome is documented");
  }
  if (node["note"]) {
    PARLEY_RETURN_IF_ERROR(ReadString(node["note"], "`observed.note`", &observed.note));
  }
  spec_.observed = std::move(observed);
  return OkStatus();
}

Status Loader::ReadSimulation(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(
      CheckMap(node, "`simulation`", {"samples", "seed", "model", "selection"}, {}));
  SimulationSpec& sim = spec_.simulation;
  if (node["samples"]) {
    uint64_t n;
    PARLEY_RETURN_IF_ERROR(ReadInteger(node["samples"], "`samples`", 1, uint64_t{1} << 40, &n));
    sim.samples = static_cast<int64_t>(n);
  }
  if (node["seed"]) {
    PARLEY_RETURN_IF_ERROR(
        ReadInteger(node["seed"], "`seed`", 0, std::numeric_limits<uint64_t>::max(), &sim.seed));
  }
  // Without `model` (or `selection`), messages about the default point at
  // `simulation`; in a variant, at the base's setting, which still applies.
  if (note_.empty()) sim.model_loc = sim.selection_loc = Loc(node);
  if (node["model"]) PARLEY_RETURN_IF_ERROR(ReadModel(node["model"], &sim));
  if (node["selection"]) {
    sim.selection_loc = Loc(node["selection"]);
    PARLEY_RETURN_IF_ERROR(ReadId(node["selection"], "`selection`", &sim.selection));
  }
  return OkStatus();
}

Status Loader::ReadModel(const YAML::Node& node, SimulationSpec* sim) const {
  // Whichever form: the model and every parameter of the one before go.
  sim->model_parameters.clear();
  if (!node.IsMap()) {
    PARLEY_RETURN_IF_ERROR(ReadId(node, "`model`", &sim->model));
    sim->model_loc = Loc(node);
    return OkStatus();
  }
  const std::string what = "`model` (a model name, or {name: MODEL, PARAMETER: VALUE, ...})";
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) return Error(kv.first, "keys in `model` must be plain words");
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) return Error(kv.first, "duplicate key '" + key + "' in `model`");
  }
  if (!seen.count("name")) return Error(node, what + " is missing the required key 'name'");
  PARLEY_RETURN_IF_ERROR(ReadId(node["name"], "the model `name`", &sim->model));
  sim->model_loc = Loc(node["name"]);
  for (const auto& kv : node) {
    if (kv.first.Scalar() == "name") continue;
    ModelParameterSetting setting;
    PARLEY_RETURN_IF_ERROR(ReadId(kv.first, "a model parameter name", &setting.name));
    if (!kv.second.IsScalar()) {
      const std::string got = kv.second.IsMap()        ? "a mapping"
                              : kv.second.IsSequence() ? "a list"
                                                       : "nothing";
      // An empty value has no position of its own: point at its key.
      return Error(kv.second.IsNull() ? kv.first : kv.second,
                   "model parameter `" + setting.name +
                       "` must be a single value such as 2 or alternating, got " + got +
                       " (model parameters are not sampled)");
    }
    // Kept as written, and written to results: the rule for text applies.
    PARLEY_RETURN_IF_ERROR(
        ReadString(kv.second, "model parameter `" + setting.name + "`", &setting.value));
    setting.loc = Loc(kv.second);
    sim->model_parameters.push_back(std::move(setting));
  }
  return OkStatus();
}

StatusOr<ScenarioSpec> Loader::Load(std::string_view text) {
  spec_.path = file_;
  spec_.extends_chain = {file_};
  spec_.simulation.model_loc = spec_.simulation.selection_loc = {file_, 1, 1};
  static constexpr DocumentKind kScenario{
      "scenario files", "a scenario",
      "a scenario mapping with `name`, `actors`, `outcomes` and `payoffs`"};
  PARLEY_ASSIGN_OR_RETURN(const YAML::Node root,
                          ParseDocument(text, file_, kScenario, options_.max_file_bytes,
                                        options_.max_nesting, options_.max_yaml_nodes));
  if (root.IsMap() && root["extends"]) {
    try {
      return LoadVariant(root);
    } catch (const YAML::Exception& e) {
      return InvalidArgument(file_ + ":" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": error: " + e.msg + note_);
    }
  }
  try {
    PARLEY_RETURN_IF_ERROR(CheckMap(root, "the scenario",
                                    {"name", "description", "actors", "parameters", "sequence",
                                     "outcomes", "payoffs", "modifiers", "arguments", "factors",
                                     "correlations", "threats", "observed", "simulation", "rounds"},
                                    {"name", "actors", "outcomes", "payoffs"}));
    PARLEY_RETURN_IF_ERROR(ReadString(root["name"], "`name`", &spec_.name));
    if (root["description"]) {
      PARLEY_RETURN_IF_ERROR(ReadString(root["description"], "`description`", &spec_.description));
    }
    sequential_ = static_cast<bool>(root["sequence"]);
    PARLEY_RETURN_IF_ERROR(ReadActors(root["actors"]));
    if (root["parameters"]) PARLEY_RETURN_IF_ERROR(ReadParameters(root["parameters"]));
    if (root["rounds"]) PARLEY_RETURN_IF_ERROR(ReadRoundsState(root["rounds"]));
    if (sequential_) PARLEY_RETURN_IF_ERROR(ReadSequence(root["sequence"]));
    PARLEY_RETURN_IF_ERROR(ReadOutcomes(root["outcomes"]));
    if (root["rounds"]) PARLEY_RETURN_IF_ERROR(ReadRounds(root["rounds"]));
    PARLEY_RETURN_IF_ERROR(ReadPayoffs(root["payoffs"]));
    if (root["modifiers"]) {
      PARLEY_RETURN_IF_ERROR(ReadModifiers(root["modifiers"]));
      PARLEY_RETURN_IF_ERROR(CheckRuleWork(root["modifiers"]));
    }
    if (root["arguments"]) {
      PARLEY_RETURN_IF_ERROR(ReadArguments(root["arguments"]));
      PARLEY_RETURN_IF_ERROR(CheckRuleWork(root["arguments"]));
    }
    PARLEY_RETURN_IF_ERROR(ReadCopula(root));
    if (root["threats"]) {
      if (!sequential_) {
        return Error(root["threats"],
                     "`threats` need a `sequence`: a threat is a move that "
                     "follows other moves");
      }
      PARLEY_RETURN_IF_ERROR(ReadThreats(root["threats"]));
    }
    if (sequential_) {
      // Every rule is known now: the compiled tree's size is final.
      PARLEY_RETURN_IF_ERROR(CheckTreeSize(root["sequence"]));
      spec_.simulation.model = "spe";
    }
    if (root["observed"]) PARLEY_RETURN_IF_ERROR(ReadObserved(root["observed"]));
    if (root["simulation"]) PARLEY_RETURN_IF_ERROR(ReadSimulation(root["simulation"]));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(file_ + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": error: " + e.msg);
  }
  return std::move(spec_);
}

}  // namespace scenario_internal

using scenario_internal::Loader;
using scenario_internal::LoadFileInChain;

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::numeric_limits<size_t>::max();
  for (const std::string& c : candidates) {
    // Optimal string alignment distance: edits plus swaps of adjacent letters.
    const size_t n = word.size(), m = c.size();
    auto same = [&](size_t i, size_t j) { return std::tolower(word[i]) == std::tolower(c[j]); };
    std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
    for (size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (size_t i = 1; i <= n; ++i) {
      for (size_t j = 1; j <= m; ++j) {
        d[i][j] =
            std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + !same(i - 1, j - 1)});
        if (i > 1 && j > 1 && same(i - 1, j - 2) && same(i - 2, j - 1)) {
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    if (d[n][m] < best_distance) {
      best_distance = d[n][m];
      best = c;
    }
  }
  const size_t limit = std::max<size_t>(1, std::min<size_t>(3, word.size() / 3));
  return best_distance <= limit ? best : std::string();
}

StatusOr<ScenarioSpec> LoadScenarioString(std::string_view text, const std::string& display_name,
                                          const LoadOptions& options) {
  return Loader(display_name, options).Load(text);
}

StatusOr<ScenarioSpec> LoadScenarioFile(const std::string& path, const LoadOptions& options) {
  return LoadFileInChain(path, options, {});
}

}  // namespace parley
