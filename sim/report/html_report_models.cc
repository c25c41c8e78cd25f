#include "sim/report/html_report_models.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/report/html_report.h"
#include "sim/report/html_report_charts.h"

namespace parley::html {
namespace {

StatusOr<std::pair<std::string, std::string>> ModelPair(const J& obj, const std::string& where) {
  PARLEY_ASSIGN_OR_RETURN(const J* models, Array(obj, where, "models"));
  if (models->size() != 2 || !(*models)[0].is_string() || !(*models)[1].is_string()) {
    return Bad(Child(where, "models"), "expected two model names");
  }
  return std::make_pair((*models)[0].get<std::string>(), (*models)[1].get<std::string>());
}

std::string PairName(const std::string& a, const std::string& b) { return a + " \u2212 " + b; }

}  // namespace

StatusOr<ModelComparisonDoc> ParseModelComparison(const J& doc) {
  ModelComparisonDoc c;
  PARLEY_ASSIGN_OR_RETURN(const J* models, Array(doc, "", "models"));
  for (size_t k = 0; k < models->size(); ++k) {
    if (!(*models)[k].is_string()) return Bad(Child("/models", k), "expected a string");
    c.models.push_back((*models)[k].get<std::string>());
  }
  if (c.models.size() < 2) return Bad("/models", "expected at least two models");
  if (const J* paired = Optional(doc, "paired"); paired && paired->is_boolean()) {
    c.paired = paired->get<bool>();
  }
  PARLEY_ASSIGN_OR_RETURN(const J* scenarios, Array(doc, "", "scenarios"));
  if (scenarios->empty()) return Bad("/scenarios", "expected at least one scenario");
  const J* costs = nullptr;
  const J* draw_costs = nullptr;
  if (const J* run = Optional(doc, "run")) {
    costs = Optional(*run, "ns_per_sample");
    draw_costs = Optional(*run, "draw_ns_per_sample");
  }
  for (size_t f = 0; f < scenarios->size(); ++f) {
    const std::string at = Child("/scenarios", f);
    const J& s = (*scenarios)[f];
    ModelComparisonDoc::Scenario sc;
    PARLEY_ASSIGN_OR_RETURN(const J* who, Member(s, at, "scenario"));
    sc.name = StringOr(*who, "name", "");
    sc.file = StringOr(*who, "file", "");
    PARLEY_ASSIGN_OR_RETURN(const J* cells, Array(s, at, "models"));
    if (cells->size() != c.models.size()) {
      return Bad(Child(at, "models"),
                 fmt::format("expected {} models, found {}", c.models.size(), cells->size()));
    }
    for (size_t k = 0; k < cells->size(); ++k) {
      const std::string cat = Child(Child(at, "models"), k);
      ModelComparisonDoc::Cell cell;
      cell.model = c.models[k];
      PARLEY_ASSIGN_OR_RETURN(cell.outcomes, ParseOutcomesAndUnresolved((*cells)[k], cat));
      PARLEY_ASSIGN_OR_RETURN(cell.not_converged, ParseNotConverged((*cells)[k], cat));
      sc.cells.push_back(std::move(cell));
    }
    PARLEY_ASSIGN_OR_RETURN(const J* pairs, Array(s, at, "pairs"));
    for (size_t i = 0; i < pairs->size(); ++i) {
      const std::string pat = Child(Child(at, "pairs"), i);
      const J& p = (*pairs)[i];
      ModelComparisonDoc::Pair pair;
      PARLEY_ASSIGN_OR_RETURN(std::tie(pair.a, pair.b), ModelPair(p, pat));
      PARLEY_ASSIGN_OR_RETURN(pair.agreement, Number(p, pat, "agreement"));
      PARLEY_ASSIGN_OR_RETURN(pair.agreement_ci, CiOrNull(p, pat, "agreement_ci95"));
      PARLEY_ASSIGN_OR_RETURN(const J* differences, Array(p, pat, "differences"));
      for (size_t d = 0; d < differences->size(); ++d) {
        const std::string dat = Child(Child(pat, "differences"), d);
        const J& dj = (*differences)[d];
        ModelComparisonDoc::Difference diff;
        PARLEY_ASSIGN_OR_RETURN(diff.id, String(dj, dat, "id"));
        PARLEY_ASSIGN_OR_RETURN(diff.difference, Number(dj, dat, "difference"));
        PARLEY_ASSIGN_OR_RETURN(diff.ci, CiOrNull(dj, dat, "ci95"));
        PARLEY_ASSIGN_OR_RETURN(diff.ci_independent, CiOrNull(dj, dat, "ci95_independent"));
        pair.differences.push_back(std::move(diff));
      }
      sc.pairs.push_back(std::move(pair));
    }
    if (costs && costs->is_array() && f < costs->size() && (*costs)[f].is_array()) {
      for (const J& x : (*costs)[f])
        sc.ns_per_sample.push_back(x.is_number() ? x.get<double>() : NAN);
    }
    if (draw_costs && draw_costs->is_array() && f < draw_costs->size() &&
        (*draw_costs)[f].is_number()) {
      sc.draw_ns_per_sample = (*draw_costs)[f].get<double>();
    }
    c.scenarios.push_back(std::move(sc));
  }
  if (const J* list = Optional(doc, "most_separating"); list && list->is_array()) {
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string at = Child("/most_separating", i);
      ModelComparisonDoc::Separation s;
      PARLEY_ASSIGN_OR_RETURN(std::tie(s.a, s.b), ModelPair((*list)[i], at));
      PARLEY_ASSIGN_OR_RETURN(s.file, String((*list)[i], at, "file"));
      PARLEY_ASSIGN_OR_RETURN(s.agreement, Number((*list)[i], at, "agreement"));
      c.most_separating.push_back(std::move(s));
    }
  }
  return c;
}

