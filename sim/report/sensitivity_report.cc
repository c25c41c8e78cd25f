#include "sim/report/sensitivity_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/core/ranks.h"
#include "sim/version.h"

namespace parley {
namespace {

// NaN (an undefined index) is shown as "-", and sorts last.
std::string IndexText(double x, int width = 6) {
  if (!std::isfinite(x)) return fmt::format("{:>{}}", "-", width);
  return fmt::format("{:>{}.3f}", x, width);
}

std::string IndexInterval(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return fmt::format("{:<16}", "");
  return fmt::format("[{:6.3f}, {:6.3f}]", lo, hi);
}

nlohmann::ordered_json Value(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

// Input indices sorted by `key` descending (NaN last), ties in input order.
std::vector<int> Ranked(size_t n, const std::function<double(int)>& key) {
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const double x = key(a), y = key(b);
    if (std::isnan(y)) return !std::isnan(x);
    return !std::isnan(x) && x > y;
  });
  return order;
}

}  // namespace

namespace {

double TotalSeconds(const SensitivityReport& r) {
  if (r.seconds > 0) return r.seconds;
  return r.sobol ? r.sobol->run.seconds : r.morris->run.seconds;
}

}  // namespace

std::string FormatSensitivityText(const SensitivityReport& r, size_t top) {
  std::string out;
  auto line = [&out](const std::string& l) { out += l + "\n"; };
  const SensitivityRun& run = r.sobol ? r.sobol->run : r.morris->run;
  const size_t k = r.inputs.size();
  size_t width = std::string("Input").size();
  for (const auto& name : r.inputs) width = std::max(width, name.size());
  line(r.scenario);
  if (r.sobol) {
    line(fmt::format(
        "Sobol indices: model {}, {} base rows x ({} inputs + 2) = {} evaluations, seed {}",
        r.model, r.samples, k, run.evaluations, r.seed));
    line(fmt::format(
        "S1 first order (Saltelli 2010), ST total (Jansen); 95% CI: bootstrap over base rows "
        "({} resamples)",
        r.bootstrap));
  } else {
    line(
        fmt::format("Morris elementary effects: model {}, {} trajectories x ({} inputs + 1) = {} "
                    "evaluations, {} levels, step {}, seed {}",
                    r.model, r.samples, k, run.evaluations, r.levels, r.morris->delta, r.seed));
    line(
        "mu* = mean |effect| (importance), mu = mean effect (direction), sigma = spread "
        "(interactions or non-linearity); effects per unit of the input's quantile scale");
  }
  const size_t shown = top == 0 ? k : std::min(top, k);
  for (size_t o = 0; o < r.outputs.size(); ++o) {
    line("");
    if (r.sobol) {
      const SobolOutput& s = r.sobol->outputs[o];
      if (s.rows_used == 0) {
        line(fmt::format("{}: undefined at every point", r.outputs[o]));
        continue;
      }
      const std::string rows =
          s.rows_used < r.samples
              ? fmt::format(", {} of {} base rows (the others are unresolved somewhere)",
                            s.rows_used, r.samples)
              : "";
      if (std::isnan(s.indices.empty() ? NAN : s.indices[0].s1)) {
        line(fmt::format("{}: constant ({}) over the design{}; no indices", r.outputs[o],
                         IndexText(s.mean, 0), rows));
        continue;
      }
      line(fmt::format("{}: mean {}, variance {}{}", r.outputs[o], IndexText(s.mean, 0),
                       IndexText(s.variance, 0), rows));
      line(fmt::format("  {:<{}}  {:>6}  {:<16}  {:>6}  {}", "Input", width, "S1", "95% CI", "ST",
                       "95% CI"));
      const auto order = Ranked(k, [&](int i) { return s.indices[i].st; });
      for (size_t n = 0; n < shown; ++n) {
        const SobolIndex& x = s.indices[order[n]];
        line(fmt::format("  {:<{}}  {}  {}  {}  {}", r.inputs[order[n]], width, IndexText(x.s1),
                         IndexInterval(x.s1_lo, x.s1_hi), IndexText(x.st),
                         IndexInterval(x.st_lo, x.st_hi)));
      }
    } else {
      const MorrisOutput& m = r.morris->outputs[o];
      line(fmt::format("{}:", r.outputs[o]));
      line(fmt::format("  {:<{}}  {:>8}  {:>8}  {:>8}", "Input", width, "mu*", "mu", "sigma"));
      const auto order = Ranked(k, [&](int i) { return m.indices[i].mu_star; });
      for (size_t n = 0; n < shown; ++n) {
        const MorrisIndex& x = m.indices[order[n]];
        line(fmt::format("  {:<{}}  {}  {}  {}", r.inputs[order[n]], width, IndexText(x.mu_star, 8),
                         IndexText(x.mu, 8), IndexText(x.sigma, 8)));
      }
    }
    if (shown < k) line(fmt::format("  ({} more inputs; --top 0 shows all)", k - shown));
  }
  line("");
  line(fmt::format("{} thread{}, {:.3f} s (sampling {:.3f} s, {:.0f} evaluations/s)",
                   run.threads_used, run.threads_used == 1 ? "" : "s", TotalSeconds(r), run.seconds,
                   run.seconds > 0 ? static_cast<double>(run.evaluations) / run.seconds : 0.0));
  return out;
}

