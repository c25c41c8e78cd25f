#include "sim/scenario/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>

#include "sim/core/text_file.h"

namespace parley {
namespace {

constexpr int kMaxActors = 32;
constexpr int kMaxOptions = 1024;
constexpr size_t kMaxStages = 256;
constexpr size_t kMaxListItems = 100000;
// Matching every profile against every `when` condition at compile time
// costs profiles x conditions x actors steps; beyond this, refuse.
constexpr double kMaxRuleWork = 2e9;
// Numbers in a scenario stay within +-1e9, so that sums of payoffs, effects
// and modifiers stay finite and precise.
constexpr double kMaxMagnitude = 1e9;

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += v[i];
  }
  return s;
}

std::string FormatNumber(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 128) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0])) && s[0] != '_') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

// A conservative pre-parse check: yaml-cpp recurses once per nesting level,
// so absurdly deep input must be refused before it reaches the parser.
Status CheckNesting(std::string_view text, const std::string& file, int max_depth) {
  int flow = 0, line = 1;
  size_t line_start = 0;
  bool in_single = false, in_double = false;
  int indicators = 0;
  bool at_line_start = true;
  int indent = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      indicators = 0;
      indent = 0;
      at_line_start = true;
      in_single = false;  // quoted scalars spanning lines are rare; be lenient
      continue;
    }
    const int column = static_cast<int>(i - line_start) + 1;
    auto too_deep = [&](const char* what) {
      return InvalidArgument(file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                             ": error: YAML nested too deeply (" + what + "); at most " +
                             std::to_string(max_depth) + " levels are accepted");
    };
    if (in_double) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_double = false;
      continue;
    }
    if (in_single) {
      if (c == '\'') in_single = false;
      continue;
    }
    if (at_line_start) {
      if (c == ' ') {
        if (++indent > 4 * max_depth) return too_deep("indentation");
        continue;
      }
      if (c == '-' && i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\n')) {
        if (++indicators > max_depth) return too_deep("nested '- ' items");
        continue;
      }
      at_line_start = false;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      // A quote opens a quoted scalar only where a scalar can start; inside a
      // plain scalar (it's) it is an ordinary character.
      size_t j = i;
      while (j > line_start && text[j - 1] == ' ') --j;
      const char before = j > line_start ? text[j - 1] : '\n';
      if (std::strchr("\n[{,:-?", before) != nullptr) (c == '"' ? in_double : in_single) = true;
    } else if (c == '[' || c == '{') {
      if (++flow > max_depth) return too_deep("nested [ ] or { }");
    } else if ((c == ']' || c == '}') && flow > 0) {
      --flow;
    }
  }
  return OkStatus();
}

class Loader {
 public:
  // `chain`: the files extending this one, outermost first, for finding
  // cycles of `extends`.
  Loader(std::string file, const LoadOptions& options, std::vector<std::string> chain = {})
      : file_(std::move(file)), options_(options), chain_(std::move(chain)) {}

  StatusOr<ScenarioSpec> Load(std::string_view text);

 private:
  SourceLoc Loc(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    return {file_, m.line + 1, m.column + 1};
  }
  Status Error(const YAML::Node& n, const std::string& msg) const {
    return InvalidArgument(Loc(n).ToString() + ": error: " + msg + extending_note_);
  }
  Status Error(const SourceLoc& loc, const std::string& msg) const {
    return InvalidArgument(loc.ToString() + ": error: " + msg + extending_note_);
  }

  // A variant: a file with `extends: base.yaml`, whose sections override or
  // add to the base's (see docs/reference/scenario-schema.md).
  StatusOr<ScenarioSpec> LoadVariant(const YAML::Node& root);
  Status MergeParameters(const YAML::Node& node);
  Status MergePayoffs(const YAML::Node& node);
  Status MergeArguments(const YAML::Node& node);
  // One item of `arguments`: a whole new argument, or (`override`) new
  // values for some keys of an existing one.
  Status ReadArgument(const YAML::Node& item, bool override, ArgumentSpec* arg) const;

