#include <cstdlib>

#include "sim/mpi/session.h"

namespace parley {

bool LaunchedByMpi() {
  // Open MPI's mpirun, PMIx launchers (srun --mpi=pmix) and MPICH's
  // Hydra. A job of one process is a job too (it then runs alone).
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

}  // namespace parley
