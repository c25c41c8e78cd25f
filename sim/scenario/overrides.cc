#include "sim/scenario/overrides.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>

#include "sim/core/text.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/yaml_reader.h"

namespace parley {
namespace {

using scenario_internal::DistributionProblem;
using scenario_internal::FormatNumber;
using scenario_internal::IsIdentifier;
using scenario_internal::kMaxMagnitude;
using scenario_internal::NumberProblem;

// One sweepable entry and where it lives in a spec (const or not).
template <class Spec>
struct Entry {
  using Value = std::conditional_t<std::is_const_v<Spec>, const ValueSpec, ValueSpec>;
  using Param = std::conditional_t<std::is_const_v<Spec>, const ParameterSpec, ParameterSpec>;
  using Arg = std::conditional_t<std::is_const_v<Spec>, const ArgumentSpec, ArgumentSpec>;
  SweepableName info;
  Value* value = nullptr;   // payoffs, modifiers, effects
  Param* param = nullptr;   // param.*
  Arg* argument = nullptr;  // credence.*
};

constexpr std::string_view kModelPrefix = "model.";

// "model.lambda" -> "lambda"; empty when `name` is no model parameter's name.
std::string ModelParameterName(std::string_view name) {
  if (!name.starts_with(kModelPrefix)) return "";
  const std::string_view param = name.substr(kModelPrefix.size());
  return IsIdentifier(param) ? std::string(param) : "";
}

// The sweepable entry of a model parameter: set in the scenario, or not (the
// model's default applies; only the model layer knows it).
SweepableName ModelEntry(const ScenarioSpec& spec, const std::string& param) {
  SweepableName info;
  info.name = std::string(kModelPrefix) + param;
  info.kind = SweepableName::Kind::kModel;
  info.mean = std::numeric_limits<double>::quiet_NaN();
  info.note = "a parameter of model " + spec.simulation.model;
  for (const ModelParameterSetting& s : spec.simulation.model_parameters) {
    if (s.name != param) continue;
    info.value = s.value;
    info.loc = s.loc;
    std::string_view text = s.value;
    if (text.starts_with('+')) text.remove_prefix(1);
    double x = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
    if (ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(x)) info.mean = x;
  }
  return info;
}

// Sets model parameter `param` to `value` (text the model layer parses),
// replacing the setting of that name or adding one.
void SetModelParameter(ScenarioSpec& spec, const std::string& param, std::string value) {
  auto& settings = spec.simulation.model_parameters;
  auto it = std::find_if(settings.begin(), settings.end(),
                         [&](const ModelParameterSetting& s) { return s.name == param; });
  if (it == settings.end()) {
    settings.push_back({param, std::move(value), SourceLoc{}});
  } else {
    it->value = std::move(value);
    it->loc = SourceLoc{};
  }
}

// The shortest text that reads back as exactly `x`.
std::string ShortestText(double x) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, end);
}

// A model parameter's value as given to --set: one number or word.
Status CheckModelValue(const std::string& text) {
  if (text.empty()) {
    return InvalidArgument("the value is empty; give a single value such as 2.5 or alternating");
  }
  if (text.find_first_of(":[{") != std::string::npos) {
    return InvalidArgument(
        "model parameters are not sampled: give a single value such as 2.5 or alternating, not "
        "a distribution");
  }
  const bool plain = text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                              c == '+' || c == '.';
                     });
  if (!plain) {
    const std::string shown = text.size() > 40 ? text.substr(0, 37) + "..." : text;
    return InvalidArgument("a model parameter takes a single number or word such as 2.5 or " +
                           std::string("alternating, got '") + shown + "'");
  }
  return OkStatus();
}

