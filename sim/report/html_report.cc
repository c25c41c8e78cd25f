#include "sim/report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "sim/report/report.h"
#include "sim/report/web_assets.h"
#include "sim/version.h"

namespace parley {
namespace {

using J = nlohmann::ordered_json;

// Unwraps a StatusOr into `lhs` or returns its error.
#define PARLEY_HTML_CONCAT_(a, b) a##b
#define PARLEY_HTML_CONCAT(a, b) PARLEY_HTML_CONCAT_(a, b)
#define PARLEY_ASSIGN_OR_RETURN(lhs, expr) \
  PARLEY_ASSIGN_OR_RETURN_IMPL(PARLEY_HTML_CONCAT(parley_or_, __LINE__), lhs, expr)
#define PARLEY_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(*tmp)

// ---------------------------------------------------------------------------
// Reading the document: every accessor names the JSON pointer of what is
// wrong, so a hand-edited or truncated result gives a precise message.

std::string Child(const std::string& where, const std::string& key) {
  std::string escaped;  // RFC 6901: '~' -> "~0", '/' -> "~1"
  for (char c : key) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return where + "/" + escaped;
}
std::string Child(const std::string& where, size_t index) {
  return where + "/" + std::to_string(index);
}

Status Bad(const std::string& where, const std::string& what) {
  return InvalidArgument((where.empty() ? std::string("the document") : where) + ": " + what);
}

std::string TypeName(const J& v) { return v.type_name(); }

StatusOr<const J*> Member(const J& obj, const std::string& where, const std::string& key) {
  if (!obj.is_object()) return Bad(where, "expected an object, found " + TypeName(obj));
  auto it = obj.find(key);
  if (it == obj.end()) return Bad(where, "missing key \"" + key + "\"");
  return &*it;
}

// nullptr when absent (or null); an error when present but not an object.
const J* Optional(const J& obj, const std::string& key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

StatusOr<const J*> Array(const J& obj, const std::string& where, const std::string& key) {
  PARLEY_ASSIGN_OR_RETURN(const J* v, Member(obj, where, key));
  if (!v->is_array()) return Bad(Child(where, key), "expected an array, found " + TypeName(*v));
  return v;
}

StatusOr<std::string> String(const J& obj, const std::string& where, const std::string& key) {
  PARLEY_ASSIGN_OR_RETURN(const J* v, Member(obj, where, key));
  if (!v->is_string()) return Bad(Child(where, key), "expected a string, found " + TypeName(*v));
  return v->get<std::string>();
}

std::string StringOr(const J& obj, const std::string& key, const std::string& fallback) {
  const J* v = Optional(obj, key);
  return v && v->is_string() ? v->get<std::string>() : fallback;
}

StatusOr<double> NumberValue(const J& v, const std::string& where) {
  if (!v.is_number()) return Bad(where, "expected a number, found " + TypeName(v));
  const double x = v.get<double>();
  if (!std::isfinite(x)) return Bad(where, "expected a finite number");
  return x;
}

StatusOr<double> Number(const J& obj, const std::string& where, const std::string& key) {
  PARLEY_ASSIGN_OR_RETURN(const J* v, Member(obj, where, key));
  return NumberValue(*v, Child(where, key));
}

// A number, or nothing when the key is absent or null.
StatusOr<std::optional<double>> NumberOrNull(const J& obj, const std::string& where,
                                             const std::string& key) {
  const J* v = Optional(obj, key);
  if (!v) return std::optional<double>();
  PARLEY_ASSIGN_OR_RETURN(const double x, NumberValue(*v, Child(where, key)));
  return std::optional<double>(x);
}

struct Ci {
  double lo = 0, hi = 0;
};

// A [low, high] pair, or nothing when absent or null.
StatusOr<std::optional<Ci>> CiOrNull(const J& obj, const std::string& where,
                                     const std::string& key) {
  const J* v = Optional(obj, key);
  if (!v) return std::optional<Ci>();
  const std::string at = Child(where, key);
  if (!v->is_array() || v->size() != 2 || !(*v)[0].is_number() || !(*v)[1].is_number()) {
    return Bad(at, "expected [low, high], two numbers, found " + v->dump());
  }
  Ci ci{(*v)[0].get<double>(), (*v)[1].get<double>()};
  if (!std::isfinite(ci.lo) || !std::isfinite(ci.hi) || ci.lo > ci.hi) {
    return Bad(at, "expected finite numbers with low <= high, found " + v->dump());
  }
  return std::optional<Ci>(ci);
}

// ---------------------------------------------------------------------------
// The parsed document.

struct Estimate {
  std::string id, label;
  double p = 0;
  std::optional<Ci> ci;
  std::optional<double> count;
};

StatusOr<Estimate> ParseEstimate(const J& o, const std::string& where, bool needs_id) {
  Estimate e;
  if (needs_id) {
    PARLEY_ASSIGN_OR_RETURN(e.id, String(o, where, "id"));
  }
  e.label = StringOr(o, "label", e.id);
  PARLEY_ASSIGN_OR_RETURN(e.p, Number(o, where, "probability"));
  PARLEY_ASSIGN_OR_RETURN(e.ci, CiOrNull(o, where, "ci95"));
  PARLEY_ASSIGN_OR_RETURN(e.count, NumberOrNull(o, where, "count"));
  return e;
}

StatusOr<std::vector<Estimate>> ParseOutcomes(const J& obj, const std::string& where) {
  PARLEY_ASSIGN_OR_RETURN(const J* list, Array(obj, where, "outcomes"));
  std::vector<Estimate> out;
  for (size_t i = 0; i < list->size(); ++i) {
    PARLEY_ASSIGN_OR_RETURN(Estimate e,
                            ParseEstimate((*list)[i], Child(Child(where, "outcomes"), i), true));
    out.push_back(std::move(e));
  }
  return out;
}

struct Payoff {
  std::string actor;
  std::optional<double> mean;
  std::optional<Ci> ci;
  std::optional<double> n;
};

struct Effect {
  std::string outcome;
  std::optional<double> effect;
  std::optional<Ci> ci;
};

struct Argument {
  std::string id, analyst, claim, mode;
  std::optional<double> credence, holds;
  std::vector<Effect> effects;
};

struct Shapley {
  std::string id, analyst;
  std::vector<std::pair<std::string, double>> values;  // outcome -> value
};

struct Path {
  std::string text;
  std::vector<std::vector<std::string>> branches;
  double p = 0;
  std::optional<Ci> ci;
  std::optional<double> count;
};

struct Threat {
  std::string id, claim, stage, action;
  double credible = 0, carried_out = 0;
  std::optional<Ci> credible_ci, carried_out_ci;
};

struct RunDoc {
  std::vector<Estimate> outcomes;
  std::optional<Estimate> unresolved;
  std::vector<Payoff> payoffs;
  std::optional<double> eq_none, eq_unique, eq_multiple;
  std::vector<Argument> arguments;
  std::string attribution_method;
  std::vector<Shapley> attribution;
  bool has_paths = false;
  std::optional<double> distinct_paths;
  std::vector<Path> paths;
  std::vector<Threat> threats;
};

StatusOr<RunDoc> ParseRun(const J& doc) {
  RunDoc r;
  PARLEY_ASSIGN_OR_RETURN(r.outcomes, ParseOutcomes(doc, ""));
  if (const J* u = Optional(doc, "unresolved")) {
    PARLEY_ASSIGN_OR_RETURN(Estimate e, ParseEstimate(*u, "/unresolved", false));
    e.id = e.label = "unresolved";
    r.unresolved = e;
  }
  if (Optional(doc, "payoffs")) {
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "payoffs"));
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string at = Child("/payoffs", i);
      Payoff p;
      PARLEY_ASSIGN_OR_RETURN(p.actor, String((*list)[i], at, "actor"));
      PARLEY_ASSIGN_OR_RETURN(p.mean, NumberOrNull((*list)[i], at, "mean"));
      PARLEY_ASSIGN_OR_RETURN(p.ci, CiOrNull((*list)[i], at, "ci95"));
      PARLEY_ASSIGN_OR_RETURN(p.n, NumberOrNull((*list)[i], at, "n"));
      r.payoffs.push_back(std::move(p));
    }
  }
  if (const J* eq = Optional(doc, "equilibria")) {
    PARLEY_ASSIGN_OR_RETURN(r.eq_none, NumberOrNull(*eq, "/equilibria", "none"));
    PARLEY_ASSIGN_OR_RETURN(r.eq_unique, NumberOrNull(*eq, "/equilibria", "unique"));
    PARLEY_ASSIGN_OR_RETURN(r.eq_multiple, NumberOrNull(*eq, "/equilibria", "multiple"));
  }
  if (Optional(doc, "arguments")) {
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "arguments"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& a = (*list)[i];
      const std::string at = Child("/arguments", i);
      Argument arg;
      PARLEY_ASSIGN_OR_RETURN(arg.id, String(a, at, "id"));
      arg.analyst = StringOr(a, "analyst", "");
      arg.claim = StringOr(a, "claim", "");
      arg.mode = StringOr(a, "mode", "");
      PARLEY_ASSIGN_OR_RETURN(arg.credence, NumberOrNull(a, at, "credence"));
      PARLEY_ASSIGN_OR_RETURN(arg.holds, NumberOrNull(a, at, "holds"));
      if (const J* effects = Optional(a, "effects")) {
        const std::string eat = Child(at, "effects");
        if (!effects->is_object()) return Bad(eat, "expected an object of outcome -> effect");
        for (const auto& [outcome, e] : effects->items()) {
          Effect eff{outcome, {}, {}};
          if (!e.is_object()) return Bad(Child(eat, outcome), "expected {\"effect\", \"ci95\"}");
          PARLEY_ASSIGN_OR_RETURN(eff.effect, NumberOrNull(e, Child(eat, outcome), "effect"));
          PARLEY_ASSIGN_OR_RETURN(eff.ci, CiOrNull(e, Child(eat, outcome), "ci95"));
          arg.effects.push_back(std::move(eff));
        }
      }
      r.arguments.push_back(std::move(arg));
    }
  }
  if (const J* attribution = Optional(doc, "attribution")) {
    r.attribution_method = StringOr(*attribution, "method", "shapley");
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(*attribution, "/attribution", "arguments"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& a = (*list)[i];
      const std::string at = Child("/attribution/arguments", i);
      Shapley s;
      PARLEY_ASSIGN_OR_RETURN(s.id, String(a, at, "id"));
      s.analyst = StringOr(a, "analyst", "");
      PARLEY_ASSIGN_OR_RETURN(const J* values, Member(a, at, "shapley"));
      if (!values->is_object()) {
        return Bad(Child(at, "shapley"), "expected an object of outcome -> value");
      }
      for (const auto& [outcome, v] : values->items()) {
        PARLEY_ASSIGN_OR_RETURN(const double x,
                                NumberValue(v, Child(Child(at, "shapley"), outcome)));
        s.values.emplace_back(outcome, x);
      }
      r.attribution.push_back(std::move(s));
    }
  }
  if (const J* paths = Optional(doc, "paths")) {
    r.has_paths = true;
    PARLEY_ASSIGN_OR_RETURN(r.distinct_paths, NumberOrNull(*paths, "/paths", "distinct"));
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(*paths, "/paths", "most_frequent"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& p = (*list)[i];
      const std::string at = Child("/paths/most_frequent", i);
      Path path;
      PARLEY_ASSIGN_OR_RETURN(const J* branches, Array(p, at, "branches"));
      for (size_t b = 0; b < branches->size(); ++b) {
        const J& moves = (*branches)[b];
        if (!moves.is_array()) return Bad(Child(Child(at, "branches"), b), "expected an array");
        std::string text;
        path.branches.emplace_back();
        for (const J& m : moves) {
          if (!m.is_string()) return Bad(Child(Child(at, "branches"), b), "expected strings");
          text += (text.empty() ? "" : " \u2192 ") + m.get<std::string>();
          path.branches.back().push_back(m.get<std::string>());
        }
        path.text += (b ? "  |  " : "") + text;
      }
      PARLEY_ASSIGN_OR_RETURN(path.p, Number(p, at, "probability"));
      PARLEY_ASSIGN_OR_RETURN(path.ci, CiOrNull(p, at, "ci95"));
      PARLEY_ASSIGN_OR_RETURN(path.count, NumberOrNull(p, at, "count"));
      r.paths.push_back(std::move(path));
    }
  }
  if (Optional(doc, "threats")) {
    PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "threats"));
    for (size_t i = 0; i < list->size(); ++i) {
      const J& t = (*list)[i];
      const std::string at = Child("/threats", i);
      Threat threat;
      PARLEY_ASSIGN_OR_RETURN(threat.id, String(t, at, "id"));
      threat.claim = StringOr(t, "claim", "");
      threat.stage = StringOr(t, "stage", "");
      threat.action = StringOr(t, "action", "");
      PARLEY_ASSIGN_OR_RETURN(threat.credible, Number(t, at, "credible"));
      PARLEY_ASSIGN_OR_RETURN(threat.credible_ci, CiOrNull(t, at, "credible_ci95"));
      PARLEY_ASSIGN_OR_RETURN(threat.carried_out, Number(t, at, "carried_out"));
      PARLEY_ASSIGN_OR_RETURN(threat.carried_out_ci, CiOrNull(t, at, "carried_out_ci95"));
      r.threats.push_back(std::move(threat));
    }
  }
  return r;
}

