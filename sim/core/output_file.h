// Writing the files a user names for results (--json, --html, --csv, -o), and
// standard output, without ever destroying a file or hiding a failed write:
// - a regular file (or a new one) is replaced atomically: the contents go to
//   a uniquely named temporary file in the same folder (created with O_EXCL,
//   so concurrent runs never share one and a planted file is never followed),
//   which is renamed into place only when everything was written;
// - a symbolic link is written through: its final target is replaced that
//   way and the link stays;
// - a FIFO or a character device (/dev/null, a terminal) is written to
//   directly, never replaced;
// - a directory, socket or block device is refused.
// The outputs of one command form an OutputTransaction: all are written
// before any is committed, so a failure leaves every file as it was.
// Temporary files still pending when SIGINT, SIGTERM, SIGHUP or SIGPIPE
// arrive are removed (RemoveTempFilesOnSignals).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace parley {

// One output of a command, named by its flag in messages. `path` is unset
// for standard output.
struct NamedOutput {
  std::string flag;                 // "--json"
  std::optional<std::string> path;  // nullopt: standard output
};

// Checks a command's outputs before it does any work: refuses (as
// InvalidArgument) a path that is a directory, socket or block device, two
// outputs that name the same file (compared by device and inode where it
// exists, else by the normalised path after following links) or both
// standard output, naming both flags. Two outputs to one character device
// (/dev/null) are accepted: nothing is lost.
Status CheckOutputs(std::span<const NamedOutput> outputs);

// Outputs written together: Add writes a regular file's contents to its
// temporary file at once (a FIFO's, a device's and stdout's are kept);
// Commit writes the kept ones, then renames every temporary file into place.
// An error from Add or Commit before the renames leaves all files as they
// were; the destructor removes temporary files that were not committed.
class OutputTransaction {
 public:
  OutputTransaction() = default;
  ~OutputTransaction();
  OutputTransaction(const OutputTransaction&) = delete;
  OutputTransaction& operator=(const OutputTransaction&) = delete;

  // Errors name `path`: "cannot write PATH: No space left on device".
  Status Add(const std::string& path, std::string contents);
  void AddStdout(std::string contents);
  // An output too large to hold, written in pieces while the command works
  // (per-sample data): a regular file goes to its temporary file as the
  // pieces come and is renamed at Commit with the others; a FIFO, a device
  // or standard output (`path` nullopt) receives them at once. Returns the
  // handle for Append.
  StatusOr<int> OpenStream(const std::optional<std::string>& path);
  Status Append(int handle, std::string_view piece);
  Status Commit();

 private:
  struct Pending {
    std::string path;    // as given, for messages
    std::string target;  // the file replaced or written (links followed)
    std::string temp;    // the temporary file; empty for a direct write
    std::string contents;
    bool to_stdout = false;
    int slot = -1;  // in the signal cleanup registry
    // OpenStream: the open descriptor (-1 for stdout), and a replaced
    // file's permission bits to keep (-1: a new file).
    bool streamed = false;
    int fd = -1;
    int keep_mode = -1;
  };
  void Discard();
  std::vector<Pending> pending_;
};

// From now on every output of this process goes to its standard output
// instead of its file: for the ranks of a distributed run other than rank 0,
// whose standard output is discarded (rank 0 alone writes; sim/mpi).
void SendOutputsToStandardOutput();

// A transaction of one file.
Status WriteOutputFile(const std::string& path, std::string contents);

// Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGPIPE (each unless it
// is ignored) that remove the pending temporary files and then die by the
// same signal. Async-signal-safe: the paths live in a fixed array.
void RemoveTempFilesOnSignals();

// Points std::cout at a buffer that writes to file descriptor 1 and keeps the
// first error, so that FlushStandardOutput can name it (the C library's
// stdout forgets errno once its buffer has failed).
void UseCheckedStandardOutput();

// Flushes std::cout (and C stdout); an error for any write to standard
// output that failed so far: "cannot write to standard output: No space
// left on device".
Status FlushStandardOutput();

}  // namespace parley