template <class Spec>
std::vector<Entry<Spec>> Entries(Spec& spec) {
  using K = SweepableName::Kind;
  std::vector<Entry<Spec>> out;
  auto describe = [&spec](const ValueSpec& v, SweepableName& info) {
    if (v.parameter >= 0) {
      const std::string ref = "param." + spec.parameters[v.parameter].id;
      info.value = v.scale == 1.0    ? ref
                   : v.scale == -1.0 ? "-" + ref
                                     : FormatNumber(v.scale) + " x " + ref;
      info.mean = v.scale * spec.parameters[v.parameter].value.Mean();
    } else {
      info.value = v.distribution.ToString();
      info.mean = v.distribution.Mean();
    }
    info.loc = v.loc;
  };
  for (auto& p : spec.parameters) {
    Entry<Spec> e;
    e.info = {"param." + p.id, K::kParameter, p.value.ToString(),
              p.value.Mean(),  p.description, p.loc};
    e.param = &p;
    out.push_back(std::move(e));
  }
  for (size_t o = 0; o < spec.outcomes.size(); ++o) {
    for (size_t a = 0; a < spec.actors.size() && o < spec.payoffs.size(); ++a) {
      Entry<Spec> e;
      e.info.name = "payoff." + spec.outcomes[o].id + "." + spec.actors[a].id;
      e.info.kind = K::kPayoff;
      describe(spec.payoffs[o][a], e.info);
      e.value = &spec.payoffs[o][a];
      out.push_back(std::move(e));
    }
  }
  for (size_t n = 0; n < spec.modifiers.size(); ++n) {
    auto& mod = spec.modifiers[n];
    for (auto& [actor, v] : mod.add) {
      Entry<Spec> e;
      e.info.name = "modifier." + std::to_string(n + 1) + "." + spec.actors[actor].id;
      e.info.kind = K::kModifier;
      e.info.note = mod.note;
      describe(v, e.info);
      e.value = &v;
      out.push_back(std::move(e));
    }
  }
  for (auto& arg : spec.arguments) {
    Entry<Spec> c;
    c.info = {"credence." + arg.id, K::kCredence, FormatNumber(arg.credence),
              arg.credence,         arg.claim,    arg.loc};
    c.argument = &arg;
    out.push_back(std::move(c));
    for (size_t n = 0; n < arg.effects.size(); ++n) {
      Entry<Spec> e;
      e.info.name = "effect." + arg.id + "." + std::to_string(n + 1);
      e.info.kind = K::kEffect;
      describe(arg.effects[n].add, e.info);
      e.value = &arg.effects[n].add;
      out.push_back(std::move(e));
    }
  }
  return out;
}

// A multi-round scenario's settings: rounds.max, rounds.discount.<actor>,
// rounds.foresight and rounds.learning (not sampled; set for the whole run).
constexpr std::string_view kRoundsPrefix = "rounds.";
constexpr int kMaxRounds = 1000;

std::vector<SweepableName> RoundsEntries(const ScenarioSpec& spec) {
  using K = SweepableName::Kind;
  std::vector<SweepableName> out;
  if (!spec.rounds) return out;
  const RoundsSpec& r = *spec.rounds;
  out.push_back(
      {"rounds.max", K::kRounds, std::to_string(r.max_rounds), static_cast<double>(r.max_rounds),
       "the round limit, 1 to 1000: outcomes are where each negotiation stands after it", r.loc});
  for (size_t a = 0; a < spec.actors.size(); ++a) {
    out.push_back({"rounds.discount." + spec.actors[a].id, K::kRounds, FormatNumber(r.discount[a]),
                   r.discount[a], spec.actors[a].id + "'s discount factor per round, in (0, 1]",
                   r.loc});
  }
  out.push_back({"rounds.foresight", K::kRounds,
                 r.foresight == Foresight::kMyopic ? "myopic" : "forward-looking",
                 std::numeric_limits<double>::quiet_NaN(), "myopic or forward-looking",
                 r.foresight_loc});
  out.push_back(
      {"rounds.learning", K::kRounds, r.learning == RoundsLearning::kFresh ? "fresh" : "carried",
       std::numeric_limits<double>::quiet_NaN(),
       "fresh or carried: whether learning models start each round afresh", r.learning_loc});
  return out;
}

