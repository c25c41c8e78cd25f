// The Monte Carlo layer's one thread policy and its one deterministic
// reduction, shared by the runner, the Shapley attribution and the
// sensitivity designs. Internal to sim/mc (it is the layer's TBB seam).
//
// Determinism contract: callers cut the work into blocks whose boundaries
// depend only on the inputs, never on the thread count. Within a batch of
// blocks the per-block results are merged in a fixed binary tree
// (tbb::parallel_deterministic_reduce with grain 1); batches are folded left
// to right. So a result is the same, to the bit, on 1 thread or 256.
//
// Thread policy: a ThreadArena runs work on exactly the threads asked for.
// It raises TBB's process-wide parallelism limit while it lives when more
// threads than cores are asked for (used to test the determinism claim) and
// never lowers it: TBB applies the smallest live limit to every arena, so a
// one-thread run lowering it would throttle every other run in the process.
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/bytes.h"
#include "sim/core/ranks.h"

namespace parley {

// The most threads any sampling call accepts.
inline constexpr int kMaxThreads = 256;

// True when `threads` is 0 (one per core) or in [1, kMaxThreads]; otherwise
// sets *why to a message for the user.
bool ValidThreadCount(int threads, std::string* why);

// The number of threads a request for `threads` gets: itself, or one per
// core for 0.
int ResolveThreads(int threads);

// Runs work on a fixed number of threads (see the thread policy above).
class ThreadArena {
 public:
  // `threads` as in ResolveThreads.
  explicit ThreadArena(int threads);
  ThreadArena(const ThreadArena&) = delete;
  ThreadArena& operator=(const ThreadArena&) = delete;

  int threads() const { return threads_; }

  template <typename F>
  void Execute(const F& f) {
    arena_.execute(f);
  }

 private:
  int threads_;
  std::optional<tbb::global_control> raise_limit_;
  tbb::task_arena arena_;
};

// Reduces blocks [first, last) into one Acc in a fixed tree.
// `body(begin, end, acc)` adds blocks [begin, end) into `acc` (a copy of
// `identity`), so it can keep scratch buffers across the blocks of a range;
// Acc::Merge(const Acc&) joins two partial results. Call inside
// ThreadArena::Execute.
template <typename Acc, typename Body>
Acc DeterministicReduce(int64_t first, int64_t last, const Acc& identity, const Body& body) {
  return tbb::parallel_deterministic_reduce(
      tbb::blocked_range<int64_t>(first, last, 1), identity,
      [&](const tbb::blocked_range<int64_t>& range, Acc acc) {
        body(range.begin(), range.end(), acc);
        return acc;
      },
      [](Acc a, const Acc& b) {
        a.Merge(b);
        return a;
      });
}

// Items [0, n) computed across `ranks` and used in order on every rank.
// One rank: use(i, compute(i)) for each i in turn. K ranks: in waves of K
// items, rank r computes item i = wave * K + r, packs it (pack(i, item,
// ByteWriter&)), and every rank gathers the wave's items, unpacks each
// (unpack(i, ByteReader&) -> Item, which may also apply what the item
// carries besides its value) and uses them in order of i. So every rank
// calls use with the same items in the same order as one process does, and
// ends holding what one process would. use returns false to stop after that
// item (the rest of its wave is dropped). Returns the items used. Call on
// the thread that called MPI's Init (the main thread).
template <typename Compute, typename Pack, typename Unpack, typename Use>
int64_t DistributeInOrder(const Ranks& ranks, int64_t n, const Compute& compute, const Pack& pack,
                          const Unpack& unpack, const Use& use) {
  const int k = ranks.size();
  if (k == 1) {
    for (int64_t i = 0; i < n; ++i) {
      if (!use(i, compute(i))) return i + 1;
    }
    return n;
  }
  for (int64_t wave = 0; wave < n; wave += k) {
    const int64_t mine = wave + ranks.rank();
    ByteWriter out;
    if (mine < n) pack(mine, compute(mine), out);
    const std::vector<std::string> items = ranks.AllGather(out.bytes());
    for (int64_t i = wave; i < std::min(n, wave + k); ++i) {
      ByteReader in(items[static_cast<size_t>(i - wave)]);
      if (!use(i, unpack(i, in))) return i + 1;
    }
  }
  return n;
}

// Reduces blocks [0, blocks) in batches of `per_batch` blocks, each batch by
// DeterministicReduce, folded left to right into `*total` (which starts as
// given). After each batch `after_batch(*total, end_block)` runs on the
// calling thread; returning false stops before the next batch, leaving the
// totals of exactly the blocks done. Across `ranks` (DistributeInOrder),
// each batch is reduced on one rank, encoded there (save(part,
// ByteWriter&)), decoded on every rank (load(ByteReader&, part)) and folded
// in batch order, so every rank ends with one process's totals and runs
// after_batch with the same arguments. Returns the number of blocks done.
template <typename Acc, typename Body, typename AfterBatch, typename Save, typename Load>
int64_t DistributedReduceInBatches(ThreadArena& arena, const Ranks& ranks, int64_t blocks,
                                   int64_t per_batch, const Acc& identity, const Body& body,
                                   Acc* total, const AfterBatch& after_batch, const Save& save,
                                   const Load& load) {
  const int64_t batches = (blocks + per_batch - 1) / per_batch;
  int64_t done = 0;
  DistributeInOrder(
      ranks, batches,
      [&](int64_t i) {
        Acc part;
        arena.Execute([&] {
          part = DeterministicReduce(i * per_batch, std::min(blocks, (i + 1) * per_batch), identity,
                                     body);
        });
        return part;
      },
      [&](int64_t, const Acc& part, ByteWriter& out) { save(part, out); },
      [&](int64_t, ByteReader& in) {
        Acc part = identity;
        load(in, part);
        return part;
      },
      [&](int64_t i, Acc&& part) {
        total->Merge(part);
        done = std::min(blocks, (i + 1) * per_batch);
        return after_batch(*total, done);
      });
  return done;
}

// Runs body(block) for every block in [0, blocks), in any order and on any
// thread: for work where each block writes only its own part of the results.
template <typename Body>
void ForEachBlock(ThreadArena& arena, int64_t blocks, const Body& body) {
  arena.Execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<int64_t>(0, blocks, 1),
        [&](const tbb::blocked_range<int64_t>& range) {
          for (int64_t b = range.begin(); b != range.end(); ++b) body(b);
        },
        tbb::simple_partitioner());
  });
}

}  // namespace parley
