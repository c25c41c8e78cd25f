// SampleRng: the counter-based random stream of one Monte Carlo sample.
//
// Every random number Parley draws depends only on (seed, sample index,
// stream, draw number): Philox4x32-10 (Random123) is keyed by the seed and
// countered by the sample index, so a sample's draws are the same whichever
// thread or process computes it. Conversions to uniform and normal variates
// are Parley's own, because std::*_distribution differ between libraries.
#pragma once

#include <cstdint>

#include <Random123/philox.h>

namespace parley {

// Independent streams within one sample, so that a model's draws (for example
// equilibrium selection) never shift the scenario's draws.
enum class RngStream : uint32_t { kScenario = 0, kModel = 1 };

class SampleRng {
 public:
  SampleRng(uint64_t seed, uint64_t sample_index,
            RngStream stream = RngStream::kScenario);

  // The next 32 raw bits of the stream.
  uint32_t NextU32() {
    if (pos_ == 4) Refill();
    return block_.v[pos_++];
  }
  // Uniform on [0, 1) with 53 random bits (from two 32-bit words).
  double Uniform() { return static_cast<double>(Next53()) * 0x1.0p-53; }
  // Uniform on (0, 1): never exactly 0 or 1 (safe for log and inverse CDFs).
  double UniformOpen() { return (static_cast<double>(Next53()) + 0.5) * 0x1.0p-53; }
  // Standard normal (Marsaglia's polar method; the spare value is kept).
  double Normal();

 private:
  void Refill();
  // 53 random bits from the next two words of the stream.
  uint64_t Next53() {
    if (pos_ > 2) Refill();
    const uint64_t hi = block_.v[pos_];
    const uint64_t lo = block_.v[pos_ + 1];
    pos_ += 2;
    return ((hi << 32) | lo) >> 11;
  }

  r123::Philox4x32 philox_;
  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type counter_;
  r123::Philox4x32::ctr_type block_;
  int pos_ = 4;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace parley