// Sets a rounds setting to a number.
Status ApplyRounds(ScenarioSpec& spec, std::string_view name, double value) {
  RoundsSpec& r = *spec.rounds;
  if (name == "rounds.max") {
    if (value != std::floor(value) || value < 1 || value > kMaxRounds) {
      return InvalidArgument(std::string(name) + " is a whole number of rounds from 1 to " +
                             std::to_string(kMaxRounds) + ", got " + FormatNumber(value));
    }
    r.max_rounds = static_cast<int>(value);
    return OkStatus();
  }
  if (name == "rounds.foresight") {
    return InvalidArgument(
        "rounds.foresight takes a word, myopic or forward-looking, not a number");
  }
  if (name == "rounds.learning") {
    return InvalidArgument("rounds.learning takes a word, fresh or carried, not a number");
  }
  for (size_t a = 0; a < spec.actors.size(); ++a) {
    if (name == "rounds.discount." + spec.actors[a].id) {
      if (!(value > 0.0 && value <= 1.0)) {
        return InvalidArgument(std::string(name) + " is a discount factor in (0, 1], got " +
                               FormatNumber(value));
      }
      r.discount[a] = value;
      return OkStatus();
    }
  }
  return Internal("no rounds setting " + std::string(name));
}

// The substream of an overridden value's own draws: a hash of its name, with
// the top bit set so that it never meets RngStream's streams.
uint32_t StreamFor(std::string_view name) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h | 0x80000000u;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

std::string_view SweepableKindName(SweepableName::Kind kind) {
  switch (kind) {
    case SweepableName::Kind::kParameter:
      return "parameter";
    case SweepableName::Kind::kPayoff:
      return "payoff";
    case SweepableName::Kind::kModifier:
      return "modifier";
    case SweepableName::Kind::kEffect:
      return "effect";
    case SweepableName::Kind::kCredence:
      return "credence";
    case SweepableName::Kind::kModel:
      return "model";
    case SweepableName::Kind::kRounds:
      return "rounds";
  }
  return "?";
}

std::vector<SweepableName> ListSweepable(const ScenarioSpec& spec) {
  std::vector<SweepableName> out;
  for (auto& e : Entries(spec)) out.push_back(std::move(e.info));
  for (const ModelParameterSetting& s : spec.simulation.model_parameters) {
    out.push_back(ModelEntry(spec, s.name));
  }
  for (auto& e : RoundsEntries(spec)) out.push_back(std::move(e));
  return out;
}

StatusOr<SweepableName> FindSweepable(const ScenarioSpec& spec, std::string_view name) {
  if (const std::string param = ModelParameterName(name); !param.empty()) {
    return ModelEntry(spec, param);
  }
  std::vector<std::string> names;
  for (auto& e : Entries(spec)) {
    if (e.info.name == name) return e.info;
    names.push_back(e.info.name);
  }
  for (auto& e : RoundsEntries(spec)) {
    if (e.name == name) return e;
    names.push_back(e.name);
  }
  const std::string shown =
      name.size() > 80 ? std::string(name.substr(0, 77)) + "..." : std::string(name);
  std::string msg = "the scenario has no sweepable name '" + shown + "'";
  const std::string guess = DidYouMean(name, names);
  if (!guess.empty()) {
    msg += "; did you mean '" + guess + "'?";
  } else if (name.starts_with(kRoundsPrefix) && !spec.rounds) {
    msg += " (rounds.* settings need a scenario with a `rounds` section)";
  } else if (name.starts_with(kModelPrefix)) {
    msg += " (a model parameter is named model.PARAMETER, for example model.lambda)";
  } else if (names.empty()) {
    msg += " (it has no parameters, payoffs or arguments)";
  }
  return InvalidArgument(msg + " (`parley params FILE` lists them all)");
}

