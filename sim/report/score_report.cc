#include "sim/report/score_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/core/ranks.h"
#include "sim/version.h"

namespace parley {
namespace {

using J = nlohmann::ordered_json;

constexpr const char* kForecastConvention =
    "a model's outcome probabilities among its resolved samples (uniform when none resolved); "
    "the unresolved share is reported beside it";
constexpr const char* kBrierConvention =
    "sum over the scenario's outcomes of (p - o)^2, o = 1 for what happened and 0 otherwise; "
    "mean over episodes; 0 best, 2 worst, 1 - 1/K for the uniform forecast";
constexpr const char* kBaseRateConvention =
    "in sample: the share of these episodes whose observed outcome has each id, over the "
    "episode's own outcome ids (each episode's own outcome counts)";

J MeanJson(const MeanWithError& m) {
  return {{"mean", m.mean},
          {"standard_error", m.standard_error ? J(*m.standard_error) : J(nullptr)}};
}

J ForecasterJson(const BackTest& test, const ForecasterResult& r) {
  J j;
  j["name"] = r.name;
  j["baseline"] = r.baseline;
  if (r.name == "base_rate") j["in_sample"] = true;
  J episodes = J::array();
  for (size_t e = 0; e < r.forecasts.size(); ++e) {
    const EpisodeForecast& f = r.forecasts[e];
    const EpisodeScore& s = r.scores.episodes[e];
    J ep;
    ep["file"] = test.episodes[e].file;
    if (!r.baseline) {
      ep["model"] = f.model;
      ep["samples"] = f.samples;
      ep["seed"] = f.seed;
    }
    J forecast = J::object();
    for (size_t o = 0; o < f.p.size(); ++o) forecast[test.episodes[e].outcomes[o]] = f.p[o];
    ep["forecast"] = forecast;
    if (!r.baseline) {
      ep["unresolved"] = f.unresolved;
      ep["no_resolved"] = f.no_resolved;
    }
    ep["p_observed"] = s.p_observed;
    ep["brier"] = s.brier;
    ep["log"] = s.log;
    ep["log_floored"] = s.floored;
    episodes.push_back(ep);
  }
  j["episodes"] = episodes;
  j["brier"] = MeanJson(r.scores.brier);
  j["log"] = MeanJson(r.scores.log);
  j["log_floored"] = r.scores.floored;
  J bins = J::array();
  for (const ReliabilityBin& b : r.reliability) {
    bins.push_back({{"low", b.low},
                    {"high", b.high},
                    {"pairs", b.pairs},
                    {"mean_forecast", b.pairs ? J(b.mean_forecast) : J(nullptr)},
                    {"observed_frequency", b.pairs ? J(b.observed_frequency) : J(nullptr)}});
  }
  j["reliability"] = bins;
  if (!r.baseline) {
    J versus = J::array();
    for (const ScoreDifference& d : r.versus) {
      versus.push_back({{"baseline", d.baseline},
                        {"brier_difference", MeanJson(d.brier)},
                        {"log_difference", MeanJson(d.log)}});
    }
    j["versus"] = versus;
  }
  return j;
}

std::string PlusMinus(const MeanWithError& m, const char* format) {
  std::string out = fmt::format(fmt::runtime(format), m.mean);
  if (m.standard_error) out += " \u00b1 " + fmt::format("{:.3f}", *m.standard_error);
  return out;
}

std::string Percent(double p) { return fmt::format("{:.1f}%", 100.0 * p); }

}  // namespace

std::string EpisodeLabel(const std::string& file) {
  std::string name =
      file.substr(file.find_last_of('/') == std::string::npos ? 0 : file.find_last_of('/') + 1);
  for (const char* ext : {".yaml", ".yml"}) {
    const std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
      name.resize(name.size() - e.size());
      break;
    }
  }
  return name;
}

J ScoreToJson(const BackTest& test, double seconds) {
  J j;
  j["kind"] = "score";
  j["parley_version"] = kParleyVersion;
  j["conventions"] = {
      {"forecast", kForecastConvention},
      {"brier", kBrierConvention},
      {"log", fmt::format("ln p(observed), p floored at {:g}; mean over episodes; 0 best",
                          test.log_floor)},
      {"log_floor", test.log_floor},
      {"standard_error",
       "sample standard deviation over episodes / sqrt(episodes); null for one "
       "episode"},
      {"base_rate", kBaseRateConvention},
      {"bins", test.bins}};
  J episodes = J::array();
  for (const BackTestEpisode& e : test.episodes) {
    J observed = {{"outcome", e.outcomes[e.observed]}, {"date", e.date}, {"source", e.source}};
    if (!e.note.empty()) observed["note"] = e.note;
    episodes.push_back({{"file", e.file},
                        {"scenario", e.scenario},
                        {"outcomes", e.outcomes},
                        {"observed", observed}});
  }
  j["episodes"] = episodes;
  J models = J::array();
  for (const ForecasterResult& r : test.models) models.push_back(ForecasterJson(test, r));
  j["models"] = models;
  J baselines = J::array();
  for (const ForecasterResult& r : test.baselines) baselines.push_back(ForecasterJson(test, r));
  j["baselines"] = baselines;
  j["run"] = {{"ranks", WorldRanks().size()}, {"threads", test.threads}, {"seconds", seconds}};
  return j;
}

