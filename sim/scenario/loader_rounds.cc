// The `rounds` section: a multi-round negotiation (spec.h, RoundsSpec). Read
// in two steps: the state variables right after `parameters` (they are
// parameters, which payoffs may name), the rest after `outcomes`.
#include <algorithm>
#include <cmath>

#include "sim/scenario/loader_internal.h"

namespace parley::scenario_internal {

namespace {

constexpr uint64_t kMaxRounds = 1000;
constexpr size_t kMaxStateVariables = 16;

const std::vector<std::string> kRoundsKeys = {"max",      "continue", "foresight",
                                              "learning", "discount", "state"};

}  // namespace

Status Loader::ReadRoundsState(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckMap(node, "`rounds`", kRoundsKeys, {"max", "continue"}));
  spec_.rounds.emplace();
  spec_.rounds->loc = spec_.rounds->foresight_loc = spec_.rounds->learning_loc = Loc(node);
  const YAML::Node state = node["state"];
  if (!state) return OkStatus();
  if (!state.IsMap()) {
    return Error(state,
                 "`rounds.state` must be a mapping from state variable name to {initial, "
                 "change, end}, for example {front: {initial: 0, change: {talks: -0.1}}}");
  }
  if (state.size() > kMaxStateVariables) {
    return Error(state, "`rounds.state` may declare at most " + std::to_string(kMaxStateVariables) +
                            " state variables");
  }
  for (const auto& kv : state) {
    StateVariableSpec v;
    v.loc = Loc(kv.first);
    PARLEY_RETURN_IF_ERROR(ReadId(kv.first, "a state variable name", &v.id));
    for (const auto& p : spec_.parameters) {
      if (p.id == v.id) {
        return Error(kv.first, "state variable '" + v.id +
                                   "' has the name of a parameter; a state variable is a "
                                   "parameter already (payoffs name it the same way)");
      }
    }
    const YAML::Node body = kv.second;
    PARLEY_RETURN_IF_ERROR(CheckMap(body, "state variable " + v.id,
                                    {"initial", "description", "change", "end"}, {"initial"}));
    if (body["description"]) {
      PARLEY_RETURN_IF_ERROR(ReadString(body["description"], "`description`", &v.description));
    }
    ParameterSpec p;
    p.id = v.id;
    p.description = v.description;
    p.loc = v.loc;
    ValueSpec initial;
    PARLEY_RETURN_IF_ERROR(
        ReadValue(body["initial"], "state variable " + v.id + " `initial`", false, &initial));
    p.value = initial.distribution;
    v.parameter = static_cast<int>(spec_.parameters.size());
    spec_.parameters.push_back(std::move(p));
    spec_.rounds->state.push_back(std::move(v));
  }
  return OkStatus();
}

int Loader::OutcomeOrError(const YAML::Node& node, const std::string& what, Status* st) const {
  std::string id;
  if (Status read = ReadId(node, what, &id); !read.ok()) {
    *st = read;
    return -1;
  }
  const int o = OutcomeIndex(id);
  if (o < 0) {
    std::vector<std::string> ids;
    for (const auto& x : spec_.outcomes) ids.push_back(x.id);
    std::string msg = what + ": unknown outcome '" + id + "'";
    const std::string guess = DidYouMean(id, ids);
    if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
    *st = Error(node, msg + " (outcomes: " + Join(ids) + ")");
  }
  return o;
}

