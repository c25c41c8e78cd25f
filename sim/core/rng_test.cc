#include "sim/core/rng.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

namespace parley {
namespace {

// Known-answer vectors for Philox4x32-10, copied from Random123's
// kat_vectors (librandom123-doc): counter words, key words, expected output.
struct Kat {
  uint32_t ctr[4];
  uint32_t key[2];
  uint32_t out[4];
};
constexpr Kat kKats[] = {
    {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
     {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

TEST(Philox, MatchesRandom123KnownAnswers) {
  r123::Philox4x32 philox;
  for (const Kat& k : kKats) {
    r123::Philox4x32::ctr_type c = {{k.ctr[0], k.ctr[1], k.ctr[2], k.ctr[3]}};
    r123::Philox4x32::key_type key = {{k.key[0], k.key[1]}};
    auto out = philox(c, key);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(out.v[i], k.out[i]) << "word " << i;
  }
}

TEST(SampleRng, FirstBlockIsPhiloxOfSampleCounter) {
  // Seed 0, sample 0, scenario stream: counter (0,0,0,0), key (0,0).
  SampleRng rng(0, 0);
  EXPECT_EQ(rng.NextU64(), 0x6627e8d5e169c58dull);
  EXPECT_EQ(rng.NextU64(), 0xbc57ac4c9b00dbd8ull);
}

// Unit i is words 2(i mod 2), 2(i mod 2)+1 of Philox4x32-10 at counter (i/2,
// stream, sample index low, high) and key (seed low, high): checked unit by
// unit against Random123 across several groups of four blocks, for both
// streams and sample indices and seeds above 2^32.
TEST(SampleRng, UnitsAreRandom123PhiloxBlocks) {
  r123::Philox4x32 philox;
  for (uint64_t seed : {uint64_t{0}, uint64_t{20250515}, uint64_t{0x123456789abcdefull}}) {
    for (uint64_t sample : {uint64_t{0}, uint64_t{77}, (uint64_t{5} << 32) + 3}) {
      for (RngStream stream : {RngStream::kScenario, RngStream::kModel}) {
        SampleRng rng(seed, sample, stream);
        for (uint32_t i = 0; i < 70; ++i) {
          const r123::Philox4x32::ctr_type c = {{i / 2, static_cast<uint32_t>(stream),
                                                 static_cast<uint32_t>(sample),
                                                 static_cast<uint32_t>(sample >> 32)}};
          const r123::Philox4x32::key_type k = {
              {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}};
          const auto block = philox(c, k);
          const int w = static_cast<int>(i % 2) * 2;
          const uint64_t expected = (uint64_t{block.v[w]} << 32) | block.v[w + 1];
          ASSERT_EQ(rng.NextU64(), expected)
              << "seed " << seed << " sample " << sample << " unit " << i;
        }
      }
    }
  }
}

// Every kernel this build and processor have computes Random123's blocks.
TEST(SampleRng, EveryPhiloxKernelMatchesRandom123) {
  std::vector<rng_internal::PhiloxGroup> kernels = {&rng_internal::PhiloxGroupPortable};
  for (auto kernel : {rng_internal::PhiloxGroupSse2(), rng_internal::PhiloxGroupAvx2()}) {
    if (kernel != nullptr) kernels.push_back(kernel);
  }
  r123::Philox4x32 philox;
  SampleRng inputs(5, 5);
  for (int trial = 0; trial < 200; ++trial) {
    const uint32_t first = trial == 0 ? 0xfffffffcu : inputs.NextU32();  // wraps past 2^32
    const uint32_t counter[3] = {inputs.NextU32(), inputs.NextU32(), inputs.NextU32()};
    const uint32_t key[2] = {inputs.NextU32(), inputs.NextU32()};
    for (size_t k = 0; k < kernels.size(); ++k) {
      uint32_t out[32];
      kernels[k](first, counter, key, out);
      for (uint32_t j = 0; j < 8; ++j) {
        const auto block =
            philox({{first + j, counter[0], counter[1], counter[2]}}, {{key[0], key[1]}});
        for (int w = 0; w < 4; ++w) {
          ASSERT_EQ(out[4 * j + w], block.v[w]) << "kernel " << k << " block " << j;
        }
      }
    }
  }
  std::printf("Philox kernels tested: %zu (portable%s%s)\n", kernels.size(),
              rng_internal::PhiloxGroupSse2() ? ", SSE2" : "",
              rng_internal::PhiloxGroupAvx2() ? ", AVX2" : "");
}

TEST(SampleRng, SkipEqualsDrawing) {
  for (uint64_t skip : {0, 1, 2, 3, 7, 8, 9, 15, 16, 100}) {
    SampleRng drawn(11, 5), skipped(11, 5);
    for (uint64_t i = 0; i < skip; ++i) drawn.NextU64();
    skipped.Skip(skip);
    EXPECT_EQ(drawn.NextU64(), skipped.NextU64()) << skip;
    EXPECT_EQ(drawn.Uniform(), skipped.Uniform()) << skip;
  }
}

// Normals(out, n) must be n calls of Normal(), bit for bit, and leave the
// stream (position and spare) where those calls do: checked for lengths
// around the batch size, from every start (with and without a spare, at
// odd and even units), followed by more draws of both kinds.
TEST(SampleRng, NormalsEqualsCallingNormal) {
  for (int64_t n : {0, 1, 2, 3, 5, 31, 32, 63, 64, 65, 66, 67, 129, 324}) {
    for (int lead : {0, 1, 2, 3}) {  // lead: Normal() calls, then one Uniform() if odd
      for (uint64_t sample : {0, 1, 77}) {
        SampleRng one(3, sample), bulk(3, sample);
        for (int i = 0; i < lead; ++i) {
          EXPECT_EQ(std::bit_cast<uint64_t>(one.Normal()), std::bit_cast<uint64_t>(bulk.Normal()));
        }
        if (lead % 2 == 1) {
          EXPECT_EQ(one.Uniform(), bulk.Uniform());
        }
        std::vector<double> expected(static_cast<size_t>(n)), got(static_cast<size_t>(n) + 1, -7.0);
        for (auto& x : expected) x = one.Normal();
        bulk.Normals(got.data(), n);
        for (int64_t i = 0; i < n; ++i) {
          ASSERT_EQ(std::bit_cast<uint64_t>(expected[i]), std::bit_cast<uint64_t>(got[i]))
              << "n " << n << " lead " << lead << " sample " << sample << " value " << i;
        }
        EXPECT_EQ(got[n], -7.0) << "wrote past n";
        for (int i = 0; i < 3; ++i) {
          EXPECT_EQ(std::bit_cast<uint64_t>(one.Normal()), std::bit_cast<uint64_t>(bulk.Normal()))
              << "n " << n << " lead " << lead;
        }
        EXPECT_EQ(one.NextU64(), bulk.NextU64()) << "n " << n << " lead " << lead;
      }
    }
  }
}

TEST(SampleRng, DependsOnlyOnSeedSampleAndStream) {
  SampleRng a(42, 7), b(42, 7), c(42, 8), d(43, 7), e(42, 7, RngStream::kModel);
  const double xa = a.Uniform();
  EXPECT_EQ(xa, b.Uniform());
  EXPECT_NE(xa, c.Uniform());
  EXPECT_NE(xa, d.Uniform());
  EXPECT_NE(xa, e.Uniform());
}

TEST(SampleRng, HighSampleIndexBitsMatter) {
  SampleRng a(1, 5), b(1, 5 + (uint64_t{1} << 32));
  EXPECT_NE(a.NextU32(), b.NextU32());
}

TEST(SampleRng, UniformMomentsAndRange) {
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    SampleRng rng(9, i);
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double o = rng.UniformOpen();
    ASSERT_GT(o, 0.0);
    ASSERT_LT(o, 1.0);
    sum += u;
    sum2 += u * u;
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  // Standard error of the mean is sqrt(1/12/n) ~ 0.00065; allow 5 of them.
  EXPECT_NEAR(mean, 0.5, 0.0033);
  EXPECT_NEAR(var, 1.0 / 12.0, 0.001);
}

TEST(SampleRng, UniformUsesManyDistinctValues) {
  SampleRng rng(3, 3);
  std::set<double> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(rng.Uniform());
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace parley