std::string FormatScoreText(const BackTest& test, double seconds) {
  std::string out;
  auto line = [&out](const std::string& l) { out += l + "\n"; };
  const size_t n = test.episodes.size();
  line(fmt::format("Back-test of {} episode{} against what happened", n, n == 1 ? "" : "s"));
  line(fmt::format("forecast: {}", kForecastConvention));
  line("Brier: sum over outcomes of (p - o)^2, mean over episodes (0 best, 2 worst)");
  line(fmt::format("log: ln p(observed), mean over episodes (0 best; p floored at {:g})",
                   test.log_floor));
  line(
      "+-: standard error over episodes; base_rate: in sample (each episode's own outcome "
      "counts)");
  line("");

  size_t width = std::string("episode").size();
  for (const BackTestEpisode& e : test.episodes)
    width = std::max(width, EpisodeLabel(e.file).size());
  size_t observed_width = std::string("observed").size();
  for (const BackTestEpisode& e : test.episodes) {
    observed_width = std::max(observed_width, e.outcomes[e.observed].size());
  }
  line(fmt::format("{:<{}}  {:<10}  {:<{}}  {}", "episode", width, "date", "observed",
                   observed_width, "scenario"));
  for (const BackTestEpisode& e : test.episodes) {
    line(fmt::format("{:<{}}  {:<10}  {:<{}}  {}", EpisodeLabel(e.file), width, e.date,
                     e.outcomes[e.observed], observed_width, e.scenario));
  }

  for (const ForecasterResult& m : test.models) {
    line("");
    line(fmt::format("Forecasts of {} (* what happened; ! log score floored)", m.name));
    line(fmt::format("{:<{}}  {:>7}  {:>6}  {:>7}  {:>10}  {}", "episode", width, "p(obs)", "Brier",
                     "log", "unresolved", "forecast"));
    for (size_t e = 0; e < n; ++e) {
      const BackTestEpisode& ep = test.episodes[e];
      const EpisodeForecast& f = m.forecasts[e];
      const EpisodeScore& s = m.scores.episodes[e];
      std::string forecast;
      for (size_t o = 0; o < f.p.size(); ++o) {
        forecast += fmt::format("{}{} {}{}", o ? ", " : "", ep.outcomes[o], Percent(f.p[o]),
                                static_cast<int>(o) == ep.observed ? "*" : "");
      }
      if (f.no_resolved) forecast += " (no sample resolved: uniform)";
      line(fmt::format("{:<{}}  {:>7}  {:>6.3f}  {:>7}  {:>10}  {}", EpisodeLabel(ep.file), width,
                       Percent(s.p_observed), s.brier,
                       fmt::format("{:.3f}{}", s.log, s.floored ? "!" : ""), Percent(f.unresolved),
                       forecast));
    }
    // The models used, when the scenarios' own differ from the name.
    std::vector<std::string> used;
    for (const EpisodeForecast& f : m.forecasts) {
      if (f.model != m.name && std::find(used.begin(), used.end(), f.model) == used.end()) {
        used.push_back(f.model);
      }
    }
    if (!used.empty()) {
      std::string list;
      for (const std::string& u : used) list += (list.empty() ? "" : ", ") + u;
      line(fmt::format("(each scenario's own model: {})", list));
    }
  }

  line("");
  line(fmt::format("Scores, mean over {} episode{} (+- standard error)", n, n == 1 ? "" : "s"));
  size_t name_width = std::string("forecaster").size();
  for (const auto* group : {&test.models, &test.baselines}) {
    for (const ForecasterResult& r : *group) name_width = std::max(name_width, r.name.size());
  }
  line(fmt::format("{:<{}}  {:<15}  {:<16}  {}", "forecaster", name_width, "Brier", "log",
                   "floored"));
  for (const auto* group : {&test.models, &test.baselines}) {
    for (const ForecasterResult& r : *group) {
      line(fmt::format("{:<{}}  {:<15}  {:<16}  {}", r.name, name_width,
                       PlusMinus(r.scores.brier, "{:.3f}"), PlusMinus(r.scores.log, "{:.3f}"),
                       r.scores.floored));
    }
  }
  for (const ForecasterResult& m : test.models) {
    line("");
    line(
        fmt::format("{} minus each baseline, paired by episode (Brier: below 0 is better; "
                    "log: above 0 is better)",
                    m.name));
    for (const ScoreDifference& d : m.versus) {
      line(fmt::format("  {:<{}}  Brier {:<16}  log {}", d.baseline, name_width,
                       PlusMinus(d.brier, "{:+.3f}"), PlusMinus(d.log, "{:+.3f}")));
    }
  }
  for (const ForecasterResult& m : test.models) {
    line("");
    int64_t pairs = 0;
    for (const ReliabilityBin& b : m.reliability) pairs += b.pairs;
    line(fmt::format("Reliability of {} ({} episode x outcome pairs)", m.name, pairs));
    line(fmt::format("{:<12}  {:>5}  {:>13}  {:>18}", "forecast", "pairs", "mean forecast",
                     "observed frequency"));
    for (size_t b = 0; b < m.reliability.size(); ++b) {
      const ReliabilityBin& bin = m.reliability[b];
      const std::string range = fmt::format("[{:.2f}, {:.2f}{}", bin.low, bin.high,
                                            b + 1 == m.reliability.size() ? "]" : ")");
      if (bin.pairs == 0) {
        line(fmt::format("{:<12}  {:>5}  {:>13}  {:>18}", range, 0, "-", "-"));
      } else {
        line(fmt::format("{:<12}  {:>5}  {:>13.3f}  {:>18.3f}", range, bin.pairs, bin.mean_forecast,
                         bin.observed_frequency));
      }
    }
  }
  line("");
  line(fmt::format("{} episode{} x {} model{} in {:.3f} s", n, n == 1 ? "" : "s",
                   test.models.size(), test.models.size() == 1 ? "" : "s", seconds));
  return out;
}

}  // namespace parley
