#include "sim/report/html_report_document.h"

#include <cmath>

namespace parley::html {

Status Bad(const std::string& where, const std::string& what) {
  return InvalidArgument((where.empty() ? std::string("the document") : where) + ": " + what);
}

std::string TypeName(const J& v) { return v.type_name(); }

const J* Optional(const J& obj, const std::string& key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string StringOr(const J& obj, const std::string& key, const std::string& fallback) {
  const J* v = Optional(obj, key);
  return v && v->is_string() ? v->get<std::string>() : fallback;
}

std::string Child(const std::string& where, const std::string& key) {
  std::string escaped;  // RFC 6901: '~' -> "~0", '/' -> "~1"
  for (char c : key) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return where + "/" + escaped;
}
std::string Child(const std::string& where, size_t index) {
  return where + "/" + std::to_string(index);
}

StatusOr<const J*> Member(const J& obj, const std::string& where, const std::string& key) {
  if (!obj.is_object()) return Bad(where, "expected an object, found " + TypeName(obj));
  auto it = obj.find(key);
  if (it == obj.end()) return Bad(where, "missing key \"" + key + "\"");
  return &*it;
}

StatusOr<const J*> Array(const J& obj, const std::string& where, const std::string& key) {
  PARLEY_ASSIGN_OR_RETURN(const J* v, Member(obj, where, key));
  if (!v->is_array()) return Bad(Child(where, key), "expected an array, found " + TypeName(*v));
  return v;
}

StatusOr<std::string> String(const J& obj, const std::string& where, const std::string& key) {
  PARLEY_ASSIGN_OR_RETURN(const J* v, Member(obj, where, key));
  if (!v->is_string()) return Bad(Child(where, key), "expected a string, found " + TypeName(*v));
  return v->get<std::string>();
}

StatusOr<double> NumberValue(const J& v, const std::string& where) {
  if (!v.is_number()) return Bad(where, "expected a number, found " + TypeName(v));
  const double x = v.get<double>();
  if (!std::isfinite(x)) return Bad(where, "expected a finite number");
  return x;
}

StatusOr<double> Number(const J& obj, const std::string& where, const std::string& key) {
  PARLEY_ASSIGN_OR_RETURN(const J* v, Member(obj, where, key));
  return NumberValue(*v, Child(where, key));
}

// A number, or nothing when the key is absent or null.
StatusOr<std::optional<double>> NumberOrNull(const J& obj, const std::string& where,
                                             const std::string& key) {
  const J* v = Optional(obj, key);
  if (!v) return std::optional<double>();
  PARLEY_ASSIGN_OR_RETURN(const double x, NumberValue(*v, Child(where, key)));
  return std::optional<double>(x);
}

// A [low, high] pair, or nothing when absent or null.
StatusOr<std::optional<Ci>> CiOrNull(const J& obj, const std::string& where,
                                     const std::string& key) {
  const J* v = Optional(obj, key);
  if (!v) return std::optional<Ci>();
  const std::string at = Child(where, key);
  // A sensitivity index with no defined bootstrap resample has a null bound
  // (docs/reference/json-output.md): no interval to draw.
  if (v->is_array() && v->size() == 2 && ((*v)[0].is_null() || (*v)[1].is_null())) {
    return std::optional<Ci>();
  }
  if (!v->is_array() || v->size() != 2 || !(*v)[0].is_number() || !(*v)[1].is_number()) {
    return Bad(at, "expected [low, high], two numbers, found " + v->dump());
  }
  Ci ci{(*v)[0].get<double>(), (*v)[1].get<double>()};
  if (!std::isfinite(ci.lo) || !std::isfinite(ci.hi) || ci.lo > ci.hi) {
    return Bad(at, "expected finite numbers with low <= high, found " + v->dump());
  }
  return std::optional<Ci>(ci);
}

StatusOr<Estimate> ParseEstimate(const J& o, const std::string& where, bool needs_id) {
  Estimate e;
  if (needs_id) {
    PARLEY_ASSIGN_OR_RETURN(e.id, String(o, where, "id"));
  }
  e.label = StringOr(o, "label", e.id);
  PARLEY_ASSIGN_OR_RETURN(e.p, Number(o, where, "probability"));
  PARLEY_ASSIGN_OR_RETURN(e.ci, CiOrNull(o, where, "ci95"));
  PARLEY_ASSIGN_OR_RETURN(e.count, NumberOrNull(o, where, "count"));
  return e;
}

StatusOr<std::vector<Estimate>> ParseOutcomes(const J& obj, const std::string& where) {
  PARLEY_ASSIGN_OR_RETURN(const J* list, Array(obj, where, "outcomes"));
  std::vector<Estimate> out;
  for (size_t i = 0; i < list->size(); ++i) {
    PARLEY_ASSIGN_OR_RETURN(Estimate e,
                            ParseEstimate((*list)[i], Child(Child(where, "outcomes"), i), true));
    out.push_back(std::move(e));
  }
  return out;
}

// The outcomes, then "unresolved" where the object has it: comparisons and
// sweeps chart and tabulate it like an outcome, so their bars sum to 100%.
StatusOr<std::vector<Estimate>> ParseOutcomesAndUnresolved(const J& obj, const std::string& where) {
  PARLEY_ASSIGN_OR_RETURN(std::vector<Estimate> out, ParseOutcomes(obj, where));
  if (const J* u = Optional(obj, "unresolved")) {
    PARLEY_ASSIGN_OR_RETURN(Estimate e, ParseEstimate(*u, Child(where, "unresolved"), false));
    e.id = e.label = "unresolved";
    out.push_back(std::move(e));
  }
  return out;
}

// The object's `not_converged` share (iterative models), when it has one.
StatusOr<std::optional<Estimate>> ParseNotConverged(const J& obj, const std::string& where) {
  const J* u = Optional(obj, "not_converged");
  if (u == nullptr) return std::optional<Estimate>();
  PARLEY_ASSIGN_OR_RETURN(Estimate e, ParseEstimate(*u, Child(where, "not_converged"), false));
  e.id = e.label = "not converged";
  return std::optional<Estimate>(std::move(e));
}

namespace {

// An array of strings, or an empty one when the key is absent or null.
StatusOr<std::vector<std::string>> StringsOrNull(const J& obj, const std::string& where,
                                                 const std::string& key) {
  std::vector<std::string> out;
  const J* v = Optional(obj, key);
  if (!v) return out;
  const std::string at = Child(where, key);
  if (!v->is_array()) return Bad(at, "expected an array of strings, found " + TypeName(*v));
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      return Bad(Child(at, i), "expected a string, found " + TypeName((*v)[i]));
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

// The text of a seed or sample count: dump() keeps a 64-bit seed exact.
std::string NumberText(const J& doc, const std::string& key) {
  const J* v = Optional(doc, key);
  if (!v) return "";
  if (v->is_number()) return v->dump();
  return v->is_string() ? v->get<std::string>() : "";
}

// One scenario's provenance from `obj` (at `where`), taking the keys it lacks
// from `top` (the document, for comparison entries; else null).
StatusOr<ProvenanceDoc::Source> ParseSource(const J& obj, const std::string& where, const J* top) {
  ProvenanceDoc::Source src;
  Provenance& p = src.provenance;
  // Where `key` is read from: the object, else the top level.
  auto from = [&](const std::string& key) -> std::pair<const J*, std::string> {
    if (Optional(obj, key)) return {&obj, where};
    if (top && Optional(*top, key)) return {top, ""};
    return {nullptr, ""};
  };
  if (const J* scenario = Optional(obj, "scenario")) {
    if (scenario->is_object()) {
      src.name = StringOr(*scenario, "name", "");
      src.file = StringOr(*scenario, "file", "");
      PARLEY_ASSIGN_OR_RETURN(p.extends,
                              StringsOrNull(*scenario, Child(where, "scenario"), "extends"));
      if (const J* c = Optional(*scenario, "correlated_credences"); c && c->is_object()) {
        const std::string at = Child(Child(where, "scenario"), "correlated_credences");
        PARLEY_ASSIGN_OR_RETURN(p.correlated_arguments, StringsOrNull(*c, at, "arguments"));
        PARLEY_ASSIGN_OR_RETURN(p.factors, StringsOrNull(*c, at, "factors"));
        if (Optional(*c, "correlations")) {
          PARLEY_ASSIGN_OR_RETURN(const double n, Number(*c, at, "correlations"));
          p.correlations = static_cast<int>(n);
        }
      }
    } else if (scenario->is_string()) {
      src.name = scenario->get<std::string>();
    }
  }
  if (const J* o = from("model").first) p.model = StringOr(*o, "model", "");
  if (const J* o = from("selection").first) p.selection = StringOr(*o, "selection", "");
  if (auto [o, at] = from("model_parameters"); o) {
    const J& parameters = o->at("model_parameters");
    const std::string pat = Child(at, "model_parameters");
    if (!parameters.is_object()) {
      return Bad(pat, "expected an object of parameter -> value, found " + TypeName(parameters));
    }
    for (const auto& [name, value] : parameters.items()) {
      if (!value.is_string() && !value.is_number()) {
        return Bad(Child(pat, name), "expected a number or a string, found " + TypeName(value));
      }
      p.model_parameters.emplace_back(name, value);
    }
  } else if (auto [o, at] = from("lambda"); o) {
    // Results written before "model_parameters" have qre's lambda alone.
    PARLEY_RETURN_IF_ERROR(Number(*o, at, "lambda").status());
    p.model_parameters.emplace_back("lambda", o->at("lambda"));
  }
  if (auto [o, at] = from("overrides"); o) {
    const J& overrides = o->at("overrides");
    const std::string oat = Child(at, "overrides");
    if (!overrides.is_object()) {
      return Bad(oat,
                 "expected an object with set, with and without, found " + TypeName(overrides));
    }
    src.has_overrides = true;
    PARLEY_ASSIGN_OR_RETURN(p.set, StringsOrNull(overrides, oat, "set"));
    PARLEY_ASSIGN_OR_RETURN(p.with, StringsOrNull(overrides, oat, "with"));
    PARLEY_ASSIGN_OR_RETURN(p.without, StringsOrNull(overrides, oat, "without"));
  }
  return src;
}

}  // namespace

StatusOr<RoundsDoc> ParseRounds(const J& doc) {
  const std::string where = "/rounds";
  if (!doc.is_object()) return Bad(where, "expected an object");
  RoundsDoc d;
  PARLEY_ASSIGN_OR_RETURN(const double max, Number(doc, where, "max_rounds"));
  d.max_rounds = static_cast<int>(max);
  d.foresight = StringOr(doc, "foresight", "");
  d.learning = StringOr(doc, "learning", "");
  for (const char* key : {"ending", "state_variables"}) {
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, where, key));
    auto& out = std::string(key) == "ending" ? d.ending : d.state_variables;
    for (size_t i = 0; i < list->size(); ++i) {
      if (!(*list)[i].is_string()) return Bad(Child(Child(where, key), i), "expected a string");
      out.push_back((*list)[i].get<std::string>());
    }
  }
  PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, where, "by_round"));
  for (size_t i = 0; i < list->size(); ++i) {
    const J& e = (*list)[i];
    const std::string at = Child(Child(where, "by_round"), i);
    RoundsDoc::Round round;
    PARLEY_ASSIGN_OR_RETURN(const double number, Number(e, at, "round"));
    round.round = static_cast<int>(number);
    PARLEY_ASSIGN_OR_RETURN(round.negotiating, Number(e, at, "negotiating"));
    PARLEY_ASSIGN_OR_RETURN(round.hazard, NumberOrNull(e, at, "hazard"));
    PARLEY_ASSIGN_OR_RETURN(const J* ended, Member(e, at, "ended_by"));
    for (const std::string& id : d.ending) {
      const std::string eat = Child(Child(at, "ended_by"), id);
      PARLEY_ASSIGN_OR_RETURN(const J* one, Member(*ended, Child(at, "ended_by"), id));
      PARLEY_ASSIGN_OR_RETURN(const double p, Number(*one, eat, "probability"));
      PARLEY_ASSIGN_OR_RETURN(const std::optional<Ci> ci, CiOrNull(*one, eat, "ci95"));
      round.ended_by.emplace_back(p, ci);
    }
    PARLEY_ASSIGN_OR_RETURN(const J* state, Member(e, at, "state"));
    for (const std::string& v : d.state_variables) {
      const std::string sat = Child(Child(at, "state"), v);
      PARLEY_ASSIGN_OR_RETURN(const J* one, Member(*state, Child(at, "state"), v));
      PARLEY_ASSIGN_OR_RETURN(const std::optional<double> mean, NumberOrNull(*one, sat, "mean"));
      PARLEY_ASSIGN_OR_RETURN(const std::optional<double> sd, NumberOrNull(*one, sat, "sd"));
      round.state.emplace_back(mean, sd);
    }
    d.rounds.push_back(std::move(round));
  }
  if (const J* duration = Optional(doc, "duration")) {
    PARLEY_ASSIGN_OR_RETURN(d.mean_rounds,
                            NumberOrNull(*duration, Child(where, "duration"), "mean"));
    PARLEY_ASSIGN_OR_RETURN(d.mean_rounds_ci,
                            CiOrNull(*duration, Child(where, "duration"), "ci95"));
  }
  return d;
}

