// Target precision: sample until every outcome probability's 95% interval is
// narrow enough (`parley run --precision`).
//
// The run checks only between batches of whole blocks (BatchSizeFor), so it
// stops at a sample count fixed by the scenario, seed and target, never by
// the thread count, and its totals equal a plain run of that many samples.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/status.h"
#include "sim/mc/runner.h"
#include "sim/model/model.h"

namespace parley {

struct PrecisionOptions {
  double target = 0.005;              // largest allowed 95% half-width
  int64_t max_samples = 100'000'000;  // the cap
};

struct PrecisionResult {
  RunResult run;
  bool reached = false;     // false: stopped at max_samples first
  double half_width = 0.0;  // the widest slot's half-width at the stop
};

// Half of the width of slot `slot`'s reported interval (SlotInterval); the
// Wilson interval is not symmetric about the estimate, so this is (high -
// low) / 2.
double HalfWidth(const Accumulator& totals, int slot, bool pure_model);
// The largest half-width over the outcomes and "unresolved".
double MaxHalfWidth(const Accumulator& totals, bool pure_model);

// Returns false and explains why when an option is out of range.
bool ValidPrecision(const PrecisionOptions& precision, std::string* why);

// `options.samples` is ignored (max_samples is the cap). `progress` and
// `per_sample` as in RunControl.
StatusOr<PrecisionResult> RunToPrecision(const GameModel& game, const Model& model,
                                         RunOptions options, const PrecisionOptions& precision,
                                         std::function<void(int64_t, int64_t)> progress = nullptr,
                                         SampleSink per_sample = nullptr);

}  // namespace parley
