// Ranks: the processes of a distributed run (MPI ranks, sim/mpi), as the
// Monte Carlo layer sees them. Every rank runs the same command on the same
// inputs; the layer spreads its work over them and gathers every partial
// result on every rank, so each rank holds what one process would have
// computed and rank 0 writes it. A process on its own (the default, and
// the Python module) is a world of one rank.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

class Ranks {
 public:
  virtual ~Ranks() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Every rank's `mine`, in rank order, on every rank. A collective: every
  // rank calls it at the same point of the same computation.
  virtual std::vector<std::string> AllGather(std::string_view mine) const = 0;
};

// The ranks this process belongs to: one, unless SetWorldRanks installed
// more. Kept per thread (the thread that runs the command).
const Ranks& WorldRanks();
// Installs `ranks` (kept alive by the caller) as the calling thread's world;
// null goes back to one process.
void SetWorldRanks(const Ranks* ranks);

// The smallest of every rank's `mine` (exact: an integer).
int64_t AllMin(const Ranks& ranks, int64_t mine);

}  // namespace parley
