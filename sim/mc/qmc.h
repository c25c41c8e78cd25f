// Randomly shifted Sobol points: quasi-random points in (0, 1)^d for
// `run --sampler sobol` and the Saltelli design of `parley sensitivity`.
//
// The points are Boost.Random's `sobol` sequence (Joe and Kuo's direction
// numbers, up to 3667 dimensions), rotated modulo 1 by a Cranley-Patterson
// shift drawn from Philox keyed by (seed, replicate). The rotation is done in
// 64-bit integers, so it is exact, and the result is mapped to the open
// interval, so every coordinate is a valid argument for an inverse CDF.
// Point i depends only on (dimension, seed, replicate, i).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/status.h"

namespace parley {

class ShiftedSobol {
 public:
  static constexpr int kMaxDimension = 3667;  // Boost's default table

  static StatusOr<ShiftedSobol> Make(int dimension, uint64_t seed, uint64_t replicate);

  int dimension() const { return static_cast<int>(shift_.size()); }
  // Points first .. first + count - 1 of the sequence into out, row-major
  // (point p's coordinates at out[p * dimension() ...]).
  void Points(uint64_t first, int64_t count, double* out) const;

 private:
  std::vector<uint64_t> shift_;  // per coordinate, in units of 2^-64
};

}  // namespace parley
