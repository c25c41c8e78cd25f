#include "sim/mc/fit.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <map>

namespace parley {

StatusOr<ProfileLikelihood> MaximizeProfileLikelihood(
    const std::function<StatusOr<double>(double)>& log_likelihood,
    const ProfileLikelihoodOptions& options) {
  const double low = options.low, high = options.high;
  if (!(low < high) || !std::isfinite(low) || !std::isfinite(high)) {
    return InvalidArgument("the search range must be finite, low below high");
  }
  std::map<double, double> cache;
  // Boost's searches take plain functions: the first error is kept and
  // every later call returns -infinity.
  Status failure = OkStatus();
  auto ll = [&](double v) -> double {
    if (auto it = cache.find(v); it != cache.end()) return it->second;
    if (!failure.ok()) return -INFINITY;
    auto x = log_likelihood(v);
    if (!x.ok()) {
      failure = x.status();
      return -INFINITY;
    }
    cache[v] = *x;
    return *x;
  };

  std::vector<double> grid;
  if (options.integer) {
    for (double v = std::ceil(low); v <= high; v += 1.0) grid.push_back(v);
  } else {
    const int n = std::max(options.grid_points, 3);
    for (int i = 0; i < n; ++i) {
      grid.push_back(i == n - 1 ? high : low + (high - low) * i / static_cast<double>(n - 1));
    }
  }
  if (grid.empty()) return InvalidArgument("the search range holds no whole number");
  size_t best = 0;
  for (size_t i = 0; i < grid.size(); ++i) {
    if (ll(grid[i]) > ll(grid[best])) best = i;
  }
  PARLEY_RETURN_IF_ERROR(failure);
  ProfileLikelihood r;
  double estimate = grid[best];
  if (!options.integer) {
    const double a = grid[best == 0 ? 0 : best - 1];
    const double b = grid[std::min(best + 1, grid.size() - 1)];
    std::uintmax_t iterations = 200;
    const auto [x, minus_ll] = boost::math::tools::brent_find_minima(
        [&](double v) { return -ll(v); }, a, b, 40, iterations);
    PARLEY_RETURN_IF_ERROR(failure);
    if (-minus_ll > ll(estimate)) estimate = x;
  }
  r.estimate = estimate;
  r.log_likelihood = ll(estimate);
  r.estimate_at_range_end = estimate == grid.front() || estimate == grid.back();
  r.threshold =
      boost::math::quantile(boost::math::chi_squared_distribution<double>(1.0), 0.95) / 2.0;

  // One end: outwards over the grid to the first value whose log-likelihood
  // is below the cut, then the crossing between it and the value before.
  const double cut = r.log_likelihood - r.threshold;
  auto interval_end = [&](int direction, bool* open) -> double {
    std::vector<double> outward;
    for (double g : grid) {
      if (direction * (g - estimate) > 0) outward.push_back(g);
    }
    if (direction < 0) std::reverse(outward.begin(), outward.end());
    double inner = estimate;
    for (double g : outward) {
      if (ll(g) < cut) {
        *open = false;
        if (options.integer) return inner;
        std::uintmax_t iterations = 200;
        const auto [x0, x1] = boost::math::tools::toms748_solve(
            [&](double v) { return ll(v) - cut; }, std::min(g, inner), std::max(g, inner),
            boost::math::tools::eps_tolerance<double>(40), iterations);
        return (x0 + x1) / 2.0;
      }
      inner = g;
    }
    *open = true;
    return direction < 0 ? grid.front() : grid.back();
  };
  r.ci_low = interval_end(-1, &r.ci_low_open);
  r.ci_high = interval_end(+1, &r.ci_high_open);
  PARLEY_RETURN_IF_ERROR(failure);
  for (const auto& [v, l] : cache) r.evaluations.push_back({v, l});
  return r;
}

}  // namespace parley
