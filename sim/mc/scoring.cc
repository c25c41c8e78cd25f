#include "sim/mc/scoring.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace parley {

MeanWithError MeanAndError(const std::vector<double>& values) {
  MeanWithError out;
  if (values.empty()) return out;
  const double n = static_cast<double>(values.size());
  double sum = 0.0;
  for (double v : values) sum += v;
  out.mean = sum / n;
  if (values.size() >= 2) {
    double squares = 0.0;
    for (double v : values) squares += (v - out.mean) * (v - out.mean);
    out.standard_error = std::sqrt(squares / (n - 1.0) / n);
  }
  return out;
}

StatusOr<EpisodeScore> ScoreForecast(const CategoricalForecast& forecast, double floor) {
  if (!(floor > 0.0 && floor < 1.0)) {
    return InvalidArgument("the log score's floor must be in (0, 1)");
  }
  const int k = static_cast<int>(forecast.p.size());
  if (k == 0) return InvalidArgument("a forecast needs at least one outcome");
  if (forecast.observed < 0 || forecast.observed >= k) {
    return InvalidArgument("the observed outcome " + std::to_string(forecast.observed) +
                           " is not one of the forecast's " + std::to_string(k) + " outcomes");
  }
  double sum = 0.0;
  for (double p : forecast.p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      return InvalidArgument("a forecast probability is outside [0, 1]");
    }
    sum += p;
  }
  if (std::fabs(sum - 1.0) > 1e-9) {
    return InvalidArgument("a forecast's probabilities sum to " + std::to_string(sum) + ", not 1");
  }
  EpisodeScore s;
  s.p_observed = forecast.p[forecast.observed];
  for (int o = 0; o < k; ++o) {
    const double d = forecast.p[o] - (o == forecast.observed ? 1.0 : 0.0);
    s.brier += d * d;
  }
  s.floored = s.p_observed < floor;
  s.log = std::log(std::max(s.p_observed, floor));
  return s;
}

StatusOr<ForecastScores> ScoreForecasts(const std::vector<CategoricalForecast>& forecasts,
                                        double floor) {
  ForecastScores out;
  std::vector<double> brier, log;
  for (const CategoricalForecast& f : forecasts) {
    PARLEY_ASSIGN_OR_RETURN(const EpisodeScore s, ScoreForecast(f, floor));
    out.episodes.push_back(s);
    brier.push_back(s.brier);
    log.push_back(s.log);
    out.floored += s.floored ? 1 : 0;
  }
  out.brier = MeanAndError(brier);
  out.log = MeanAndError(log);
  return out;
}

std::vector<ReliabilityBin> ReliabilityTable(const std::vector<CategoricalForecast>& forecasts,
                                             int bins) {
  bins = std::max(bins, 1);
  std::vector<ReliabilityBin> table(bins);
  std::vector<double> forecast_sum(bins, 0.0), hits(bins, 0.0);
  for (int b = 0; b < bins; ++b) {
    table[b].low = static_cast<double>(b) / bins;
    table[b].high = static_cast<double>(b + 1) / bins;
  }
  for (const CategoricalForecast& f : forecasts) {
    for (size_t o = 0; o < f.p.size(); ++o) {
      const double p = std::clamp(f.p[o], 0.0, 1.0);
      const int b = std::min(bins - 1, static_cast<int>(std::floor(p * bins)));
      ++table[b].pairs;
      forecast_sum[b] += p;
      hits[b] += static_cast<int>(o) == f.observed ? 1.0 : 0.0;
    }
  }
  for (int b = 0; b < bins; ++b) {
    if (table[b].pairs == 0) continue;
    const double n = static_cast<double>(table[b].pairs);
    table[b].mean_forecast = forecast_sum[b] / n;
    table[b].observed_frequency = hits[b] / n;
  }
  return table;
}

CategoricalForecast UniformForecast(int outcomes, int observed) {
  CategoricalForecast f;
  f.p.assign(std::max(outcomes, 0), outcomes > 0 ? 1.0 / outcomes : 0.0);
  f.observed = observed;
  return f;
}

