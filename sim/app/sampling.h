// The application layer's entry for every command that samples scenarios
// (run, comparisons, sweep, sensitivity): a SamplingRequest, as a front end
// (the CLI, Python) gives it, becomes a PreparedSampling: each scenario
// loaded with its overrides applied and its arguments forced, compiled, its
// model made with every parameter resolved, the run options (seed, samples,
// threads) settled, and a record of what produced it all (Provenance).
//
// Precedence, lowest first: the scenario file (`simulation.model`, which may
// be `{name: qre, lambda: 2}`), `--model NAME[:K=V,...]` (a different model
// drops the file's parameters), `--lambda L` (an alias for the model
// parameter lambda), then `--set NAME=VALUE` in order (including
// `--set model.K=V`). Everything lands in the ScenarioSpec, so that a sweep
// over `model.K` varies it like any other sweepable name.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/mc/paired.h"
#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/model/model.h"
#include "sim/report/provenance.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/overrides.h"
#include "sim/scenario/spec.h"

namespace parley {

struct SamplingRequest {
  std::vector<std::string> files;  // one scenario, or several to compare
  // Scenarios loaded already (Python's parley.loads), used instead of
  // `files` when given.
  std::vector<ScenarioSpec> specs;
  std::optional<std::string> model;  // --model: "qre" or "qre:lambda=2.5"
  std::optional<double> lambda;      // --lambda: model parameter lambda
  std::optional<std::string> selection;
  std::vector<std::string> with, without, set;
  std::optional<int64_t> samples;  // default: the (first) scenario's
  std::optional<uint64_t> seed;    // default: the (first) scenario's
  int threads = 0;                 // 0: one per core
};

// One scenario, ready to sample.
struct PreparedScenario {
  ScenarioSpec spec;                // overrides and the model choice applied
  std::vector<ArgumentMode> modes;  // --with/--without, per argument
  std::unique_ptr<Model> model;
  std::optional<GameModel> game;  // compiled with `modes`
  Provenance provenance;          // what produced this scenario's results
};

struct PreparedSampling {
  std::vector<PreparedScenario> scenarios;  // in the request's order
  RunOptions options;                       // samples, seed, threads
};

// Loads, checks and compiles everything before anything runs; errors name
// the file, line and column, or the flag. `compile` false skips compiling
// (sweeps compile each point themselves).
StatusOr<PreparedSampling> PrepareSampling(const SamplingRequest& request, bool compile = true);

// The model that `spec`'s simulation settings name (sweeps call it for each
// grid point, whose `model.K` may vary).
StatusOr<std::unique_ptr<Model>> ModelForScenario(const ScenarioSpec& spec, Selection selection);

// Every sweepable name of `spec` (ListSweepable), with each parameter its
// model declares as model.<name> (set in the file or not) at the value a run
// would use and the parameter's documentation and range as its note.
std::vector<SweepableName> ListSweepableNames(const ScenarioSpec& spec);

// A multi-round scenario's rounds as its results' provenance names them: "up
// to 3, myopic actors" (the limit after overrides; `max_swept`: "up to
// rounds.max at each point"); empty for one round.
std::string DescribeRounds(const ScenarioSpec& spec, bool max_swept = false);

// A summary of a finished run of `scenario`: outcomes and arguments, the
// model with its parameters, seed and timing.
RunSummary SummarizeRun(const PreparedScenario& scenario, const RunOptions& options,
                        const RunResult& result);

// The --models list of `parley compare` and `parley score`: models as
// --model takes them, separated by commas. A model's own parameters are
// separated by commas too, so a piece with '=' and no ':' continues the
// model before it: "nash-pure,qre:lambda=2,k=3,qre" is nash-pure,
// qre:lambda=2,k=3 and qre. InvalidArgument for an empty piece or a
// parameter with no model before it.
StatusOr<std::vector<std::string>> SplitModelList(const std::string& text);

// Runs every scenario of `prepared` (two or more) with the same options and
// pairs each later scenario's samples with the first's (PairedDifferences,
// sim/mc/paired.h), within kPairedMaxBytes of memory.
StatusOr<Comparison> RunComparison(const PreparedSampling& prepared);

}  // namespace parley
