#include "sim/mc/parallel.h"

#include <gtest/gtest.h>
#include <oneapi/tbb/info.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "sim/core/ranks_testing.h"

namespace parley {
namespace {

// A floating-point sum whose value depends on the order of additions.
struct Sum {
  double value = 0.0;
  int64_t blocks = 0;
  void Merge(const Sum& o) {
    value += o.value;
    blocks += o.blocks;
  }
};

// Block b contributes a term of wildly varying magnitude, so any change in
// the order of the additions changes the bits of the sum.
double Term(int64_t b) {
  return std::ldexp(1.0 + b % 7, static_cast<int>(b % 97) - 48) * (b % 3 == 0 ? -1 : 1);
}

void AddBlocks(int64_t b0, int64_t b1, Sum& acc) {
  for (int64_t b = b0; b < b1; ++b) {
    acc.value += Term(b);
    ++acc.blocks;
  }
}

uint64_t Bits(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}

TEST(Parallel, ValidThreadCountNamesTheRange) {
  std::string why;
  EXPECT_TRUE(ValidThreadCount(0, &why));
  EXPECT_TRUE(ValidThreadCount(kMaxThreads, &why));
  EXPECT_FALSE(ValidThreadCount(-1, &why));
  EXPECT_FALSE(ValidThreadCount(kMaxThreads + 1, &why));
  EXPECT_NE(why.find("between 0 (one per core) and 256"), std::string::npos) << why;
}

TEST(Parallel, ResolveThreadsGivesOnePerCoreForZero) {
  EXPECT_EQ(ResolveThreads(0), tbb::info::default_concurrency());
  EXPECT_EQ(ResolveThreads(3), 3);
  EXPECT_EQ(ThreadArena(5).threads(), 5);
}

TEST(Parallel, ReduceIsBitIdenticalOnAnyThreadCount) {
  const int64_t blocks = 1000;
  std::vector<uint64_t> bits;
  for (int threads : {1, 2, 3, 8, 17}) {
    ThreadArena arena(threads);
    Sum total;
    arena.Execute([&] { total = DeterministicReduce(0, blocks, Sum{}, AddBlocks); });
    EXPECT_EQ(total.blocks, blocks);
    bits.push_back(Bits(total.value));
  }
  for (uint64_t b : bits) EXPECT_EQ(b, bits.front());
  // And the fixed tree is not simply a left fold (which would make the
  // check above vacuous on one thread).
  Sum left;
  AddBlocks(0, blocks, left);
  EXPECT_NE(Bits(left.value), bits.front());
}

// DistributedReduceInBatches on this process's ranks (one, unless
// RunOnRanks installed more), with Sum encoded bit for bit.
template <typename AfterBatch>
int64_t ReduceInBatches(ThreadArena& arena, int64_t blocks, int64_t per_batch, Sum* total,
                        const AfterBatch& after_batch) {
  return DistributedReduceInBatches(
      arena, WorldRanks(), blocks, per_batch, Sum{}, AddBlocks, total, after_batch,
      [](const Sum& part, ByteWriter& out) {
        out.Put(part.value);
        out.Put(part.blocks);
      },
      [](ByteReader& in, Sum& part) {
        EXPECT_TRUE(in.Get(part.value));
        EXPECT_TRUE(in.Get(part.blocks));
      });
}

TEST(Parallel, BatchesFoldLeftToRightAndStopBetweenBatches) {
  const int64_t blocks = 100, per_batch = 16;
  std::vector<uint64_t> bits;
  for (int threads : {1, 4, 9}) {
    ThreadArena arena(threads);
    Sum total;
    std::vector<int64_t> ends;
    const int64_t done =
        ReduceInBatches(arena, blocks, per_batch, &total, [&](const Sum& so_far, int64_t end) {
          EXPECT_EQ(so_far.blocks, end);
          ends.push_back(end);
          return true;
        });
    EXPECT_EQ(done, blocks);
    EXPECT_EQ(ends, (std::vector<int64_t>{16, 32, 48, 64, 80, 96, 100}));
    bits.push_back(Bits(total.value));
  }
  for (uint64_t b : bits) EXPECT_EQ(b, bits.front());

  // Stopping after the second batch leaves exactly the sum of its blocks.
  ThreadArena arena(4);
  Sum stopped;
  const int64_t done = ReduceInBatches(arena, blocks, per_batch, &stopped,
                                       [](const Sum&, int64_t end) { return end < 32; });
  EXPECT_EQ(done, 32);
  Sum expected;
  arena.Execute([&] {
    expected.Merge(DeterministicReduce(0, 16, Sum{}, AddBlocks));
    expected.Merge(DeterministicReduce(16, 32, Sum{}, AddBlocks));
  });
  EXPECT_EQ(stopped.blocks, 32);
  EXPECT_EQ(Bits(stopped.value), Bits(expected.value));

  // On 2 and 3 ranks (threads of this process), every rank ends with the
  // one-process bits, and stops after the same batch.
  for (int size : {2, 3}) {
    std::vector<uint64_t> rank_bits(size), rank_stopped(size);
    std::vector<int64_t> rank_done(size);
    testing::RunOnRanks(size, [&](int rank) {
      ThreadArena ranks_arena(2);
      Sum all, part;
      ReduceInBatches(ranks_arena, blocks, per_batch, &all,
                      [](const Sum&, int64_t) { return true; });
      rank_done[rank] = ReduceInBatches(ranks_arena, blocks, per_batch, &part,
                                        [](const Sum&, int64_t end) { return end < 32; });
      rank_bits[rank] = Bits(all.value);
      rank_stopped[rank] = Bits(part.value);
    });
    for (int r = 0; r < size; ++r) {
      EXPECT_EQ(rank_bits[r], bits.front()) << size << " ranks, rank " << r;
      EXPECT_EQ(rank_stopped[r], Bits(expected.value)) << size << " ranks, rank " << r;
      EXPECT_EQ(rank_done[r], 32) << size << " ranks, rank " << r;
    }
  }
}

TEST(Parallel, ForEachBlockVisitsEveryBlockOnce) {
  ThreadArena arena(4);
  std::vector<int> visits(257, 0);
  ForEachBlock(arena, static_cast<int64_t>(visits.size()), [&](int64_t b) { ++visits[b]; });
  for (int v : visits) EXPECT_EQ(v, 1);
}

// A one-thread arena must not lower TBB's process-wide limit (that would
// throttle every other arena in the process); a larger one raises it while
// it lives.
TEST(Parallel, ArenasRaiseButNeverLowerTheProcessLimit) {
  using tbb::global_control;
  const size_t before = global_control::active_value(global_control::max_allowed_parallelism);
  {
    ThreadArena one(1);
    EXPECT_EQ(global_control::active_value(global_control::max_allowed_parallelism), before);
    {
      ThreadArena many(static_cast<int>(before) + 3);
      EXPECT_EQ(global_control::active_value(global_control::max_allowed_parallelism), before + 3);
    }
  }
  EXPECT_EQ(global_control::active_value(global_control::max_allowed_parallelism), before);
}

}  // namespace
}  // namespace parley
