#include "sim/report/html_report_sections.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/report/html_report.h"
#include "sim/report/html_report_charts.h"
#include "sim/report/provenance.h"

namespace parley::html {
std::string Pct(double p) { return fmt::format("{:.1f}%", 100.0 * p); }
std::string PctCi(const std::optional<Ci>& ci) {
  return ci ? fmt::format("[{:.1f}%, {:.1f}%]", 100.0 * ci->lo, 100.0 * ci->hi) : "";
}
std::string Points(const std::optional<double>& e) {
  return e ? fmt::format("{:+.1f}", 100.0 * *e) : "n/a";
}
std::string PointsCi(const std::optional<Ci>& ci) {
  return ci ? fmt::format("[{:+.1f}, {:+.1f}]", 100.0 * ci->lo, 100.0 * ci->hi) : "";
}
std::string Num(const std::optional<double>& x, int digits) {
  return x ? fmt::format("{:.{}f}", *x, digits) : "n/a";
}
std::string NumCi(const std::optional<Ci>& ci, int digits) {
  return ci ? fmt::format("[{:.{}f}, {:.{}f}]", ci->lo, digits, ci->hi, digits) : "";
}
std::string Count(const std::optional<double>& c) {
  if (!c) return "";
  if (*c == std::floor(*c) && std::fabs(*c) < 1e15) return fmt::format("{:.0f}", *c);
  return fmt::format("{:.1f}", *c);
}
// A sweep value as written: integers without decimals.
std::string Value(double x) { return fmt::format("{}", x); }

J CiJson(const std::optional<Ci>& ci, double fallback) {
  return ci ? J{ci->lo, ci->hi} : J{fallback, fallback};
}

// An id that should not break at its hyphens.
std::string Id(const std::string& id) { return "<span class=\"id\">" + HtmlEscape(id) + "</span>"; }

namespace {

// A path's options without their stage names, branches merged move by move
// where they pass the same stages ("talks → putin/envoys → ceasefire");
// the table has the full text.
std::string ShortPath(const std::vector<std::vector<std::string>>& branches) {
  auto split = [](const std::string& move) {
    const size_t colon = move.find(": ");
    return colon == std::string::npos ? std::pair<std::string, std::string>{"", move}
                                      : std::pair{move.substr(0, colon), move.substr(colon + 2)};
  };
  if (branches.empty()) return "";
  bool aligned = true;
  for (const auto& b : branches) {
    aligned &= b.size() == branches[0].size();
    for (size_t k = 0; aligned && k < b.size(); ++k) {
      aligned &= split(b[k]).first == split(branches[0][k]).first;
    }
  }
  std::string out;
  if (!aligned) {
    for (const auto& m : branches[0]) out += (out.empty() ? "" : " \u2192 ") + split(m).second;
    return out + " (+" + std::to_string(branches.size() - 1) + " more)";
  }
  for (size_t k = 0; k < branches[0].size(); ++k) {
    std::vector<std::string> options;
    for (const auto& b : branches) {
      const std::string o = split(b[k]).second;
      if (std::find(options.begin(), options.end(), o) == options.end()) options.push_back(o);
    }
    std::string joined;
    for (const auto& o : options) joined += (joined.empty() ? "" : "/") + o;
    out += (out.empty() ? "" : " \u2192 ") + joined;
  }
  return out;
}

J ProbabilityRows(const std::vector<Estimate>& estimates) {
  J rows = J::array();
  for (const auto& e : estimates) {
    rows.push_back({{"category", e.label.empty() ? e.id : e.label},
                    {"value", e.p},
                    {"lo", CiJson(e.ci, e.p)[0]},
                    {"hi", CiJson(e.ci, e.p)[1]}});
  }
  return rows;
}

// "Ceasefire agreed (ceasefire)" for each outcome id that has a label.
std::vector<std::string> OutcomeTitles(const RunDoc& r, const std::vector<std::string>& ids) {
  std::vector<std::string> titles;
  for (const auto& id : ids) {
    std::string title = id;
    for (const auto& o : r.outcomes) {
      if (o.id == id && !o.label.empty() && o.label != id) title = o.label + " (" + id + ")";
    }
    titles.push_back(title);
  }
  return titles;
}

}  // namespace

std::string Table::Html() const {
  std::string out = "<div class=\"table-wrap\"><table>\n<thead><tr>";
  for (size_t c = 0; c < head.size(); ++c) {
    out += c < numeric.size() && numeric[c] ? "<th class=\"num\">" : "<th>";
    out += head[c] + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (size_t c = 0; c < row.size(); ++c) {
      out += c < numeric.size() && numeric[c] ? "<td class=\"num\">" : "<td>";
      out += row[c] + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table></div>\n";
}

std::string ProvenanceHtml(const ProvenanceDoc& p, std::string_view kind) {
  auto code = [](const std::string& text) { return "<code>" + HtmlEscape(text) + "</code>"; };
  auto chain = [&](const std::vector<std::string>& files) {
    std::string out;
    for (const auto& f : files) out += (out.empty() ? "" : " \u2192 ") + code(f);
    return out;
  };
  auto model = [](const Provenance& pr) {
    const std::string parameters = FormatModelParameters(pr);
    return HtmlEscape(pr.model) + (parameters.empty() ? "" : " (" + HtmlEscape(parameters) + ")");
  };
  auto overrides = [&](const ProvenanceDoc::Source& src) {
    std::string out;
    auto add = [&](const char* flag, const std::vector<std::string>& values) {
      for (const auto& v : values) out += (out.empty() ? "" : ", ") + code(flag + (" " + v));
    };
    add("--set", src.provenance.set);
    add("--with", src.provenance.with);
    add("--without", src.provenance.without);
    return out.empty() ? std::string("none") : out;
  };

  std::vector<std::pair<std::string, std::string>> rows;  // term, HTML
  std::string table;
  if (!p.per_scenario) {
    const ProvenanceDoc::Source& src = p.sources.front();
    if (!src.file.empty()) rows.emplace_back("Scenario file", code(src.file));
    if (!src.provenance.extends.empty()) {
      rows.emplace_back("Extends", chain(src.provenance.extends));
    }
    if (const std::string c = FormatCorrelatedCredences(src.provenance); !c.empty()) {
      rows.emplace_back("Credences", HtmlEscape("correlated (" + c + ")"));
    }
    if (!src.provenance.rounds.empty()) {
      rows.emplace_back("Rounds", HtmlEscape(FormatRoundsProvenance(src.provenance)));
    }
    if (!src.provenance.model.empty()) rows.emplace_back("Model", model(src.provenance));
    if (!src.provenance.selection.empty()) {
      rows.emplace_back("Selection", HtmlEscape(src.provenance.selection));
    }
  }
  if (!p.samples.empty()) {
    rows.emplace_back(kind == "sweep" ? "Samples per point" : "Samples", HtmlEscape(p.samples));
  }
  if (!p.seed.empty()) rows.emplace_back("Seed", HtmlEscape(p.seed));
  if (!p.per_scenario && p.sources.front().has_overrides) {
    rows.emplace_back("Overrides", overrides(p.sources.front()));
  }
  if (p.per_scenario) {
    const bool any_overrides =
        std::any_of(p.sources.begin(), p.sources.end(),
                    [](const ProvenanceDoc::Source& src) { return src.has_overrides; });
    Table t{{"Scenario", "File", "Model", "Selection"}, {}, {}};
    if (any_overrides) t.head.push_back("Overrides");
    for (const auto& src : p.sources) {
      std::string file = src.file.empty() ? "" : code(src.file);
      if (!src.provenance.extends.empty()) {
        file +=
            (file.empty() ? "" : "<br>") + std::string("extends: ") + chain(src.provenance.extends);
      }
      if (const std::string c = FormatCorrelatedCredences(src.provenance); !c.empty()) {
        file += (file.empty() ? "" : "<br>") + HtmlEscape("credences: correlated (" + c + ")");
      }
      if (!src.provenance.rounds.empty()) {
        file += (file.empty() ? "" : "<br>") +
                HtmlEscape("rounds: " + FormatRoundsProvenance(src.provenance));
      }
      std::vector<std::string> row = {HtmlEscape(src.name), file, model(src.provenance),
                                      HtmlEscape(src.provenance.selection)};
      if (any_overrides) row.push_back(src.has_overrides ? overrides(src) : "");
      t.rows.push_back(std::move(row));
    }
    table = t.Html();
  }
  if (rows.empty() && table.empty()) return "";
  std::string out = "<div class=\"provenance\" id=\"provenance\">\n<h2>What produced this</h2>\n";
  if (!rows.empty()) {
    out += "<dl>\n";
    for (const auto& [term, value] : rows) {
      out += "<dt>" + HtmlEscape(term) + "</dt><dd>" + value + "</dd>\n";
    }
    out += "</dl>\n";
  }
  return out + table + "</div>\n";
}

// A multi-round run: how likely each ending is by each round (cumulative
// incidence with its band), the hazard, and the state path.
Section RoundsSection(const RoundsDoc& d) {
  Section s;
  s.title = "Round by round";
  s.note = fmt::format(
      "Up to {} rounds, {} actors{}. P(the negotiation has ended in each outcome by the end of "
      "each round), with 95% confidence bands; the outcome probabilities above are where the "
      "negotiations stood after the last round.",
      d.max_rounds, d.foresight,
      d.learning == "carried" ? ", learning carried from round to round" : "");
  J rows = J::array();
  std::vector<std::string> labels;
  for (size_t k = 0; k < d.ending.size(); ++k) {
    const bool any = std::any_of(d.rounds.begin(), d.rounds.end(), [&](const RoundsDoc::Round& r) {
      return r.ended_by[k].first > 0.0;
    });
    if (!any && d.ending[k] == "unresolved") continue;
    labels.push_back(d.ending[k]);
    for (const auto& r : d.rounds) {
      const auto& [p, ci] = r.ended_by[k];
      rows.push_back({{"x", r.round},
                      {"outcome", d.ending[k]},
                      {"value", p},
                      {"lo", ci ? ci->lo : p},
                      {"hi", ci ? ci->hi : p}});
    }
  }
  s.spec = SweepLines(rows, "Round", labels);
  std::vector<std::string> header = {"Round", "Negotiating"};
  std::vector<bool> numeric = {true, true};
  for (const auto& id : d.ending) {
    header.push_back(HtmlEscape(id) + " by then");
    numeric.push_back(true);
  }
  header.push_back("Hazard");
  numeric.push_back(true);
  for (const auto& v : d.state_variables) {
    header.push_back(HtmlEscape(v) + " (mean, sd)");
    numeric.push_back(true);
  }
  Table t{header, {}, numeric};
  for (const auto& r : d.rounds) {
    std::vector<std::string> row = {std::to_string(r.round), Pct(r.negotiating)};
    for (const auto& [p, ci] : r.ended_by) row.push_back(Pct(p) + " " + PctCi(ci));
    row.push_back(r.hazard ? Pct(*r.hazard) : "-");
    for (const auto& [mean, sd] : r.state) {
      row.push_back(mean ? Num(mean) + " (" + Num(sd) + ")" : "-");
    }
    t.rows.push_back(std::move(row));
  }
  s.tables = t.Html();
  if (d.mean_rounds) {
    s.tables += fmt::format(
        "<p class=\"note\">Rounds played: mean {} {}.</p>\n", Num(d.mean_rounds),
        d.mean_rounds_ci ? "[" + Num(d.mean_rounds_ci->lo) + ", " + Num(d.mean_rounds_ci->hi) + "]"
                         : "");
  }
  return s;
}

std::vector<Section> RunSections(const RunDoc& r) {
  std::vector<Section> sections;

  std::vector<Estimate> shown = r.outcomes;
  if (r.unresolved && r.unresolved->p > 0) shown.push_back(*r.unresolved);
  {
    Section s;
    s.title = "Outcome probabilities";
    s.note = "Share of samples predicting each outcome, with 95% confidence intervals.";
    s.spec =
        HorizontalBars(ProbabilityRows(shown), "Probability", true, J::array({0, 1}), "Outcome");
    Table t{{"Outcome", "Label", "P", "95% CI", "Samples"}, {}, {false, false, true, true, true}};
    for (const auto& e : r.outcomes) {
      t.rows.push_back(
          {HtmlEscape(e.id), HtmlEscape(e.label), Pct(e.p), PctCi(e.ci), Count(e.count)});
    }
    if (r.unresolved) {
      const auto& u = *r.unresolved;
      t.rows.push_back(
          {"<em>unresolved</em>", "no prediction", Pct(u.p), PctCi(u.ci), Count(u.count)});
    }
    if (r.not_converged) {
      const auto& u = *r.not_converged;
      t.rows.push_back({"<em>not converged</em>", "counted in the outcomes above", Pct(u.p),
                        PctCi(u.ci), Count(u.count)});
    }
    s.tables = t.Html();
    if (r.unresolved && r.unresolved->p > 0 && !r.unresolved_meaning.empty()) {
      s.tables += "<p class=\"note\">Unresolved: the model made no prediction; " +
                  HtmlEscape(r.unresolved_meaning) + ".</p>\n";
    }
    if (r.not_converged) {
      s.tables += "<p class=\"note\">Not converged: " + HtmlEscape(r.not_converged_meaning) +
                  "; these samples keep their prediction and are counted in the outcomes.</p>\n";
    }
    if (!r.model_note.empty()) {
      s.tables += "<p class=\"note\">Model: " + HtmlEscape(r.model_note) + ".</p>\n";
    }
    if (r.eq_none || r.eq_unique || r.eq_multiple) {
      s.tables += fmt::format(
          "<p class=\"note\">Equilibria per sampled game: none {}, one {}, several {}.</p>\n",
          r.eq_none ? Pct(*r.eq_none) : "n/a", r.eq_unique ? Pct(*r.eq_unique) : "n/a",
          r.eq_multiple ? Pct(*r.eq_multiple) : "n/a");
    }
    sections.push_back(std::move(s));
  }

  if (r.rounds) sections.push_back(RoundsSection(*r.rounds));

  if (!r.payoffs.empty()) {
    Section s;
    s.title = "Expected payoffs";
    s.note =
        "Mean payoff of each actor at the predicted outcome over the resolved samples, with 95% "
        "confidence intervals.";
    J rows = J::array();
    Table t{{"Actor", "E[payoff]", "95% CI", "Resolved samples"}, {}, {false, true, true, true}};
    for (const auto& p : r.payoffs) {
      t.rows.push_back({HtmlEscape(p.actor), Num(p.mean), NumCi(p.ci), Count(p.n)});
      if (!p.mean) continue;
      const J ci = CiJson(p.ci, *p.mean);
      rows.push_back({{"category", p.actor}, {"value", *p.mean}, {"lo", ci[0]}, {"hi", ci[1]}});
    }
    if (!rows.empty()) {
      s.spec = HorizontalBars(rows, "Expected payoff", false, PaddedDomain(rows), "Actor");
    }
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }

  if (!r.actors.empty()) {
    Section s;
    s.title = "What each actor does";
    s.note =
        "How often each actor plays each option, among the samples where the model made a "
        "prediction (unresolved ones left out), with 95% confidence intervals; expected shares "
        "where predictions are mixed or chance moves on the path. Sequential scenarios: playing "
        "the option at that stage on the equilibrium path (not reached: the path skips the "
        "stage).";
    Table t{
        {"Actor", "Option", "Share", "95% CI", "Samples"}, {}, {false, false, true, true, true}};
    for (const auto& a : r.actors) {
      J rows = J::array();
      for (size_t k = 0; k < a.options.size(); ++k) {
        const auto& o = a.options[k];
        const std::string name = o.stage.empty() ? o.id : o.stage + ": " + o.id;
        t.rows.push_back(
            {k == 0 ? Id(a.id) : "", HtmlEscape(name), Pct(o.share), PctCi(o.ci), Count(o.count)});
        const J ci = CiJson(o.ci, o.share);
        rows.push_back({{"category", name}, {"value", o.share}, {"lo", ci[0]}, {"hi", ci[1]}});
        const bool last = k + 1 == a.options.size() || a.options[k + 1].stage != o.stage;
        for (const auto& [stage, reached] : a.stages) {
          if (last && stage == o.stage && reached < 1.0) {
            t.rows.push_back(
                {"", HtmlEscape(stage) + ": <em>not reached</em>", Pct(1.0 - reached), "", ""});
          }
        }
      }
      if (rows.empty()) continue;
      J spec = HorizontalBars(rows, "Share of resolved samples", true, J::array({0, 1}), "Option");
      if (!s.spec) {
        s.spec = std::move(spec);
      } else {
        s.more_specs.push_back(std::move(spec));
      }
      s.more_titles.push_back(a.id);
    }
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }

  if (r.has_profiles) {
    Section s;
    s.title = "Most frequent profiles";
    if (!r.profiles_counted) {
      s.note = r.profiles_total
                   ? fmt::format("Not counted: the game has {:.0f} profiles.", *r.profiles_total)
                   : "Not counted: the game has too many profiles.";
    } else {
      s.note = fmt::format(
          "The strategy profiles the model predicts most often (share of resolved samples, with "
          "95% confidence intervals){}.",
          r.profiles_distinct && r.profiles_total
              ? fmt::format("; {:.0f} of the game's {:.0f} profiles are predicted at all",
                            *r.profiles_distinct, *r.profiles_total)
              : "");
      J rows = J::array();
      Table t{{"#", "Profile", "Outcome", "Share", "95% CI", "Samples"},
              {},
              {true, false, false, true, true, true}};
      for (size_t i = 0; i < r.profiles.size(); ++i) {
        const auto& p = r.profiles[i];
        std::string text, html;
        for (const auto& [actor, option] : p.options) {
          text += (text.empty() ? "" : ", ") + actor + " " + option;
          html += (html.empty() ? "" : ", ") + HtmlEscape(actor) + " <strong>" +
                  HtmlEscape(option) + "</strong>";
        }
        t.rows.push_back({std::to_string(i + 1), html, HtmlEscape(p.outcome), Pct(p.share),
                          PctCi(p.ci), Count(p.count)});
        const J ci = CiJson(p.ci, p.share);
        rows.push_back({{"category", fmt::format("{}. {}", i + 1, text)},
                        {"value", p.share},
                        {"lo", ci[0]},
                        {"hi", ci[1]}});
      }
      if (!rows.empty()) {
        s.spec = HorizontalBars(rows, "Share of resolved samples", true, J::array({0, 1}), "");
      }
      s.tables = t.Html();
    }
    sections.push_back(std::move(s));
  }

  if (!r.arguments.empty()) {
    Section s;
    s.title = "Argument effects";
    s.note =
        "P(outcome | argument holds) \u2212 P(outcome | it does not), with 95% confidence "
        "intervals; arguments sorted by the size of their effect on each outcome.";
    std::vector<std::string> outcome_order;
    for (const auto& a : r.arguments) {
      for (const auto& e : a.effects) {
        if (std::find(outcome_order.begin(), outcome_order.end(), e.outcome) ==
            outcome_order.end()) {
          outcome_order.push_back(e.outcome);
        }
      }
    }
    J rows = J::array();
    Table t{{"Argument", "Analyst", "Credence", "Holds"}, {}, {false, false, true, true}};
    for (const auto& o : outcome_order) {
      t.head.push_back(HtmlEscape(o));
      t.numeric.push_back(true);
    }
    for (const auto& a : r.arguments) {
      std::vector<std::string> row = {Id(a.id), HtmlEscape(a.analyst),
                                      a.credence ? fmt::format("{:g}", *a.credence) : "",
                                      a.mode == "forced-on"    ? "on"
                                      : a.mode == "forced-off" ? "off"
                                      : a.holds                ? Pct(*a.holds)
                                                               : ""};
      for (const auto& o : outcome_order) {
        std::string cell;
        for (const auto& e : a.effects) {
          if (e.outcome != o) continue;
          cell = Points(e.effect);
          if (e.ci) cell += "<br><span class=\"ci\">" + PointsCi(e.ci) + "</span>";
          if (!e.effect) continue;
          const J ci = CiJson(e.ci, *e.effect);
          rows.push_back({{"argument", a.id},
                          {"outcome", o},
                          {"value", *e.effect},
                          {"magnitude", std::fabs(*e.effect)},
                          {"lo", ci[0]},
                          {"hi", ci[1]}});
        }
        row.push_back(cell);
      }
      t.rows.push_back(std::move(row));
    }
    if (!rows.empty()) {
      J spec = Tornado(rows, outcome_order, OutcomeTitles(r, outcome_order),
                       "Effect on the probability", true);
      if (!spec.is_null()) s.spec = std::move(spec);
    }
    s.tables = t.Html();
    if (rows.empty()) {
      s.tables +=
          "<p class=\"note\">No effect could be estimated: every argument held in all "
          "samples or in none.</p>\n";
    }
    sections.push_back(std::move(s));
  }

  if (!r.attribution.empty()) {
    Section s;
    s.title = "Attribution (" + r.attribution_method + ")";
    s.note =
        "Each argument's share of the difference between \u201call arguments hold\u201d and "
        "\u201cnone holds\u201d, per outcome (Shapley values; they add up to that difference).";
    std::vector<std::string> outcome_order;
    for (const auto& a : r.attribution) {
      for (const auto& [o, v] : a.values) {
        if (std::find(outcome_order.begin(), outcome_order.end(), o) == outcome_order.end()) {
          outcome_order.push_back(o);
        }
      }
    }
    J rows = J::array();
    Table t{{"Argument", "Analyst"}, {}, {false, false}};
    for (const auto& o : outcome_order) {
      t.head.push_back(HtmlEscape(o));
      t.numeric.push_back(true);
    }
    std::vector<double> totals(outcome_order.size(), 0.0);
    for (const auto& a : r.attribution) {
      std::vector<std::string> row = {Id(a.id), HtmlEscape(a.analyst)};
      for (size_t k = 0; k < outcome_order.size(); ++k) {
        std::string cell;
        for (const auto& [o, v] : a.values) {
          if (o != outcome_order[k]) continue;
          cell = Points(v);
          totals[k] += v;
          rows.push_back({{"argument", a.id},
                          {"outcome", o},
                          {"value", v},
                          {"magnitude", std::fabs(v)},
                          {"lo", v},
                          {"hi", v}});
        }
        row.push_back(cell);
      }
      t.rows.push_back(std::move(row));
    }
    std::vector<std::string> total_row = {"<em>sum</em>", ""};
    for (double x : totals) total_row.push_back(Points(x));
    t.rows.push_back(std::move(total_row));
    if (!rows.empty()) {
      J spec =
          Tornado(rows, outcome_order, OutcomeTitles(r, outcome_order), "Shapley value", false);
      if (!spec.is_null()) s.spec = std::move(spec);
    }
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }

  if (r.has_paths) {
    Section s;
    s.title = "Equilibrium paths";
    s.note = r.distinct_paths
                 ? fmt::format(
                       "The most frequent of {:.0f} distinct equilibrium paths, with 95% "
                       "confidence intervals.",
                       *r.distinct_paths)
                 : "The most frequent equilibrium paths, with 95% confidence intervals.";
    J rows = J::array();
    Table t{{"#", "Path", "P", "95% CI", "Samples"}, {}, {true, false, true, true, true}};
    for (size_t i = 0; i < r.paths.size(); ++i) {
      const auto& p = r.paths[i];
      std::string branches;  // one line per terminal history the path reaches
      for (const auto& b : p.branches) {
        std::string moves;
        for (const auto& m : b) moves += (moves.empty() ? "" : " \u2192 ") + m;
        branches += (branches.empty() ? "" : "<br>") + HtmlEscape(moves);
      }
      t.rows.push_back({std::to_string(i + 1), branches, Pct(p.p), PctCi(p.ci), Count(p.count)});
      const J ci = CiJson(p.ci, p.p);
      rows.push_back({{"category", fmt::format("{}. {}", i + 1, ShortPath(p.branches))},
                      {"value", p.p},
                      {"lo", ci[0]},
                      {"hi", ci[1]},
                      {"path", p.text}});
    }
    if (!rows.empty()) {
      s.spec = HorizontalBars(rows, "Probability", true, J::array({0, 1}), "");
      (*s.spec)["layer"][0]["encoding"]["tooltip"].push_back(
          {{"field", "path"}, {"type", "nominal"}, {"title", "Path"}});
    }
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }

  if (!r.threats.empty()) {
    Section s;
    s.title = "Threats";
    s.note =
        "Credible: carrying the threat out is optimal wherever it applies (subgame perfect). "
        "Carried out: the equilibrium prescribes it there.";
    J rows = J::array();
    Table t{{"Threat", "Move", "Credible", "95% CI", "Carried out", "95% CI"},
            {},
            {false, false, true, true, true, true}};
    for (const auto& th : r.threats) {
      t.rows.push_back({Id(th.id) + (th.claim.empty() ? ""
                                                      : "<br><span class=\"claim\">" +
                                                            HtmlEscape(th.claim) + "</span>"),
                        HtmlEscape(th.stage + ": " + th.action), Pct(th.credible),
                        PctCi(th.credible_ci), Pct(th.carried_out), PctCi(th.carried_out_ci)});
      const J c = CiJson(th.credible_ci, th.credible),
              k = CiJson(th.carried_out_ci, th.carried_out);
      rows.push_back({{"group", th.id},
                      {"series", "credible"},
                      {"value", th.credible},
                      {"lo", c[0]},
                      {"hi", c[1]}});
      rows.push_back({{"group", th.id},
                      {"series", "carried out"},
                      {"value", th.carried_out},
                      {"lo", k[0]},
                      {"hi", k[1]}});
    }
    s.spec = GroupedBars(rows, {"credible", "carried out"}, "Share of resolved samples", "Threat",
                         "", true);
    (*s.spec)["layer"][0]["encoding"]["x"]["scale"] = {{"domain", J::array({0, 1})}};
    s.tables = t.Html();
    sections.push_back(std::move(s));
  }
  return sections;
}

// A table cell with the share of samples not converged (iterative models),
// or "-" for a run whose model has no convergence test.
std::string NotConvergedCell(const std::optional<Estimate>& e) {
  if (!e) return "-";
  return Pct(e->p) + "<br><span class=\"ci\">" + PctCi(e->ci) + "</span>";
}

std::vector<Section> ComparisonSections(const ComparisonDoc& c) {
  // Scenario names label the series; repeated names get their file added.
  std::vector<std::string> names;
  for (const auto& s : c.scenarios) {
    std::string name = s.name;
    if (std::count(names.begin(), names.end(), name) > 0 ||
        std::count_if(c.scenarios.begin(), c.scenarios.end(),
                      [&](const auto& o) { return o.name == s.name; }) > 1) {
      name += " (" + (s.file.empty() ? std::to_string(names.size() + 1) : s.file) + ")";
    }
    while (std::count(names.begin(), names.end(), name) > 0) name += "'";
    names.push_back(name);
  }
  std::vector<std::string> outcome_order;
  std::vector<std::string> outcome_labels;
  for (const auto& s : c.scenarios) {
    for (const auto& o : s.outcomes) {
      if (std::find(outcome_order.begin(), outcome_order.end(), o.id) == outcome_order.end()) {
        outcome_order.push_back(o.id);
        outcome_labels.push_back(o.label.empty() ? o.id : o.label);
      }
    }
  }
  Section s;
  s.title = "Outcome probabilities by scenario";
  s.note = "Each scenario run with the same seed and sample count; 95% confidence intervals.";
  J rows = J::array();
  Table t{{"Scenario", "File"}, {}, {false, false}};
  for (const auto& o : outcome_order) {
    t.head.push_back(HtmlEscape(o));
    t.numeric.push_back(true);
  }
  const bool convergence = std::any_of(c.scenarios.begin(), c.scenarios.end(),
                                       [](const auto& sc) { return sc.not_converged.has_value(); });
  if (convergence) {
    t.head.push_back("<em>not converged</em>");
    t.numeric.push_back(true);
  }
  for (size_t i = 0; i < c.scenarios.size(); ++i) {
    const auto& sc = c.scenarios[i];
    std::vector<std::string> row = {HtmlEscape(sc.name), HtmlEscape(sc.file)};
    for (size_t k = 0; k < outcome_order.size(); ++k) {
      std::string cell;
      for (const auto& o : sc.outcomes) {
        if (o.id != outcome_order[k]) continue;
        cell = Pct(o.p) + "<br><span class=\"ci\">" + PctCi(o.ci) + "</span>";
        const J ci = CiJson(o.ci, o.p);
        rows.push_back({{"group", outcome_labels[k]},
                        {"series", names[i]},
                        {"value", o.p},
                        {"lo", ci[0]},
                        {"hi", ci[1]}});
      }
      row.push_back(cell);
    }
    if (convergence) row.push_back(NotConvergedCell(sc.not_converged));
    t.rows.push_back(std::move(row));
  }
  s.spec = GroupedBars(rows, names, "Probability", "Outcome", "Scenario", true);
  (*s.spec)["layer"][0]["encoding"]["x"]["scale"] = {{"domain", J::array({0, 1})}};
  s.tables = t.Html();
  return {s};
}

std::vector<Section> SweepSections(const SweepDoc& sw) {
  std::vector<std::string> outcome_order, outcome_labels;
  for (const auto& p : sw.points) {
    for (const auto& o : p.outcomes) {
      if (std::find(outcome_order.begin(), outcome_order.end(), o.id) == outcome_order.end()) {
        outcome_order.push_back(o.id);
        outcome_labels.push_back(o.label.empty() ? o.id : o.label);
      }
    }
  }
  Section s;
  Table t{{}, {}, {}};
  for (const auto& axis : sw.vary) {
    t.head.push_back(HtmlEscape(axis.name));
    t.numeric.push_back(true);
  }
  for (const auto& o : outcome_order) {
    t.head.push_back(HtmlEscape(o));
    t.numeric.push_back(true);
  }
  const bool convergence = std::any_of(sw.points.begin(), sw.points.end(),
                                       [](const auto& p) { return p.not_converged.has_value(); });
  if (convergence) {
    t.head.push_back("<em>not converged</em>");
    t.numeric.push_back(true);
  }
  for (const auto& p : sw.points) {
    std::vector<std::string> row;
    for (double v : p.values) row.push_back(Value(v));
    for (const auto& id : outcome_order) {
      std::string cell;
      for (const auto& o : p.outcomes) {
        if (o.id == id) cell = Pct(o.p) + "<br><span class=\"ci\">" + PctCi(o.ci) + "</span>";
      }
      row.push_back(cell);
    }
    if (convergence) row.push_back(NotConvergedCell(p.not_converged));
    t.rows.push_back(std::move(row));
  }
  s.tables = t.Html();

  if (sw.vary.size() == 1) {
    s.title = "Outcome probabilities against " + sw.vary[0].name;
    s.note =
        "Each point is a full Monte Carlo run with common random numbers; the bands are 95% "
        "confidence intervals.";
    J rows = J::array();
    for (const auto& p : sw.points) {
      for (size_t k = 0; k < outcome_order.size(); ++k) {
        for (const auto& o : p.outcomes) {
          if (o.id != outcome_order[k]) continue;
          const J ci = CiJson(o.ci, o.p);
          rows.push_back({{"x", p.values[0]},
                          {"outcome", outcome_labels[k]},
                          {"value", o.p},
                          {"lo", ci[0]},
                          {"hi", ci[1]}});
        }
      }
    }
    s.spec = SweepLines(std::move(rows), sw.vary[0].name, outcome_labels);
    return {s};
  }

  if (sw.vary.size() == 2) {
    s.title = "Outcome probabilities over " + sw.vary[0].name + " \u00d7 " + sw.vary[1].name;
    s.note =
        "One heat map per outcome; each cell is a full Monte Carlo run with common random "
        "numbers (the table below has the 95% confidence intervals).";
    for (size_t k = 0; k < outcome_order.size(); ++k) {
      J rows = J::array();
      for (const auto& p : sw.points) {
        for (const auto& o : p.outcomes) {
          if (o.id != outcome_order[k]) continue;
          rows.push_back(
              {{"x", p.values[0]}, {"y", p.values[1]}, {"value", o.p}, {"ci", PctCi(o.ci)}});
        }
      }
      J spec = SweepHeatMap(std::move(rows), sw.vary[0].name, sw.vary[1].name);
      if (!s.spec) {
        s.spec = std::move(spec);
      } else {
        s.more_specs.push_back(std::move(spec));
      }
      s.more_titles.push_back(outcome_labels[k]);
    }
    return {s};
  }

  s.title = "Sweep points";
  s.note =
      fmt::format("A sweep over {} names has no chart; the numbers are below.", sw.vary.size());
  return {s};
}

std::vector<Section> SensitivitySections(const SensitivityDoc& sd) {
  std::vector<Section> sections;
  const bool sobol = sd.method == "sobol";
  for (const auto& out : sd.outputs) {
    Section s;
    s.title = (sobol ? "Sobol indices of " : "Morris screening of ") + out.name;
    J rows = J::array();
    if (sobol) {
      s.note =
          "First-order (S1) and total (ST) Sobol indices, with bootstrap 95% confidence "
          "intervals.";
      Table t{{"Input", "S1", "95% CI", "ST", "95% CI"}, {}, {false, true, true, true, true}};
      for (const auto& x : out.indices) {
        t.rows.push_back({Id(x.input), Num(x.s1), NumCi(x.s1_ci), Num(x.st), NumCi(x.st_ci)});
        if (x.s1) {
          const J ci = CiJson(x.s1_ci, *x.s1);
          rows.push_back({{"group", x.input},
                          {"series", "S1 (first order)"},
                          {"value", *x.s1},
                          {"lo", ci[0]},
                          {"hi", ci[1]}});
        }
        if (x.st) {
          const J ci = CiJson(x.st_ci, *x.st);
          rows.push_back({{"group", x.input},
                          {"series", "ST (total)"},
                          {"value", *x.st},
                          {"lo", ci[0]},
                          {"hi", ci[1]}});
        }
      }
      if (!rows.empty()) {
        s.spec = GroupedBars(rows, {"S1 (first order)", "ST (total)"}, "Index", "Input", "", false);
      }
      s.tables = t.Html();
    } else {
      s.note =
          "Morris elementary effects: mu* (mean absolute effect) against sigma (their "
          "spread: interactions or non-linearity).";
      Table t{{"Input", "mu*", "mu", "sigma"}, {}, {false, true, true, true}};
      for (const auto& x : out.indices) {
        t.rows.push_back({Id(x.input), Num(x.mu_star, 4), Num(x.mu, 4), Num(x.sigma, 4)});
        if (x.mu_star && x.sigma) {
          rows.push_back({{"input", x.input}, {"mu_star", *x.mu_star}, {"sigma", *x.sigma}});
        }
      }
      if (!rows.empty()) {
        s.spec = MorrisScatter(std::move(rows));
      }
      s.tables = t.Html();
    }
    sections.push_back(std::move(s));
  }
  return sections;
}

std::vector<Section> DoctorSections(const DoctorDoc& d) {
  Section s;
  s.title = "Diagnostics";
  s.note = d.findings.empty()
               ? "parley doctor found nothing to report."
               : fmt::format(
                     "{} finding{}: each names the place in the scenario file, what is "
                     "wrong and a hint; findings are advice.",
                     d.findings.size(), d.findings.size() == 1 ? "" : "s");
  Table t{{"Kind", "Where", "Element", "Finding", "Share", "Hint"},
          {},
          {false, false, false, false, true, false}};
  for (const auto& f : d.findings) {
    std::string message = HtmlEscape(f.message);
    if (!f.related.empty()) {
      message += "<ul>";
      for (const auto& r : f.related) message += "<li>" + HtmlEscape(r) + "</li>";
      message += "</ul>";
    }
    t.rows.push_back({Id(f.kind), HtmlEscape(fmt::format("{}:{}:{}", f.file, f.line, f.column)),
                      HtmlEscape(f.element), message, f.share ? Pct(*f.share) : "",
                      HtmlEscape(f.hint)});
  }
  s.tables = t.Html();
  if (!d.skipped.empty()) {
    s.tables += "<p>Not checked:</p><ul>";
    for (const auto& k : d.skipped) s.tables += "<li>" + HtmlEscape(k) + "</li>";
    s.tables += "</ul>";
  }
  return {s};
}

}  // namespace parley::html
