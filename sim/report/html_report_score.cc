#include "sim/report/html_report_score.h"

#include <fmt/format.h>

#include <cmath>

#include "sim/report/html_report.h"
#include "sim/report/html_report_charts.h"

namespace parley::html {
namespace {

// {"mean": M, "standard_error": SE or null}
Status GetMean(const J& obj, const std::string& where, const std::string& key, double* mean,
               std::optional<double>* se) {
  PARLEY_ASSIGN_OR_RETURN(const J* m, Member(obj, where, key));
  PARLEY_ASSIGN_OR_RETURN(*mean, Number(*m, Child(where, key), "mean"));
  PARLEY_ASSIGN_OR_RETURN(*se, NumberOrNull(*m, Child(where, key), "standard_error"));
  return OkStatus();
}

StatusOr<ScoreDoc::Forecaster> ParseForecaster(const J& f, const std::string& at, size_t episodes) {
  ScoreDoc::Forecaster out;
  PARLEY_ASSIGN_OR_RETURN(out.name, String(f, at, "name"));
  if (const J* b = Optional(f, "baseline"); b && b->is_boolean()) out.baseline = b->get<bool>();
  PARLEY_RETURN_IF_ERROR(GetMean(f, at, "brier", &out.brier, &out.brier_se));
  PARLEY_RETURN_IF_ERROR(GetMean(f, at, "log", &out.log, &out.log_se));
  PARLEY_ASSIGN_OR_RETURN(const std::optional<double> floored, NumberOrNull(f, at, "log_floored"));
  out.floored = floored.value_or(0.0);
  PARLEY_ASSIGN_OR_RETURN(const J* bins, Array(f, at, "reliability"));
  for (size_t i = 0; i < bins->size(); ++i) {
    const std::string b_at = Child(Child(at, "reliability"), i);
    ScoreDoc::Bin bin;
    PARLEY_ASSIGN_OR_RETURN(bin.low, Number((*bins)[i], b_at, "low"));
    PARLEY_ASSIGN_OR_RETURN(bin.high, Number((*bins)[i], b_at, "high"));
    PARLEY_ASSIGN_OR_RETURN(bin.pairs, Number((*bins)[i], b_at, "pairs"));
    PARLEY_ASSIGN_OR_RETURN(bin.mean_forecast, NumberOrNull((*bins)[i], b_at, "mean_forecast"));
    PARLEY_ASSIGN_OR_RETURN(bin.observed_frequency,
                            NumberOrNull((*bins)[i], b_at, "observed_frequency"));
    out.bins.push_back(bin);
  }
  PARLEY_ASSIGN_OR_RETURN(const J* list, Array(f, at, "episodes"));
  if (list->size() != episodes) {
    return Bad(Child(at, "episodes"),
               fmt::format("expected {} episodes, found {}", episodes, list->size()));
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string e_at = Child(Child(at, "episodes"), i);
    const J& e = (*list)[i];
    ScoreDoc::Forecast fc;
    PARLEY_ASSIGN_OR_RETURN(const J* p, Member(e, e_at, "forecast"));
    if (!p->is_object()) return Bad(Child(e_at, "forecast"), "expected an object");
    for (const auto& [id, value] : p->items()) {
      PARLEY_ASSIGN_OR_RETURN(const double x, Number(*p, Child(e_at, "forecast"), id));
      fc.p.emplace_back(id, x);
    }
    PARLEY_ASSIGN_OR_RETURN(fc.unresolved, NumberOrNull(e, e_at, "unresolved"));
    fc.model = StringOr(e, "model", "");
    PARLEY_ASSIGN_OR_RETURN(fc.p_observed, Number(e, e_at, "p_observed"));
    PARLEY_ASSIGN_OR_RETURN(fc.brier, Number(e, e_at, "brier"));
    PARLEY_ASSIGN_OR_RETURN(fc.log, Number(e, e_at, "log"));
    if (const J* fl = Optional(e, "log_floored"); fl && fl->is_boolean()) {
      fc.floored = fl->get<bool>();
    }
    out.forecasts.push_back(std::move(fc));
  }
  return out;
}

std::string WithError(double mean, const std::optional<double>& se) {
  return fmt::format("{:.3f}", mean) + (se ? fmt::format(" \u00b1 {:.3f}", *se) : "");
}

}  // namespace

StatusOr<ScoreDoc> ParseScore(const J& doc) {
  ScoreDoc s;
  PARLEY_ASSIGN_OR_RETURN(const J* episodes, Array(doc, "", "episodes"));
  if (episodes->empty()) return Bad("/episodes", "expected at least one episode");
  for (size_t i = 0; i < episodes->size(); ++i) {
    const std::string at = Child("/episodes", i);
    const J& e = (*episodes)[i];
    ScoreDoc::Episode ep;
    PARLEY_ASSIGN_OR_RETURN(ep.file, String(e, at, "file"));
    ep.scenario = StringOr(e, "scenario", "");
    PARLEY_ASSIGN_OR_RETURN(const J* observed, Member(e, at, "observed"));
    PARLEY_ASSIGN_OR_RETURN(ep.observed, String(*observed, Child(at, "observed"), "outcome"));
    ep.date = StringOr(*observed, "date", "");
    ep.source = StringOr(*observed, "source", "");
    s.episodes.push_back(std::move(ep));
  }
  for (const char* group : {"models", "baselines"}) {
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", group));
    for (size_t i = 0; i < list->size(); ++i) {
      PARLEY_ASSIGN_OR_RETURN(
          ScoreDoc::Forecaster f,
          ParseForecaster((*list)[i], Child(std::string("/") + group, i), s.episodes.size()));
      s.forecasters.push_back(std::move(f));
    }
  }
  return s;
}

J ReliabilityDiagram(J rows, const std::vector<std::string>& series) {
  const J tooltip = J::array(
      {{{"field", "series"}, {"type", "nominal"}, {"title", "Forecaster"}},
       {{"field", "bin"}, {"type", "nominal"}, {"title", "Forecast bin"}},
       {{"field", "x"}, {"type", "quantitative"}, {"title", "Mean forecast"}, {"format", ".3f"}},
       {{"field", "y"},
        {"type", "quantitative"},
        {"title", "Observed frequency"},
        {"format", ".3f"}},
       {{"field", "pairs"}, {"type", "quantitative"}, {"title", "Pairs"}}});
  const J scale = {{"domain", J::array({0, 1})}};
  const J color = {{"field", "series"},
                   {"type", "nominal"},
                   {"scale", {{"domain", series}}},
                   {"legend", {{"title", "Forecaster"}}}};
  return J{
      {"width", 360},
      {"height", 360},
      {"data", {{"values", std::move(rows)}}},
      {"layer",
       J::array(
           {{{"data", {{"values", J::array({{{"x", 0}, {"y", 0}}, {{"x", 1}, {"y", 1}}})}}},
             {"mark", {{"type", "line"}, {"color", "#999"}, {"strokeDash", J::array({4, 4})}}},
             {"encoding",
              {{"x",
                {{"field", "x"},
                 {"type", "quantitative"},
                 {"scale", scale},
                 {"axis", Axis("Mean forecast probability", ".1f")}}},
               {"y",
                {{"field", "y"},
                 {"type", "quantitative"},
                 {"scale", scale},
                 {"axis", Axis("Observed frequency", ".1f")}}}}}},
            {{"mark", {{"type", "line"}, {"point", false}, {"opacity", 0.6}}},
             {"encoding",
              {{"x", {{"field", "x"}, {"type", "quantitative"}, {"scale", scale}}},
               {"y", {{"field", "y"}, {"type", "quantitative"}, {"scale", scale}}},
               {"color", color}}}},
            {{"mark", {{"type", "point"}, {"filled", true}}},
             {"encoding",
              {{"x", {{"field", "x"}, {"type", "quantitative"}, {"scale", scale}}},
               {"y", {{"field", "y"}, {"type", "quantitative"}, {"scale", scale}}},
               {"color", color},
               {"size",
                {{"field", "pairs"}, {"type", "quantitative"}, {"legend", {{"title", "Pairs"}}}}},
               {"tooltip", tooltip}}}}})}};
}

std::vector<Section> ScoreSections(const ScoreDoc& doc) {
  std::vector<Section> sections;
  const auto id = Id;
  {
    Section s;
    s.title = "Episodes";
    s.note =
        "Each scenario was encoded from what was public before its date; the outcome is "
        "what happened.";
    Table t{{"Episode", "Scenario", "Date", "Observed", "Source"}, {}, {}};
    for (const auto& e : doc.episodes) {
      t.rows.push_back({id(e.file), HtmlEscape(e.scenario), HtmlEscape(e.date), id(e.observed),
                        HtmlEscape(e.source)});
    }
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }
  {
    Section s;
    s.title = "Scores";
    s.note =
        "Brier: sum over outcomes of (p - o)^2, mean over episodes (0 best, 2 worst). Log: "
        "ln p(observed), mean over episodes (0 best). \u00b1: standard error over "
        "episodes; bars: 95% interval (mean \u00b1 1.96 standard errors). The base rate is "
        "in sample.";
    J rows = J::array();
    Table t{{"Forecaster", "Brier", "Log", "Log floored"}, {}, {false, true, true, true}};
    for (const auto& f : doc.forecasters) {
      const double half = f.brier_se ? 1.96 * *f.brier_se : 0.0;
      rows.push_back({{"category", f.name},
                      {"value", f.brier},
                      {"lo", f.brier - half},
                      {"hi", f.brier + half}});
      t.rows.push_back({id(f.name) + (f.baseline ? " (baseline)" : ""),
                        WithError(f.brier, f.brier_se), WithError(f.log, f.log_se),
                        fmt::format("{:.0f}", f.floored)});
    }
    s.spec =
        HorizontalBars(rows, "Mean Brier score (lower is better)", false, PaddedDomain(rows), "");
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }
  {
    Section s;
    s.title = "Reliability";
    s.note =
        "Every (episode, outcome) pair, binned by forecast probability: a calibrated "
        "forecaster's points lie on the diagonal. With few episodes most bins hold a "
        "handful of pairs; read the counts.";
    J rows = J::array();
    std::vector<std::string> series;
    Table t{{"Forecaster", "Bin", "Pairs", "Mean forecast", "Observed frequency"},
            {},
            {false, false, true, true, true}};
    for (const auto& f : doc.forecasters) {
      series.push_back(f.name);
      for (const auto& b : f.bins) {
        const std::string bin = fmt::format("[{:.2f}, {:.2f}]", b.low, b.high);
        if (b.pairs > 0 && b.mean_forecast && b.observed_frequency) {
          rows.push_back({{"series", f.name},
                          {"bin", bin},
                          {"x", *b.mean_forecast},
                          {"y", *b.observed_frequency},
                          {"pairs", b.pairs}});
        }
        t.rows.push_back(
            {id(f.name), bin, fmt::format("{:.0f}", b.pairs),
             b.mean_forecast ? fmt::format("{:.3f}", *b.mean_forecast) : "-",
             b.observed_frequency ? fmt::format("{:.3f}", *b.observed_frequency) : "-"});
      }
    }
    s.spec = ReliabilityDiagram(rows, series);
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }
  for (const auto& f : doc.forecasters) {
    if (f.baseline) continue;
    Section s;
    s.title = "Forecasts of " + f.name;
    s.note =
        "Outcome probabilities among resolved samples; the unresolved share beside them. "
        "\u2605 marks what happened.";
    Table t{{"Episode", "Model", "p(observed)", "Brier", "Log", "Unresolved", "Forecast"},
            {},
            {false, false, true, true, true, true, false}};
    for (size_t e = 0; e < f.forecasts.size(); ++e) {
      const auto& fc = f.forecasts[e];
      std::string forecast;
      for (const auto& [outcome, p] : fc.p) {
        forecast += (forecast.empty() ? "" : "<br>") + id(outcome) + " " + Pct(p) +
                    (outcome == doc.episodes[e].observed ? " \u2605" : "");
      }
      t.rows.push_back({id(doc.episodes[e].file), HtmlEscape(fc.model), Pct(fc.p_observed),
                        fmt::format("{:.3f}", fc.brier),
                        fmt::format("{:.3f}{}", fc.log, fc.floored ? " (floored)" : ""),
                        fc.unresolved ? Pct(*fc.unresolved) : "", forecast});
    }
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }
  return sections;
}

}  // namespace parley::html
