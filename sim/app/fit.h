// Calibrating a model to observed play: the maximum-likelihood value of one
// model parameter given how often each actor chose each option
// (sim/scenario/observed_counts.h), with a profile-likelihood 95% interval.
//
// The likelihood of a parameter value v is that of the observed choices
// under the model's predicted choice probabilities: for every actor and
// option, count x ln p(option | v), where p is the share the option has in a
// run of the scenario at v (the mean over the run's resolved samples of the
// probability the model gives it; for a scenario without uncertainty, the
// model's prediction for its one game). Every run uses the same seed and
// sample count, so the samples are the same games at every v (common random
// numbers) and the likelihood is a smooth function of v wherever the model's
// predictions are.
//
// The search and its interval: sim/mc/fit.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"
#include "sim/report/provenance.h"
#include "sim/mc/fit.h"

namespace parley {

struct FitRequest {
  std::string file;       // a normal-form scenario
  std::string model;      // as --model takes it: "qre", or "cognitive-hierarchy:max_level=6"
  std::string parameter;  // a number or whole-number parameter the model declares
  std::string observed;   // the counts file
  // The search range; default: the parameter's declared range, with an
  // infinite end replaced by kDefaultSearchBound on its side.
  std::optional<std::pair<double, double>> range;
  std::vector<std::string> with, without, set;
  std::optional<std::string> selection;
  std::optional<int64_t> samples;  // default: the scenario's
  std::optional<uint64_t> seed;    // default: the scenario's
  int threads = 0;
};

// Where the default search range stops when the declared range does not.
inline constexpr double kDefaultSearchBound = 100.0;
// Whole-number parameters: at most this many values are evaluated.
inline constexpr int64_t kMaxFitIntegers = 1001;
// A predicted probability of 0 for an option that was chosen would make the
// log-likelihood -infinity; it is counted at this floor, and reported.
inline constexpr double kFitProbabilityFloor = 1e-300;

// The fit, with the provenance of the run at the estimate.
struct ModelFit {
  FitResult result;
  Provenance provenance;
};

StatusOr<ModelFit> FitModelParameter(const FitRequest& request);

}  // namespace parley
