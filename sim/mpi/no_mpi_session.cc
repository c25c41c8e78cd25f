// RankSession for a build without MPI: one process, always.
#include "sim/mpi/session.h"

namespace parley {

StatusOr<std::unique_ptr<RankSession>> RankSession::Start(int*, char***) {
  if (LaunchedByMpi()) {
    return InvalidArgument(
        "this parley was built without MPI, so mpirun would run the same work in every "
        "process; install OpenMPI (libopenmpi-dev) and rebuild, or run parley without mpirun");
  }
  return SingleProcessSession();
}

}  // namespace parley