  // Checks that `node` is a mapping whose keys are all in `allowed` and
  // unique, and that every key in `required` is present.
  Status CheckMap(const YAML::Node& node, const std::string& what,
                  const std::vector<std::string>& allowed,
                  const std::vector<std::string>& required) const;
  Status CheckSequence(const YAML::Node& node, const std::string& what) const;
  Status ReadString(const YAML::Node& node, const std::string& what, std::string* out) const;
  Status ReadId(const YAML::Node& node, const std::string& what, std::string* out) const;
  Status ReadNumber(const YAML::Node& node, const std::string& what, double* out) const;
  Status ReadInteger(const YAML::Node& node, const std::string& what, uint64_t min, uint64_t max,
                     uint64_t* out) const;
  Status ReadValue(const YAML::Node& node, const std::string& what, bool allow_parameters,
                   ValueSpec* out) const;
  Status ReadCondition(const YAML::Node& node, const std::string& what, Condition* out) const;
  // Reads `when`, `when_any` or `otherwise` from a map node into `rule`.
  Status ReadRule(const YAML::Node& node, const std::string& what, bool allow_otherwise,
                  ProfileRule* rule) const;
  Status ReadActors(const YAML::Node& node);
  Status ReadParameters(const YAML::Node& node);
  Status ReadOutcomes(const YAML::Node& node);
  Status CheckCoverage(const YAML::Node& outcomes_node) const;
  // Refuses rules whose evaluation over every profile would take too long.
  Status CheckRuleWork(const YAML::Node& where) const;
  Status ReadPayoffs(const YAML::Node& node);
  Status ReadModifiers(const YAML::Node& node);
  Status ReadArguments(const YAML::Node& node);
  Status ReadEffect(const YAML::Node& node, const std::string& what, EffectSpec* out) const;
  Status ReadSimulation(const YAML::Node& node);
  // `simulation.model`: a name, or a mapping with `name` and the model's
  // parameters (scalars, kept as written).
  Status ReadModel(const YAML::Node& node, SimulationSpec* sim) const;
  int FindActorOrError(const YAML::Node& key, const std::string& what, Status* st) const;
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

  std::string file_;
  LoadOptions options_;
  std::vector<std::string> chain_;
  std::string extending_note_;  // " (extending base.yaml)" in a variant
  ScenarioSpec spec_;
  bool sequential_ = false;
  std::vector<Variable> vars_;
  std::string var_kind_ = "actor";
  // Strategy profiles (normal form) or tree nodes (sequential): what every
  // rule is matched against at compile time.
  int64_t num_cells_ = 0;
  const std::vector<std::string> keys_required_ = {"id", "analyst", "claim", "credence", "effects"};
  // Every stage id the sequence declares, read ahead, so that a condition
  // naming a later stage is told so rather than called unknown.
  std::vector<std::string> stage_ids_;
};

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

Status Loader::CheckMap(const YAML::Node& node, const std::string& what,
                        const std::vector<std::string>& allowed,
                        const std::vector<std::string>& required) const {
  if (!node.IsMap()) {
    return Error(node, what + " must be a mapping with keys " + Join(allowed));
  }
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) return Error(kv.first, "keys in " + what + " must be plain words");
    const std::string key = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string msg = "unknown key '" + key + "' in " + what;
      const std::string guess = DidYouMean(key, allowed);
      msg += guess.empty() ? "" : "; did you mean '" + guess + "'?";
      msg += " (expected one of: " + Join(allowed) + ")";
      return Error(kv.first, msg);
    }
    if (!seen.insert(key).second) return Error(kv.first, "duplicate key '" + key + "' in " + what);
  }
  for (const std::string& key : required) {
    if (!seen.count(key)) return Error(node, what + " is missing the required key '" + key + "'");
  }
  return OkStatus();
}

Status Loader::CheckSequence(const YAML::Node& node, const std::string& what) const {
  if (!node.IsSequence()) return Error(node, what + " must be a list");
  if (node.size() > kMaxListItems) {
    return Error(node, what + " has " + std::to_string(node.size()) + " items; at most " +
                           std::to_string(kMaxListItems) + " are accepted");
  }
  return OkStatus();
}

Status Loader::ReadString(const YAML::Node& node, const std::string& what, std::string* out) const {
  if (!node.IsScalar()) return Error(node, what + " must be text");
  *out = node.Scalar();
  return OkStatus();
}

Status Loader::ReadId(const YAML::Node& node, const std::string& what, std::string* out) const {
  if (!node.IsScalar() || !IsIdentifier(node.Scalar())) {
    return Error(node,
                 what +
                     " must be an identifier (letters, digits, '_', '-', '.'; starting "
                     "with a letter or '_'), got '" +
                     (node.IsScalar() ? node.Scalar()
                                      : std::string("a ") + (node.IsMap() ? "mapping" : "list")) +
                     "'");
  }
  *out = node.Scalar();
  return OkStatus();
}

Status Loader::ReadNumber(const YAML::Node& node, const std::string& what, double* out) const {
  if (!node.IsScalar()) return Error(node, what + " must be a number");
  const std::string& s = node.Scalar();
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (begin != end && *begin == '+') ++begin;
  double x = 0;
  auto [ptr, ec] = std::from_chars(begin, end, x);
  if (ec != std::errc() || ptr != end || begin == end || !std::isfinite(x)) {
    return Error(node, what + " must be a finite number, got '" + s + "'");
  }
  if (std::abs(x) > kMaxMagnitude) {
    return Error(node, what + " must be between -1e9 and 1e9, got '" + s +
                           "' (payoffs on such scales lose all precision when added)");
  }
  *out = x;
  return OkStatus();
}