std::vector<Section> ModelComparisonSections(const ModelComparisonDoc& c) {
  std::vector<Section> sections;
  for (const auto& sc : c.scenarios) {
    const std::string name = sc.name.empty() ? sc.file : sc.name;
    {
      Section s;
      s.title = "Outcome probabilities by model: " + name;
      s.note =
          "Every model predicts the same sampled games (common random numbers); 95% "
          "confidence intervals.";
      if (!std::isnan(sc.draw_ns_per_sample)) {
        s.note += fmt::format(
            " Cost: each model's own time per sample (predicting and counting, all threads); "
            "the draws and payoff tables, computed once for all the models, cost {:.0f} ns per "
            "sample.",
            sc.draw_ns_per_sample);
      }
      J rows = J::array();
      Table t{{"Model"}, {}, {false}};
      for (const auto& o : sc.cells.front().outcomes) {
        t.head.push_back(Id(o.id));
        t.numeric.push_back(true);
      }
      const bool convergence = std::any_of(sc.cells.begin(), sc.cells.end(),
                                           [](const auto& cell) { return cell.not_converged; });
      if (convergence) {
        t.head.push_back("<em>not converged</em>");
        t.numeric.push_back(true);
      }
      const bool cost = sc.ns_per_sample.size() == sc.cells.size();
      if (cost) {
        t.head.push_back("cost (ns per sample)");
        t.numeric.push_back(true);
      }
      for (size_t k = 0; k < sc.cells.size(); ++k) {
        const auto& cell = sc.cells[k];
        std::vector<std::string> row = {Id(cell.model)};
        for (const auto& o : cell.outcomes) {
          row.push_back(Pct(o.p) + "<br><span class=\"ci\">" + PctCi(o.ci) + "</span>");
          const J ci = CiJson(o.ci, o.p);
          rows.push_back({{"group", o.id},
                          {"series", cell.model},
                          {"value", o.p},
                          {"lo", ci[0]},
                          {"hi", ci[1]}});
        }
        if (convergence) row.push_back(NotConvergedCell(cell.not_converged));
        if (cost) row.push_back(fmt::format("{:.0f}", sc.ns_per_sample[k]));
        t.rows.push_back(std::move(row));
      }
      s.spec = GroupedBars(rows, c.models, "Probability", "Outcome", "Model", true);
      (*s.spec)["layer"][0]["encoding"]["x"]["scale"] = {{"domain", J::array({0, 1})}};
      s.tables = t.Html();
      sections.push_back(std::move(s));
    }
    if (!sc.pairs.empty()) {
      Section s;
      s.title = "Paired differences between models: " + name;
      s.note = c.paired
                   ? "First model minus second, paired sample by sample, with the paired 95% "
                     "interval (bars) and, for comparison, the interval two independent runs "
                     "would give. Agreement: the share of samples in which both predict the "
                     "same outcome (for mixed predictions, 1 minus the mean total-variation "
                     "distance)."
                   : "Intervals as for two independent runs: the samples were too many to pair.";
      J rows = J::array();
      std::vector<std::string> pair_names;
      Table t{{"Models", "Outcome", "Difference (points)", "Paired 95% CI", "Independent 95% CI",
               "Agreement"},
              {},
              {false, false, true, true, true, true}};
      for (const auto& p : sc.pairs) {
        const std::string pname = PairName(p.a, p.b);
        pair_names.push_back(pname);
        for (size_t d = 0; d < p.differences.size(); ++d) {
          const auto& diff = p.differences[d];
          const J ci = CiJson(diff.ci, diff.difference);
          rows.push_back({{"group", diff.id},
                          {"series", pname},
                          {"value", diff.difference},
                          {"lo", ci[0]},
                          {"hi", ci[1]}});
          t.rows.push_back({d == 0 ? HtmlEscape(pname) : "", Id(diff.id), Points(diff.difference),
                            PointsCi(diff.ci), PointsCi(diff.ci_independent),
                            d == 0 ? Pct(p.agreement) + "<br><span class=\"ci\">" +
                                         PctCi(p.agreement_ci) + "</span>"
                                   : ""});
        }
      }
      s.spec =
          GroupedBars(rows, pair_names, "Difference in probability", "Outcome", "Models", true);
      s.tables = t.Html();
      sections.push_back(std::move(s));
    }
  }
  if (!c.most_separating.empty()) {
    Section s;
    s.title = "Scenarios that separate the models most";
    s.note = "Per pair of models, the scenario where they agree least.";
    Table t{{"Models", "Scenario", "Agreement"}, {}, {false, false, true}};
    for (const auto& sep : c.most_separating) {
      t.rows.push_back(
          {HtmlEscape(PairName(sep.a, sep.b)), HtmlEscape(sep.file), Pct(sep.agreement)});
    }
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }
  return sections;
}

