// How this process was started, and the session of a process on its own.
#include <cstdlib>
#include <memory>

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

std::unique_ptr<RankSession> SingleProcessSession() { return std::make_unique<SingleProcess>(); }

bool LaunchedByMpi() {
  // Open MPI's mpirun, PMIx launchers (srun --mpi=pmix) and MPICH's
  // Hydra. A job of one process is a job too (it then runs alone).
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

}  // namespace parley