struct ComparisonDoc {
  struct Scenario {
    std::string name, file;
    std::vector<Estimate> outcomes;
  };
  std::vector<Scenario> scenarios;
};

StatusOr<ComparisonDoc> ParseComparison(const J& doc) {
  ComparisonDoc c;
  PARLEY_ASSIGN_OR_RETURN(const J* list, Array(doc, "", "scenarios"));
  if (list->empty()) return Bad("/scenarios", "expected at least one scenario");
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string at = Child("/scenarios", i);
    ComparisonDoc::Scenario s;
    PARLEY_ASSIGN_OR_RETURN(const J* scenario, Member((*list)[i], at, "scenario"));
    PARLEY_ASSIGN_OR_RETURN(s.name, String(*scenario, Child(at, "scenario"), "name"));
    s.file = StringOr(*scenario, "file", "");
    PARLEY_ASSIGN_OR_RETURN(s.outcomes, ParseOutcomes((*list)[i], at));
    c.scenarios.push_back(std::move(s));
  }
  return c;
}

struct SweepDoc {
  struct Axis {
    std::string name;
    std::vector<double> values;
  };
  struct Point {
    std::vector<double> values;  // one per axis
    std::vector<Estimate> outcomes;
  };
  std::vector<Axis> vary;
  std::vector<Point> points;
};

