#include "sim/mc/paired.h"

#include <cmath>

namespace parley {

PairedDifference PairedDifferenceOf(const double* a, int a_stride, const double* b, int b_stride,
                                    int64_t samples) {
  RunningStats stats;
  for (int64_t i = 0; i < samples; ++i) stats.Add(b[i * b_stride] - a[i * a_stride]);
  const double half =
      samples > 1 ? kZ95 * std::sqrt(stats.Variance() / static_cast<double>(samples)) : 0.0;
  return {stats.mean, {stats.mean - half, stats.mean + half}};
}

}  // namespace parley
