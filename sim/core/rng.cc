#include "sim/core/rng.h"

#include <cmath>

namespace parley {

SampleRng::SampleRng(uint64_t seed, uint64_t sample_index, uint32_t stream) {
  key_ = {{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}};
  // Word 0 is the block number within the stream; word 1 is the stream;
  // words 2-3 are the sample index. (Blocks past 2^32 are out of reach: a
  // sample draws a few hundred units at most.)
  counter_ = {{0u, stream, static_cast<uint32_t>(sample_index),
               static_cast<uint32_t>(sample_index >> 32)}};
}

SampleRng SampleRng::Substream(uint32_t stream) const {
  SampleRng other = *this;
  other.counter_.v[1] = stream;
  other.unit_ = 0;
  other.cached_block_ = ~uint64_t{0};
  other.has_spare_normal_ = false;
  return other;
}

void SampleRng::Generate(uint64_t block) {
  counter_.v[0] = static_cast<uint32_t>(block);
  block_ = philox_(counter_, key_);
  cached_block_ = block;
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