StatusOr<FitDoc> ParseFit(const J& doc) {
  FitDoc f;
  PARLEY_ASSIGN_OR_RETURN(f.model, String(doc, "", "model"));
  PARLEY_ASSIGN_OR_RETURN(f.parameter, String(doc, "", "parameter"));
  PARLEY_ASSIGN_OR_RETURN(f.estimate, Number(doc, "", "estimate"));
  PARLEY_ASSIGN_OR_RETURN(f.log_likelihood, Number(doc, "", "log_likelihood"));
  PARLEY_ASSIGN_OR_RETURN(const J* ci, Member(doc, "", "ci95"));
  PARLEY_ASSIGN_OR_RETURN(f.low, Number(*ci, "/ci95", "low"));
  PARLEY_ASSIGN_OR_RETURN(f.high, Number(*ci, "/ci95", "high"));
  PARLEY_ASSIGN_OR_RETURN(f.drop, Number(*ci, "/ci95", "log_likelihood_drop"));
  if (const J* b = Optional(*ci, "low_open"); b && b->is_boolean()) f.low_open = b->get<bool>();
  if (const J* b = Optional(*ci, "high_open"); b && b->is_boolean()) f.high_open = b->get<bool>();
  PARLEY_ASSIGN_OR_RETURN(const J* choices, Array(doc, "", "choices"));
  for (size_t a = 0; a < choices->size(); ++a) {
    const std::string at = Child("/choices", a);
    PARLEY_ASSIGN_OR_RETURN(const std::string actor, String((*choices)[a], at, "actor"));
    PARLEY_ASSIGN_OR_RETURN(const J* options, Array((*choices)[a], at, "options"));
    for (size_t o = 0; o < options->size(); ++o) {
      const std::string oat = Child(Child(at, "options"), o);
      FitDoc::Choice c;
      c.actor = actor;
      PARLEY_ASSIGN_OR_RETURN(c.option, String((*options)[o], oat, "id"));
      PARLEY_ASSIGN_OR_RETURN(c.observed, Number((*options)[o], oat, "observed"));
      PARLEY_ASSIGN_OR_RETURN(c.predicted, Number((*options)[o], oat, "predicted"));
      f.choices.push_back(std::move(c));
    }
  }
  PARLEY_ASSIGN_OR_RETURN(const J* evaluations, Array(doc, "", "evaluations"));
  for (size_t i = 0; i < evaluations->size(); ++i) {
    const std::string at = Child("/evaluations", i);
    PARLEY_ASSIGN_OR_RETURN(const double v, Number((*evaluations)[i], at, "value"));
    PARLEY_ASSIGN_OR_RETURN(const double ll, Number((*evaluations)[i], at, "log_likelihood"));
    f.evaluations.emplace_back(v, ll);
  }
  return f;
}