StatusOr<Distribution> ParseOverrideValue(std::string_view raw) {
  const std::string text = Trim(raw);
  if (text.empty()) {
    return InvalidArgument(
        "the value is empty; give a number or a distribution such as 'normal: [2, 0.5]'");
  }
  // A distribution is short and two levels deep; longer or deeper text is
  // refused before the YAML parser (which recurses per level) sees it.
  if (text.size() > 200) {
    return InvalidArgument("the value is " + std::to_string(text.size()) +
                           " characters long; expected a number or a distribution such as "
                           "'normal: [2, 0.5]'");
  }
  int depth = 0, max_depth = 0;
  for (char ch : text) {
    if (ch == '[' || ch == '{') max_depth = std::max(max_depth, ++depth);
    if (ch == ']' || ch == '}') --depth;
  }
  if (max_depth > 4) {
    return InvalidArgument("the value nests [ ] or { } " + std::to_string(max_depth) +
                           " deep; a distribution such as '{uniform: [1, 3]}' needs 2");
  }
  const char c = text[0];
  if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
    double x = 0;
    switch (scenario_internal::ParseNumberText(text, &x)) {
      case NumberProblem::kNone:
        return Distribution::Constant(x);
      case NumberProblem::kOutOfRange:
        return InvalidArgument("values must be between -1e9 and 1e9, got " + text);
      default:
        return InvalidArgument("'" + text + "' is not a finite number");
    }
  }
  const std::string expected =
      "expected a number or a distribution such as 'normal: [2, 0.5]' or '{uniform: [1, 3]}', "
      "got '" +
      text + "'";
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(expected + " (" + e.msg + ")");
  }
  using Kind = DistributionProblem::Kind;
  Distribution value = Distribution::Constant(0.0);
  const DistributionProblem problem = scenario_internal::ParseDistributionNode(node, &value);
  const std::string& family = problem.family;
  switch (problem.kind) {
    case Kind::kNone:
      return value;
    case Kind::kNotOneKeyMapping:
      return InvalidArgument(expected);
    case Kind::kUnknownFamily:
      return InvalidArgument(scenario_internal::UnknownFamilyMessage(family));
    case Kind::kNotAList:
      return InvalidArgument(family + " parameters must be a list of numbers, for example '" +
                             family + ": [" + scenario_internal::ExampleParameters(family) + "]'");
    case Kind::kBadParameter:
      switch (problem.number) {
        case NumberProblem::kNotScalar:
          return InvalidArgument(family + " parameters must be numbers");
        case NumberProblem::kOutOfRange:
          return InvalidArgument(family + " parameters must be between -1e9 and 1e9, got " +
                                 problem.where.Scalar());
        default:
          return InvalidArgument(family + " parameter: '" + problem.where.Scalar() +
                                 "' is not a finite number");
      }
    case Kind::kInvalid:
      return problem.status;
  }
  return Internal("unreachable");
}

Status ApplyOverride(ScenarioSpec& spec, std::string_view name, const Distribution& value) {
  if (const std::string param = ModelParameterName(name); !param.empty()) {
    if (value.is_random()) {
      return InvalidArgument(std::string(name) +
                             ": model parameters are not sampled; give a single value, not a "
                             "distribution");
    }
    if (!std::isfinite(value.Mean())) {
      return InvalidArgument(std::string(name) + ": the value must be a finite number");
    }
    SetModelParameter(spec, param, ShortestText(value.Mean()));
    return OkStatus();
  }
  if (std::abs(value.Mean()) > kMaxMagnitude || !std::isfinite(value.Mean())) {
    return InvalidArgument(std::string(name) + ": values must be between -1e9 and 1e9");
  }
  if (spec.rounds && name.starts_with(kRoundsPrefix)) {
    PARLEY_RETURN_IF_ERROR(FindSweepable(spec, name).status());
    if (value.is_random()) {
      return InvalidArgument(std::string(name) +
                             ": rounds settings are not sampled; give a single value, not a "
                             "distribution");
    }
    return ApplyRounds(spec, name, value.Mean());
  }
  for (auto& e : Entries(spec)) {
    if (e.info.name != name) continue;
    if (e.argument) {
      if (value.is_random()) {
        return InvalidArgument(std::string(name) +
                               " is a probability and takes a number in [0, 1], not a "
                               "distribution");
      }
      const double c = value.Mean();
      if (c < 0.0 || c > 1.0) {
        return InvalidArgument(std::string(name) + " is a probability and must be in [0, 1], got " +
                               FormatNumber(c));
      }
      // The gate's uniform is drawn whatever the credence: nothing moves.
      e.argument->credence = c;
      return OkStatus();
    }
    if (e.param) {
      if (!e.param->overridden) e.param->overridden = OverrideSpec{e.param->value, StreamFor(name)};
      e.param->value = value;
      return OkStatus();
    }
    ValueSpec& v = *e.value;
    if (!v.overridden) {
      // A parameter reference draws nothing of its own.
      v.overridden = OverrideSpec{v.parameter >= 0 ? Distribution::Constant(0.0) : v.distribution,
                                  StreamFor(name)};
    }
    v.parameter = -1;
    v.scale = 1.0;
    v.distribution = value;
    return OkStatus();
  }
  return FindSweepable(spec, name).status();
}