StatusOr<SweepDoc> ParseSweep(const J& doc) {
  SweepDoc s;
  PARLEY_ASSIGN_OR_RETURN(const J* vary, Array(doc, "", "vary"));
  if (vary->empty()) return Bad("/vary", "expected at least one varied name");
  for (size_t i = 0; i < vary->size(); ++i) {
    const std::string at = Child("/vary", i);
    SweepDoc::Axis axis;
    PARLEY_ASSIGN_OR_RETURN(axis.name, String((*vary)[i], at, "name"));
    if (Optional((*vary)[i], "values")) {
      PARLEY_ASSIGN_OR_RETURN(const J* values, Array((*vary)[i], at, "values"));
      for (size_t k = 0; k < values->size(); ++k) {
        PARLEY_ASSIGN_OR_RETURN(const double x,
                                NumberValue((*values)[k], Child(Child(at, "values"), k)));
        axis.values.push_back(x);
      }
    }
    for (const auto& other : s.vary) {
      if (other.name == axis.name) return Bad(Child(at, "name"), "\"" + axis.name + "\" twice");
    }
    s.vary.push_back(std::move(axis));
  }
  PARLEY_ASSIGN_OR_RETURN(const J* points, Array(doc, "", "points"));
  for (size_t i = 0; i < points->size(); ++i) {
    const std::string at = Child("/points", i);
    SweepDoc::Point point;
    PARLEY_ASSIGN_OR_RETURN(const J* values, Member((*points)[i], at, "values"));
    for (const auto& axis : s.vary) {
      PARLEY_ASSIGN_OR_RETURN(const double x, Number(*values, Child(at, "values"), axis.name));
      point.values.push_back(x);
    }
    PARLEY_ASSIGN_OR_RETURN(point.outcomes, ParseOutcomes((*points)[i], at));
    s.points.push_back(std::move(point));
  }
  return s;
}

struct SensitivityDoc {
  std::string method;  // "sobol" or "morris"
  struct Index {
    std::string input;
    std::optional<double> s1, st, mu_star, mu, sigma;
    std::optional<Ci> s1_ci, st_ci;
  };
  struct Output {
    std::string name;
    std::vector<Index> indices;
  };
  std::vector<Output> outputs;
};

