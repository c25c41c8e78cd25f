// RunSummary: a Monte Carlo run's counts turned into estimates with 95%
// confidence intervals, named with the scenario's ids. Reports format it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/mc/accumulator.h"
#include "sim/model/model.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

inline constexpr double kZ95 = 1.959963984540054;

struct Interval {
  double low = 0.0;
  double high = 0.0;
};

// Wilson score interval for a binomial proportion (good near 0 and 1).
Interval WilsonInterval(int64_t successes, int64_t trials, double z = kZ95);

struct OutcomeEstimate {
  std::string id;
  std::string label;
  double count = 0.0;  // samples in the outcome; expected samples for mixed predictions
  double probability = 0.0;
  Interval ci95;  // Wilson for pure predictions; normal approximation for mixed ones
  // The same among the resolved samples (0 and [0, 0] when there is none).
  double probability_resolved = 0.0;
  Interval ci95_resolved{0.0, 0.0};
};

struct PayoffEstimate {
  std::string actor;
  int64_t n = 0;  // resolved samples the mean is over
  double mean = 0.0;
  Interval ci95;
};

struct ArgumentEffect {
  std::string outcome;           // an outcome id, or "unresolved"
  std::optional<double> effect;  // P(o | holds) - P(o | not); empty if one side is empty
  Interval ci95;                 // normal approximation for a difference of proportions
};

struct ArgumentEstimate {
  std::string id;
  std::string analyst;
  std::string claim;
  double credence = 0.0;
  std::string mode;  // "drawn", "forced-on" (--with) or "forced-off" (--without)
  int64_t samples_holding = 0;
  std::vector<ArgumentEffect> effects;
};

// A sequential game's equilibrium path: the moves equilibrium play makes
// (several branches when chance moves on the path).
struct PathEstimate {
  std::vector<std::vector<std::string>> branches;  // per terminal reached: "stage: option" moves
  int64_t count = 0;
  double probability = 0.0;
  Interval ci95;  // Wilson
};

struct ThreatEstimate {
  std::string id;
  std::string claim;
  std::string stage;
  std::string action;
  int64_t applies_at = 0;  // decision nodes where the threat applies
  double credible = 0.0;   // share of samples where carrying it out is optimal everywhere
  Interval credible_ci95;
  double carried_out = 0.0;  // share where the equilibrium strategy prescribes it everywhere
  Interval carried_out_ci95;
};

struct RunSummary {
  std::string scenario;
  std::string scenario_path;
  std::string model;
  bool pure_model = true;  // every prediction a pure profile: counts are whole
  std::string selection;
  std::optional<double> lambda;      // the model's `lambda` parameter, where it has one
  ModelParameters model_parameters;  // every parameter of the model, as used
  int64_t samples = 0;
  uint64_t seed = 0;
  std::vector<OutcomeEstimate> outcomes;
  OutcomeEstimate unresolved;
  int64_t resolved_samples = 0;
  std::string unresolved_meaning;  // the model's ModelInfo::unresolved
  // Iterative models: the samples whose prediction did not converge (they
  // are counted in their outcomes too), with a Wilson interval, and what
  // that means under the model (ModelInfo::not_converged). Every output
  // reports them when ReportsConvergence().
  int64_t not_converged = 0;
  double not_converged_probability = 0.0;
  Interval not_converged_ci95;
  std::string not_converged_meaning;
  bool ReportsConvergence() const { return !not_converged_meaning.empty() || not_converged > 0; }
  std::string model_note;         // Model::Note(): a line about the configured model, or empty
  bool equilibrium_model = true;  // ModelInfo::equilibria: outputs count equilibria per game
  std::vector<PayoffEstimate> payoffs;
  double equilibria_none = 0.0, equilibria_unique = 0.0, equilibria_multiple = 0.0;
  std::vector<ArgumentEstimate> arguments;
  bool sequential = false;
  int64_t distinct_paths = 0;
  std::vector<PathEstimate> paths;  // the most frequent first
  std::vector<ThreatEstimate> threats;
  // Timing: the only part that may differ between identical runs.
  // `seconds` is the whole command's work (loading, compiling, sampling,
  // attribution), set by the front end (SummarizeRun starts it at
  // `sampling_seconds`); `sampling_seconds` the sampling alone, which the
  // samples-per-second rate is computed from.
  int threads = 0;
  double seconds = 0.0;
  double sampling_seconds = 0.0;
};

// The 95% interval of outcome slot `slot` (num_outcomes: unresolved), as
// Summarize reports it: Wilson for pure models, else the normal
// approximation over the samples' probabilities.
Interval SlotInterval(const Accumulator& totals, int slot, bool pure_model);

// `modes`: how each argument was set (missing entries: drawn).
// `pure_model`: every prediction was a pure profile (Model::pure()).
// `game` (for sequential scenarios) names the moves of equilibrium paths.
RunSummary Summarize(const ScenarioSpec& spec, const std::vector<ArgumentMode>& modes,
                     const Accumulator& totals, bool pure_model = true,
                     const GameModel* game = nullptr);

// Fills in the summary's model, selection rule and model parameters.
void DescribeModel(const Model& model, RunSummary& summary);

// The moves of an equilibrium path (Accumulator::paths' key: node, move
// pairs), one branch per terminal history reached, each as "stage: option".
std::vector<std::vector<std::string>> DescribePath(const ScenarioSpec& spec, const GameModel& game,
                                                   const std::vector<int32_t>& key);

// How many of the most frequent paths a summary keeps.
inline constexpr size_t kMaxReportedPaths = 10;

}  // namespace parley
