#include "sim/model/parameters.h"

#include <fmt/format.h>

#include <cassert>
#include <charconv>
#include <cmath>

#include "sim/scenario/loader.h"  // DidYouMean

namespace parley {

ParameterDecl ParameterDecl::Number(std::string name, double default_value, double min,
                                    double max, std::string doc) {
  ParameterDecl d;
  d.name = std::move(name);
  d.kind = Kind::kNumber;
  d.default_number = default_value;
  d.min = min;
  d.max = max;
  d.doc = std::move(doc);
  return d;
}

ParameterDecl ParameterDecl::Integer(std::string name, int64_t default_value, int64_t min,
                                     int64_t max, std::string doc) {
  ParameterDecl d =
      Number(std::move(name), static_cast<double>(default_value), static_cast<double>(min),
             static_cast<double>(max), std::move(doc));
  d.kind = Kind::kInteger;
  return d;
}

ParameterDecl ParameterDecl::Choice(std::string name, std::string default_value,
                                    std::vector<std::string> choices, std::string doc) {
  ParameterDecl d;
  d.name = std::move(name);
  d.kind = Kind::kChoice;
  d.default_choice = std::move(default_value);
  d.choices = std::move(choices);
  d.doc = std::move(doc);
  return d;
}

std::string ShortestText(double x) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  assert(ec == std::errc());
  return std::string(buffer, end);
}

std::string ParameterDecl::RangeText() const {
  if (kind == Kind::kChoice) {
    std::string words;
    for (const auto& c : choices) words += (words.empty() ? "" : ", ") + c;
    return "one of: " + words;
  }
  const char* noun = kind == Kind::kInteger ? "a whole number" : "a number";
  const bool low = std::isfinite(min), high = std::isfinite(max);
  if (low && high) return fmt::format("{} from {} to {}", noun, ShortestText(min), ShortestText(max));
  if (low) return fmt::format("{} >= {}", noun, ShortestText(min));
  if (high) return fmt::format("{} <= {}", noun, ShortestText(max));
  return noun;
}

std::string ParameterDecl::DefaultText() const {
  return kind == Kind::kChoice ? default_choice : ShortestText(default_number);
}

size_t ModelParameters::IndexOf(std::string_view name, ParameterDecl::Kind kind) const {
  for (size_t i = 0; i < decls_.size(); ++i) {
    if (decls_[i].name == name) {
      assert(decls_[i].kind == kind && "a parameter read as another kind");
      (void)kind;
      return i;
    }
  }
  assert(false && "a model read a parameter it does not declare");
  return 0;
}

double ModelParameters::Number(std::string_view name) const {
  return values_[IndexOf(name, ParameterDecl::Kind::kNumber)].number;
}

int64_t ModelParameters::Integer(std::string_view name) const {
  return static_cast<int64_t>(values_[IndexOf(name, ParameterDecl::Kind::kInteger)].number);
}

const std::string& ModelParameters::Choice(std::string_view name) const {
  return values_[IndexOf(name, ParameterDecl::Kind::kChoice)].choice;
}

std::string ModelParameters::Text(size_t i) const {
  return decls_[i].kind == ParameterDecl::Kind::kChoice ? values_[i].choice
                                                        : ShortestText(values_[i].number);
}

std::string ModelParameters::ToString() const {
  std::string out;
  for (size_t i = 0; i < decls_.size(); ++i) {
    out += (out.empty() ? "" : ", ") + decls_[i].name + "=" + Text(i);
  }
  return out;
}

namespace {

// The value of `text` under `decl`, or why not.
StatusOr<ModelParameters::Value> ParseValue(const ParameterDecl& decl, std::string_view text) {
  ModelParameters::Value v;
  if (decl.kind == ParameterDecl::Kind::kChoice) {
    for (const auto& c : decl.choices) {
      if (c == text) {
        v.choice = c;
        return v;
      }
    }
    return InvalidArgument("");
  }
  double x = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(x) ||
      x < decl.min || x > decl.max ||
      (decl.kind == ParameterDecl::Kind::kInteger && x != std::floor(x))) {
    return InvalidArgument("");
  }
  v.number = x;
  return v;
}

}  // namespace

StatusOr<ModelParameters> ResolveParameters(std::string_view model,
                                            const std::vector<ParameterDecl>& decls,
                                            const std::vector<ParameterSetting>& settings) {
  std::vector<ModelParameters::Value> values(decls.size());
  for (size_t i = 0; i < decls.size(); ++i) {
    values[i].number = decls[i].default_number;
    values[i].choice = decls[i].default_choice;
  }
  std::vector<std::string> names;
  for (const auto& d : decls) names.push_back(d.name);
  for (const ParameterSetting& s : settings) {
    const std::string prefix = s.where.empty() ? "" : s.where + ": ";
    size_t i = 0;
    while (i < decls.size() && decls[i].name != s.name) ++i;
    if (i == decls.size()) {
      std::string msg = fmt::format("{}model '{}' has no parameter '{}'", prefix, model, s.name);
      if (names.empty()) return InvalidArgument(msg + " (it takes none)");
      const std::string guess = DidYouMean(s.name, names);
      if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      return InvalidArgument(msg + " (parameters: " + list + ")");
    }
    auto value = ParseValue(decls[i], s.value);
    if (!value.ok()) {
      return InvalidArgument(fmt::format("{}model '{}': parameter '{}' must be {}, got '{}'",
                                         prefix, model, s.name, decls[i].RangeText(), s.value));
    }
    values[i] = std::move(*value);
  }
  return ModelParameters(decls, std::move(values));
}

}  // namespace parley
