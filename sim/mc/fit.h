// Maximum-likelihood fitting of one parameter with a profile-likelihood
// interval, kept apart from what the likelihood is (sim/app/fit.h fits a
// model parameter to observed choices), and the result of such a fit.
//
// The search: the log-likelihood on a grid over [low, high], then Brent's
// method between the best grid point's neighbours. The 95% interval holds
// every value whose log-likelihood is within chi2(1, 0.95) / 2 = 1.92 of the
// maximum (Wilks' theorem); each end is found by a bracketing root-finder
// (TOMS 748) between the first grid value outside and the one before it, or
// is the end of the range, said to be open, when the log-likelihood stays
// within 1.92 up to it. Whole-number parameters are evaluated at every whole
// number of the range instead.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/scenario/observed_counts.h"

namespace parley {

struct FitPoint {
  double value = 0.0;
  double log_likelihood = 0.0;
};

struct ProfileLikelihoodOptions {
  double low = 0.0, high = 1.0;  // the search range, finite
  bool integer = false;          // whole numbers only
  int grid_points = 41;          // of the first pass (number parameters)
};

struct ProfileLikelihood {
  double estimate = 0.0;
  double log_likelihood = 0.0;  // at the estimate
  bool estimate_at_range_end = false;
  double ci_low = 0.0, ci_high = 0.0;
  bool ci_low_open = false, ci_high_open = false;  // the end is the range's
  double threshold = 0.0;             // chi2(1, 0.95) / 2
  std::vector<FitPoint> evaluations;  // every value evaluated, in increasing order
};

// `log_likelihood` is called once per distinct value; its first error ends
// the search and is returned.
StatusOr<ProfileLikelihood> MaximizeProfileLikelihood(
    const std::function<StatusOr<double>(double)>& log_likelihood,
    const ProfileLikelihoodOptions& options);

// A model parameter fitted to observed choices (`parley fit`).
struct FitResult {
  std::string scenario;       // its name
  std::string scenario_path;  // as given
  std::string model;          // the model's name
  std::string parameter;
  bool integer = false;  // a whole-number parameter
  ObservedCounts observed;
  std::vector<std::string> actors;                // ids, in the scenario's order
  std::vector<std::vector<std::string>> options;  // per actor
  double range_low = 0.0, range_high = 0.0;       // searched
  bool default_range = true;                      // not given with --range
  ProfileLikelihood fit;
  // At the estimate: each actor's predicted choice probabilities, and the
  // shares of unresolved and (iterative models) not converged samples.
  std::vector<std::vector<double>> predicted;
  double unresolved = 0.0;
  std::optional<double> not_converged;
  double floored_choices = 0.0;  // observed choices predicted with probability 0
  int64_t samples = 0;
  uint64_t seed = 0;
};

}  // namespace parley