StatusOr<RunDoc> ParseRun(const J& doc) {
  RunDoc r;
  PARLEY_ASSIGN_OR_RETURN(r.outcomes, ParseOutcomes(doc, ""));
  if (const J* u = Optional(doc, "unresolved")) {
    PARLEY_ASSIGN_OR_RETURN(Estimate e, ParseEstimate(*u, "/unresolved", false));
    e.id = e.label = "unresolved";
    r.unresolved = e;
    r.unresolved_meaning = StringOr(*u, "meaning", "");
  }
  PARLEY_ASSIGN_OR_RETURN(r.not_converged, ParseNotConverged(doc, ""));
  if (r.not_converged) r.not_converged_meaning = StringOr(doc["not_converged"], "meaning", "");
  r.model_note = StringOr(doc, "model_note", "");
  if (Optional(doc, "payoffs")) {
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "payoffs"));
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string at = Child("/payoffs", i);
      Payoff p;
      PARLEY_ASSIGN_OR_RETURN(p.actor, String((*list)[i], at, "actor"));
      PARLEY_ASSIGN_OR_RETURN(p.mean, NumberOrNull((*list)[i], at, "mean"));
      PARLEY_ASSIGN_OR_RETURN(p.ci, CiOrNull((*list)[i], at, "ci95"));
      PARLEY_ASSIGN_OR_RETURN(p.n, NumberOrNull((*list)[i], at, "n"));
      r.payoffs.push_back(std::move(p));
    }
  }
  if (const J* eq = Optional(doc, "equilibria")) {
    PARLEY_ASSIGN_OR_RETURN(r.eq_none, NumberOrNull(*eq, "/equilibria", "none"));
    PARLEY_ASSIGN_OR_RETURN(r.eq_unique, NumberOrNull(*eq, "/equilibria", "unique"));
    PARLEY_ASSIGN_OR_RETURN(r.eq_multiple, NumberOrNull(*eq, "/equilibria", "multiple"));
  }
  if (Optional(doc, "arguments")) {
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "arguments"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& a = (*list)[i];
      const std::string at = Child("/arguments", i);
      Argument arg;
      PARLEY_ASSIGN_OR_RETURN(arg.id, String(a, at, "id"));
      arg.analyst = StringOr(a, "analyst", "");
      arg.claim = StringOr(a, "claim", "");
      arg.mode = StringOr(a, "mode", "");
      PARLEY_ASSIGN_OR_RETURN(arg.credence, NumberOrNull(a, at, "credence"));
      PARLEY_ASSIGN_OR_RETURN(arg.holds, NumberOrNull(a, at, "holds"));
      if (const J* effects = Optional(a, "effects")) {
        const std::string eat = Child(at, "effects");
        if (!effects->is_object()) return Bad(eat, "expected an object of outcome -> effect");
        for (const auto& [outcome, e] : effects->items()) {
          Effect eff{outcome, {}, {}};
          if (!e.is_object()) return Bad(Child(eat, outcome), "expected {\"effect\", \"ci95\"}");
          PARLEY_ASSIGN_OR_RETURN(eff.effect, NumberOrNull(e, Child(eat, outcome), "effect"));
          PARLEY_ASSIGN_OR_RETURN(eff.ci, CiOrNull(e, Child(eat, outcome), "ci95"));
          arg.effects.push_back(std::move(eff));
        }
      }
      r.arguments.push_back(std::move(arg));
    }
  }
  if (const J* attribution = Optional(doc, "attribution")) {
    r.attribution_method = StringOr(*attribution, "method", "shapley");
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(*attribution, "/attribution", "arguments"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& a = (*list)[i];
      const std::string at = Child("/attribution/arguments", i);
      Shapley s;
      PARLEY_ASSIGN_OR_RETURN(s.id, String(a, at, "id"));
      s.analyst = StringOr(a, "analyst", "");
      PARLEY_ASSIGN_OR_RETURN(const J* values, Member(a, at, "shapley"));
      if (!values->is_object()) {
        return Bad(Child(at, "shapley"), "expected an object of outcome -> value");
      }
      for (const auto& [outcome, v] : values->items()) {
        PARLEY_ASSIGN_OR_RETURN(const double x,
                                NumberValue(v, Child(Child(at, "shapley"), outcome)));
        s.values.emplace_back(outcome, x);
      }
      r.attribution.push_back(std::move(s));
    }
  }
  if (const J* paths = Optional(doc, "paths")) {
    r.has_paths = true;
    PARLEY_ASSIGN_OR_RETURN(r.distinct_paths, NumberOrNull(*paths, "/paths", "distinct"));
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(*paths, "/paths", "most_frequent"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& p = (*list)[i];
      const std::string at = Child("/paths/most_frequent", i);
      Path path;
      PARLEY_ASSIGN_OR_RETURN(const J* branches, Array(p, at, "branches"));
      for (size_t b = 0; b < branches->size(); ++b) {
        const J& moves = (*branches)[b];
        if (!moves.is_array()) return Bad(Child(Child(at, "branches"), b), "expected an array");
        std::string text;
        path.branches.emplace_back();
        for (const J& m : moves) {
          if (!m.is_string()) return Bad(Child(Child(at, "branches"), b), "expected strings");
          text += (text.empty() ? "" : " \u2192 ") + m.get<std::string>();
          path.branches.back().push_back(m.get<std::string>());
        }
        path.text += (b ? "  |  " : "") + text;
      }
      PARLEY_ASSIGN_OR_RETURN(path.p, Number(p, at, "probability"));
      PARLEY_ASSIGN_OR_RETURN(path.ci, CiOrNull(p, at, "ci95"));
      PARLEY_ASSIGN_OR_RETURN(path.count, NumberOrNull(p, at, "count"));
      r.paths.push_back(std::move(path));
    }
  }
  if (Optional(doc, "threats")) {
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "threats"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& t = (*list)[i];
      const std::string at = Child("/threats", i);
      Threat threat;
      PARLEY_ASSIGN_OR_RETURN(threat.id, String(t, at, "id"));
      threat.claim = StringOr(t, "claim", "");
      threat.stage = StringOr(t, "stage", "");
      threat.action = StringOr(t, "action", "");
      PARLEY_ASSIGN_OR_RETURN(threat.credible, Number(t, at, "credible"));
      PARLEY_ASSIGN_OR_RETURN(threat.credible_ci, CiOrNull(t, at, "credible_ci95"));
      PARLEY_ASSIGN_OR_RETURN(threat.carried_out, Number(t, at, "carried_out"));
      PARLEY_ASSIGN_OR_RETURN(threat.carried_out_ci, CiOrNull(t, at, "carried_out_ci95"));
      r.threats.push_back(std::move(threat));
    }
  }
  if (Optional(doc, "actors")) {
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "actors"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& a = (*list)[i];
      const std::string at = Child("/actors", i);
      ActorActions actor;
      PARLEY_ASSIGN_OR_RETURN(actor.id, String(a, at, "id"));
      PARLEY_ASSIGN_OR_RETURN(const J* options, Array(a, at, "options"));
      for (size_t k = 0; k < options->size(); ++k) {
        const J& o = (*options)[k];
        const std::string oat = Child(Child(at, "options"), k);
        ActorActions::Option option;
        option.stage = StringOr(o, "stage", "");
        PARLEY_ASSIGN_OR_RETURN(option.id, String(o, oat, "id"));
        option.label = StringOr(o, "label", option.id);
        PARLEY_ASSIGN_OR_RETURN(option.share, Number(o, oat, "share"));
        PARLEY_ASSIGN_OR_RETURN(option.ci, CiOrNull(o, oat, "ci95"));
        PARLEY_ASSIGN_OR_RETURN(option.count, NumberOrNull(o, oat, "count"));
        actor.options.push_back(std::move(option));
      }
      if (Optional(a, "stages")) {
        PARLEY_ASSIGN_OR_RETURN(const J* stages, Array(a, at, "stages"));
        for (size_t k = 0; k < stages->size(); ++k) {
          const std::string sat = Child(Child(at, "stages"), k);
          PARLEY_ASSIGN_OR_RETURN(std::string id, String((*stages)[k], sat, "id"));
          PARLEY_ASSIGN_OR_RETURN(const double reached, Number((*stages)[k], sat, "reached"));
          actor.stages.emplace_back(std::move(id), reached);
        }
      }
      r.actors.push_back(std::move(actor));
    }
  }
  if (const J* profiles = Optional(doc, "profiles")) {
    r.has_profiles = true;
    if (const J* counted = Optional(*profiles, "counted")) {
      if (!counted->is_boolean()) {
        return Bad("/profiles/counted", "expected true or false, found " + TypeName(*counted));
      }
      r.profiles_counted = counted->get<bool>();
    }
    PARLEY_ASSIGN_OR_RETURN(r.profiles_total, NumberOrNull(*profiles, "/profiles", "total"));
    PARLEY_ASSIGN_OR_RETURN(r.profiles_distinct, NumberOrNull(*profiles, "/profiles", "distinct"));
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(*profiles, "/profiles", "most_frequent"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& p = (*list)[i];
      const std::string at = Child("/profiles/most_frequent", i);
      ProfileShare profile;
      PARLEY_ASSIGN_OR_RETURN(const J* options, Member(p, at, "options"));
      if (!options->is_object()) {
        return Bad(Child(at, "options"), "expected an object of actor -> option");
      }
      for (const auto& [actor, option] : options->items()) {
        if (!option.is_string()) {
          return Bad(Child(Child(at, "options"), actor),
                     "expected a string, found " + TypeName(option));
        }
        profile.options.emplace_back(actor, option.get<std::string>());
      }
      profile.outcome = StringOr(p, "outcome", "");
      PARLEY_ASSIGN_OR_RETURN(profile.share, Number(p, at, "share"));
      PARLEY_ASSIGN_OR_RETURN(profile.ci, CiOrNull(p, at, "ci95"));
      PARLEY_ASSIGN_OR_RETURN(profile.count, NumberOrNull(p, at, "count"));
      r.profiles.push_back(std::move(profile));
    }
  }
  if (const J* rounds = Optional(doc, "rounds")) {
    PARLEY_ASSIGN_OR_RETURN(r.rounds, ParseRounds(*rounds));
  }
  return r;
}

