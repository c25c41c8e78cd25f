#include "sim/mc/parallel.h"

#include <oneapi/tbb/info.h>

namespace parley {

bool ValidThreadCount(int threads, std::string* why) {
  if (threads >= 0 && threads <= kMaxThreads) return true;
  *why = "the thread count must be between 0 (one per core) and " + std::to_string(kMaxThreads);
  return false;
}

int ResolveThreads(int threads) {
  return threads > 0 ? threads : tbb::info::default_concurrency();
}

ThreadArena::ThreadArena(int threads) : threads_(ResolveThreads(threads)), arena_(threads_) {
  const size_t want = static_cast<size_t>(threads_);
  if (want > tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)) {
    raise_limit_.emplace(tbb::global_control::max_allowed_parallelism, want);
  }
}

}  // namespace parley