std::vector<Section> FitSections(const FitDoc& f) {
  std::vector<Section> sections;
  {
    Section s;
    s.title = "Estimate of " + f.parameter;
    s.note = fmt::format(
        "The log-likelihood of the observed choices at every value evaluated. The estimate "
        "(vertical rule) maximises it; the 95% profile-likelihood interval (shaded) holds the "
        "values within {:.2f} of the maximum (the horizontal rule). An interval end at the end "
        "of the search range is open: the data do not bound the parameter there.",
        f.drop);
    // The values around the interval (as far again on each side), so that
    // a long search range does not squash the peak into one corner.
    const double width = f.high - f.low;
    J points = J::array();
    for (const auto& [v, ll] : f.evaluations) {
      if (v >= f.low - width && v <= f.high + width) points.push_back({{"value", v}, {"ll", ll}});
    }
    const J x = {{"field", "value"}, {"type", "quantitative"}, {"title", f.parameter}};
    s.spec = J{
        {"width", kWidth},
        {"height", 260},
        {"data", {{"values", points}}},
        {"layer",
         J::array(
             {J{{"data", {{"values", J::array({{{"lo", f.low}, {"hi", f.high}}})}}},
                {"mark", {{"type", "rect"}, {"opacity", 0.15}}},
                {"encoding",
                 {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}}}},
              J{{"mark", {{"type", "line"}, {"point", true}}},
                {"encoding",
                 {{"x", x},
                  {"y",
                   {{"field", "ll"},
                    {"type", "quantitative"},
                    {"title", "log-likelihood"},
                    {"scale", {{"zero", false}}}}},
                  {"tooltip", J::array({x,
                                        {{"field", "ll"},
                                         {"type", "quantitative"},
                                         {"title", "log-likelihood"},
                                         {"format", ".4f"}}})}}}},
              J{{"data", {{"values", J::array({{{"cut", f.log_likelihood - f.drop}}})}}},
                {"mark", {{"type", "rule"}, {"strokeDash", J::array({4, 4})}}},
                {"encoding", {{"y", {{"field", "cut"}, {"type", "quantitative"}}}}}},
              J{{"data", {{"values", J::array({{{"estimate", f.estimate}}})}}},
                {"mark", "rule"},
                {"encoding", {{"x", {{"field", "estimate"}, {"type", "quantitative"}}}}}}})}};
    Table t{{"Model", "Parameter", "Estimate", "95% interval", "Log-likelihood"},
            {},
            {false, false, true, true, true}};
    t.rows.push_back({Id(f.model), Id(f.parameter), fmt::format("{:.4g}", f.estimate),
                      fmt::format("[{}{:.4g}, {}{:.4g}]", f.low_open ? "&le; " : "", f.low,
                                  f.high_open ? "&ge; " : "", f.high),
                      fmt::format("{:.4f}", f.log_likelihood)});
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }
  {
    Section s;
    s.title = "Observed and predicted choices";
    s.note =
        "Each actor's observed shares of its options beside the model's predicted choice "
        "probabilities at the estimate.";
    J rows = J::array();
    Table t{{"Actor", "Option", "Observed", "Observed share", "Predicted"},
            {},
            {false, false, true, true, true}};
    for (const auto& c : f.choices) {
      double total = 0;
      for (const auto& o : f.choices) {
        if (o.actor == c.actor) total += o.observed;
      }
      const double share = total > 0 ? c.observed / total : 0;
      const std::string group = c.actor + ": " + c.option;
      rows.push_back({{"group", group},
                      {"series", "observed"},
                      {"value", share},
                      {"lo", share},
                      {"hi", share}});
      rows.push_back({{"group", group},
                      {"series", "predicted"},
                      {"value", c.predicted},
                      {"lo", c.predicted},
                      {"hi", c.predicted}});
      t.rows.push_back({Id(c.actor), Id(c.option), fmt::format("{:g}", c.observed), Pct(share),
                        Pct(c.predicted)});
    }
    s.spec =
        GroupedBars(rows, {"observed", "predicted"}, "Share of choices", "Actor: option", "", true);
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }
  return sections;
}

}  // namespace parley::html