StatusOr<ComparisonDoc> ParseComparison(const J& doc) {
  ComparisonDoc c;
  PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "scenarios"));
  if (list->empty()) return Bad("/scenarios", "expected at least one scenario");
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string at = Child("/scenarios", i);
    ComparisonDoc::Scenario s;
    PARLEY_ASSIGN_OR_RETURN(const J* scenario, Member((*list)[i], at, "scenario"));
    PARLEY_ASSIGN_OR_RETURN(s.name, String(*scenario, Child(at, "scenario"), "name"));
    s.file = StringOr(*scenario, "file", "");
    PARLEY_ASSIGN_OR_RETURN(s.outcomes, ParseOutcomesAndUnresolved((*list)[i], at));
    PARLEY_ASSIGN_OR_RETURN(s.not_converged, ParseNotConverged((*list)[i], at));
    c.scenarios.push_back(std::move(s));
  }
  return c;
}

StatusOr<SweepDoc> ParseSweep(const J& doc) {
  SweepDoc s;
  PARLEY_ASSIGN_OR_RETURN(const J* vary, Array(doc, "", "vary"));
  if (vary->empty()) return Bad("/vary", "expected at least one varied name");
  for (size_t i = 0; i < vary->size(); ++i) {
    const std::string at = Child("/vary", i);
    SweepDoc::Axis axis;
    PARLEY_ASSIGN_OR_RETURN(axis.name, String((*vary)[i], at, "name"));
    if (Optional((*vary)[i], "values")) {
      PARLEY_ASSIGN_OR_RETURN(const J* values, Array((*vary)[i], at, "values"));
      for (size_t k = 0; k < values->size(); ++k) {
        PARLEY_ASSIGN_OR_RETURN(const double x,
                                NumberValue((*values)[k], Child(Child(at, "values"), k)));
        axis.values.push_back(x);
      }
    }
    for (const auto& other : s.vary) {
      if (other.name == axis.name) return Bad(Child(at, "name"), "\"" + axis.name + "\" twice");
    }
    s.vary.push_back(std::move(axis));
  }
  PARLEY_ASSIGN_OR_RETURN(const J* points, Array(doc, "", "points"));
  for (size_t i = 0; i < points->size(); ++i) {
    const std::string at = Child("/points", i);
    SweepDoc::Point point;
    PARLEY_ASSIGN_OR_RETURN(const J* values, Member((*points)[i], at, "values"));
    for (const auto& axis : s.vary) {
      PARLEY_ASSIGN_OR_RETURN(const double x, Number(*values, Child(at, "values"), axis.name));
      point.values.push_back(x);
    }
    PARLEY_ASSIGN_OR_RETURN(point.outcomes, ParseOutcomesAndUnresolved((*points)[i], at));
    PARLEY_ASSIGN_OR_RETURN(point.not_converged, ParseNotConverged((*points)[i], at));
    s.points.push_back(std::move(point));
  }
  return s;
}

