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
  // Uniform on [0, 1) with 53 random bits.
  double Uniform();
  // Uniform on (0, 1): never exactly 0 or 1 (safe for log and inverse CDFs).
  double UniformOpen();
  // Standard normal (Marsaglia's polar method; the spare value is kept).
  double Normal();

 private:
  void Refill();

  r123::Philox4x32 philox_;
  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type counter_;
  r123::Philox4x32::ctr_type block_;
  int pos_ = 4;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace parley
