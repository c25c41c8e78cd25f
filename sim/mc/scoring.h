// Scoring probabilistic forecasts of categorical outcomes against what
// happened (`parley score`, docs/explanation/back-testing.md): the
// multi-category Brier score, the log score, a reliability table, and the
// two reference forecasts every back-test is read against (uniform, and the
// base rate of the observed outcomes).
//
// Conventions, fixed here and documented in docs/reference/cli.md:
// - Brier: the sum over the K outcomes of (p_k - o_k)^2, o_k = 1 for the
//   outcome that happened and 0 for the others (Brier's original form): 0 is
//   a sure and right forecast, 2 a sure and wrong one, 1 - 1/K the uniform
//   forecast's. Averaged over episodes.
// - Log: ln p(observed), with p floored at `floor` (kLogScoreFloor) so that
//   an outcome given probability 0 costs ln(floor), not minus infinity; such
//   episodes are flagged. 0 is best; higher is better. Averaged over episodes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"

namespace parley {

// The smallest probability the log score takes: ln(0.001) = -6.91 per
// episode at worst. Below Monte Carlo resolution at the sample counts used
// for back-tests (a share under 0.1% is mostly sampling noise there).
inline constexpr double kLogScoreFloor = 1e-3;

// One episode's forecast: a probability per outcome of its scenario (summing
// to 1), and the index of the outcome that happened.
struct CategoricalForecast {
  std::vector<double> p;
  int observed = -1;
};

struct EpisodeScore {
  double p_observed = 0.0;  // the forecast's probability of what happened
  double brier = 0.0;
  double log = 0.0;      // ln(max(p_observed, floor))
  bool floored = false;  // p_observed < floor
};

// A mean over episodes with its standard error (the sample standard
// deviation over sqrt(n); empty for fewer than two episodes). The error is
// that of the episodes as a sample of like episodes, not Monte Carlo error.
struct MeanWithError {
  double mean = 0.0;
  std::optional<double> standard_error;
};
MeanWithError MeanAndError(const std::vector<double>& values);

struct ForecastScores {
  std::vector<EpisodeScore> episodes;
  MeanWithError brier, log;
  int floored = 0;  // episodes whose log score was floored
};

// Scores each forecast. InvalidArgument when a forecast has no outcomes, a
// probability outside [0, 1], probabilities not summing to 1 (within 1e-9),
// or an observed index out of range; or when `floor` is not in (0, 1).
StatusOr<EpisodeScore> ScoreForecast(const CategoricalForecast& forecast,
                                     double floor = kLogScoreFloor);
StatusOr<ForecastScores> ScoreForecasts(const std::vector<CategoricalForecast>& forecasts,
                                        double floor = kLogScoreFloor);

// One bin of forecast probability [low, high) (the last bin includes 1):
// over every (episode, outcome) pair whose forecast falls in it, the mean
// forecast and the share of pairs whose outcome happened.
struct ReliabilityBin {
  double low = 0.0, high = 0.0;
  int64_t pairs = 0;
  double mean_forecast = 0.0;       // 0 when the bin is empty
  double observed_frequency = 0.0;  // 0 when the bin is empty
};
// `bins` equal bins of [0, 1] (at least 1); every pair of every forecast.
std::vector<ReliabilityBin> ReliabilityTable(const std::vector<CategoricalForecast>& forecasts,
                                             int bins);

// The uniform forecast 1/K over each episode's K outcomes.
CategoricalForecast UniformForecast(int outcomes, int observed);

// The outcome ids of an episode's scenario and the one that happened.
struct EpisodeOutcomes {
  std::vector<std::string> outcomes;
  int observed = -1;
};
// The base-rate forecast of every episode, in sample: the share of all the
// episodes whose observed outcome has each id, restricted to the episode's
// own outcome ids and renormalised over them (ids are matched by name, so
// episodes share a base rate through shared ids). Every episode's own
// observation counts, so no base-rate forecast gives what happened
// probability 0.
std::vector<CategoricalForecast> BaseRateForecasts(const std::vector<EpisodeOutcomes>& episodes);

// A back-test: several scenarios that record what happened (`observed`),
// each forecast by one or more models, scored with the two baselines.

// One episode as its scenario records it.
struct BackTestEpisode {
  std::string file, scenario;         // the file as given, and the scenario's name
  std::vector<std::string> outcomes;  // the scenario's outcome ids, in order
  int observed = -1;                  // index into outcomes
  std::string date, source, note;     // `observed`
};

// One forecaster's forecast of one episode.
struct EpisodeForecast {
  std::vector<double> p;     // per outcome; a model's: among its resolved samples
  double unresolved = 0.0;   // a model's share of samples without a prediction
  bool no_resolved = false;  // no sample resolved: `p` is uniform instead
  std::string model;         // a model's name and parameters, as --model takes them
  int64_t samples = 0;
  uint64_t seed = 0;
};

// A model's scores minus a baseline's, episode by episode.
struct ScoreDifference {
  std::string baseline;
  MeanWithError brier, log;
};

struct ForecasterResult {
  std::string name;  // a model ("qre:lambda=2"), "uniform" or "base_rate"
  bool baseline = false;
  std::vector<EpisodeForecast> forecasts;  // one per episode, in order
  ForecastScores scores;
  std::vector<ReliabilityBin> reliability;
  std::vector<ScoreDifference> versus;  // models: against each baseline
};

struct BackTest {
  std::vector<BackTestEpisode> episodes;
  std::vector<ForecasterResult> models;
  std::vector<ForecasterResult> baselines;  // uniform, then base_rate
  int bins = 5;
  double log_floor = kLogScoreFloor;
  int threads = 0;  // the most worker threads a run used (set by the runner's caller)
};

// A model to score: its name and one forecast per episode.
struct ModelForecasts {
  std::string name;
  std::vector<EpisodeForecast> forecasts;
};

// Scores every model and both baselines on `episodes`, with reliability
// tables of `bins` bins. InvalidArgument for a forecast that does not fit
// its episode (wrong length, not a distribution).
StatusOr<BackTest> ScoreBackTest(std::vector<BackTestEpisode> episodes,
                                 const std::vector<ModelForecasts>& models, int bins = 5,
                                 double floor = kLogScoreFloor);

}  // namespace parley