StatusOr<SensitivityDoc> ParseSensitivity(const J& doc) {
  SensitivityDoc s;
  PARLEY_ASSIGN_OR_RETURN(s.method, String(doc, "", "method"));
  if (s.method != "sobol" && s.method != "morris") {
    return Bad("/method", "expected \"sobol\" or \"morris\", found \"" + s.method + "\"");
  }
  const bool sobol = s.method == "sobol";
  PARLEY_ASSIGN_OR_RETURN(const J* outputs, Array(doc, "", "outputs"));
  for (size_t i = 0; i < outputs->size(); ++i) {
    const std::string at = Child("/outputs", i);
    SensitivityDoc::Output out;
    PARLEY_ASSIGN_OR_RETURN(out.name, String((*outputs)[i], at, "name"));
    PARLEY_ASSIGN_OR_RETURN(const J* indices, Array((*outputs)[i], at, "indices"));
    for (size_t k = 0; k < indices->size(); ++k) {
      const J& x = (*indices)[k];
      const std::string iat = Child(Child(at, "indices"), k);
      SensitivityDoc::Index index;
      PARLEY_ASSIGN_OR_RETURN(index.input, String(x, iat, "input"));
      // Null is allowed (an index is undefined when the output never varies),
      // but the key must be there: a missing one is a different shape.
      for (const char* key : sobol ? std::vector<const char*>{"S1", "ST"}
                                   : std::vector<const char*>{"mu_star", "sigma"}) {
        PARLEY_ASSIGN_OR_RETURN(const J* unused, Member(x, iat, key));
        (void)unused;
      }
      if (sobol) {
        PARLEY_ASSIGN_OR_RETURN(index.s1, NumberOrNull(x, iat, "S1"));
        PARLEY_ASSIGN_OR_RETURN(index.st, NumberOrNull(x, iat, "ST"));
        PARLEY_ASSIGN_OR_RETURN(index.s1_ci, CiOrNull(x, iat, "S1_ci95"));
        PARLEY_ASSIGN_OR_RETURN(index.st_ci, CiOrNull(x, iat, "ST_ci95"));
      } else {
        PARLEY_ASSIGN_OR_RETURN(index.mu_star, NumberOrNull(x, iat, "mu_star"));
        PARLEY_ASSIGN_OR_RETURN(index.mu, NumberOrNull(x, iat, "mu"));
        PARLEY_ASSIGN_OR_RETURN(index.sigma, NumberOrNull(x, iat, "sigma"));
      }
      out.indices.push_back(std::move(index));
    }
    s.outputs.push_back(std::move(out));
  }
  return s;
}

// ---------------------------------------------------------------------------
// Formatting.

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
std::string Num(const std::optional<double>& x, int digits = 3) {
  return x ? fmt::format("{:.{}f}", *x, digits) : "n/a";
}
std::string NumCi(const std::optional<Ci>& ci, int digits = 3) {
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

// One HTML table; `cells` are already escaped. Columns listed in `numeric`
// are right-aligned.
struct Table {
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;

  std::string Html() const {
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
};

// A section of the page: a heading, an optional chart, a note and tables.
struct Section {
  std::string title;
  std::string note;           // escaped HTML
  std::optional<J> spec;      // a Vega-Lite spec
  std::vector<J> more_specs;  // further charts in the same section
  std::vector<std::string> more_titles;
  std::string tables;  // HTML
};

// ---------------------------------------------------------------------------
// Vega-Lite specs. Every chart has fixed sizes so that the page lays out the
// same in any browser, and CIs are drawn as rules from the given bounds.

constexpr int kWidth = 520;

J Axis(const std::string& title, const char* format = nullptr) {
  J axis = {{"title", title}, {"tickCount", 8}};
  if (format) axis["format"] = format;
  return axis;
}

// The numbers beside horizontal bars: right of the CI for values >= 0, left
// of it for negative ones.
J ValueLabels(bool negative, const char* format) {
  return {
      {"transform", J::array({{{"filter", negative ? "datum.value < 0" : "datum.value >= 0"}}})},
      {"mark",
       {{"type", "text"},
        {"align", negative ? "right" : "left"},
        {"dx", negative ? -4 : 4},
        {"fontSize", 11}}},
      {"encoding",
       {{"x", {{"field", negative ? "lo" : "hi"}, {"type", "quantitative"}}},
        {"text", {{"field", "value"}, {"type", "quantitative"}, {"format", format}}}}}};
}

// An x domain that includes 0 and every interval, with room on either side
// for the value labels.
J PaddedDomain(const J& rows) {
  double lo = 0, hi = 0;
  for (const J& row : rows) {
    lo = std::min(lo, row["lo"].get<double>());
    hi = std::max(hi, row["hi"].get<double>());
  }
  const double span = hi - lo > 0 ? hi - lo : 1.0;
  return J::array({lo < 0 ? lo - 0.18 * span : 0.0, hi > 0 ? hi + 0.18 * span : 0.0});
}

// Horizontal bars with CI rules: y = `category`, x = `value` in [lo, hi].
J HorizontalBars(J values, const std::string& x_title, bool percent, const J& x_domain,
                 const std::string& category_title) {
  J x = {{"field", "value"},
         {"type", "quantitative"},
         {"axis", Axis(x_title, percent ? ".0%" : nullptr)}};
  if (!x_domain.is_null()) x["scale"] = {{"domain", x_domain}};
  J tooltip = J::array({{{"field", "category"}, {"type", "nominal"}, {"title", category_title}},
                        {{"field", "value"},
                         {"type", "quantitative"},
                         {"title", x_title},
                         {"format", percent ? ".1%" : ".3f"}},
                        {{"field", "lo"},
                         {"type", "quantitative"},
                         {"title", "95% CI low"},
                         {"format", percent ? ".1%" : ".3f"}},
                        {{"field", "hi"},
                         {"type", "quantitative"},
                         {"title", "95% CI high"},
                         {"format", percent ? ".1%" : ".3f"}}});
  return {{"width", kWidth},
          {"height", {{"step", 24}}},
          {"data", {{"values", std::move(values)}}},
          {"encoding",
           {{"y",
             {{"field", "category"},
              {"type", "nominal"},
              {"sort", nullptr},
              {"axis",
               {{"title", category_title.empty() ? J(nullptr) : J(category_title)},
                {"labelLimit", 320}}}}}}},
          {"layer",
           J::array(
               {{{"mark", {{"type", "bar"}, {"color", "#4c78a8"}}},
                 {"encoding", {{"x", x}, {"tooltip", tooltip}}}},
                {{"mark", {{"type", "rule"}, {"color", "#222"}, {"strokeWidth", 1.5}}},
                 {"encoding",
                  {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}}}},
                ValueLabels(false, percent ? ".1%" : ".3f"),
                ValueLabels(true, percent ? ".1%" : ".3f")})}};
}

// A tornado: one panel per outcome (stacked, sharing the x scale), arguments
// sorted by |value| within each, bars left (negative) or right (positive) of
// zero, CI rules when given. Rows have argument, outcome, value, lo, hi.
J Tornado(const J& values, const std::vector<std::string>& outcome_order,
          const std::vector<std::string>& outcome_titles, const std::string& x_title,
          bool with_ci) {
  J panels = J::array();
  for (size_t k = 0; k < outcome_order.size(); ++k) {
    const std::string& outcome = outcome_order[k];
    J rows = J::array();
    bool all_zero = true;  // e.g. "unresolved" when every sample was resolved
    for (const J& row : values) {
      if (row["outcome"] != outcome) continue;
      rows.push_back(row);
      all_zero &= row["value"] == 0.0 && row["lo"] == 0.0 && row["hi"] == 0.0;
    }
    if (rows.empty() || all_zero) continue;
    std::vector<const J*> sorted;
    for (const J& row : rows) sorted.push_back(&row);
    std::stable_sort(sorted.begin(), sorted.end(), [](const J* a, const J* b) {
      return std::fabs((*a)["value"].get<double>()) > std::fabs((*b)["value"].get<double>());
    });
    J order = J::array();
    for (const J* row : sorted) order.push_back((*row)["argument"]);

    J layers = J::array();
    layers.push_back(
        {{"mark", {{"type", "bar"}}},
         {"encoding",
          {{"x", {{"field", "value"}, {"type", "quantitative"}, {"axis", Axis(x_title, "+.0%")}}},
           {"color",
            {{"condition", {{"test", "datum.value < 0"}, {"value", "#e45756"}}},
             {"value", "#4c78a8"}}},
           {"tooltip",
            J::array({{{"field", "argument"}, {"type", "nominal"}, {"title", "Argument"}},
                      {{"field", "outcome"}, {"type", "nominal"}, {"title", "Outcome"}},
                      {{"field", "value"},
                       {"type", "quantitative"},
                       {"title", x_title},
                       {"format", "+.1%"}}})}}}});
    if (with_ci) {
      layers.push_back(
          {{"mark", {{"type", "rule"}, {"color", "#222"}}},
           {"encoding",
            {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}}}});
    }
    layers.push_back({{"mark", {{"type", "rule"}, {"color", "#888"}}},
                      {"encoding", {{"x", {{"datum", 0}, {"type", "quantitative"}}}}}});
    panels.push_back(
        {{"title", {{"text", outcome_titles[k]}, {"anchor", "start"}, {"fontSize", 12}}},
         {"width", kWidth - 100},
         {"height", {{"step", 18}}},
         {"data", {{"values", rows}}},
         {"encoding",
          {{"y",
            {{"field", "argument"},
             {"type", "nominal"},
             {"sort", order},
             {"axis", {{"title", nullptr}, {"labelLimit", 260}}}}}}},
         {"layer", layers}});
  }
  if (panels.empty()) return nullptr;
  return {{"vconcat", panels}, {"spacing", 14}, {"resolve", {{"scale", {{"x", "shared"}}}}}};
}

