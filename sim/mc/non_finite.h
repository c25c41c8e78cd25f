// Non-finite numbers in a Monte Carlo computation: the first sample (or
// design row) whose draws, or whose prediction's outcome probabilities or
// payoffs, are NaN or infinite. Such a sample is never counted (a NaN would
// become "unresolved", break the totals or be dropped from a statistic as
// undefined): the run, sensitivity analysis or attribution fails instead,
// saying which sample, the same on any thread count.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "sim/core/status.h"

namespace parley {

// Kept as 2 * sample + kind, the smallest over all samples whichever thread
// found it, so the message does not depend on the thread count.
struct NonFinite {
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
  enum Kind : int64_t { kDraw = 0, kPrediction = 1 };
  std::atomic<int64_t> first{kNone};
  void Note(int64_t sample, Kind kind) {
    const int64_t code = 2 * sample + kind;
    int64_t seen = first.load(std::memory_order_relaxed);
    while (code < seen && !first.compare_exchange_weak(seen, code)) {
    }
  }
  bool found() const { return first.load() != kNone; }
};

// Internal (exit 1) naming the first sample noted, or OK when none was:
// `unit` is what a sample is called ("sample", "design row").
inline Status NonFiniteError(const NonFinite& non_finite, std::string_view model, uint64_t seed,
                             std::string_view unit) {
  const int64_t code = non_finite.first.load();
  if (code == NonFinite::kNone) return OkStatus();
  const std::string which =
      std::string(unit) + " " + std::to_string(code / 2) + " (seed " + std::to_string(seed) + ")";
  if (code % 2 == NonFinite::kDraw) {
    return Internal(which +
                    " drew a value that is not a finite number; nothing was counted or "
                    "written. This is a bug in Parley: please report it with the scenario");
  }
  return Internal("model '" + std::string(model) +
                  "' predicted an outcome probability or payoff that is not a finite number "
                  "for " +
                  which +
                  "; nothing was counted or written. This is a bug in the model: please "
                  "report it with the scenario");
}

// True when none of v[0 .. n) is NaN or infinite. Adding one to the
// exponent field carries into the sign bit exactly when the exponent bits
// are all set; the loop is adds and ors only, so it vectorizes (on the hot
// path, once per chunk).
inline bool AllFinite(const double* v, int64_t n) {
  constexpr uint64_t kExponent = 0x7ff0000000000000;
  constexpr uint64_t kExponentOne = 0x0010000000000000;
  uint64_t carries = 0;
  for (int64_t i = 0; i < n; ++i) {
    carries |= (std::bit_cast<uint64_t>(v[i]) & kExponent) + kExponentOne;
  }
  return (carries >> 63) == 0;
}

}  // namespace parley
