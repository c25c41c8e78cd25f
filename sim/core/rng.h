// SampleRng: the counter-based random stream of one Monte Carlo sample.
//
// Every random number Parley draws depends only on (seed, sample index,
// stream, draw number): Philox4x32-10 (Random123) is keyed by the seed and
// countered by the sample index, so a sample's draws are the same whichever
// thread or process computes it. Conversions to uniform and normal variates
// are Parley's own, because std::*_distribution differ between libraries.
#pragma once

#include <Random123/philox.h>

#include <cstdint>

namespace parley {

// Independent streams within one sample, so that a model's draws (for example
// equilibrium selection) never shift the scenario's draws.
// kAttribution the permutations of sampled Shapley attribution; kDesign
// serves sensitivity designs (Morris trajectories, bootstrap resampling),
// kShift the random shifts of quasi-random points, kCopula the redraws of
// correlated arguments' latents when forcing rejects a sample's own draw.
enum class RngStream : uint32_t {
  kScenario = 0,
  kModel = 1,
  kDesign = 2,
  kShift = 3,
  kAttribution = 4,
  kCopula = 5,
  kRounds = 6,      // multi-round negotiations: state changes
  kRoundsPlay = 7,  // and which continuing outcome a mixed round ended in
};

// The stream is a sequence of 64-bit units: unit i is words 2(i mod 2) and
// 2(i mod 2)+1 of the Philox block with counter i/2. Because the generator is
// counter-based, Skip() moves past units without computing them. Blocks are
// computed eight at a time (16 units), side by side in vector registers
// (AVX2 where the processor has it, else SSE2): a sample draws dozens of
// units, and eight blocks in AVX2 cost about as much as four in SSE2.
class SampleRng {
 public:
  SampleRng(uint64_t seed, uint64_t sample_index, uint32_t stream);
  SampleRng(uint64_t seed, uint64_t sample_index, RngStream stream = RngStream::kScenario)
      : SampleRng(seed, sample_index, static_cast<uint32_t>(stream)) {}

  // The next 64 random bits (one unit).
  uint64_t NextU64() {
    const uint64_t group = unit_ >> 4;
    if (group != cached_group_) Generate(group);
    // Unit i is words 2(i mod 16) and 2(i mod 16)+1 of the group's 32 words.
    const uint32_t* w = words_ + (unit_ & 15) * 2;
    ++unit_;
    return (uint64_t{w[0]} << 32) | w[1];
  }
  // 32 random bits (one unit; the other half is not used).
  uint32_t NextU32() { return static_cast<uint32_t>(NextU64() >> 32); }
  // Uniform on [0, 1) with 53 random bits (one unit).
  double Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1): never exactly 0 or 1 (safe for log and inverse CDFs).
  double UniformOpen() { return (static_cast<double>(NextU64() >> 11) + 0.5) * 0x1.0p-53; }
  // Standard normal (Marsaglia's polar method; the spare value is kept).
  double Normal();
  // The next n values Normal() would return, called n times, leaving the
  // stream where those calls would (spare included), bit for bit. The
  // accepted pairs are found first, then their logarithms taken in a row
  // and their scales computed two at a time: independent work, where n
  // calls wait on each other's division and square root.
  void Normals(double* out, int64_t n);
  // Moves past `units` units, as if they had been drawn.
  void Skip(uint64_t units) { unit_ += units; }
  // A fresh stream of the same seed and sample with stream word `stream`
  // (RngStream values, or ids with the top bit set for overridden values).
  SampleRng Substream(uint32_t stream) const;

 private:
  // Fills words_ with blocks 8 * group .. 8 * group + 7.
  void Generate(uint64_t group);

  uint32_t key_[2];
  uint32_t counter_[4];  // words 1-3 of every block's counter; word 0 is the block number
  uint32_t words_[32];   // the cached group: 8 blocks of 4 words
  uint64_t unit_ = 0;
  uint64_t cached_group_ = ~uint64_t{0};
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

namespace rng_internal {

// Philox4x32-10 blocks first .. first + 7 with counter words 1-3 `counter`
// and key `key`, into out[4 j + w] (word w of block j), by each kernel
// SampleRng can use. All give the same bits; tests compare them.
using PhiloxGroup = void (*)(uint32_t first, const uint32_t counter[3], const uint32_t key[2],
                             uint32_t out[32]);
void PhiloxGroupPortable(uint32_t first, const uint32_t counter[3], const uint32_t key[2],
                         uint32_t out[32]);
// Null where this build or processor lacks the instructions.
PhiloxGroup PhiloxGroupSse2();
PhiloxGroup PhiloxGroupAvx2();

}  // namespace rng_internal
}  // namespace parley
