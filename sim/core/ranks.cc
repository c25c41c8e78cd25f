#include "sim/core/ranks.h"

#include <algorithm>
#include <cstdint>

#include "sim/core/bytes.h"

namespace parley {
namespace {

class OneProcess final : public Ranks {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::string> AllGather(std::string_view mine) const override {
    return {std::string(mine)};
  }
};

const OneProcess kOneProcess;
// Per thread: the world is the calling thread's (the one that runs a
// command; TBB's workers never exchange), which lets tests run several
// ranks as threads of one process (sim/core/ranks_testing.h).
thread_local const Ranks* world = nullptr;

}  // namespace

const Ranks& WorldRanks() { return world != nullptr ? *world : kOneProcess; }

void SetWorldRanks(const Ranks* ranks) { world = ranks; }

int64_t AllMin(const Ranks& ranks, int64_t mine) {
  if (ranks.size() == 1) return mine;
  ByteWriter out;
  out.Put(mine);
  int64_t least = mine;
  for (const std::string& bytes : ranks.AllGather(out.bytes())) {
    ByteReader in(bytes);
    int64_t theirs = mine;
    in.Get(theirs);
    least = std::min(least, theirs);
  }
  return least;
}

}  // namespace parley
