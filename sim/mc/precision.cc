#include "sim/mc/precision.h"

#include <algorithm>
#include <cmath>

#include "sim/mc/summary.h"

namespace parley {

double HalfWidth(const Accumulator& totals, int slot, bool pure_model) {
  const Interval ci = SlotInterval(totals, slot, pure_model);
  return 0.5 * (ci.high - ci.low);
}

double MaxHalfWidth(const Accumulator& totals, bool pure_model) {
  double widest = 0.0;
  for (int slot = 0; slot <= totals.num_outcomes; ++slot) {
    widest = std::max(widest, HalfWidth(totals, slot, pure_model));
  }
  return widest;
}

bool ValidPrecision(const PrecisionOptions& precision, std::string* why) {
  if (!std::isfinite(precision.target) || precision.target <= 0.0 || precision.target >= 0.5) {
    *why = "the precision target must be a number in (0, 0.5)";
    return false;
  }
  if (precision.max_samples < 1 || precision.max_samples > (int64_t{1} << 40)) {
    *why = "the sample cap must be between 1 and 2^40";
    return false;
  }
  return true;
}

StatusOr<PrecisionResult> RunToPrecision(const GameModel& game, const Model& model,
                                         RunOptions options, const PrecisionOptions& precision,
                                         std::function<void(int64_t, int64_t)> progress,
                                         SampleSink per_sample) {
  std::string why;
  if (!ValidPrecision(precision, &why)) return InvalidArgument(why);
  options.samples = precision.max_samples;
  const bool pure = model.pure();
  RunControl control;
  control.progress = std::move(progress);
  control.per_sample = std::move(per_sample);
  control.stop = [&](const Accumulator& totals) {
    return MaxHalfWidth(totals, pure) <= precision.target;
  };
  auto run = RunMonteCarlo(game, model, options, control);
  if (!run.ok()) return run.status();
  PrecisionResult result;
  result.run = std::move(*run);
  result.half_width = MaxHalfWidth(result.run.totals, pure);
  result.reached = result.half_width <= precision.target;
  return result;
}

}  // namespace parley
