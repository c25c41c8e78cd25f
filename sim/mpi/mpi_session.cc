// RankSession on MPI (Open MPI from Debian). Collectives run on the thread
// that called MPI_Init (the main thread: the Monte Carlo layer exchanges
// between batches, outside its TBB arenas), hence MPI_THREAD_FUNNELED.
#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/output_file.h"
#include "sim/core/ranks.h"
#include "sim/mpi/session.h"

namespace parley {
namespace {

// How long a failed rank waits for the others to reach the end before it
// stops the job: long enough for every rank to fail the same way (they read
// the same files), short enough not to look like a hang. PARLEY_MPI_GRACE
// (seconds, 1 to 3600) sets another.
std::chrono::seconds FailureGrace() {
  if (const char* text = std::getenv("PARLEY_MPI_GRACE"); text != nullptr) {
    char* end = nullptr;
    const long seconds = std::strtol(text, &end, 10);
    if (end != text && *end == '\0' && seconds >= 1 && seconds <= 3600) {
      return std::chrono::seconds(seconds);
    }
  }
  return std::chrono::seconds(20);
}

[[noreturn]] void AbortJob(const char* why) {
  std::fprintf(stderr, "parley: %s; stopping every rank\n", why);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::_Exit(1);
}

class MpiRanks final : public Ranks {
 public:
  MpiRanks(MPI_Comm comm, int rank, int size) : comm_(comm), rank_(rank), size_(size) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::vector<std::string> AllGather(std::string_view mine) const override {
    if (mine.size() > static_cast<size_t>(INT_MAX)) AbortJob("a partial result exceeds 2 GiB");
    const int length = static_cast<int>(mine.size());
    std::vector<int> lengths(static_cast<size_t>(size_));
    MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, comm_);
    std::vector<int> offsets(static_cast<size_t>(size_));
    long long total = 0;
    for (int r = 0; r < size_; ++r) {
      offsets[static_cast<size_t>(r)] = static_cast<int>(total);
      total += lengths[static_cast<size_t>(r)];
      if (total > INT_MAX) AbortJob("the ranks' partial results exceed 2 GiB in one exchange");
    }
    std::string all(static_cast<size_t>(total), '\0');
    MPI_Allgatherv(mine.data(), length, MPI_BYTE, all.data(), lengths.data(), offsets.data(),
                   MPI_BYTE, comm_);
    std::vector<std::string> out(static_cast<size_t>(size_));
    for (int r = 0; r < size_; ++r) {
      out[static_cast<size_t>(r)] =
          all.substr(static_cast<size_t>(offsets[static_cast<size_t>(r)]),
                     static_cast<size_t>(lengths[static_cast<size_t>(r)]));
    }
    return out;
  }

 private:
  MPI_Comm comm_;
  int rank_, size_;
};

class MpiSession final : public RankSession {
 public:
  MpiSession() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    // The work's collectives and the end's are kept apart, so that a rank
    // that ends early never matches a collective of the work.
    MPI_Comm_dup(MPI_COMM_WORLD, &work_);
    MPI_Comm_dup(MPI_COMM_WORLD, &end_);
    ranks_ = std::make_unique<MpiRanks>(work_, rank_, size_);
    SetWorldRanks(ranks_.get());
    if (rank_ != 0) {
      // Rank 0 alone prints and writes; the others' messages are kept in a
      // temporary file, shown only if this rank fails alone.
      std::fflush(stdout);
      std::fflush(stderr);
      const int null = ::open("/dev/null", O_WRONLY);
      if (null >= 0) {
        ::dup2(null, STDOUT_FILENO);
        ::close(null);
      }
      held_stderr_ = std::tmpfile();
      real_stderr_ = ::dup(STDERR_FILENO);
      if (held_stderr_ != nullptr) ::dup2(::fileno(held_stderr_), STDERR_FILENO);
      SendOutputsToStandardOutput();
    }
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  int Finish(int exit_code) override {
    std::fflush(stdout);
    std::fflush(stderr);
    MPI_Request request;
    MPI_Ibarrier(end_, &request);
    int done = 0;
    const auto deadline = std::chrono::steady_clock::now() + FailureGrace();
    while (MPI_Test(&request, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && done == 0) {
      if (exit_code != 0 && std::chrono::steady_clock::now() > deadline) {
        ShowHeldMessages();
        std::fprintf(stderr,
                     "parley: rank %d of %d failed while the other ranks were still "
                     "working; stopping them all\n",
                     rank_, size_);
        std::fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, exit_code);
        return exit_code;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    // Every rank is here. A rank that ended otherwise than rank 0 says why.
    std::vector<int> codes(static_cast<size_t>(size_));
    MPI_Allgather(&exit_code, 1, MPI_INT, codes.data(), 1, MPI_INT, end_);
    if (rank_ != 0 && exit_code != codes[0]) ShowHeldMessages();
    SetWorldRanks(nullptr);
    MPI_Comm_free(&work_);
    MPI_Comm_free(&end_);
    MPI_Finalize();
    return exit_code;
  }

 private:
  // Copies what this rank wrote to its standard error to the real one, each
  // line after "rank N: ".
  void ShowHeldMessages() {
    if (held_stderr_ == nullptr || real_stderr_ < 0) return;
    std::fflush(stderr);
    ::dup2(real_stderr_, STDERR_FILENO);
    std::rewind(held_stderr_);
    const std::string prefix = "rank " + std::to_string(rank_) + ": ";
    char line[4096];
    bool at_start = true;
    while (std::fgets(line, sizeof line, held_stderr_) != nullptr) {
      if (at_start) std::fputs(prefix.c_str(), stderr);
      std::fputs(line, stderr);
      const size_t n = std::char_traits<char>::length(line);
      at_start = n > 0 && line[n - 1] == '\n';
    }
    std::fflush(stderr);
    held_stderr_ = nullptr;
  }

  int rank_ = 0, size_ = 1;
  MPI_Comm work_ = MPI_COMM_NULL, end_ = MPI_COMM_NULL;
  std::unique_ptr<MpiRanks> ranks_;
  std::FILE* held_stderr_ = nullptr;
  int real_stderr_ = -1;
};

}  // namespace

StatusOr<std::unique_ptr<RankSession>> RankSession::Start(int* argc, char*** argv) {
  if (!LaunchedByMpi()) return SingleProcessSession();
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    return Internal("MPI could not start");
  }
  return std::unique_ptr<RankSession>(new MpiSession());
}

}  // namespace parley
