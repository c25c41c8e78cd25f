#include "sim/mc/summary.h"

#include <cmath>

namespace parley {

Interval WilsonInterval(int64_t successes, int64_t trials, double z) {
  if (trials <= 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / n;
  const double center = (p + z2 / (2.0 * n)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
  // At 0 or n successes the bound is exactly 0 or 1; rounding must not leave
  // the estimate outside its own interval.
  return {successes == 0 ? 0.0 : std::max(0.0, center - half),
          successes == trials ? 1.0 : std::min(1.0, center + half)};
}

RunSummary Summarize(const ScenarioSpec& spec, const std::vector<ArgumentMode>& modes,
                     const Accumulator& t) {
  RunSummary s;
  s.scenario = spec.name;
  s.scenario_path = spec.path;
  s.samples = t.samples;
  auto estimate = [&](std::string id, std::string label, int64_t count) {
    OutcomeEstimate e{std::move(id), std::move(label), count,
                      t.samples ? static_cast<double>(count) / static_cast<double>(t.samples) : 0.0,
                      WilsonInterval(count, t.samples)};
    return e;
  };
  for (int o = 0; o < t.num_outcomes; ++o) {
    s.outcomes.push_back(
        estimate(spec.outcomes[o].id, spec.outcomes[o].label, t.outcome_counts[o]));
  }
  s.unresolved = estimate("unresolved", "unresolved", t.outcome_counts[t.num_outcomes]);

  for (size_t p = 0; p < t.payoffs.size(); ++p) {
    const RunningStats& r = t.payoffs[p];
    const double half = r.n > 1 ? kZ95 * std::sqrt(r.Variance() / static_cast<double>(r.n)) : 0.0;
    s.payoffs.push_back({spec.actors[p].id, r.n, r.mean, {r.mean - half, r.mean + half}});
  }

  const double n = static_cast<double>(std::max<int64_t>(t.samples, 1));
  s.equilibria_none = t.equilibrium_counts[Accumulator::kNone] / n;
  s.equilibria_unique = t.equilibrium_counts[Accumulator::kUnique] / n;
  s.equilibria_multiple = t.equilibrium_counts[Accumulator::kMultiple] / n;

  const int slots = t.num_outcomes + 1;
  for (int g = 0; g < t.num_arguments; ++g) {
    const ArgumentSpec& spec_arg = spec.arguments[g];
    ArgumentEstimate a;
    a.id = spec_arg.id;
    a.analyst = spec_arg.analyst;
    a.claim = spec_arg.claim;
    a.credence = spec_arg.credence;
    a.mode = modes[g] == ArgumentMode::kDrawn      ? "drawn"
             : modes[g] == ArgumentMode::kForcedOn ? "forced-on"
                                                   : "forced-off";
    a.samples_holding = t.argument_holds[g];
    const int64_t n1 = t.argument_holds[g];
    const int64_t n0 = t.samples - n1;
    for (int o = 0; o < slots; ++o) {
      ArgumentEffect e;
      e.outcome = o < t.num_outcomes ? spec.outcomes[o].id : "unresolved";
      if (n1 > 0 && n0 > 0) {
        const int64_t c1 = t.outcome_counts_when_holds[static_cast<size_t>(g) * slots + o];
        const int64_t c0 = t.outcome_counts[o] - c1;
        const double p1 = static_cast<double>(c1) / static_cast<double>(n1);
        const double p0 = static_cast<double>(c0) / static_cast<double>(n0);
        const double d = p1 - p0;
        const double half = kZ95 * std::sqrt(p1 * (1 - p1) / static_cast<double>(n1) +
                                             p0 * (1 - p0) / static_cast<double>(n0));
        e.effect = d;
        e.ci95 = {d - half, d + half};
      }
      a.effects.push_back(e);
    }
    s.arguments.push_back(std::move(a));
  }
  return s;
}

}  // namespace parley