nlohmann::ordered_json SensitivityToJson(const SensitivityReport& r) {
  using J = nlohmann::ordered_json;
  J j;
  j["kind"] = "sensitivity";
  j["parley_version"] = kParleyVersion;
  j["method"] = r.sobol ? "sobol" : "morris";
  j["scenario"] = {{"name", r.scenario}, {"file", r.scenario_path}};
  j["model"] = r.model;
  j["samples"] = r.samples;
  j["seed"] = r.seed;
  const SensitivityRun& run = r.sobol ? r.sobol->run : r.morris->run;
  j["evaluations"] = run.evaluations;
  if (r.sobol) {
    j["bootstrap"] = r.bootstrap;
  } else {
    j["levels"] = r.levels;
    j["delta"] = r.morris->delta;
  }
  j["inputs"] = r.inputs;
  J outputs = J::array();
  for (size_t o = 0; o < r.outputs.size(); ++o) {
    J entry;
    entry["name"] = r.outputs[o];
    J indices = J::array();
    if (r.sobol) {
      const SobolOutput& s = r.sobol->outputs[o];
      entry["mean"] = Value(s.mean);
      entry["variance"] = Value(s.variance);
      entry["rows_used"] = s.rows_used;
      for (size_t i = 0; i < r.inputs.size(); ++i) {
        const SobolIndex& x = s.indices[i];
        indices.push_back({{"input", r.inputs[i]},
                           {"S1", Value(x.s1)},
                           {"S1_ci95", {Value(x.s1_lo), Value(x.s1_hi)}},
                           {"ST", Value(x.st)},
                           {"ST_ci95", {Value(x.st_lo), Value(x.st_hi)}}});
      }
    } else {
      for (size_t i = 0; i < r.inputs.size(); ++i) {
        const MorrisIndex& x = r.morris->outputs[o].indices[i];
        indices.push_back({{"input", r.inputs[i]},
                           {"mu_star", Value(x.mu_star)},
                           {"mu", Value(x.mu)},
                           {"sigma", Value(x.sigma)},
                           {"effects", x.effects}});
      }
    }
    entry["indices"] = indices;
    outputs.push_back(entry);
  }
  j["outputs"] = outputs;
  j["run"] = {{"ranks", WorldRanks().size()},
              {"threads", run.threads_used},
              {"seconds", TotalSeconds(r)},
              {"sampling_seconds", run.seconds},
              {"evaluations_per_second",
               run.seconds > 0 ? static_cast<double>(run.evaluations) / run.seconds : 0.0}};
  return j;
}

}  // namespace parley
