// The HTML reports of the model lab: a comparison of models on the same
// sampled games (`parley compare --models`, result kind "model-comparison")
// and a parameter fitted to observed choices (`parley fit`, kind "fit"):
// the documents read and checked, and their sections.
//
// Internal to sim/report: html_report.cc picks them by the document's kind.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/report/html_report_sections.h"

namespace parley::html {

// kind "model-comparison" (docs/reference/json-output.md).
struct ModelComparisonDoc {
  struct Cell {
    std::string model;
    std::vector<Estimate> outcomes;  // unresolved last
    std::optional<Estimate> not_converged;
  };
  struct Difference {
    std::string id;
    double difference = 0;
    std::optional<Ci> ci, ci_independent;
  };
  struct Pair {
    std::string a, b;
    std::vector<Difference> differences;
    double agreement = 0;
    std::optional<Ci> agreement_ci;
  };
  struct Scenario {
    std::string name, file;
    std::vector<Cell> cells;  // one per model
    std::vector<Pair> pairs;
    std::vector<double> ns_per_sample;  // one per model, when the document has them
    double draw_ns_per_sample = NAN;    // the shared draws, when the document has them
  };
  struct Separation {
    std::string a, b, file;
    double agreement = 0;
  };
  std::vector<std::string> models;
  bool paired = true;
  std::vector<Scenario> scenarios;
  std::vector<Separation> most_separating;
};

StatusOr<ModelComparisonDoc> ParseModelComparison(const J& doc);
// Per scenario, each model's outcome probabilities and the paired
// differences of every pair of models, with charts; the scenarios that
// separate the models most; the cost of each model.
std::vector<Section> ModelComparisonSections(const ModelComparisonDoc& doc);

// kind "fit".
struct FitDoc {
  struct Choice {
    std::string actor, option;
    double observed = 0, predicted = 0;
  };
  std::string model, parameter;
  double estimate = 0, log_likelihood = 0, drop = 0;
  double low = 0, high = 0;
  bool low_open = false, high_open = false;
  std::vector<Choice> choices;
  std::vector<std::pair<double, double>> evaluations;  // value, log-likelihood
};

StatusOr<FitDoc> ParseFit(const J& doc);
// The estimate with its interval and the log-likelihood profile, and the
// observed against the predicted choices.
std::vector<Section> FitSections(const FitDoc& doc);

}  // namespace parley::html
