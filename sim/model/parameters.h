// Declared model parameters: each model lists the parameters it takes (name,
// kind, default, allowed range, one line of documentation), as OpenSpiel's
// games declare theirs, and reads back resolved values by name. Settings come
// as text from a scenario's `simulation.model`, from `--model NAME:K=V`,
// `--lambda`, `--set model.K=V` and sweeps; ResolveParameters checks each
// against its declaration and fills in the defaults.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace parley {

struct ParameterDecl {
  enum class Kind { kNumber, kInteger, kChoice };
  std::string name;
  Kind kind = Kind::kNumber;
  // kNumber and kInteger: the default and the closed range [min, max].
  double default_number = 0.0;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  // kChoice: the default and the allowed words.
  std::string default_choice;
  std::vector<std::string> choices;
  std::string doc;  // one line for `parley models`

  static ParameterDecl Number(std::string name, double default_value, double min, double max,
                             std::string doc);
  static ParameterDecl Integer(std::string name, int64_t default_value, int64_t min, int64_t max,
                               std::string doc);
  static ParameterDecl Choice(std::string name, std::string default_value,
                              std::vector<std::string> choices, std::string doc);

  // "a number >= 0", "a whole number from 1 to 20", "one of: a, b".
  std::string RangeText() const;
  // The default as it is written in a setting ("1", "alternating").
  std::string DefaultText() const;
};

// One parameter given as text, and where it was given (for messages:
// "--model", "--set", "scenario.yaml:12:7: error").
struct ParameterSetting {
  std::string name;
  std::string value;
  std::string where;
};

// The value of every declared parameter of one model, in declaration order.
class ModelParameters {
 public:
  struct Value {
    double number = 0.0;  // kNumber, kInteger
    std::string choice;   // kChoice
  };

  ModelParameters() = default;
  ModelParameters(std::vector<ParameterDecl> decls, std::vector<Value> values)
      : decls_(std::move(decls)), values_(std::move(values)) {}

  // The value of a declared parameter; asserts that `name` is declared with
  // that kind (a model reads only what it declares).
  double Number(std::string_view name) const;
  int64_t Integer(std::string_view name) const;
  const std::string& Choice(std::string_view name) const;

  const std::vector<ParameterDecl>& decls() const { return decls_; }
  const std::vector<Value>& values() const { return values_; }
  bool empty() const { return decls_.empty(); }
  // A value as a setting would write it: the shortest text that reads back
  // as the same number ("2.5", "0.1"), or the choice.
  std::string Text(size_t i) const;
  // "lambda=2.5" ("k=2, tau=1.5"): every parameter, in declaration order.
  std::string ToString() const;

 private:
  size_t IndexOf(std::string_view name, ParameterDecl::Kind kind) const;
  std::vector<ParameterDecl> decls_;
  std::vector<Value> values_;
};

// Checks `settings` against `decls` (a later setting of the same name wins)
// and returns every parameter's value, defaults filled in. Errors name the
// setting's `where`, the model, the parameter and its allowed range, with a
// suggestion for a misspelt name.
StatusOr<ModelParameters> ResolveParameters(std::string_view model,
                                            const std::vector<ParameterDecl>& decls,
                                            const std::vector<ParameterSetting>& settings);

// The shortest decimal text that reads back as exactly `x` ("0.1", "1e-300").
std::string ShortestText(double x);

}  // namespace parley