StatusOr<SensitivityDoc> ParseSensitivity(const J& doc) {
  SensitivityDoc s;
  PARLEY_ASSIGN_OR_RETURN(s.method, String(doc, "", "method"));
  if (s.method != "sobol" && s.method != "morris") {
    return Bad("/method", "expected \"sobol\" or \"morris\", found \"" + s.method + "\"");
  }
  const bool sobol = s.method == "sobol";
  PARLEY_ASSIGN_OR_RETURN(const J* outputs, Array(doc, "", "outputs"));
  for (size_t i = 0; i < outputs->size(); ++i) {
    const std::string at = Child("/outputs", i);
    SensitivityDoc::Output out;
    PARLEY_ASSIGN_OR_RETURN(out.name, String((*outputs)[i], at, "name"));
    PARLEY_ASSIGN_OR_RETURN(const J* indices, Array((*outputs)[i], at, "indices"));
    for (size_t k = 0; k < indices->size(); ++k) {
      const J& x = (*indices)[k];
      const std::string iat = Child(Child(at, "indices"), k);
      SensitivityDoc::Index index;
      PARLEY_ASSIGN_OR_RETURN(index.input, String(x, iat, "input"));
      // Null is allowed (an index is undefined when the output never varies),
      // but the key must be there: a missing one is a different shape.
      for (const char* key : sobol ? std::vector<const char*>{"S1", "ST"}
                                   : std::vector<const char*>{"mu_star", "sigma"}) {
        PARLEY_ASSIGN_OR_RETURN(const J* unused, Member(x, iat, key));
        (void)unused;
      }
      if (sobol) {
        PARLEY_ASSIGN_OR_RETURN(index.s1, NumberOrNull(x, iat, "S1"));
        PARLEY_ASSIGN_OR_RETURN(index.st, NumberOrNull(x, iat, "ST"));
        PARLEY_ASSIGN_OR_RETURN(index.s1_ci, CiOrNull(x, iat, "S1_ci95"));
        PARLEY_ASSIGN_OR_RETURN(index.st_ci, CiOrNull(x, iat, "ST_ci95"));
      } else {
        PARLEY_ASSIGN_OR_RETURN(index.mu_star, NumberOrNull(x, iat, "mu_star"));
        PARLEY_ASSIGN_OR_RETURN(index.mu, NumberOrNull(x, iat, "mu"));
        PARLEY_ASSIGN_OR_RETURN(index.sigma, NumberOrNull(x, iat, "sigma"));
      }
      out.indices.push_back(std::move(index));
    }
    s.outputs.push_back(std::move(out));
  }
  return s;
}

