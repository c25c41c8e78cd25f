#include "sim/report/sampler_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace parley {

std::vector<ReplicateInterval> ReplicateIntervals(const RunSummary& summary,
                                                  const RunResult& result) {
  std::vector<ReplicateInterval> out;
  const size_t r = result.replicates.size();
  if (r < 2) return out;
  const double t = boost::math::quantile(
      boost::math::students_t_distribution<double>(static_cast<double>(r - 1)), 0.975);
  const int slots = result.totals.num_outcomes + 1;
  for (int slot = 0; slot < slots; ++slot) {
    ReplicateInterval x;
    x.outcome =
        slot < static_cast<int>(summary.outcomes.size()) ? summary.outcomes[slot].id : "unresolved";
    x.probability = result.totals.outcome_mass[slot] / static_cast<double>(result.totals.samples);
    double mean = 0;
    for (const Accumulator& a : result.replicates) {
      x.replicates.push_back(a.outcome_mass[slot] / static_cast<double>(a.samples));
      mean += x.replicates.back() / static_cast<double>(r);
    }
    double ss = 0;
    for (double p : x.replicates) ss += (p - mean) * (p - mean);
    const double half = t * std::sqrt(ss / static_cast<double>(r - 1) / static_cast<double>(r));
    x.low = std::max(0.0, x.probability - half);
    x.high = std::min(1.0, x.probability + half);
    out.push_back(std::move(x));
  }
  return out;
}

std::string FormatSamplerNote(const RunSummary& summary, const RunResult& result) {
  const auto intervals = ReplicateIntervals(summary, result);
  const size_t r = result.replicates.size();
  std::string out;
  auto line = [&out](const std::string& l) { out += l + "\n"; };
  line("");
  line(fmt::format(
      "Sampler: sobol (quasi-random: {} replicates of {} randomly shifted Sobol points each)", r,
      r ? result.replicates[0].samples : 0));
  line(
      "The intervals above treat the samples as independent, which usually overstates the error "
      "of");
  line("quasi-random points; the spread between the independently shifted replicates gives:");
  size_t width = std::string("Outcome").size();
  for (const auto& x : intervals) width = std::max(width, x.outcome.size());
  line(fmt::format("{:<{}}  {:>7}  95% CI (between replicates, t with {} df)", "Outcome", width,
                   "P", r > 0 ? r - 1 : 0));
  for (const auto& x : intervals) {
    line(fmt::format("{:<{}}  {:>6.1f}%  [{:5.1f}%, {:5.1f}%]", x.outcome, width,
                     100 * x.probability, 100 * x.low, 100 * x.high));
  }
  return out;
}

nlohmann::ordered_json SamplerJson(const RunSummary& summary, const RunResult& result) {
  using J = nlohmann::ordered_json;
  J outcomes = J::array();
  for (const auto& x : ReplicateIntervals(summary, result)) {
    outcomes.push_back({{"id", x.outcome},
                        {"probability", x.probability},
                        {"ci95", {x.low, x.high}},
                        {"replicates", x.replicates}});
  }
  return {{"name", "sobol"},
          {"replicates", result.replicates.size()},
          {"error", "between-replicates"},
          {"outcomes", outcomes}};
}

}  // namespace parley