// Grouped horizontal bars with CI rules: y = `group`, sub-bars by `series`.
J GroupedBars(J values, const std::vector<std::string>& series_order, const std::string& x_title,
              const std::string& group_title, const std::string& series_title, bool percent) {
  const char* format = percent ? ".0%" : ".2f";
  return {
      {"width", kWidth},
      {"height", {{"step", 14}}},
      {"data", {{"values", std::move(values)}}},
      {"encoding",
       {{"y",
         {{"field", "group"},
          {"type", "nominal"},
          {"sort", nullptr},
          {"axis", {{"title", group_title}, {"labelLimit", 320}}}}},
        {"yOffset", {{"field", "series"}, {"type", "nominal"}, {"sort", series_order}}}}},
      {"layer",
       J::array(
           {{{"mark", {{"type", "bar"}}},
             {"encoding",
              {{"x",
                {{"field", "value"}, {"type", "quantitative"}, {"axis", Axis(x_title, format)}}},
               {"color",
                {{"field", "series"},
                 {"type", "nominal"},
                 {"sort", series_order},
                 {"title", series_title},
                 {"legend",
                  {{"orient", "bottom"}, {"direction", "vertical"}, {"labelLimit", 480}}}}},
               {"tooltip",
                J::array({{{"field", "group"}, {"type", "nominal"}, {"title", group_title}},
                          {{"field", "series"}, {"type", "nominal"}, {"title", series_title}},
                          {{"field", "value"},
                           {"type", "quantitative"},
                           {"title", x_title},
                           {"format", percent ? ".1%" : ".3f"}}})}}}},
            {{"mark", {{"type", "rule"}, {"color", "#222"}}},
             {"encoding",
              {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}}}}})}};
}

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

