#include "sim/core/rng.h"

#include <cmath>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace parley {

SampleRng::SampleRng(uint64_t seed, uint64_t sample_index, uint32_t stream) {
  key_[0] = static_cast<uint32_t>(seed);
  key_[1] = static_cast<uint32_t>(seed >> 32);
  // Word 0 is the block number within the stream; word 1 is the stream;
  // words 2-3 are the sample index. (Blocks past 2^32 are out of reach: a
  // sample draws a few hundred units at most.)
  counter_[0] = 0;
  counter_[1] = stream;
  counter_[2] = static_cast<uint32_t>(sample_index);
  counter_[3] = static_cast<uint32_t>(sample_index >> 32);
}

SampleRng SampleRng::Substream(uint32_t stream) const {
  SampleRng other = *this;
  other.counter_[1] = stream;
  other.unit_ = 0;
  other.cached_group_ = ~uint64_t{0};
  other.has_spare_normal_ = false;
  return other;
}

#ifdef __SSE2__
namespace {

// The high and low 32 bits of x * m in each 32-bit lane.
inline void MulHiLo(__m128i x, __m128i m, __m128i& hi, __m128i& lo) {
  const __m128i even = _mm_mul_epu32(x, m);                     // lanes 0, 2: [lo0 hi0 lo2 hi2]
  const __m128i odd = _mm_mul_epu32(_mm_srli_epi64(x, 32), m);  // lanes 1, 3: [lo1 hi1 lo3 hi3]
  const __m128i a = _mm_unpacklo_epi32(even, odd);              // [lo0 lo1 hi0 hi1]
  const __m128i b = _mm_unpackhi_epi32(even, odd);              // [lo2 lo3 hi2 hi3]
  lo = _mm_unpacklo_epi64(a, b);
  hi = _mm_unpackhi_epi64(a, b);
}

__m128i Splat(uint32_t x) { return _mm_set1_epi32(static_cast<int>(x)); }

}  // namespace

// Philox4x32-10 (Random123's philox4x32round and bumpkey, ten rounds) on
// four counters at once: lane j of x0..x3 holds the words of block j.
void SampleRng::Generate(uint64_t group) {
  const uint32_t first = static_cast<uint32_t>(group * 4);
  __m128i x0 = _mm_add_epi32(Splat(first), _mm_setr_epi32(0, 1, 2, 3));
  __m128i x1 = Splat(counter_[1]), x2 = Splat(counter_[2]), x3 = Splat(counter_[3]);
  __m128i k0 = Splat(key_[0]), k1 = Splat(key_[1]);
  const __m128i m0 = Splat(PHILOX_M4x32_0), m1 = Splat(PHILOX_M4x32_1);
  const __m128i w0 = Splat(PHILOX_W32_0), w1 = Splat(PHILOX_W32_1);
  for (int round = 0; round < 10; ++round) {
    __m128i hi0, lo0, hi1, lo1;
    MulHiLo(x0, m0, hi0, lo0);
    MulHiLo(x2, m1, hi1, lo1);
    x0 = _mm_xor_si128(_mm_xor_si128(hi1, x1), k0);
    x1 = lo1;
    x2 = _mm_xor_si128(_mm_xor_si128(hi0, x3), k1);
    x3 = lo0;
    k0 = _mm_add_epi32(k0, w0);
    k1 = _mm_add_epi32(k1, w1);
  }
  // Transpose to block-major order: words_[4 j + w] is word w of block j.
  const __m128i t0 = _mm_unpacklo_epi32(x0, x1), t1 = _mm_unpacklo_epi32(x2, x3);
  const __m128i t2 = _mm_unpackhi_epi32(x0, x1), t3 = _mm_unpackhi_epi32(x2, x3);
  auto* out = reinterpret_cast<__m128i*>(words_);
  _mm_storeu_si128(out + 0, _mm_unpacklo_epi64(t0, t1));
  _mm_storeu_si128(out + 1, _mm_unpackhi_epi64(t0, t1));
  _mm_storeu_si128(out + 2, _mm_unpacklo_epi64(t2, t3));
  _mm_storeu_si128(out + 3, _mm_unpackhi_epi64(t2, t3));
  cached_group_ = group;
}
#else
void SampleRng::Generate(uint64_t group) {
  r123::Philox4x32 philox;
  const r123::Philox4x32::key_type key = {{key_[0], key_[1]}};
  for (uint32_t j = 0; j < 4; ++j) {
    const r123::Philox4x32::ctr_type counter = {
        {static_cast<uint32_t>(group * 4) + j, counter_[1], counter_[2], counter_[3]}};
    const auto block = philox(counter, key);
    for (int w = 0; w < 4; ++w) words_[4 * j + w] = block.v[w];
  }
  cached_group_ = group;
}
#endif

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
