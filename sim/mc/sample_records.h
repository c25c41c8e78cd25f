// Per-sample data of a run (`parley run --per-sample`): each sample's draws,
// which arguments held, what the model predicted each actor plays and the
// outcome distribution, handed to a sink a batch at a time in sample order,
// so that memory stays bounded whatever the sample count.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/core/status.h"

namespace parley {

struct SampleBatch {
  int64_t first = 0;  // the batch's first sample index
  int64_t count = 0;  // samples in the batch
  int num_draws = 0, num_arguments = 0, num_slots = 0, num_option_slots = 0;
  std::vector<int32_t> option_offsets;  // normal-form games: per player, then the total
  std::vector<double> draws;            // [i * num_draws + k]: draw k (GameModel's atoms)
  std::vector<uint8_t> holds;           // [i * num_arguments + g]
  std::vector<double> slots;            // [i * num_slots + s]: P(outcome slot s)
  // Normal-form games: [i * num_option_slots + o], the probability that the
  // option's player plays it (0 or 1 for a pure prediction, 0 everywhere
  // when unresolved). Sequential games have none.
  std::vector<double> options;
  std::vector<double> rounds;  // multi-round scenarios: the mean number of rounds played
};

// Receives the batches on the calling thread; an error ends the run with it.
using SampleSink = std::function<Status(const SampleBatch&)>;

}  // namespace parley