// ---------------------------------------------------------------------------
// The sections of each kind.

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
    s.tables = t.Html();
    if (r.eq_none || r.eq_unique || r.eq_multiple) {
      s.tables += fmt::format(
          "<p class=\"note\">Equilibria per sampled game: none {}, one {}, several {}.</p>\n",
          r.eq_none ? Pct(*r.eq_none) : "n/a", r.eq_unique ? Pct(*r.eq_unique) : "n/a",
          r.eq_multiple ? Pct(*r.eq_multiple) : "n/a");
    }
    sections.push_back(std::move(s));
  }

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
    const J x = {{"field", "x"},
                 {"type", "quantitative"},
                 {"axis", Axis(sw.vary[0].name)},
                 {"scale", {{"zero", false}, {"nice", false}}}};
    const J color = {{"field", "outcome"},
                     {"type", "nominal"},
                     {"sort", outcome_labels},
                     {"title", "Outcome"},
                     {"legend",
                      {{"orient", "bottom"},
                       {"direction", "vertical"},
                       {"labelLimit", 480},
                       {"symbolOpacity", 1}}}};
    s.spec = J{
        {"width", kWidth},
        {"height", 300},
        {"data", {{"values", rows}}},
        {"encoding", {{"x", x}, {"color", color}}},
        {"layer",
         J::array(
             {{{"mark", {{"type", "area"}, {"opacity", 0.2}}},
               {"encoding",
                {{"y", {{"field", "lo"}, {"type", "quantitative"}}}, {"y2", {{"field", "hi"}}}}}},
              {{"mark", {{"type", "line"}, {"point", true}}},
               {"encoding",
                {{"y",
                  {{"field", "value"},
                   {"type", "quantitative"},
                   {"axis", Axis("Probability", ".0%")},
                   {"scale", {{"domain", J::array({0, 1})}}}}},
                 {"tooltip",
                  J::array({{{"field", "outcome"}, {"type", "nominal"}, {"title", "Outcome"}},
                            {{"field", "x"}, {"type", "quantitative"}, {"title", sw.vary[0].name}},
                            {{"field", "value"},
                             {"type", "quantitative"},
                             {"title", "Probability"},
                             {"format", ".1%"}},
                            {{"field", "lo"},
                             {"type", "quantitative"},
                             {"title", "95% CI low"},
                             {"format", ".1%"}},
                            {{"field", "hi"},
                             {"type", "quantitative"},
                             {"title", "95% CI high"},
                             {"format", ".1%"}}})}}}}})}};
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
      J spec = {
          {"width", {{"step", 40}}},
          {"height", {{"step", 28}}},
          {"data", {{"values", rows}}},
          {"encoding",
           {{"x",
             {{"field", "x"},
              {"type", "ordinal"},
              {"axis", {{"title", sw.vary[0].name}, {"labelAngle", 0}}}}},
            {"y",
             {{"field", "y"},
              {"type", "ordinal"},
              {"sort", "descending"},
              {"axis", Axis(sw.vary[1].name)}}}}},
          {"layer",
           J::array(
               {{{"mark", {{"type", "rect"}}},
                 {"encoding",
                  {{"color",
                    {{"field", "value"},
                     {"type", "quantitative"},
                     {"title", "Probability"},
                     {"scale", {{"domain", J::array({0, 1})}, {"scheme", "viridis"}}},
                     {"legend", {{"format", ".0%"}}}}},
                   {"tooltip",
                    J::array(
                        {{{"field", "x"}, {"type", "quantitative"}, {"title", sw.vary[0].name}},
                         {{"field", "y"}, {"type", "quantitative"}, {"title", sw.vary[1].name}},
                         {{"field", "value"},
                          {"type", "quantitative"},
                          {"title", "Probability"},
                          {"format", ".1%"}},
                         {{"field", "ci"}, {"type", "nominal"}, {"title", "95% CI"}}})}}}},
                {{"mark", {{"type", "text"}, {"fontSize", 10}}},
                 {"encoding",
                  {{"text", {{"field", "value"}, {"type", "quantitative"}, {"format", ".0%"}}},
                   {"color",
                    {{"condition", {{"test", "datum.value > 0.6"}, {"value", "black"}}},
                     {"value", "white"}}}}}}})}};
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
        const J tooltip = J::array(
            {{{"field", "input"}, {"type", "nominal"}, {"title", "Input"}},
             {{"field", "mu_star"}, {"type", "quantitative"}, {"title", "mu*"}, {"format", ".4f"}},
             {{"field", "sigma"},
              {"type", "quantitative"},
              {"title", "sigma"},
              {"format", ".4f"}}});
        s.spec = J{
            {"width", kWidth},
            {"height", 320},
            {"data", {{"values", rows}}},
            {"encoding",
             {{"x", {{"field", "mu_star"}, {"type", "quantitative"}, {"axis", Axis("mu*")}}},
              {"y", {{"field", "sigma"}, {"type", "quantitative"}, {"axis", Axis("sigma")}}}}},
            {"layer",
             J::array(
                 {{{"mark", {{"type", "point"}, {"filled", true}, {"size", 70}}},
                   {"encoding", {{"tooltip", tooltip}}}},
                  {{"mark",
                    {{"type", "text"}, {"align", "left"}, {"dx", 6}, {"dy", -4}, {"fontSize", 11}}},
                   {"encoding", {{"text", {{"field", "input"}, {"type", "nominal"}}}}}}})}};
      }
      s.tables = t.Html();
    }
    sections.push_back(std::move(s));
  }
  return sections;
}

// ---------------------------------------------------------------------------
// The page.

struct Page {
  std::string kind;
  std::vector<Section> sections;
};

bool HasData(const J& spec) {
  if (spec.contains("vconcat")) {
    for (const J& panel : spec["vconcat"]) {
      if (HasData(panel)) return true;
    }
    return false;
  }
  return spec.contains("data") && !spec["data"]["values"].empty();
}

