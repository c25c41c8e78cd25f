#include "sim/core/rng.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#elif defined(__SSE2__)
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

namespace rng_internal {

void PhiloxGroupPortable(uint32_t first, const uint32_t counter[3], const uint32_t key[2],
                         uint32_t out[32]) {
  r123::Philox4x32 philox;
  const r123::Philox4x32::key_type k = {{key[0], key[1]}};
  for (uint32_t j = 0; j < 8; ++j) {
    const r123::Philox4x32::ctr_type c = {{first + j, counter[0], counter[1], counter[2]}};
    const auto block = philox(c, k);
    for (int w = 0; w < 4; ++w) out[4 * j + w] = block.v[w];
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
// The AVX2 helpers pass 256-bit vectors by value; they are internal and
// inlined, so the ABI GCC warns about never crosses a boundary.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace {

// Philox4x32-10 (Random123's philox4x32round and bumpkey, ten rounds) on
// several counters at once: lane j of x0..x3 holds the words of block j.
// A product's high and low halves come from two widening multiplies (even
// and odd lanes) and a shuffle.

inline void MulHiLo(__m128i x, __m128i m, __m128i& hi, __m128i& lo) {
  const __m128i even = _mm_mul_epu32(x, m);                     // [lo0 hi0 lo2 hi2]
  const __m128i odd = _mm_mul_epu32(_mm_srli_epi64(x, 32), m);  // [lo1 hi1 lo3 hi3]
  const __m128i a = _mm_unpacklo_epi32(even, odd);              // [lo0 lo1 hi0 hi1]
  const __m128i b = _mm_unpackhi_epi32(even, odd);              // [lo2 lo3 hi2 hi3]
  lo = _mm_unpacklo_epi64(a, b);
  hi = _mm_unpackhi_epi64(a, b);
}

// Four blocks, first .. first + 3, into out[0 .. 16).
void Philox4Sse2(uint32_t first, const uint32_t counter[3], const uint32_t key[2], uint32_t* out) {
  auto splat = [](uint32_t v) { return _mm_set1_epi32(static_cast<int>(v)); };  // SSE2 is baseline
  __m128i x0 = _mm_add_epi32(splat(first), _mm_setr_epi32(0, 1, 2, 3));
  __m128i x1 = splat(counter[0]), x2 = splat(counter[1]), x3 = splat(counter[2]);
  __m128i k0 = splat(key[0]), k1 = splat(key[1]);
  const __m128i m0 = splat(PHILOX_M4x32_0), m1 = splat(PHILOX_M4x32_1);
  const __m128i w0 = splat(PHILOX_W32_0), w1 = splat(PHILOX_W32_1);
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
  // Transpose to block-major order: out[4 j + w] is word w of block j.
  const __m128i t0 = _mm_unpacklo_epi32(x0, x1), t1 = _mm_unpacklo_epi32(x2, x3);
  const __m128i t2 = _mm_unpackhi_epi32(x0, x1), t3 = _mm_unpackhi_epi32(x2, x3);
  auto* o = reinterpret_cast<__m128i*>(out);
  _mm_storeu_si128(o + 0, _mm_unpacklo_epi64(t0, t1));
  _mm_storeu_si128(o + 1, _mm_unpackhi_epi64(t0, t1));
  _mm_storeu_si128(o + 2, _mm_unpacklo_epi64(t2, t3));
  _mm_storeu_si128(o + 3, _mm_unpackhi_epi64(t2, t3));
}

void PhiloxGroupSse2Impl(uint32_t first, const uint32_t counter[3], const uint32_t key[2],
                         uint32_t out[32]) {
  Philox4Sse2(first, counter, key, out);
  Philox4Sse2(first + 4, counter, key, out + 16);
}

// The same in 256-bit registers, eight blocks at once. AVX2's shuffles work
// within 128-bit halves, so each half is the SSE2 computation on four
// blocks (0-3 and 4-7); the halves are put in order when storing.
__attribute__((target("avx2"))) inline void MulHiLo(__m256i x, __m256i m, __m256i& hi,
                                                    __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(x, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
  const __m256i a = _mm256_unpacklo_epi32(even, odd);
  const __m256i b = _mm256_unpackhi_epi32(even, odd);
  lo = _mm256_unpacklo_epi64(a, b);
  hi = _mm256_unpackhi_epi64(a, b);
}

__attribute__((target("avx2"))) void PhiloxGroupAvx2Impl(uint32_t first, const uint32_t counter[3],
                                                         const uint32_t key[2], uint32_t out[32]) {
  // (No lambda: it would not inherit the target attribute.)
#define PARLEY_SPLAT(v) _mm256_set1_epi32(static_cast<int>(v))
  __m256i x0 = _mm256_add_epi32(PARLEY_SPLAT(first), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  __m256i x1 = PARLEY_SPLAT(counter[0]), x2 = PARLEY_SPLAT(counter[1]);
  __m256i x3 = PARLEY_SPLAT(counter[2]);
  __m256i k0 = PARLEY_SPLAT(key[0]), k1 = PARLEY_SPLAT(key[1]);
  const __m256i m0 = PARLEY_SPLAT(PHILOX_M4x32_0), m1 = PARLEY_SPLAT(PHILOX_M4x32_1);
  const __m256i w0 = PARLEY_SPLAT(PHILOX_W32_0), w1 = PARLEY_SPLAT(PHILOX_W32_1);
#undef PARLEY_SPLAT
  for (int round = 0; round < 10; ++round) {
    __m256i hi0, lo0, hi1, lo1;
    MulHiLo(x0, m0, hi0, lo0);
    MulHiLo(x2, m1, hi1, lo1);
    x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), k0);
    x1 = lo1;
    x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), k1);
    x3 = lo0;
    k0 = _mm256_add_epi32(k0, w0);
    k1 = _mm256_add_epi32(k1, w1);
  }
  const __m256i t0 = _mm256_unpacklo_epi32(x0, x1), t1 = _mm256_unpacklo_epi32(x2, x3);
  const __m256i t2 = _mm256_unpackhi_epi32(x0, x1), t3 = _mm256_unpackhi_epi32(x2, x3);
  const __m256i b04 = _mm256_unpacklo_epi64(t0, t1);  // blocks 0 | 4
  const __m256i b15 = _mm256_unpackhi_epi64(t0, t1);  // blocks 1 | 5
  const __m256i b26 = _mm256_unpacklo_epi64(t2, t3);  // blocks 2 | 6
  const __m256i b37 = _mm256_unpackhi_epi64(t2, t3);  // blocks 3 | 7
  auto* o = reinterpret_cast<__m256i*>(out);
  _mm256_storeu_si256(o + 0, _mm256_permute2x128_si256(b04, b15, 0x20));  // blocks 0, 1
  _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(b26, b37, 0x20));  // blocks 2, 3
  _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(b04, b15, 0x31));  // blocks 4, 5
  _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(b26, b37, 0x31));  // blocks 6, 7
}

}  // namespace

