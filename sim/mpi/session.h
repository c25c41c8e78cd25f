// The MPI session of one `parley` process: when mpirun (or srun) started
// the process, it joins the job, installs the job's ranks as the world the
// Monte Carlo layer spreads its work over (sim/core/ranks.h), and leaves
// output to rank 0: the other ranks' standard output and files are
// discarded and their error messages held back, shown only where they tell
// something rank 0 cannot (a rank that failed alone). Started any other way,
// the process is a world of one rank and the session does nothing. This
// module alone uses MPI; without it (built without OpenMPI), a process
// started by mpirun refuses to run rather than compute the same thing K
// times.
#pragma once

#include <memory>

#include "sim/core/status.h"

namespace parley {

class RankSession {
 public:
  // Joins the job when the launch environment says there is one.
  static StatusOr<std::unique_ptr<RankSession>> Start(int* argc, char*** argv);
  virtual ~RankSession() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Ends the session, with this rank's exit code; returns the code to exit
  // with. Every rank that ends alike (all succeeded, or all failed the same
  // way, such as a bad scenario that every rank read) leaves MPI cleanly;
  // a rank that failed while the others are still working waits a while for
  // them to fail too, then stops the whole job (MPI_Abort) so it never
  // hangs.
  virtual int Finish(int exit_code) = 0;
};

// True when the environment says an MPI launcher started this process.
bool LaunchedByMpi();

// The session of a process on its own: rank 0 of 1, nothing to finish.
std::unique_ptr<RankSession> SingleProcessSession();

}  // namespace parley