Status ApplyOverride(ScenarioSpec& spec, std::string_view name, double value) {
  if (!std::isfinite(value)) {
    return InvalidArgument(std::string(name) + ": the value must be a finite number");
  }
  return ApplyOverride(spec, name, Distribution::Constant(value));
}

Status ApplySetting(ScenarioSpec& spec, std::string_view assignment, std::string_view flag) {
  // Long text is cut in messages (the reason says what is wrong with it).
  const std::string shown = assignment.size() > 80 ? std::string(assignment.substr(0, 77)) + "..."
                                                   : std::string(assignment);
  const std::string prefix = std::string(flag) + " " + shown + ": ";
  // Values are kept as written in results (model parameters), so they obey
  // the scenario files' rule for text.
  if (const auto fault = FindTextFault(assignment, TextKind::kValue)) {
    return InvalidArgument(prefix + "character " + std::to_string(fault->column) + " is " +
                           fault->what +
                           "; NAME=VALUE must be UTF-8 text without control "
                           "characters");
  }
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    return InvalidArgument(prefix +
                           "expected NAME=VALUE, for example payoff.ceasefire.russia=-1 or "
                           "'param.cost=uniform: [1, 3]'");
  }
  const std::string name = Trim(assignment.substr(0, eq));
  auto found = FindSweepable(spec, name);
  if (!found.ok()) return InvalidArgument(prefix + found.status().message());
  if (found->kind == SweepableName::Kind::kModel) {
    // Kept as written, like a scalar in the file; the model layer reads it.
    std::string text = Trim(assignment.substr(eq + 1));
    const Status checked = CheckModelValue(text);
    if (!checked.ok()) return InvalidArgument(prefix + checked.message());
    SetModelParameter(spec, ModelParameterName(name), std::move(text));
    return OkStatus();
  }
  if (name == "rounds.foresight") {
    const std::string word = Trim(assignment.substr(eq + 1));
    if (word != "myopic" && word != "forward-looking") {
      return InvalidArgument(prefix + "rounds.foresight must be myopic or forward-looking, got '" +
                             word + "'");
    }
    spec.rounds->foresight = word == "myopic" ? Foresight::kMyopic : Foresight::kForwardLooking;
    return OkStatus();
  }
  if (name == "rounds.learning") {
    const std::string word = Trim(assignment.substr(eq + 1));
    if (word != "fresh" && word != "carried") {
      return InvalidArgument(prefix + "rounds.learning must be fresh or carried, got '" + word +
                             "'");
    }
    spec.rounds->learning = word == "fresh" ? RoundsLearning::kFresh : RoundsLearning::kCarried;
    return OkStatus();
  }
  auto value = ParseOverrideValue(assignment.substr(eq + 1));
  if (!value.ok()) return InvalidArgument(prefix + value.status().message());
  const Status applied = ApplyOverride(spec, name, *value);
  if (!applied.ok()) return InvalidArgument(prefix + applied.message());
  return OkStatus();
}

Status ApplySettings(ScenarioSpec& spec, const std::vector<std::string>& assignments,
                     std::string_view flag) {
  for (const std::string& a : assignments) PARLEY_RETURN_IF_ERROR(ApplySetting(spec, a, flag));
  return OkStatus();
}

}  // namespace parley