bool LooksLikeNonFinite(std::string s);

bool LooksNumeric(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i < s.size() && s[i] == '.') ++i;
  return (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) || LooksLikeNonFinite(s);
}

bool LooksLikeNonFinite(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s = s.substr(1);
  if (!s.empty() && s[0] == '.') s = s.substr(1);
  return s == "nan" || s == "inf" || s == "infinity";
}

Status Loader::ReadInteger(const YAML::Node& node, const std::string& what, uint64_t min,
                           uint64_t max, uint64_t* out) const {
  if (!node.IsScalar()) return Error(node, what + " must be a whole number");
  const std::string& s = node.Scalar();
  uint64_t x = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty() || x < min || x > max) {
    return Error(node, what + " must be a whole number from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got '" + s + "'");
  }
  *out = x;
  return OkStatus();
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
  if (!node.IsMap() || node.size() != 1) {
    return Error(node, what + " must be " + expected);
  }
  const auto kv = *node.begin();
  const std::string family = kv.first.IsScalar() ? kv.first.Scalar() : "";
  auto kind = Distribution::KindFromName(family);
  if (!kind.ok()) {
    std::string msg = what + ": unknown distribution '" + family + "'";
    const std::string guess = DidYouMean(family, Distribution::FamilyNames());
    if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
    return Error(kv.first, msg + " (expected one of: " + Join(Distribution::FamilyNames()) + ")");
  }
  if (!kv.second.IsSequence() || kv.second.size() > 4) {
    return Error(kv.second, what + ": " + family + " parameters must be a list of numbers, " +
                                "for example {" + family + ": [" +
                                (family == "triangular" ? "0, 1, 3" : "1, 2") + "]}");
  }
  std::vector<double> params;
  for (const auto& p : kv.second) {
    double x;
    PARLEY_RETURN_IF_ERROR(ReadNumber(p, what + " (" + family + " parameter)", &x));
    params.push_back(x);
  }
  auto dist = Distribution::Make(*kind, params);
  if (!dist.ok()) return Error(kv.second, what + ": " + dist.status().message());
  out->distribution = *dist;
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
        CheckMap(item, "an actor", {"id", "name", "description", "options"}, {"id"}));
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
    YAML::Node value = kv.second;
    if (value.IsMap() && value["value"]) {
      PARLEY_RETURN_IF_ERROR(
          CheckMap(value, "parameter " + p.id, {"value", "description"}, {"value"}));
      if (value["description"]) {
        PARLEY_RETURN_IF_ERROR(ReadString(value["description"], "`description`", &p.description));
      }
      value = value["value"];
    }
    ValueSpec v;
    PARLEY_RETURN_IF_ERROR(ReadValue(value, "parameter " + p.id, false, &v));
    p.value = v.distribution;
    spec_.parameters.push_back(std::move(p));
  }
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
    if (spec_.FindOutcome(o.id) >= 0)
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