Status Loader::ReadRounds(const YAML::Node& node) {
  RoundsSpec& rounds = *spec_.rounds;
  const int outcomes = static_cast<int>(spec_.outcomes.size());
  uint64_t max = 0;
  PARLEY_RETURN_IF_ERROR(ReadInteger(node["max"], "`rounds.max`", 1, kMaxRounds, &max));
  rounds.max_rounds = static_cast<int>(max);

  // Which outcomes lead to another round; the others end the negotiation.
  const YAML::Node cont = node["continue"];
  rounds.continues.assign(outcomes, false);
  if (cont.IsScalar()) {
    Status st;
    const int o = OutcomeOrError(cont, "`rounds.continue`", &st);
    if (o < 0) return st;
    rounds.continues[o] = true;
  } else {
    PARLEY_RETURN_IF_ERROR(CheckSequence(cont, "`rounds.continue`"));
    for (const auto& item : cont) {
      Status st;
      const int o = OutcomeOrError(item, "`rounds.continue`", &st);
      if (o < 0) return st;
      if (rounds.continues[o]) {
        return Error(item, "`rounds.continue` names outcome '" + spec_.outcomes[o].id + "' twice");
      }
      rounds.continues[o] = true;
    }
  }
  const int continuing =
      static_cast<int>(std::count(rounds.continues.begin(), rounds.continues.end(), true));
  if (continuing == 0) {
    return Error(cont,
                 "`rounds.continue` must name at least one outcome that leads to another "
                 "round");
  }
  if (continuing == outcomes && rounds.state.empty()) {
    return Error(cont,
                 "every outcome continues the negotiation and no state bound ends it: "
                 "`rounds.continue` must leave out at least one outcome that ends it (such as "
                 "a ceasefire or a collapse)");
  }

  if (node["foresight"]) {
    const YAML::Node f = node["foresight"];
    std::string word;
    PARLEY_RETURN_IF_ERROR(ReadString(f, "`rounds.foresight`", &word));
    if (word == "myopic") {
      rounds.foresight = Foresight::kMyopic;
    } else if (word == "forward-looking") {
      rounds.foresight = Foresight::kForwardLooking;
    } else {
      return Error(f, "`rounds.foresight` must be myopic or forward-looking, got '" + word + "'");
    }
    rounds.foresight_loc = Loc(f);
  }
  if (node["learning"]) {
    const YAML::Node l = node["learning"];
    std::string word;
    PARLEY_RETURN_IF_ERROR(ReadString(l, "`rounds.learning`", &word));
    if (word == "fresh") {
      rounds.learning = RoundsLearning::kFresh;
    } else if (word == "carried") {
      rounds.learning = RoundsLearning::kCarried;
    } else {
      return Error(l, "`rounds.learning` must be fresh or carried, got '" + word + "'");
    }
    rounds.learning_loc = Loc(l);
    if (rounds.learning == RoundsLearning::kCarried &&
        rounds.foresight == Foresight::kForwardLooking) {
      return Error(l, std::string(kCarriedNeedsMyopic));
    }
  }

  // Discount factors: one number for every actor, or actor -> number.
  rounds.discount.assign(spec_.actors.size(), 1.0);
  if (const YAML::Node d = node["discount"]; d) {
    auto read_factor = [&](const YAML::Node& n, const std::string& what, double* out) -> Status {
      PARLEY_RETURN_IF_ERROR(ReadNumber(n, what, out));
      if (!(*out > 0.0 && *out <= 1.0)) {
        return Error(n, what + " must be in (0, 1], got " + FormatNumber(*out));
      }
      return OkStatus();
    };
    if (d.IsScalar()) {
      double x;
      PARLEY_RETURN_IF_ERROR(read_factor(d, "`rounds.discount`", &x));
      rounds.discount.assign(spec_.actors.size(), x);
    } else {
      std::vector<std::string> actor_ids;
      for (const auto& a : spec_.actors) actor_ids.push_back(a.id);
      PARLEY_RETURN_IF_ERROR(CheckMap(d, "`rounds.discount` (actor -> factor)", actor_ids, {}));
      for (const auto& kv : d) {
        Status st;
        const int a = FindActorOrError(kv.first, "`rounds.discount`", &st);
        if (a < 0) return st;
        PARLEY_RETURN_IF_ERROR(read_factor(kv.second, "`rounds.discount` of " + spec_.actors[a].id,
                                           &rounds.discount[a]));
      }
    }
  }

  // The state variables' changes and bounds (their `initial` was read with
  // the parameters).
  if (const YAML::Node state = node["state"]; state) {
    size_t k = 0;
    for (const auto& kv : state) {
      StateVariableSpec& v = rounds.state[k++];
      if (const YAML::Node change = kv.second["change"]; change) {
        if (!change.IsMap()) {
          return Error(change, "state variable " + v.id +
                                   " `change` must be a mapping from a continuing outcome to "
                                   "the change after a round that ends in it");
        }
        for (const auto& c : change) {
          Status st;
          const int o = OutcomeOrError(c.first, "state variable " + v.id + " `change`", &st);
          if (o < 0) return st;
          if (!rounds.continues[o]) {
            return Error(c.first, "state variable " + v.id + " `change`: outcome '" +
                                      spec_.outcomes[o].id +
                                      "' ends the negotiation, so no round follows it to "
                                      "change the state (continuing: name it in "
                                      "`rounds.continue`)");
          }
          ValueSpec value;
          PARLEY_RETURN_IF_ERROR(ReadValue(
              c.second, "state variable " + v.id + " change after '" + spec_.outcomes[o].id + "'",
              false, &value));
          v.changes.emplace_back(o, value.distribution);
        }
      }
      if (const YAML::Node end = kv.second["end"]; end) {
        PARLEY_RETURN_IF_ERROR(CheckSequence(end, "state variable " + v.id + " `end`"));
        for (const auto& item : end) {
          const std::string what = "a bound of state variable " + v.id;
          PARLEY_RETURN_IF_ERROR(CheckMap(item, what + " (at_most or at_least, and outcome)",
                                          {"at_most", "at_least", "outcome"}, {"outcome"}));
          if (static_cast<bool>(item["at_most"]) == static_cast<bool>(item["at_least"])) {
            return Error(item, what + " needs exactly one of at_most and at_least");
          }
          StateVariableSpec::Bound bound;
          bound.upper = static_cast<bool>(item["at_least"]);
          bound.loc = Loc(item);
          PARLEY_RETURN_IF_ERROR(
              ReadNumber(item[bound.upper ? "at_least" : "at_most"], what, &bound.value));
          Status st;
          bound.outcome = OutcomeOrError(item["outcome"], what + " `outcome`", &st);
          if (bound.outcome < 0) return st;
          if (rounds.continues[bound.outcome]) {
            return Error(item["outcome"], what + ": outcome '" + spec_.outcomes[bound.outcome].id +
                                              "' continues the negotiation; a bound ends it");
          }
          v.bounds.push_back(bound);
        }
      }
    }
  }
  const bool has_bounds = std::any_of(rounds.state.begin(), rounds.state.end(),
                                      [](const StateVariableSpec& v) { return !v.bounds.empty(); });
  if (continuing == outcomes && !has_bounds) {
    return Error(cont,
                 "every outcome continues the negotiation and no state bound ends it: leave an "
                 "outcome out of `rounds.continue` or give a state variable an `end`");
  }
  return OkStatus();
}

}  // namespace parley::scenario_internal
