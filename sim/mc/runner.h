// The parallel Monte Carlo runner: samples a compiled scenario, asks a model
// for each sample's prediction, and accumulates the results.
//
// Determinism: sample i draws from SampleRng(seed, i) only; samples are
// processed in fixed blocks whose results are joined in a fixed tree
// (DeterministicReduce, sim/mc/parallel.h), so the result depends only on the
// scenario, the seed and the sample count, never on the thread count.
// Blocks are reduced in batches of kBlocksPerBatch whole blocks, and the
// batches are folded left to right: a run that stops after some batches
// (RunControl::stop, used by --precision) has exactly the totals of a plain
// run of that many samples.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/mc/accumulator.h"
#include "sim/mc/non_finite.h"
#include "sim/mc/sample_records.h"
#include "sim/model/model.h"
#include "sim/scenario/game_model.h"

namespace parley {

// Where a sample's scenario draws come from: its Philox stream (the
// default), or a point of a randomly shifted Sobol sequence turned into
// draws by inverse CDFs (GameModel::DrawFromUniforms).
enum class Sampler { kPhilox, kSobol };

struct RunOptions {
  int64_t samples = 10000;
  uint64_t seed = 1;
  Sampler sampler = Sampler::kPhilox;
  // kSobol: the samples are split into this many replicates of consecutive
  // indices, each with its own random shift; their spread estimates the
  // error (RunResult::replicates).
  int sobol_replicates = 8;
  int threads = 0;  // 0: all available cores

  // Returns false and explains why in `why` when an option is out of range.
  bool IsValid(std::string* why) const;
};

struct RunResult {
  Accumulator totals;
  int threads_used = 0;
  double seconds = 0.0;
  int64_t block_size = 0;
  // kSobol: each replicate's totals, in order (their merge is `totals`).
  std::vector<Accumulator> replicates;
};

StatusOr<RunResult> RunMonteCarlo(const GameModel& game, const Model& model,
                                  const RunOptions& options);

// Optional hooks into a run, called on the calling thread between batches;
// neither can change what a sample computes.
struct RunControl {
  // Given the totals so far (a whole number of batches), true ends the run
  // there; options.samples is then only the cap.
  std::function<bool(const Accumulator& totals)> stop;
  // Samples done and samples planned (the cap), after every batch; for
  // progress displays.
  std::function<void(int64_t done, int64_t planned)> progress;
  // When set, each sample's outcome-slot probabilities (num_outcomes() + 1
  // values, the last "unresolved") are written to
  // sample_slots[i * (num_outcomes() + 1) ...] for sample i; the caller
  // sizes it for options.samples samples. Used to pair the samples of two
  // runs (PairedDifferences, sim/mc/paired.h).
  double* sample_slots = nullptr;
  // When set (Philox sampler only), every sample's record, a batch at a time
  // in sample order (sim/mc/sample_records.h).
  SampleSink per_sample;
};

StatusOr<RunResult> RunMonteCarlo(const GameModel& game, const Model& model,
                                  const RunOptions& options, const RunControl& control);

// Several models on the same sampled games (common random numbers): each
// sample's draws and payoff table are computed once and every model
// predicts from them. runs[k] equals, bit for bit, the result of
// RunMonteCarlo(game, *models[k], options) with sample_slots[k] as its
// RunControl::sample_slots (sample_slots empty, or one entry per model,
// null where not wanted), apart from `seconds`: runs[k].seconds is model
// k's own time (predicting and counting), summed over threads.
struct ModelsRunResult {
  std::vector<RunResult> runs;  // per model
  double draw_seconds = 0.0;    // draws and payoff tables, once for all, summed over threads
  double seconds = 0.0;         // the whole run, wall clock
  int threads_used = 0;
};
StatusOr<ModelsRunResult> RunMonteCarloModels(
    const GameModel& game, const std::vector<const Model*>& models, const RunOptions& options,
    const std::vector<double*>& sample_slots = {},
    std::function<void(int64_t done, int64_t planned)> progress = nullptr);

// Blocks per batch: part of the determinism contract (fixed, never derived
// from the thread count).
inline constexpr int64_t kBlocksPerBatch = 64;
// Samples per batch for `game`: where a controlled run may stop.
int64_t BatchSizeFor(const GameModel& game);

// The option slots of `game` (Accumulator::option_offsets): per player of
// a normal-form game, per stage of a sequential one (in the scenario's
// order; chance stages have none), then the total.
std::vector<int32_t> OptionOffsets(const GameModel& game);

// Samples per block for `game`: fixed per scenario, so part of the
// determinism contract; smaller for very large games to bound memory.
int64_t BlockSizeFor(const GameModel& game);

// Predictions at points chosen by the caller (sensitivity designs), through
// the same path as RunMonteCarlo: row i of `thetas` is a sample's draws
// (from GameModel::DrawFromUniforms); its model stream
// is SampleRng(seed, model_keys[i], kModel). Writes, per point, the
// probability of each outcome slot (num_outcomes() + 1 values, the last
// "unresolved") to slots_out[i * (num_outcomes() + 1) ...] and each
// player's payoff under the prediction (NaN when unresolved) to
// payoffs_out[i * num_players() ...]. A point whose draws or prediction are
// not finite is noted in `non_finite` under its model key (its outputs are
// then meaningless: the caller must fail).
void PredictPoints(const GameModel& game, const Model& model, uint64_t seed,
                   const Eigen::MatrixXd& thetas, const uint64_t* model_keys, int64_t count,
                   double* slots_out, double* payoffs_out, NonFinite& non_finite);

// The uncertain draw steps of `game` (GameModel::uniform_is_uncertain), in
// draw order: the coordinates of a quasi-random or designed point.
std::vector<int> UncertainSteps(const GameModel& game);

}  // namespace parley
