#include "sim/mc/qmc.h"

#include <boost/random/sobol.hpp>
#include <string>

#include "sim/core/rng.h"

namespace parley {

StatusOr<ShiftedSobol> ShiftedSobol::Make(int dimension, uint64_t seed, uint64_t replicate) {
  if (dimension < 0 || dimension > kMaxDimension) {
    return InvalidArgument("Sobol points need between 0 and " + std::to_string(kMaxDimension) +
                           " dimensions, the design has " + std::to_string(dimension));
  }
  ShiftedSobol s;
  SampleRng rng(seed, replicate, RngStream::kShift);
  s.shift_.resize(static_cast<size_t>(dimension));
  for (uint64_t& x : s.shift_) x = rng.NextU64();
  return s;
}

void ShiftedSobol::Points(uint64_t first, int64_t count, double* out) const {
  const int d = dimension();
  if (d == 0 || count <= 0) return;
  // Boost's engine yields a point's coordinates one call at a time, as
  // integers in [0, 2^64); seed(n) moves to point n in O(64 d).
  boost::random::sobol engine(static_cast<std::size_t>(d));
  engine.seed(first);
  for (int64_t p = 0; p < count; ++p) {
    for (int j = 0; j < d; ++j) {
      const uint64_t x = engine() + shift_[j];  // modulo 2^64: the rotation
      out[p * d + j] = (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;
    }
  }
}

}  // namespace parley