Status Loader::ReadPayoffs(const YAML::Node& node) {
  std::vector<std::string> outcome_ids, actor_ids;
  for (const auto& o : spec_.outcomes) outcome_ids.push_back(o.id);
  for (const auto& a : spec_.actors) actor_ids.push_back(a.id);
  PARLEY_RETURN_IF_ERROR(CheckMap(node, "`payoffs` (outcome -> actor -> value)", outcome_ids, {}));
  spec_.payoffs.assign(spec_.outcomes.size(), std::vector<ValueSpec>(spec_.actors.size()));
  for (size_t o = 0; o < spec_.outcomes.size(); ++o) {
    const std::string& oid = spec_.outcomes[o].id;
    const YAML::Node row = node[oid];
    if (!row) {
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
      e->outcome = spec_.FindOutcome(id);
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
  if (extending_note_.empty()) sim.model_loc = sim.selection_loc = Loc(node);
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
    setting.value = kv.second.Scalar();
    setting.loc = Loc(kv.second);
    sim->model_parameters.push_back(std::move(setting));
  }
  return OkStatus();
}

StatusOr<ScenarioSpec> Loader::Load(std::string_view text) {
  spec_.path = file_;
  spec_.extends_chain = {file_};
  spec_.simulation.model_loc = spec_.simulation.selection_loc = {file_, 1, 1};
  if (text.size() > options_.max_file_bytes) {
    return InvalidArgument(file_ + ":1:1: error: the file is " + std::to_string(text.size()) +
                           " bytes; scenario files of at most " +
                           std::to_string(options_.max_file_bytes) + " bytes are accepted");
  }
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const size_t line_start = text.rfind('\n', nul);
    const size_t line = 1 + std::count(text.begin(), text.begin() + nul, '\n');
    const size_t column = nul - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    return InvalidArgument(file_ + ":" + std::to_string(line) + ":" + std::to_string(column) +
                           ": error: the file contains a NUL byte; scenario files are UTF-8 text");
  }
  PARLEY_RETURN_IF_ERROR(CheckNesting(text, file_, options_.max_nesting));
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(file_ + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": error: invalid YAML: " + e.msg);
  }
  if (docs.empty() || docs[0].IsNull()) {
    return InvalidArgument(file_ +
                           ":1:1: error: the file is empty; expected a scenario mapping "
                           "with `name`, `actors`, `outcomes` and `payoffs`");
  }
  if (docs.size() > 1) {
    return Error(docs[1], "the file holds several YAML documents; a scenario is one document");
  }
  const YAML::Node root = docs[0];
  if (root.IsMap() && root["extends"]) {
    try {
      return LoadVariant(root);
    } catch (const YAML::Exception& e) {
      return InvalidArgument(file_ + ":" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": error: " + e.msg +
                             extending_note_);
    }
  }
  try {
    PARLEY_RETURN_IF_ERROR(
        CheckMap(root, "the scenario",
                 {"name", "description", "actors", "parameters", "sequence", "outcomes", "payoffs",
                  "modifiers", "arguments", "threats", "simulation"},
                 {"name", "actors", "outcomes", "payoffs"}));
    PARLEY_RETURN_IF_ERROR(ReadString(root["name"], "`name`", &spec_.name));
    if (root["description"]) {
      PARLEY_RETURN_IF_ERROR(ReadString(root["description"], "`description`", &spec_.description));
    }
    sequential_ = static_cast<bool>(root["sequence"]);
    PARLEY_RETURN_IF_ERROR(ReadActors(root["actors"]));
    if (root["parameters"]) PARLEY_RETURN_IF_ERROR(ReadParameters(root["parameters"]));
    if (sequential_) PARLEY_RETURN_IF_ERROR(ReadSequence(root["sequence"]));
    PARLEY_RETURN_IF_ERROR(ReadOutcomes(root["outcomes"]));
    PARLEY_RETURN_IF_ERROR(ReadPayoffs(root["payoffs"]));
    if (root["modifiers"]) {
      PARLEY_RETURN_IF_ERROR(ReadModifiers(root["modifiers"]));
      PARLEY_RETURN_IF_ERROR(CheckRuleWork(root["modifiers"]));
    }
    if (root["arguments"]) {
      PARLEY_RETURN_IF_ERROR(ReadArguments(root["arguments"]));
      PARLEY_RETURN_IF_ERROR(CheckRuleWork(root["arguments"]));
    }
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
    if (root["simulation"]) PARLEY_RETURN_IF_ERROR(ReadSimulation(root["simulation"]));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(file_ + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": error: " + e.msg);
  }
  return std::move(spec_);
}

StatusOr<ScenarioSpec> LoadFileInChain(const std::string& path, const LoadOptions& options,
                                       std::vector<std::string> chain);

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
  PARLEY_RETURN_IF_ERROR(CheckMap(root, "a variant (a scenario with `extends`)",
                                  {"extends", "name", "description", "parameters", "payoffs",
                                   "modifiers", "arguments", "simulation"},
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
  if (chain.size() > 16) {
    return Error(ext, "`extends` chains are limited to 16 files");
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
  extending_note_ = " (extending " + base_path.string() + ")";
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
  if (root["payoffs"]) PARLEY_RETURN_IF_ERROR(MergePayoffs(root["payoffs"]));
  if (root["modifiers"]) {
    PARLEY_RETURN_IF_ERROR(ReadModifiers(root["modifiers"]));
    PARLEY_RETURN_IF_ERROR(CheckRuleWork(root["modifiers"]));
  }
  if (root["arguments"]) {
    PARLEY_RETURN_IF_ERROR(MergeArguments(root["arguments"]));
    PARLEY_RETURN_IF_ERROR(CheckRuleWork(root["arguments"]));
  }
  // New `when` rules may change which histories share a subgame.
  if (sequential_) PARLEY_RETURN_IF_ERROR(CheckTreeSize(ext));
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
    YAML::Node value = kv.second;
    if (value.IsMap() && value["value"]) {
      PARLEY_RETURN_IF_ERROR(
          CheckMap(value, "parameter " + p.id, {"value", "description"}, {"value"}));
      if (value["description"]) {
        PARLEY_RETURN_IF_ERROR(ReadString(value["description"], "`description`", &p.description));
      }
      value = value["value"];
    }
    ValueSpec v;
    PARLEY_RETURN_IF_ERROR(ReadValue(value, "parameter " + p.id, false, &v));
    p.value = v.distribution;
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
  auto text = ReadTextFile(path, options.max_file_bytes, "scenario file");
  if (!text.ok()) return text.status();
  return Loader(path, options, std::move(chain)).Load(*text);
}

}  // namespace

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