StatusOr<Page> BuildPage(const J& doc) {
  if (!doc.is_object()) return Bad("", "expected a JSON object, found " + TypeName(doc));
  Page page;
  page.kind = "run";
  if (const J* kind = Optional(doc, "kind")) {
    if (!kind->is_string()) return Bad("/kind", "expected a string");
    page.kind = kind->get<std::string>();
  }
  if (page.kind == "run") {
    PARLEY_ASSIGN_OR_RETURN(const RunDoc run, ParseRun(doc));
    page.sections = RunSections(run);
  } else if (page.kind == "comparison") {
    PARLEY_ASSIGN_OR_RETURN(const ComparisonDoc c, ParseComparison(doc));
    page.sections = ComparisonSections(c);
  } else if (page.kind == "sweep") {
    PARLEY_ASSIGN_OR_RETURN(const SweepDoc sw, ParseSweep(doc));
    page.sections = SweepSections(sw);
  } else if (page.kind == "sensitivity") {
    PARLEY_ASSIGN_OR_RETURN(const SensitivityDoc sd, ParseSensitivity(doc));
    page.sections = SensitivitySections(sd);
  } else {
    return Bad("/kind", "unknown result kind \"" + page.kind +
                            "\" (known: run, comparison, sweep, sensitivity)");
  }
  // A chart without data would be an empty frame: leave the table alone.
  for (Section& section : page.sections) {
    if (section.spec && !HasData(*section.spec)) section.spec.reset();
    std::erase_if(section.more_specs, [](const J& spec) { return !HasData(spec); });
  }
  return page;
}

int ChartCount(const Page& page) {
  int n = 0;
  for (const auto& s : page.sections) n += (s.spec ? 1 : 0) + static_cast<int>(s.more_specs.size());
  return n;
}

// The metadata line: whatever of model, samples, seed... the document has.
std::string MetaHtml(const J& doc, const Page& page) {
  std::vector<std::string> parts;
  const char* kind_text = page.kind == "run"          ? "Monte Carlo run"
                          : page.kind == "comparison" ? "Scenario comparison"
                          : page.kind == "sweep"      ? "Parameter sweep"
                                                      : "Global sensitivity";
  std::string first = kind_text;
  if (page.kind == "sensitivity") {
    first += " (" + StringOr(doc, "method", "") + ")";
  }
  parts.push_back(first);
  if (const J* model = Optional(doc, "model"); model && model->is_string()) {
    std::string m = "model " + HtmlEscape(model->get<std::string>());
    const std::string selection = StringOr(doc, "selection", "");
    if (!selection.empty()) m += " (selection " + HtmlEscape(selection) + ")";
    if (const J* lambda = Optional(doc, "lambda"); lambda && lambda->is_number()) {
      m += fmt::format(", lambda {:g}", lambda->get<double>());
    }
    parts.push_back(m);
  }
  if (const J* samples = Optional(doc, "samples"); samples && samples->is_number()) {
    parts.push_back(HtmlEscape(samples->dump()) + " samples");
  }
  if (const J* seed = Optional(doc, "seed"); seed && (seed->is_number() || seed->is_string())) {
    // dump() keeps a 64-bit seed exact.
    parts.push_back("seed " +
                    HtmlEscape(seed->is_string() ? seed->get<std::string>() : seed->dump()));
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " \u00b7 ") + p;
  return out;
}

std::string ScenarioName(const J& doc) {
  if (const J* scenario = Optional(doc, "scenario")) {
    if (scenario->is_object()) return StringOr(*scenario, "name", "");
    if (scenario->is_string()) return scenario->get<std::string>();
  }
  if (const J* scenarios = Optional(doc, "scenarios"); scenarios && scenarios->is_array()) {
    std::string names;
    for (const J& s : *scenarios) {
      const J* sc = Optional(s, "scenario");
      names += (names.empty() ? "" : " vs ") + (sc ? StringOr(*sc, "name", "?") : "?");
    }
    return names;
  }
  return "";
}

std::string ScenarioFile(const J& doc) {
  if (const J* scenario = Optional(doc, "scenario"); scenario && scenario->is_object()) {
    return StringOr(*scenario, "file", "");
  }
  return "";
}

