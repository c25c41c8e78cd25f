// RankSession for a build without MPI: one process, always.
#include <cstdlib>

#include "sim/mpi/session.h"

namespace parley {
namespace {

class SingleProcess final : public RankSession {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  int Finish(int exit_code) override { return exit_code; }
};

}  // namespace

StatusOr<std::unique_ptr<RankSession>> RankSession::Start(int*, char***) {
  if (LaunchedByMpi()) {
    return InvalidArgument(
        "this parley was built without MPI, so mpirun would run the same work in every "
        "process; install OpenMPI (libopenmpi-dev) and rebuild, or run parley without mpirun");
  }
  return std::unique_ptr<RankSession>(new SingleProcess());
}

}  // namespace parley
