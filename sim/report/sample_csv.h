// The per-sample CSV of a run (`parley run --per-sample PATH`): one row per
// sample, written a batch at a time (sample_writer.h). Columns
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

#include <string>
#include <string_view>
#include <vector>

#include "sim/mc/sample_records.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

// The columns' names, in order (the .npy file's fields too, sample_npy.h).
std::vector<std::string> PerSampleColumnNames(const ScenarioSpec& spec, const GameModel& game);
// The `outcome` column: the outcome that holds the whole of sample `i` of
// the batch (kPerSampleUnresolved for the last slot), or empty when the
// sample's distribution is split.
inline constexpr std::string_view kPerSampleUnresolved = "unresolved";
std::string_view PerSampleWholeOutcome(const ScenarioSpec& spec, const SampleBatch& batch,
                                       int64_t i);
// The names, comma-separated, and a newline.
std::string PerSampleCsvHeader(const ScenarioSpec& spec, const GameModel& game);
// Writes `x` at `out` exactly as fmt's "{}" writes it (the shortest text
// that reads back as `x`), at most kMaxCsvNumberSize characters, and returns
// the end: the per-sample CSV's hot loop. The longest is a negative number
// with 17 significant digits and a three-digit exponent,
// -1.2345678901234568e-300. It may write anything into the first
// kCsvNumberRoom bytes at `out`, which must be there.
inline constexpr int kMaxCsvNumberSize = 24;
inline constexpr int kCsvNumberRoom = 40;
char* WriteCsvNumber(double x, char* out);
// The same, appended to a buffer.
void AppendCsvNumber(double x, fmt::memory_buffer& out);
// Appends rows [begin, end) of the batch to `out`.
void AppendPerSampleCsvRows(const ScenarioSpec& spec, const GameModel& game,
                            const SampleBatch& batch, int64_t begin, int64_t end,
                            fmt::memory_buffer& out);

}  // namespace parley