PhiloxGroup PhiloxGroupSse2() { return &PhiloxGroupSse2Impl; }
PhiloxGroup PhiloxGroupAvx2() {
  __builtin_cpu_init();  // may run before the library's own initialisation
  return __builtin_cpu_supports("avx2") ? &PhiloxGroupAvx2Impl : nullptr;
}
#else
PhiloxGroup PhiloxGroupSse2() { return nullptr; }
PhiloxGroup PhiloxGroupAvx2() { return nullptr; }
#endif

}  // namespace rng_internal

namespace {

// The fastest kernel this processor runs.
rng_internal::PhiloxGroup BestPhiloxGroup() {
  if (auto avx2 = rng_internal::PhiloxGroupAvx2()) return avx2;
  if (auto sse2 = rng_internal::PhiloxGroupSse2()) return sse2;
  return &rng_internal::PhiloxGroupPortable;
}

}  // namespace

void SampleRng::Generate(uint64_t group) {
  // Chosen on first use (a function-local static, so that draws made by
  // other files' static initialisers find it ready).
  static const rng_internal::PhiloxGroup kernel = BestPhiloxGroup();
  kernel(static_cast<uint32_t>(group * 8), counter_ + 1, key_, words_);
  cached_group_ = group;
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

void SampleRng::Normals(double* out, int64_t n) {
  if (n <= 0) return;
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    *out++ = spare_normal_;
    --n;
  }
  // Pairs in batches of kBatch; each accepted pair gives two values, the
  // last pair's second one becoming the spare when n is odd.
  constexpr int kBatch = 32;
  alignas(16) double us[kBatch + 1], vs[kBatch + 1], ss[kBatch + 1], scales[kBatch];
  while (n > 0) {
    const int pairs = static_cast<int>(std::min<int64_t>(kBatch, (n + 1) / 2));
    // The candidates in stream order, exactly as Normal() draws them; a
    // rejected one is overwritten by the next (no branch to mispredict).
    for (int k = 0; k < pairs;) {
      const double u = 2.0 * Uniform() - 1.0;
      const double v = 2.0 * Uniform() - 1.0;
      const double s = u * u + v * v;
      us[k] = u;
      vs[k] = v;
      ss[k] = s;
      k += static_cast<int>(s < 1.0) & static_cast<int>(s != 0.0);
    }
    for (int k = 0; k < pairs; ++k) scales[k] = std::log(ss[k]);
    // sqrt(-2 log(s) / s), correctly rounded in vector registers as in
    // scalar ones.
    int k = 0;
#ifdef __SSE2__
    const __m128d minus_two = _mm_set1_pd(-2.0);
    for (; k + 2 <= pairs; k += 2) {
      const __m128d l = _mm_load_pd(scales + k), s = _mm_load_pd(ss + k);
      _mm_store_pd(scales + k, _mm_sqrt_pd(_mm_div_pd(_mm_mul_pd(minus_two, l), s)));
    }
#endif
    for (; k < pairs; ++k) scales[k] = std::sqrt(-2.0 * scales[k] / ss[k]);
    const int64_t whole = std::min<int64_t>(pairs, n / 2);
    for (int j = 0; j < whole; ++j) {
      out[2 * j] = us[j] * scales[j];
      out[2 * j + 1] = vs[j] * scales[j];
    }
    if (whole < pairs) {  // n odd and this the last batch
      out[2 * whole] = us[whole] * scales[whole];
      spare_normal_ = vs[whole] * scales[whole];
      has_spare_normal_ = true;
      return;
    }
    out += 2 * whole;
    n -= 2 * whole;
  }
}

}  // namespace parley
