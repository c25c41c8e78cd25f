// Writes the per-sample rows of a run (`parley run --per-sample PATH`) as the
// batches come (sim/mc/sample_records.h): each batch is encoded on up to
// `threads` threads (the run's workers are idle between batches) and handed
// to `write`, in order, on a thread of its own while the run samples the next
// batch. Memory holds two batches' encoded rows, whatever the sample count.
// The encodings: CSV text (sample_csv.h) or a NumPy .npy record array
// (sample_npy.h), chosen by the path's extension.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "sim/core/status.h"
#include "sim/mc/sample_records.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

enum class PerSampleFormat { kCsv, kNpy };

// kNpy for a path ending in ".npy" (any case), else kCsv; standard output
// ("-") is CSV.
PerSampleFormat PerSampleFormatFor(std::string_view path);

// What precedes the rows: the CSV header line, or the .npy header, which
// states the number of rows (`rows`) before them.
std::string PerSampleHeader(PerSampleFormat format, const ScenarioSpec& spec, const GameModel& game,
                            int64_t rows);

// `write` is called from one thread at a time; Finish waits for the last
// batch and returns the first error (an error is also returned by the next
// Write).
class PerSampleWriter {
 public:
  using WriteFn = std::function<Status(std::string_view)>;
  PerSampleWriter(PerSampleFormat format, const ScenarioSpec& spec, const GameModel& game,
                  int threads, WriteFn write);
  ~PerSampleWriter();
  PerSampleWriter(const PerSampleWriter&) = delete;
  PerSampleWriter& operator=(const PerSampleWriter&) = delete;

  Status Write(const SampleBatch& batch);
  Status Finish();

 private:
  void AppendRows(const SampleBatch& batch, int64_t begin, int64_t end,
                  fmt::memory_buffer& out) const;

  PerSampleFormat format_;
  const ScenarioSpec& spec_;
  const GameModel& game_;
  WriteFn write_;
  int threads_;
  // Two sets of slices: one being written while the other is encoded.
  std::vector<fmt::memory_buffer> parts_[2];
  int64_t used_[2] = {0, 0};
  int current_ = 0;
  std::thread writer_;
  Status write_status_;
};

}  // namespace parley
