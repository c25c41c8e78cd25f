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

// What an actor does: how often it plays each option. Shares are among the
// resolved samples (an unresolved sample has no prediction to count), and
// are expected shares where predictions are mixed or chance moves on the
// path: the mean over resolved samples of the probability of the option.
struct OptionShare {
  std::string stage;  // sequential scenarios: the stage the option belongs to
  std::string id;
  std::string label;
  double count = 0.0;  // resolved samples playing it; expected ones when not whole
  double share = 0.0;  // count / resolved samples
  Interval ci95;       // as the outcomes' (SlotInterval), over the resolved samples
};

// Sequential scenarios: how often play reaches one of an actor's stages.
struct StageReach {
  std::string id;
  double reached = 0.0;  // share of resolved samples (expected, with chance on the path)
};

struct ActorActions {
  std::string actor;
  std::vector<OptionShare> options;  // sequential: stage by stage, in the scenario's order
  std::vector<StageReach> stages;    // sequential scenarios only
};

// A strategy profile of a normal-form game and how often it is predicted.
struct ProfileShare {
  std::vector<std::string> options;  // per actor, in the scenario's order
  std::string outcome;               // the outcome it leads to
  double count = 0.0;                // resolved samples (expected ones for mixed predictions)
  double share = 0.0;                // among resolved samples
  Interval ci95;
};

// Multi-round scenarios: the negotiations' course, round by round.
struct RoundEstimate {
  int round = 0;             // 1-based
  double negotiating = 0.0;  // P(still negotiating at the start of the round)
  // Per ending slot (RoundsSummary::ending): P(ended there by the end of
  // this round), the cumulative incidence, with its 95% interval.
  std::vector<double> ended_by;
  std::vector<Interval> ended_by_ci95;
  // P(the negotiation ends in this round | it is going at its start); at
  // the last round, the limit is not counted as an ending.
  std::optional<double> hazard;
  // Per state variable, among the negotiations still going at the start
  // of the round (weighted by that probability): mean and standard
  // deviation across samples.
  std::vector<double> state_mean, state_sd;
};

struct RoundsSummary {
  int max_rounds = 1;
  std::string foresight;                                 // "myopic" or "forward-looking"
  std::string learning;                                  // "fresh" or "carried"
  std::vector<std::pair<std::string, double>> discount;  // per actor
  std::vector<std::string> continuing;                   // outcome ids
  std::vector<std::string> ending;                       // ending outcome ids, then "unresolved"
  std::vector<int> ending_slots;                         // their accumulator slots
  std::vector<std::string> state_variables;
  std::vector<RoundEstimate> rounds;
  // P(the negotiation lasts exactly r + 1 rounds), the limit counted as its
  // last round; the mean number of rounds with a 95% interval.
  std::vector<double> duration;
  double mean_rounds = 0.0;
  Interval mean_rounds_ci95;
  // The exact Markov chain of negotiations whose rounds all play the same
  // game (no state, myopic actors): without a round limit, P(ending in each
  // ending slot) and the mean number of rounds (over the negotiations sure
  // to end; `never_ending` may go on for ever).
  bool markov = false;
  int64_t markov_samples = 0;
  int64_t never_ending = 0;
  std::vector<double> eventual;  // per ending slot
  std::vector<Interval> eventual_ci95;
  std::optional<double> markov_mean_rounds;
  Interval markov_mean_rounds_ci95;
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
  // What each actor does (empty when Summarize had no game), and for
  // normal-form games the most frequent profiles: counted where the game
  // has at most kMaxCountedProfiles profiles (`profiles_counted`).
  std::vector<ActorActions> actors;
  bool profiles_counted = false;
  int64_t num_profiles = 0;             // profiles of the game
  int64_t distinct_profiles = 0;        // profiles predicted with a positive probability
  std::vector<ProfileShare> profiles;   // the most frequent first
  std::optional<RoundsSummary> rounds;  // multi-round scenarios
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
// How many of the most frequent profiles a summary keeps.
inline constexpr size_t kMaxReportedProfiles = 5;

// What each actor does and the most frequent profiles, from the totals of
// a run of `game` (into summary.actors, profiles...); needs
// summary.resolved_samples and summary.pure_model.
void SummarizeActions(const ScenarioSpec& spec, const GameModel& game, const Accumulator& totals,
                      RunSummary& summary);

}  // namespace parley
