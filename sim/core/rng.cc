#include "sim/core/rng.h"

#include <cmath>

namespace parley {

SampleRng::SampleRng(uint64_t seed, uint64_t sample_index, RngStream stream) {
  key_ = {{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}};
  // Word 0 counts blocks of four draws; word 1 is the stream; words 2-3 are
  // the sample index.
  counter_ = {{0u, static_cast<uint32_t>(stream),
               static_cast<uint32_t>(sample_index),
               static_cast<uint32_t>(sample_index >> 32)}};
}

void SampleRng::Refill() {
  block_ = philox_(counter_, key_);
  ++counter_.v[0];
  pos_ = 0;
}

double SampleRng::Normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u, v, s;
  do {
    u = 2.0 * Uniform() - 1.0;
    v = 2.0 * Uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double scale = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * scale;
  has_spare_normal_ = true;
  return u * scale;
}

}  // namespace parley
