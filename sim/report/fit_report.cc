#include "sim/report/fit_report.h"

#include <fmt/format.h>

#include <vector>

#include "sim/report/whatif.h"
#include "sim/version.h"

namespace parley {

namespace {

using J = nlohmann::ordered_json;

// A parameter value: whole numbers as such, others to 4 significant digits.
std::string Value(const FitResult& f, double v) {
  return f.integer ? fmt::format("{:.0f}", v) : fmt::format("{:.4g}", v);
}

std::string IntervalText(const FitResult& f) {
  return fmt::format("[{}{}, {}{}]", f.fit.ci_low_open ? "<= " : "", Value(f, f.fit.ci_low),
                     f.fit.ci_high_open ? ">= " : "", Value(f, f.fit.ci_high));
}

}  // namespace

std::string FormatFitText(const FitResult& f, double seconds) {
  std::string out = f.scenario + "\n";
  out += fmt::format("fit: {}, model {}, parameter {} over [{}, {}]{}; {} samples, seed {}\n",
                     f.scenario_path, f.model, f.parameter, Value(f, f.range_low),
                     Value(f, f.range_high), f.default_range ? " (its declared range)" : "",
                     f.samples, f.seed);
  out += fmt::format("observed: {} ({:g} choices){}\n", f.observed.path, f.observed.total,
                     f.observed.source.empty() ? "" : "\n  source: " + f.observed.source);
  out += "\n";
  out += fmt::format("{} = {}   95% profile-likelihood interval {}\n", f.parameter,
                     Value(f, f.fit.estimate), IntervalText(f));
  out += fmt::format("log-likelihood at the estimate {:.4f} ({} values evaluated)\n",
                     f.fit.log_likelihood, f.fit.evaluations.size());
  if (f.fit.estimate_at_range_end) {
    out += "note: the estimate is at an end of the search range: widen it with --range\n";
  }
  if (f.fit.ci_low_open || f.fit.ci_high_open) {
    out += "note: the likelihood stays within the interval's cut up to an end of the search "
           "range (marked <= or >=): the data do not bound the parameter there\n";
  }
  if (f.floored_choices > 0) {
    out += fmt::format(
        "note: {:g} observed choices have predicted probability 0 at the estimate (counted "
        "at 1e-300)\n",
        f.floored_choices);
  }
  if (f.unresolved > 0) {
    out += fmt::format("note: {:.1f}% of the samples are unresolved at the estimate; "
                       "predictions are among the resolved ones\n",
                       100 * f.unresolved);
  }
  if (f.not_converged && *f.not_converged > 0) {
    out += fmt::format("note: {:.1f}% of the samples did not converge at the estimate\n",
                       100 * *f.not_converged);
  }
  out += "\nChoices at the estimate\n";
  std::vector<std::vector<std::string>> rows = {
      {"actor", "option", "observed", "observed %", "predicted %"}};
  for (size_t a = 0; a < f.actors.size(); ++a) {
    const std::vector<double>& counts = f.observed.counts[a];
    if (counts.empty()) continue;
    double n = 0;
    for (double c : counts) n += c;
    for (size_t o = 0; o < counts.size(); ++o) {
      rows.push_back({o == 0 ? f.actors[a] : "", f.options[a][o], fmt::format("{:g}", counts[o]),
                      n > 0 ? fmt::format("{:.1f}%", 100 * counts[o] / n) : "-",
                      fmt::format("{:.1f}%", 100 * f.predicted[a][o])});
    }
  }
  out += FormatTextTable(rows, 2);
  out += fmt::format("\n{} values of {} in {:.3f} s\n", f.fit.evaluations.size(), f.parameter,
                     seconds);
  return out;
}

J FitToJson(const FitResult& f, double seconds) {
  J j;
  j["kind"] = "fit";
  j["parley_version"] = kParleyVersion;
  j["scenario"] = {{"name", f.scenario}, {"file", f.scenario_path}};
  j["model"] = f.model;
  j["parameter"] = f.parameter;
  j["integer"] = f.integer;
  j["range"] = {f.range_low, f.range_high};
  j["default_range"] = f.default_range;
  j["samples"] = f.samples;
  j["seed"] = f.seed;
  j["estimate"] = f.fit.estimate;
  j["estimate_at_range_end"] = f.fit.estimate_at_range_end;
  j["log_likelihood"] = f.fit.log_likelihood;
  j["ci95"] = {{"low", f.fit.ci_low},
               {"high", f.fit.ci_high},
               {"low_open", f.fit.ci_low_open},
               {"high_open", f.fit.ci_high_open},
               {"log_likelihood_drop", f.fit.threshold}};
  J observed = {{"file", f.observed.path}, {"source", f.observed.source},
                {"total", f.observed.total}};
  j["observed"] = observed;
  J actors = J::array();
  for (size_t a = 0; a < f.actors.size(); ++a) {
    if (f.observed.counts[a].empty()) continue;
    J options = J::array();
    for (size_t o = 0; o < f.options[a].size(); ++o) {
      options.push_back({{"id", f.options[a][o]},
                         {"observed", f.observed.counts[a][o]},
                         {"predicted", f.predicted[a][o]}});
    }
    actors.push_back({{"actor", f.actors[a]}, {"options", options}});
  }
  j["choices"] = actors;
  j["unresolved"] = f.unresolved;
  if (f.not_converged) j["not_converged"] = *f.not_converged;
  j["floored_choices"] = f.floored_choices;
  J evaluations = J::array();
  for (const FitPoint& p : f.fit.evaluations) {
    evaluations.push_back({{"value", p.value}, {"log_likelihood", p.log_likelihood}});
  }
  j["evaluations"] = evaluations;
  j["seconds"] = seconds;
  return j;
}

}  // namespace parley
