#include "sim/report/attribution_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace parley {
namespace {

std::string Points(double p) { return fmt::format("{:+.1f}", 100.0 * p); }

double Largest(const ArgumentAttribution& a) {
  double m = 0.0;
  for (double x : a.shapley) m = std::max(m, std::abs(x));
  return m;
}

}  // namespace

AttributionSummary SummarizeAttribution(const ScenarioSpec& spec, const AttributionResult& r,
                                        const RunSummary& run, int permutations_per_sample) {
  AttributionSummary a;
  a.exact = r.exact;
  a.samples = r.samples;
  a.coalitions = r.coalitions;
  a.permutations = r.permutations;
  a.permutations_per_sample = r.exact ? 0 : permutations_per_sample;
  for (const auto& o : spec.outcomes) a.slots.push_back(o.id);
  a.slots.push_back("unresolved");
  a.all_hold = r.all_hold;
  a.none_hold = r.none_hold;
  for (size_t i = 0; i < r.players.size(); ++i) {
    const ArgumentSpec& arg = spec.arguments[r.players[i]];
    ArgumentAttribution entry{arg.id, arg.analyst, r.shapley[i], r.ci95[i], {}};
    entry.contrast.assign(a.slots.size(), std::nullopt);
    for (const ArgumentEstimate& e : run.arguments) {
      if (e.id != arg.id) continue;
      for (size_t o = 0; o < e.effects.size() && o < a.slots.size(); ++o) {
        entry.contrast[o] = e.effects[o].effect;
      }
    }
    a.arguments.push_back(std::move(entry));
  }
  return a;
}

std::string FormatAttributionText(const AttributionSummary& a) {
  std::string out;
  auto line = [&out](const std::string& l) { out += l + "\n"; };
  const size_t k = a.arguments.size();
  if (a.exact) {
    line(fmt::format(
        "Shapley attribution: exact over all {} coalitions of {} argument{}, on the same {} "
        "samples",
        a.coalitions, k, k == 1 ? "" : "s", a.samples));
  } else {
    line(fmt::format(
        "Shapley attribution: {} arguments, sampled: {} random orders ({} per sample, {} "
        "coalitions each), on the same {} samples; the 95% CIs include the order sampling",
        k, a.permutations, a.permutations_per_sample, a.coalitions, a.samples));
  }
  if (k == 0) {
    line("(no argument left to attribute: every argument is forced with --with/--without)");
    return out;
  }
  size_t slot_width = 0;
  for (const auto& s : a.slots) slot_width = std::max(slot_width, s.size());
  line(
      "P(outcome) with no argument holding -> with all holding (their Shapley values add up to "
      "the change):");
  for (size_t o = 0; o < a.slots.size(); ++o) {
    line(fmt::format("  {:<{}}  {:5.1f}% -> {:5.1f}%  ({} points)", a.slots[o], slot_width,
                     100.0 * a.none_hold[o], 100.0 * a.all_hold[o],
                     Points(a.all_hold[o] - a.none_hold[o])));
  }
  line("");
  line("Which argument moves each outcome most (Shapley value in points, 95% CI):");
  for (size_t o = 0; o < a.slots.size(); ++o) {
    std::vector<size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      return std::abs(a.arguments[x].shapley[o]) > std::abs(a.arguments[y].shapley[o]);
    });
    line(fmt::format("  {}:", a.slots[o]));
    const size_t shown = std::min<size_t>(3, k);
    for (size_t j = 0; j < shown; ++j) {
      const ArgumentAttribution& arg = a.arguments[order[j]];
      line(fmt::format("    {}. {} ({}): {} [{}, {}]", j + 1, arg.id, arg.analyst,
                       Points(arg.shapley[o]), Points(arg.ci95[o].low), Points(arg.ci95[o].high)));
    }
  }
  line("");
  // Every argument, ranked by its largest Shapley value over the outcomes,
  // beside the run's on/off contrast.
  std::vector<size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return Largest(a.arguments[x]) > Largest(a.arguments[y]);
  });
  size_t id_width = 8, analyst_width = 7;
  for (const auto& arg : a.arguments) {
    id_width = std::max(id_width, arg.id.size());
    analyst_width = std::min<size_t>(std::max(analyst_width, arg.analyst.size()), 32);
  }
  std::string header =
      fmt::format("{:<{}}  {:<{}}", "Argument", id_width, "Analyst", analyst_width);
  std::string sub = fmt::format("{:<{}}  {:<{}}", "", id_width, "", analyst_width);
  std::vector<size_t> widths;
  for (const auto& s : a.slots) {
    const size_t w = std::max<size_t>(s.size(), 15);
    widths.push_back(w);
    header += fmt::format("  {:>{}}", s, w);
    sub += fmt::format("  {:>{}}", "Shapley  on/off", w);
  }
  line(header);
  line(sub);
  for (size_t idx : order) {
    const ArgumentAttribution& arg = a.arguments[idx];
    std::string analyst = arg.analyst;
    if (analyst.size() > analyst_width) analyst = analyst.substr(0, analyst_width - 3) + "...";
    std::string row = fmt::format("{:<{}}  {:<{}}", arg.id, id_width, analyst, analyst_width);
    for (size_t o = 0; o < a.slots.size(); ++o) {
      const std::string contrast = arg.contrast[o] ? Points(*arg.contrast[o]) : "n/a";
      row += fmt::format("  {:>{}}", fmt::format("{:>7}  {:>6}", Points(arg.shapley[o]), contrast),
                         widths[o]);
    }
    line(row);
  }
  line("(on/off: P(outcome | it holds) - P(outcome | it does not) in the run, the others drawn");
  line(" from their credences; Shapley: its share of the change from none to all holding)");
  return out;
}

