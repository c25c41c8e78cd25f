#include "sim/app/score.h"

#include <algorithm>

#include "sim/app/sampling.h"
#include "sim/mc/runner.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

// "qre:lambda=2,k=3" for a model with its parameters as used.
std::string ModelText(const Provenance& p) {
  std::string text = p.model;
  std::string parameters = FormatModelParameters(p);
  if (parameters.empty()) return text;
  size_t at = 0;
  while ((at = parameters.find(", ", at)) != std::string::npos) parameters.erase(at + 1, 1);
  return text + ":" + parameters;
}

// One model's forecast of one episode: its probabilities among resolved samples.
// `run`: this run's index among `runs`, for the progress.
StatusOr<EpisodeForecast> Forecast(const std::string& file, const std::optional<std::string>& model,
                                   const ScoreRequest& request, int64_t run, int64_t runs,
                                   int* threads) {
  SamplingRequest sampling;
  sampling.files = {file};
  sampling.model = model;
  sampling.samples = request.samples;
  sampling.seed = request.seed;
  sampling.threads = request.threads;
  auto prepared = PrepareSampling(sampling);
  if (!prepared.ok()) {
    const std::string& message = prepared.status().message();
    // Flag errors (--model on a sequential scenario) do not name the file.
    if (message.rfind(file, 0) == 0) return prepared.status();
    return Status(prepared.status().code(), file + ": " + message);
  }
  const PreparedScenario& scenario = prepared->scenarios.front();
  RunControl control;
  if (request.progress) {
    control.progress = [&request, run, runs](int64_t done, int64_t planned) {
      request.progress(1000 * run + 1000 * done / std::max<int64_t>(planned, 1), 1000 * runs);
    };
  }
  PARLEY_ASSIGN_OR_RETURN(const RunResult result, RunMonteCarlo(*scenario.game, *scenario.model,
                                                                prepared->options, control));
  const RunSummary summary = SummarizeRun(scenario, prepared->options, result);
  *threads = std::max(*threads, result.threads_used);
  EpisodeForecast f;
  f.model = ModelText(scenario.provenance);
  f.samples = summary.samples;
  f.seed = summary.seed;
  f.unresolved = summary.unresolved.probability;
  const size_t k = summary.outcomes.size();
  double total = 0.0;
  for (const OutcomeEstimate& o : summary.outcomes) {
    f.p.push_back(o.probability_resolved);
    total += o.probability_resolved;
  }
  if (summary.resolved_samples == 0 || total <= 0.0) {
    f.no_resolved = true;
    f.p.assign(k, 1.0 / static_cast<double>(k));
  } else {
    // Exactly a distribution: the sums of many samples' masses round off.
    for (double& p : f.p) p /= total;
  }
  return f;
}

}  // namespace

StatusOr<BackTest> RunBackTest(const ScoreRequest& request) {
  if (request.files.empty()) return InvalidArgument("no scenario files to score");
  // Every file is read and checked before anything runs.
  std::vector<BackTestEpisode> episodes;
  for (const std::string& file : request.files) {
    PARLEY_ASSIGN_OR_RETURN(const ScenarioSpec spec, LoadScenarioFile(file));
    if (!spec.observed) {
      return InvalidArgument(file +
                             ": error: the scenario records no outcome: `parley score` needs an "
                             "`observed` section (outcome, date, source; see "
                             "docs/reference/scenario-schema.md)");
    }
    BackTestEpisode e;
    e.file = file;
    e.scenario = spec.name;
    for (const OutcomeSpec& o : spec.outcomes) e.outcomes.push_back(o.id);
    e.observed = spec.observed->outcome;
    e.date = spec.observed->date;
    e.source = spec.observed->source;
    e.note = spec.observed->note;
    episodes.push_back(std::move(e));
  }
  std::vector<std::optional<std::string>> models;
  for (const std::string& m : request.models) models.emplace_back(m);
  if (models.empty()) models.emplace_back();  // each scenario's own
  std::vector<ModelForecasts> forecasts;
  int threads = 0;
  const int64_t runs = static_cast<int64_t>(models.size() * episodes.size());
  int64_t run = 0;
  for (const std::optional<std::string>& model : models) {
    ModelForecasts m;
    for (const BackTestEpisode& e : episodes) {
      PARLEY_ASSIGN_OR_RETURN(EpisodeForecast f,
                              Forecast(e.file, model, request, run++, runs, &threads));
      m.forecasts.push_back(std::move(f));
    }
    if (model) {
      m.name = *model;
    } else {
      // The scenarios' own: named by their model when they share one.
      const std::string& first = m.forecasts.front().model;
      const bool shared = std::all_of(m.forecasts.begin(), m.forecasts.end(),
                                      [&](const EpisodeForecast& f) { return f.model == first; });
      m.name = shared ? first : "own";
    }
    forecasts.push_back(std::move(m));
  }
  PARLEY_ASSIGN_OR_RETURN(BackTest test,
                          ScoreBackTest(std::move(episodes), forecasts, request.bins));
  test.threads = threads;
  return test;
}

}  // namespace parley