std::vector<CategoricalForecast> BaseRateForecasts(const std::vector<EpisodeOutcomes>& episodes) {
  std::map<std::string, int> seen;  // outcome id -> episodes where it happened
  for (const EpisodeOutcomes& e : episodes) {
    if (e.observed >= 0 && e.observed < static_cast<int>(e.outcomes.size())) {
      ++seen[e.outcomes[e.observed]];
    }
  }
  std::vector<CategoricalForecast> out;
  for (const EpisodeOutcomes& e : episodes) {
    CategoricalForecast f;
    f.observed = e.observed;
    double total = 0.0;
    for (const std::string& id : e.outcomes) {
      const auto it = seen.find(id);
      f.p.push_back(it == seen.end() ? 0.0 : it->second);
      total += f.p.back();
    }
    // The episode's own observation counts, so `total` is at least 1 for a
    // valid episode; otherwise fall back to uniform.
    for (double& p : f.p) p = total > 0 ? p / total : 1.0 / static_cast<double>(f.p.size());
    out.push_back(std::move(f));
  }
  return out;
}

namespace {

StatusOr<ForecasterResult> ScoreForecaster(const std::vector<BackTestEpisode>& episodes,
                                           std::string name, bool baseline,
                                           std::vector<EpisodeForecast> forecasts, int bins,
                                           double floor) {
  ForecasterResult r;
  r.name = std::move(name);
  r.baseline = baseline;
  std::vector<CategoricalForecast> categorical;
  for (size_t e = 0; e < episodes.size(); ++e) {
    if (forecasts[e].p.size() != episodes[e].outcomes.size()) {
      return InvalidArgument(r.name + "'s forecast of " + episodes[e].file + " has " +
                             std::to_string(forecasts[e].p.size()) + " probabilities for " +
                             std::to_string(episodes[e].outcomes.size()) + " outcomes");
    }
    categorical.push_back({forecasts[e].p, episodes[e].observed});
  }
  auto scores = ScoreForecasts(categorical, floor);
  if (!scores.ok()) return InvalidArgument(r.name + ": " + scores.status().message());
  r.scores = std::move(*scores);
  r.reliability = ReliabilityTable(categorical, bins);
  r.forecasts = std::move(forecasts);
  return r;
}

}  // namespace

StatusOr<BackTest> ScoreBackTest(std::vector<BackTestEpisode> episodes,
                                 const std::vector<ModelForecasts>& models, int bins,
                                 double floor) {
  BackTest out;
  out.bins = std::max(bins, 1);
  out.log_floor = floor;
  std::vector<EpisodeOutcomes> outcomes;
  std::vector<EpisodeForecast> uniform;
  for (const BackTestEpisode& e : episodes) {
    outcomes.push_back({e.outcomes, e.observed});
    uniform.emplace_back();
    uniform.back().p = UniformForecast(static_cast<int>(e.outcomes.size()), e.observed).p;
  }
  std::vector<EpisodeForecast> base_rate;
  for (CategoricalForecast& f : BaseRateForecasts(outcomes)) {
    base_rate.emplace_back();
    base_rate.back().p = std::move(f.p);
  }
  PARLEY_ASSIGN_OR_RETURN(ForecasterResult u, ScoreForecaster(episodes, "uniform", true,
                                                              std::move(uniform), out.bins, floor));
  PARLEY_ASSIGN_OR_RETURN(
      ForecasterResult b,
      ScoreForecaster(episodes, "base_rate", true, std::move(base_rate), out.bins, floor));
  out.baselines.push_back(std::move(u));
  out.baselines.push_back(std::move(b));
  for (const ModelForecasts& m : models) {
    if (m.forecasts.size() != episodes.size()) {
      return InvalidArgument(m.name + " forecasts " + std::to_string(m.forecasts.size()) +
                             " episodes of " + std::to_string(episodes.size()));
    }
    PARLEY_ASSIGN_OR_RETURN(ForecasterResult r,
                            ScoreForecaster(episodes, m.name, false, m.forecasts, out.bins, floor));
    for (const ForecasterResult& base : out.baselines) {
      std::vector<double> brier, log;
      for (size_t e = 0; e < episodes.size(); ++e) {
        brier.push_back(r.scores.episodes[e].brier - base.scores.episodes[e].brier);
        log.push_back(r.scores.episodes[e].log - base.scores.episodes[e].log);
      }
      r.versus.push_back({base.name, MeanAndError(brier), MeanAndError(log)});
    }
    out.models.push_back(std::move(r));
  }
  out.episodes = std::move(episodes);
  return out;
}

}  // namespace parley