nlohmann::ordered_json AttributionJson(const AttributionSummary& a) {
  using J = nlohmann::ordered_json;
  J j;
  j["method"] = "shapley";
  j["exact"] = a.exact;
  j["coalitions"] = a.coalitions;
  if (!a.exact) {
    j["permutations"] = a.permutations;
    j["permutations_per_sample"] = a.permutations_per_sample;
  }
  j["samples"] = a.samples;
  J all = J::object(), none = J::object();
  for (size_t o = 0; o < a.slots.size(); ++o) {
    all[a.slots[o]] = a.all_hold[o];
    none[a.slots[o]] = a.none_hold[o];
  }
  j["all_hold"] = all;
  j["none_hold"] = none;
  J args = J::array();
  for (const auto& arg : a.arguments) {
    J shapley = J::object(), ci = J::object(), contrast = J::object();
    for (size_t o = 0; o < a.slots.size(); ++o) {
      shapley[a.slots[o]] = arg.shapley[o];
      ci[a.slots[o]] = {arg.ci95[o].low, arg.ci95[o].high};
      contrast[a.slots[o]] = arg.contrast[o] ? J(*arg.contrast[o]) : J(nullptr);
    }
    args.push_back({{"id", arg.id},
                    {"analyst", arg.analyst},
                    {"shapley", shapley},
                    {"ci95", ci},
                    {"contrast", contrast}});
  }
  j["arguments"] = args;
  return j;
}

std::string FormatPrecisionText(const PrecisionSummary& p) {
  if (p.reached) {
    return fmt::format(
        "Precision: every 95% CI half-width is at most {:.2f} points (widest {:.2f}) after {} "
        "samples (checked every {} samples)\n",
        100.0 * p.target, 100.0 * p.half_width, p.samples, p.batch);
  }
  return fmt::format(
      "Precision: target of {:.2f} points NOT reached: stopped at the --max-samples cap of {} "
      "samples (widest 95% CI half-width {:.2f} points)\n",
      100.0 * p.target, p.max_samples, 100.0 * p.half_width);
}

nlohmann::ordered_json PrecisionJson(const PrecisionSummary& p) {
  return {{"target", p.target},           {"reached", p.reached},   {"samples", p.samples},
          {"max_samples", p.max_samples}, {"check_every", p.batch}, {"half_width", p.half_width}};
}

}  // namespace parley