StatusOr<DoctorDoc> ParseDoctor(const J& doc) {
  DoctorDoc d;
  PARLEY_ASSIGN_OR_RETURN(const J* findings, Array(doc, "", "findings"));
  for (size_t i = 0; i < findings->size(); ++i) {
    const J& x = (*findings)[i];
    const std::string at = Child("/findings", i);
    DoctorDoc::Item item;
    PARLEY_ASSIGN_OR_RETURN(item.kind, String(x, at, "kind"));
    PARLEY_ASSIGN_OR_RETURN(item.file, String(x, at, "file"));
    PARLEY_ASSIGN_OR_RETURN(const double line, Number(x, at, "line"));
    PARLEY_ASSIGN_OR_RETURN(const double column, Number(x, at, "column"));
    item.line = static_cast<int>(line);
    item.column = static_cast<int>(column);
    PARLEY_ASSIGN_OR_RETURN(item.element, String(x, at, "element"));
    PARLEY_ASSIGN_OR_RETURN(item.message, String(x, at, "message"));
    PARLEY_ASSIGN_OR_RETURN(item.hint, String(x, at, "hint"));
    PARLEY_ASSIGN_OR_RETURN(item.share, NumberOrNull(x, at, "share"));
    PARLEY_ASSIGN_OR_RETURN(item.related, StringsOrNull(x, at, "related"));
    d.findings.push_back(std::move(item));
  }
  PARLEY_ASSIGN_OR_RETURN(d.skipped, StringsOrNull(doc, "", "skipped"));
  return d;
}

StatusOr<ProvenanceDoc> ParseProvenance(const J& doc) {
  ProvenanceDoc p;
  p.samples = NumberText(doc, "samples");
  p.seed = NumberText(doc, "seed");
  if (StringOr(doc, "kind", "run") == "comparison") {
    p.per_scenario = true;
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "scenarios"));
    for (size_t i = 0; i < list->size(); ++i) {
      PARLEY_ASSIGN_OR_RETURN(ProvenanceDoc::Source src,
                              ParseSource((*list)[i], Child("/scenarios", i), &doc));
      p.sources.push_back(std::move(src));
    }
  } else {
    PARLEY_ASSIGN_OR_RETURN(ProvenanceDoc::Source src, ParseSource(doc, "", nullptr));
    p.sources.push_back(std::move(src));
  }
  return p;
}

}  // namespace parley::html
