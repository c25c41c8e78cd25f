#include "sim/report/provenance.h"

#include <string_view>

namespace parley {
namespace {

using J = nlohmann::ordered_json;

std::string ValueText(const J& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

}  // namespace

void AddProvenanceJson(const Provenance& p, J& doc) {
  if (!doc.is_object()) doc = J::object();

  if (!p.extends.empty()) {
    J& scenario = doc["scenario"];
    if (!scenario.is_object()) scenario = J::object();
    scenario["extends"] = p.extends;
  } else if (auto it = doc.find("scenario"); it != doc.end() && it->is_object()) {
    it->erase("extends");
  }
  if (!p.correlated_arguments.empty()) {
    J& scenario = doc["scenario"];
    if (!scenario.is_object()) scenario = J::object();
    scenario["correlated_credences"] = {{"arguments", J(p.correlated_arguments)},
                                        {"factors", J(p.factors)},
                                        {"correlations", p.correlations}};
  } else if (auto it = doc.find("scenario"); it != doc.end() && it->is_object()) {
    it->erase("correlated_credences");
  }

  doc.erase("model_parameters");
  doc.erase("overrides");
  J parameters = J::object();
  for (const auto& [name, value] : p.model_parameters) parameters[name] = value;
  J overrides = {{"set", J(p.set)}, {"with", J(p.with)}, {"without", J(p.without)}};

  std::string anchor;  // the last of model, selection, lambda in document order
  for (const auto& [key, value] : doc.items()) {
    if (key == "model" || key == "selection" || key == "lambda") anchor = key;
  }
  if (anchor.empty()) {
    doc["model"] = p.model;
    anchor = "model";
    if (!p.selection.empty()) {
      doc["selection"] = p.selection;
      anchor = "selection";
    }
  }
  J out = J::object();
  for (auto& [key, value] : doc.items()) {
    out[key] = std::move(value);
    if (key == anchor) {
      out["model_parameters"] = std::move(parameters);
      out["overrides"] = std::move(overrides);
    }
  }
  doc = std::move(out);
}

std::string FormatModelParameters(const Provenance& p) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : p.model_parameters)
    parts.push_back(name + "=" + ValueText(value));
  return Join(parts, ", ");
}

std::string FormatCorrelatedCredences(const Provenance& p) {
  if (p.correlated_arguments.empty()) return "";
  std::vector<std::string> parts = {Join(p.correlated_arguments, ", ")};
  if (!p.factors.empty()) {
    parts.push_back((p.factors.size() == 1 ? "factor " : "factors ") + Join(p.factors, ", "));
  }
  if (p.correlations > 0) {
    parts.push_back(std::to_string(p.correlations) + " pairwise correlation" +
                    (p.correlations == 1 ? "" : "s"));
  }
  return Join(parts, "; ");
}

std::string FormatRoundsProvenance(const Provenance& p) {
  if (p.rounds.empty()) return "";
  return p.rounds + "; each P(outcome) is where the negotiations stood after the last round";
}

std::string FormatProvenanceText(const Provenance& p) {
  std::string out;
  if (!p.model.empty()) {
    std::vector<std::string> details;
    if (!p.model_parameters.empty()) details.push_back(FormatModelParameters(p));
    if (!p.selection.empty()) details.push_back("selection: " + p.selection);
    out += "model " + p.model;
    if (!details.empty()) out += " (" + Join(details, "; ") + ")";
    out += "\n";
  }
  std::vector<std::string> overrides;
  for (const auto& s : p.set) overrides.push_back("--set " + s);
  for (const auto& w : p.with) overrides.push_back("--with " + w);
  for (const auto& w : p.without) overrides.push_back("--without " + w);
  if (!overrides.empty()) out += "overrides: " + Join(overrides, ", ") + "\n";
  if (!p.extends.empty()) out += "extends: " + Join(p.extends, " -> ") + "\n";
  if (!p.correlated_arguments.empty()) {
    out += "credences: correlated (" + FormatCorrelatedCredences(p) + ")\n";
  }
  if (!p.rounds.empty()) out += "rounds: " + FormatRoundsProvenance(p) + "\n";
  return out;
}

void InsertProvenanceText(const Provenance& p, std::string& text, int after_lines,
                          bool with_model) {
  Provenance shown = p;
  if (!with_model) shown.model.clear();
  const std::string lines = FormatProvenanceText(shown);
  if (lines.empty()) return;
  size_t at = 0;
  for (int i = 0; i < after_lines; ++i) {
    const size_t end = text.find('\n', at);
    if (end == std::string::npos) return;
    at = end + 1;
  }
  text.insert(at, lines);
}

}  // namespace parley
