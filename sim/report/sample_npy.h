// The per-sample rows of a run as a NumPy .npy file (`parley run --per-sample
// PATH.npy`): a one-dimensional array of records, one per sample, whose
// fields are the CSV's columns in the CSV's order (sample_csv.h): `sample`
// '<i8', `held.*` '|u1' (1 when the argument held), every other number '<f8'
// (the double the run computed), `outcome` 'S<n>' (empty when no outcome holds
// the whole sample). The format is NumPy's own (format version 1.0, or 2.0 for
// a header over 64 KiB), little-endian; `numpy.load(PATH, mmap_mode="r")`
// maps it without reading it. Rows are copied, not printed, so they are
// written at the disk's speed.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "sim/mc/sample_records.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

// The magic string, version, header length and the header dictionary, padded
// to a multiple of 64 bytes; `rows` is the array's length.
std::string PerSampleNpyHeader(const ScenarioSpec& spec, const GameModel& game, int64_t rows);

// The bytes of one record.
int64_t PerSampleNpyRowBytes(const ScenarioSpec& spec, const GameModel& game);

// Appends records [begin, end) of the batch to `out`.
void AppendPerSampleNpyRows(const ScenarioSpec& spec, const GameModel& game,
                            const SampleBatch& batch, int64_t begin, int64_t end,
                            fmt::memory_buffer& out);

}  // namespace parley
