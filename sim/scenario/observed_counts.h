// Observed choice counts: how often each actor of a normal-form scenario was
// seen to choose each of its options, read from a YAML file, for fitting a
// model parameter to observed play (`parley fit`, sim/app/fit.h):
//
//   source: "Ochs (1995), ..."     # optional
//   counts:
//     row: {heads: 67.456, tails: 60.544}
//     column: {heads: 46.848, tails: 81.152}
//
// Counts are numbers of choices (fractional counts, such as frequencies
// times a number of subjects, are allowed); an option left out was never
// chosen, and an actor left out was not observed. Every error names the
// file, line and column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/scenario/spec.h"

namespace parley {

struct ObservedCounts {
  std::string path;
  std::string source;  // where the data come from; may be empty
  // counts[actor][option] in the scenario's order; an actor that the file
  // does not name has an empty vector.
  std::vector<std::vector<double>> counts;
  double total = 0.0;  // every choice counted
};

// Reads the counts for `spec`, a normal-form scenario.
StatusOr<ObservedCounts> LoadObservedCounts(const std::string& path, const ScenarioSpec& spec);
// `display_name` stands in for the file name in messages.
StatusOr<ObservedCounts> LoadObservedCountsString(std::string_view text,
                                                  const std::string& display_name,
                                                  const ScenarioSpec& spec);

}  // namespace parley