constexpr const char* kStyle = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       margin: 2em auto; max-width: 64em; padding: 0 1.5em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1em; margin: 1.2em 0 0.3em; }
.meta { color: #555; margin: 0.2em 0; }
.note { color: #555; font-size: 0.92em; }
.chart { margin: 0.8em 0; min-height: 1em; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
.id { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ci { color: #666; }
.claim { color: #666; font-size: 0.9em; }
#parley-error { color: #a00; font-weight: bold; }
footer { margin-top: 3em; color: #777; font-size: 0.85em; border-top: 1px solid #ddd; padding-top: 0.5em; }
)css";

// Embeds every chart, then records the outcome on <body>: data-rendered (the
// number of charts drawn) or data-error; Vega warnings go to data-warnings.
// The Content-Security-Policy forbids every fetch, and any attempt is
// reported as an error, so a page that renders needs no network.
constexpr const char* kDriver = R"js(
(function () {
  'use strict';
  var body = document.body;
  var warnings = [];
  function fail(message) {
    if (!body.hasAttribute('data-error')) body.setAttribute('data-error', String(message));
    var box = document.getElementById('parley-error');
    box.textContent = 'Chart error: ' + message;
    box.hidden = false;
  }
  document.addEventListener('securitypolicyviolation', function (e) {
    fail('blocked by the page policy: ' + e.violatedDirective + ' ' + e.blockedURI);
  });
  function logger(id) {
    var level = 2;
    var text = function (args) { return id + ': ' + Array.prototype.join.call(args, ' '); };
    return {
      level: function (l) { if (arguments.length) { level = l; return this; } return level; },
      error: function () { fail(text(arguments)); return this; },
      warn: function () { warnings.push(text(arguments)); return this; },
      info: function () { return this; },
      debug: function () { return this; }
    };
  }
  var charts;
  try {
    charts = JSON.parse(document.getElementById('parley-charts').textContent);
  } catch (e) { fail(e); return; }
  if (typeof vegaEmbed !== 'function') { fail('the charting library did not load'); return; }
  Promise.all(charts.map(function (c) {
    return vegaEmbed('#' + c.id, c.spec, {
      mode: 'vega-lite', renderer: 'svg', actions: false, logger: logger(c.id),
      ast: true  // expressions interpreted, not compiled: no eval under the policy
    });
  })).then(function (results) {
    if (warnings.length) body.setAttribute('data-warnings', warnings.join(' | '));
    body.setAttribute('data-rendered', String(results.length));
  }, function (e) { fail(e && e.message ? e.message : e); });
})();
)js";

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ScriptSafeJson(const J& value) {
  const std::string text = value.dump(-1, ' ', true, J::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool HtmlReportAvailable() { return !VegaScripts().empty(); }

Status HtmlReportUnavailable() {
  return Internal(
      "HTML reports are not available in this build: the charting libraries (Vega, Vega-Lite, "
      "vega-embed from the npm registry) were not installed when it was configured. Run "
      "scripts/bootstrap.sh deps (or `npm ci` in sim/report/web), then reconfigure and rebuild "
      "(cmake -S . -B build && cmake --build build)");
}

StatusOr<int> CountHtmlCharts(const J& result) {
  PARLEY_ASSIGN_OR_RETURN(const Page page, BuildPage(result));
  return ChartCount(page);
}

StatusOr<std::string> RenderHtmlReport(const J& doc) {
  PARLEY_ASSIGN_OR_RETURN(const Page page, BuildPage(doc));
  if (!HtmlReportAvailable()) return HtmlReportUnavailable();

  const std::string name = ScenarioName(doc);
  const std::string file = ScenarioFile(doc);
  const std::string title = name.empty() ? "Parley report" : name + " \u2014 Parley report";

  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // No fetch of any kind: the page is complete offline, and a violation
  // would show as an error (see kDriver).
  html +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<meta name=\"generator\" content=\"parley " + HtmlEscape(kParleyVersion) + "\">\n";
  html += "<title>" + HtmlEscape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n";

  const int charts = ChartCount(page);
  html +=
      fmt::format("<body data-kind=\"{}\" data-charts=\"{}\">\n", HtmlEscape(page.kind), charts);
  html += "<header>\n<h1>" + HtmlEscape(name.empty() ? "Parley report" : name) + "</h1>\n";
  html += "<p class=\"meta\">" + MetaHtml(doc, page) + "</p>\n";
  if (!file.empty())
    html += "<p class=\"meta\">Scenario file: <code>" + HtmlEscape(file) + "</code></p>\n";
  html += "<p id=\"parley-error\" hidden></p>\n";
  html +=
      "<noscript><p class=\"note\">The charts need JavaScript; the tables hold every "
      "number.</p></noscript>\n</header>\n<main>\n";

  J specs = J::array();
  auto chart = [&](const J& spec) {
    const std::string id = fmt::format("chart-{}", specs.size());
    specs.push_back({{"id", id}, {"spec", spec}});
    return "<div class=\"chart\" id=\"" + id + "\"></div>\n";
  };
  for (size_t i = 0; i < page.sections.size(); ++i) {
    const Section& s = page.sections[i];
    html += fmt::format("<section id=\"section-{}\">\n<h2>", i + 1);
    html += HtmlEscape(s.title) + "</h2>\n";
    if (!s.note.empty()) html += "<p class=\"note\">" + HtmlEscape(s.note) + "</p>\n";
    if (s.spec) {
      if (!s.more_titles.empty()) html += "<h3>" + HtmlEscape(s.more_titles[0]) + "</h3>\n";
      html += chart(*s.spec);
    }
    for (size_t i = 0; i < s.more_specs.size(); ++i) {
      if (i + 1 < s.more_titles.size())
        html += "<h3>" + HtmlEscape(s.more_titles[i + 1]) + "</h3>\n";
      html += chart(s.more_specs[i]);
    }
    html += s.tables + "</section>\n";
  }
  html += "</main>\n<footer>\n";
  std::string producer = StringOr(doc, "parley_version", "");
  html += "<p>Report written by parley " + HtmlEscape(kParleyVersion) +
          (producer.empty() ? std::string() : " from a result of parley " + HtmlEscape(producer)) +
          ".</p>\n<p>Charts: ";
  std::string libs;
  for (const WebAsset& a : VegaScripts()) {
    libs += (libs.empty() ? "" : ", ") + HtmlEscape(std::string(a.name)) + " " +
            HtmlEscape(std::string(a.version));
  }
  html += libs + " (inlined: the file needs no network).</p>\n</footer>\n";

  for (const WebAsset& a : VegaScripts()) {
    html += "<script>/* " + HtmlEscape(std::string(a.name)) + " " +
            HtmlEscape(std::string(a.version)) + " */\n" + std::string(a.script) + "\n</script>\n";
  }
  html += "<script type=\"application/json\" id=\"parley-charts\">" + ScriptSafeJson(specs) +
          "</script>\n";
  html += std::string("<script>") + kDriver + "</script>\n</body>\n</html>\n";
  return html;
}

StatusOr<std::string> RenderHtmlReport(const nlohmann::json& result) {
  return RenderHtmlReport(J(result));
}

Status WriteHtmlReport(const J& result, const std::string& path) {
  PARLEY_ASSIGN_OR_RETURN(const std::string html, RenderHtmlReport(result));
  return WriteFileAtomically(path, html);
}

Status WriteHtmlReport(const nlohmann::json& result, const std::string& path) {
  PARLEY_ASSIGN_OR_RETURN(const std::string html, RenderHtmlReport(result));
  return WriteFileAtomically(path, html);
}

StatusOr<J> ReadResultFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Internal("cannot read " + path);
  const std::string text = ss.str();
  try {
    return J::parse(text);
  } catch (const J::parse_error& e) {
    // Point at the line and column of the byte where parsing stopped.
    size_t line = 1, col = 1;
    const size_t end = std::min(e.byte == 0 ? 0 : e.byte - 1, text.size());
    for (size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: x" -> "x"
    if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    return InvalidArgument(
        fmt::format("{}:{}:{}: error: not a JSON result: {}", path, line, col, what));
  }
}

}  // namespace parley
