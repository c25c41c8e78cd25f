// The HTML report of a back-test (`parley score`, result kind "score"):
// the document read and checked, its sections, and the reliability diagram.
//
// Internal to sim/report: html_report.cc picks it by the document's kind.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"
#include "sim/report/html_report_sections.h"

namespace parley::html {

// kind "score" (docs/reference/json-output.md).
struct ScoreDoc {
  struct Episode {
    std::string file, scenario, observed, date, source;
  };
  struct Bin {
    double low = 0, high = 0, pairs = 0;
    std::optional<double> mean_forecast, observed_frequency;
  };
  struct Forecast {
    std::vector<std::pair<std::string, double>> p;  // outcome id -> probability
    std::optional<double> unresolved;
    std::string model;
    double p_observed = 0, brier = 0, log = 0;
    bool floored = false;
  };
  struct Forecaster {
    std::string name;
    bool baseline = false;
    double brier = 0, log = 0;
    std::optional<double> brier_se, log_se;
    double floored = 0;
    std::vector<Bin> bins;
    std::vector<Forecast> forecasts;  // one per episode
  };
  std::vector<Episode> episodes;
  std::vector<Forecaster> forecasters;  // the models, then the baselines
};

StatusOr<ScoreDoc> ParseScore(const J& doc);
// The episodes, the scores with a chart, the reliability diagram and table,
// and each model's forecasts.
std::vector<Section> ScoreSections(const ScoreDoc& doc);

// A reliability diagram: mean forecast (x) against observed frequency (y)
// per bin, a line and points per forecaster (`series` order), point size by
// pairs, and the diagonal of perfect calibration. Rows have series, x, y,
// pairs, bin (text).
J ReliabilityDiagram(J rows, const std::vector<std::string>& series);

}  // namespace parley::html
