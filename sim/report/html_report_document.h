// Reading a result document for the HTML report: the JSON of `parley run`,
// `run A.yaml B.yaml` (comparison), `sweep` and `sensitivity`
// and `doctor` (docs/reference/json-output.md), checked and turned into plain structs.
// Every error is an InvalidArgument that names the JSON pointer of what is
// wrong, so a hand-edited or truncated result gives a precise message. Keys
// the report can do without are optional, so that results written by older
// versions still render.
//
// Internal to sim/report: html_report_sections.h turns these structs into the
// page's sections, html_report.cc picks the parser by the document's kind.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"
#include "sim/report/provenance.h"

namespace parley::html {

using J = nlohmann::ordered_json;

// Reading primitives.

// An InvalidArgument "<where>: <what>"; an empty `where` is the document.
Status Bad(const std::string& where, const std::string& what);
// "object", "array", "string", "number"...
std::string TypeName(const J& v);
// obj[key], or nullptr when obj is not an object or the key is absent or null.
const J* Optional(const J& obj, const std::string& key);
// obj[key] when it is a string, else `fallback`.
std::string StringOr(const J& obj, const std::string& key, const std::string& fallback);
// The JSON pointer of a member or an item below `where` (RFC 6901).
std::string Child(const std::string& where, const std::string& key);
std::string Child(const std::string& where, size_t index);
// obj[key], which must be there; then checked to be an array, a string, a
// finite number. Errors name `where` (obj's pointer) and the key.
StatusOr<const J*> Member(const J& obj, const std::string& where, const std::string& key);
StatusOr<const J*> Array(const J& obj, const std::string& where, const std::string& key);
StatusOr<std::string> String(const J& obj, const std::string& where, const std::string& key);
StatusOr<double> NumberValue(const J& v, const std::string& where);
StatusOr<double> Number(const J& obj, const std::string& where, const std::string& key);
// A number, or nothing when the key is absent or null.
StatusOr<std::optional<double>> NumberOrNull(const J& obj, const std::string& where,
                                             const std::string& key);

// The parsed document.

// A 95% confidence interval [lo, hi], finite with lo <= hi.
struct Ci {
  double lo = 0, hi = 0;
};
// A [low, high] pair, or nothing when absent or null (or with a null bound).
StatusOr<std::optional<Ci>> CiOrNull(const J& obj, const std::string& where,
                                     const std::string& key);

// An outcome's probability (also `unresolved`).
struct Estimate {
  std::string id, label;
  double p = 0;
  std::optional<Ci> ci;
  std::optional<double> count;
};

struct Payoff {
  std::string actor;
  std::optional<double> mean;
  std::optional<Ci> ci;
  std::optional<double> n;
};

// An argument's effect on one outcome.
struct Effect {
  std::string outcome;
  std::optional<double> effect;
  std::optional<Ci> ci;
};

struct Argument {
  std::string id, analyst, claim, mode;
  std::optional<double> credence, holds;
  std::vector<Effect> effects;
};

struct Shapley {
  std::string id, analyst;
  std::vector<std::pair<std::string, double>> values;  // outcome -> value
};

// An equilibrium path of a sequential scenario.
struct Path {
  std::string text;  // every branch, moves joined by arrows
  std::vector<std::vector<std::string>> branches;
  double p = 0;
  std::optional<Ci> ci;
  std::optional<double> count;
};

struct Threat {
  std::string id, claim, stage, action;
  double credible = 0, carried_out = 0;
  std::optional<Ci> credible_ci, carried_out_ci;
};

// What an actor does: its share of each option (sequential: per stage).
struct ActorActions {
  struct Option {
    std::string stage, id, label;
    double share = 0;
    std::optional<Ci> ci;
    std::optional<double> count;
  };
  std::string id;
  std::vector<Option> options;
  std::vector<std::pair<std::string, double>> stages;  // sequential: stage -> reached
};

// A strategy profile (normal-form runs) and how often it is predicted.
struct ProfileShare {
  std::vector<std::pair<std::string, std::string>> options;  // actor -> option
  std::string outcome;
  double share = 0;
  std::optional<Ci> ci;
  std::optional<double> count;
};

// An outcome's estimate {id, label, probability, ci95, count}; `needs_id`
// false for `unresolved`, which has none.
StatusOr<Estimate> ParseEstimate(const J& o, const std::string& where, bool needs_id);
// obj's `outcomes`.
StatusOr<std::vector<Estimate>> ParseOutcomes(const J& obj, const std::string& where);
// obj's `outcomes`, then its `unresolved` as one more, where it has one.
StatusOr<std::vector<Estimate>> ParseOutcomesAndUnresolved(const J& obj, const std::string& where);
// obj's `not_converged` share (iterative models), when it has one.
StatusOr<std::optional<Estimate>> ParseNotConverged(const J& obj, const std::string& where);

// kind "run" (or no kind).
// A multi-round run's `rounds` (json-output.md).
struct RoundsDoc {
  int max_rounds = 0;
  std::string foresight;
  std::string learning;  // "fresh", "carried", or empty (older documents)
  std::vector<std::string> ending, state_variables;
  struct Round {
    int round = 0;
    double negotiating = 0;
    std::vector<std::pair<double, std::optional<Ci>>> ended_by;  // per ending outcome
    std::optional<double> hazard;
    std::vector<std::pair<std::optional<double>, std::optional<double>>> state;  // mean, sd
  };
  std::vector<Round> rounds;
  std::optional<double> mean_rounds;
  std::optional<Ci> mean_rounds_ci;
};

struct RunDoc {
  std::optional<RoundsDoc> rounds;
  std::vector<Estimate> outcomes;
  std::optional<Estimate> unresolved;
  std::string unresolved_meaning;  // unresolved.meaning, when the result has it
  // Iterative models: the samples not converged, and what that means.
  std::optional<Estimate> not_converged;
  std::string not_converged_meaning;
  std::string model_note;  // model_note, when the result has it
  std::vector<Payoff> payoffs;
  std::optional<double> eq_none, eq_unique, eq_multiple;
  std::vector<Argument> arguments;
  std::string attribution_method;
  std::vector<Shapley> attribution;
  bool has_paths = false;
  std::optional<double> distinct_paths;
  std::vector<Path> paths;
  std::vector<Threat> threats;
  std::vector<ActorActions> actors;
  bool has_profiles = false;
  bool profiles_counted = true;
  std::optional<double> profiles_total, profiles_distinct;
  std::vector<ProfileShare> profiles;
};

// kind "comparison": at least one scenario.
struct ComparisonDoc {
  struct Scenario {
    std::string name, file;
    std::vector<Estimate> outcomes;
    std::optional<Estimate> not_converged;  // iterative models
  };
  std::vector<Scenario> scenarios;
};

// kind "sweep": one or more distinct axes; each point has a value per axis.
struct SweepDoc {
  struct Axis {
    std::string name;
    std::vector<double> values;
  };
  struct Point {
    std::vector<double> values;  // one per axis
    std::vector<Estimate> outcomes;
    std::optional<Estimate> not_converged;  // iterative models
  };
  std::vector<Axis> vary;
  std::vector<Point> points;
};

// kind "sensitivity".
struct SensitivityDoc {
  std::string method;  // "sobol" or "morris"
  struct Index {
    std::string input;
    std::optional<double> s1, st, mu_star, mu, sigma;
    std::optional<Ci> s1_ci, st_ci;
  };
  struct Output {
    std::string name;
    std::vector<Index> indices;
  };
  std::vector<Output> outputs;
};

// kind "doctor": `parley doctor`'s findings.
struct DoctorDoc {
  struct Item {
    std::string kind, file, element, message, hint;
    int line = 0, column = 0;
    std::optional<double> share;
    std::vector<std::string> related;
  };
  std::vector<Item> findings;
  std::vector<std::string> skipped;
};

// What produced the result (docs/reference/json-output.md, "Provenance").
// Every key is optional, since results of older versions lack the newer ones,
// but one that is there must have its documented type.
struct ProvenanceDoc {
  // One scenario's: the result's own, or each entry's in a comparison, where
  // a key missing in the entry is taken from the top level.
  struct Source {
    std::string name, file;  // scenario.name, scenario.file
    // model, selection, model_parameters (or the older top-level "lambda"),
    // overrides and scenario.extends.
    Provenance provenance;
    bool has_overrides = false;  // "overrides" is there (perhaps all empty)
  };
  std::string samples, seed;    // as written; empty when absent
  bool per_scenario = false;    // a comparison: one source per scenario
  std::vector<Source> sources;  // never empty
};

// Each reads the keys of its kind from the whole document `doc`.
StatusOr<RoundsDoc> ParseRounds(const J& doc);
StatusOr<RunDoc> ParseRun(const J& doc);
StatusOr<ComparisonDoc> ParseComparison(const J& doc);
StatusOr<SweepDoc> ParseSweep(const J& doc);
StatusOr<SensitivityDoc> ParseSensitivity(const J& doc);
StatusOr<DoctorDoc> ParseDoctor(const J& doc);
// Of any kind: one source, or one per entry of a comparison's "scenarios".
StatusOr<ProvenanceDoc> ParseProvenance(const J& doc);

}  // namespace parley::html
