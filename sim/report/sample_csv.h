// The per-sample CSV of a run (`parley run --per-sample PATH`): one row per
// sample, written a batch at a time (sim/mc/sample_records.h). Columns
// (docs/reference/cli.md):
//   sample                    the sample index (0-based)
//   held.<argument-id>        1 when the argument held in the sample, else 0
//   <draw name>               every value drawn, under its sweepable name
//                             (param.<id>, payoff.<outcome>.<actor>,
//                             modifier.<n>.<actor>, chance.<stage>.<option>,
//                             effect.<argument>.<n>; 0 when its argument did
//                             not hold)
//   play.<actor>.<option>     normal-form games: the probability that the
//                             actor plays the option (0 or 1 when pure)
//   p.<outcome>, p.unresolved the sample's outcome distribution (by the
//                             round limit in a multi-round scenario)
//   outcome                   the outcome when one holds the whole sample,
//                             else empty
//   rounds                    multi-round scenarios: the mean number of
//                             rounds played
// Numbers are written shortest-round-trip, so a column read back is the
// double the run computed.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "sim/core/status.h"
#include "sim/mc/sample_records.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

std::string PerSampleCsvHeader(const ScenarioSpec& spec, const GameModel& game);
// Appends rows [begin, end) of the batch to `out`.
void AppendPerSampleCsvRows(const ScenarioSpec& spec, const GameModel& game,
                            const SampleBatch& batch, int64_t begin, int64_t end,
                            fmt::memory_buffer& out);

// Formats each batch on up to `threads` threads (the run's workers are idle
// between batches) and hands the text to `write`, in order, on a thread of
// its own while the run samples the next batch. `write` is called from one
// thread at a time; Finish waits for the last batch and returns the first
// error (an error is also returned by the next Write).
class PerSampleCsvWriter {
 public:
  using WriteFn = std::function<Status(std::string_view)>;
  PerSampleCsvWriter(const ScenarioSpec& spec, const GameModel& game, int threads, WriteFn write);
  ~PerSampleCsvWriter();
  PerSampleCsvWriter(const PerSampleCsvWriter&) = delete;
  PerSampleCsvWriter& operator=(const PerSampleCsvWriter&) = delete;

  Status Write(const SampleBatch& batch);
  Status Finish();

 private:
  const ScenarioSpec& spec_;
  const GameModel& game_;
  WriteFn write_;
  int threads_;
  // Two sets of slices: one being written while the other is formatted.
  std::vector<fmt::memory_buffer> parts_[2];
  int64_t used_[2] = {0, 0};
  int current_ = 0;
  std::thread writer_;
  Status write_status_;
};

}  // namespace parley
