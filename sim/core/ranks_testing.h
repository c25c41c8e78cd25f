// Test helper: a distributed run without MPI, its ranks as threads of one
// process, exchanging through shared memory. What the Monte Carlo layer
// does with K ranks can so be checked in every build (the sanitizer build
// too) against what it does with one.
#pragma once

#include <barrier>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/ranks.h"

namespace parley::testing {

class InProcessRanks final : public Ranks {
 public:
  struct Shared {
    explicit Shared(int size) : slots(static_cast<size_t>(size)), sync(size) {}
    std::vector<std::string> slots;
    std::barrier<> sync;
  };
  InProcessRanks(Shared* shared, int rank) : shared_(shared), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(shared_->slots.size()); }
  std::vector<std::string> AllGather(std::string_view mine) const override {
    shared_->slots[static_cast<size_t>(rank_)] = std::string(mine);
    shared_->sync.arrive_and_wait();  // everyone's is in
    std::vector<std::string> all = shared_->slots;
    shared_->sync.arrive_and_wait();  // everyone has read before the next write
    return all;
  }

 private:
  Shared* shared_;
  int rank_;
};

// Runs body(rank) on `size` threads, each with a world of `size` ranks.
inline void RunOnRanks(int size, const std::function<void(int rank)>& body) {
  InProcessRanks::Shared shared(size);
  std::vector<std::thread> threads;
  for (int r = 0; r < size; ++r) {
    threads.emplace_back([&, r] {
      InProcessRanks ranks(&shared, r);
      SetWorldRanks(&ranks);
      body(r);
      SetWorldRanks(nullptr);
    });
  }
  for (std::thread& t : threads) t.join();
}

}  // namespace parley::testing
