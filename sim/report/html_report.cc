// The page of the HTML report: picks the parser and sections by the
// document's kind, and lays out the header, the sections with their charts,
// the inlined charting scripts and the driver that renders the charts.
#include "sim/report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "sim/core/output_file.h"
#include "sim/core/text_file.h"
#include "sim/report/html_report_document.h"
#include "sim/report/html_report_models.h"
#include "sim/report/html_report_score.h"
#include "sim/report/html_report_sections.h"
#include "sim/report/report.h"
#include "sim/report/web_assets.h"
#include "sim/version.h"

namespace parley {
namespace {

using J = nlohmann::ordered_json;
using html::Bad;
using html::Optional;
using html::Section;
using html::StringOr;
using html::TypeName;

struct Page {
  std::string kind;
  html::ProvenanceDoc provenance;
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
    PARLEY_ASSIGN_OR_RETURN(const html::RunDoc run, html::ParseRun(doc));
    page.sections = html::RunSections(run);
  } else if (page.kind == "comparison") {
    PARLEY_ASSIGN_OR_RETURN(const html::ComparisonDoc c, html::ParseComparison(doc));
    page.sections = html::ComparisonSections(c);
  } else if (page.kind == "sweep") {
    PARLEY_ASSIGN_OR_RETURN(const html::SweepDoc sw, html::ParseSweep(doc));
    page.sections = html::SweepSections(sw);
  } else if (page.kind == "sensitivity") {
    PARLEY_ASSIGN_OR_RETURN(const html::SensitivityDoc sd, html::ParseSensitivity(doc));
    page.sections = html::SensitivitySections(sd);
  } else if (page.kind == "score") {
    PARLEY_ASSIGN_OR_RETURN(const html::ScoreDoc sc, html::ParseScore(doc));
    page.sections = html::ScoreSections(sc);
  } else if (page.kind == "doctor") {
    PARLEY_ASSIGN_OR_RETURN(const html::DoctorDoc dd, html::ParseDoctor(doc));
    page.sections = html::DoctorSections(dd);
  } else if (page.kind == "model-comparison") {
    PARLEY_ASSIGN_OR_RETURN(const html::ModelComparisonDoc mc, html::ParseModelComparison(doc));
    page.sections = html::ModelComparisonSections(mc);
  } else if (page.kind == "fit") {
    PARLEY_ASSIGN_OR_RETURN(const html::FitDoc fd, html::ParseFit(doc));
    page.sections = html::FitSections(fd);
  } else {
    return Bad("/kind", "unknown result kind \"" + page.kind +
                            "\" (known: run, comparison, sweep, sensitivity, score, doctor, "
                            "model-comparison, fit)");
  }
  PARLEY_ASSIGN_OR_RETURN(page.provenance, html::ParseProvenance(doc));
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

// The line under the title: the kind, and whatever of model, samples, seed...
// the document has. The provenance block below it has the details.
std::string MetaHtml(const J& doc, const Page& page) {
  std::vector<std::string> parts;
  const char* kind_text = page.kind == "run"                ? "Monte Carlo run"
                          : page.kind == "comparison"       ? "Scenario comparison"
                          : page.kind == "sweep"            ? "Parameter sweep"
                          : page.kind == "score"            ? "Back-test against history"
                          : page.kind == "doctor"           ? "Scenario diagnostics"
                          : page.kind == "model-comparison" ? "Model comparison"
                          : page.kind == "fit"              ? "Parameter fitted to observed play"
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
  if (const J* episodes = Optional(doc, "episodes"); episodes && episodes->is_array()) {
    return fmt::format("Back-test of {} episode{}", episodes->size(),
                       episodes->size() == 1 ? "" : "s");
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
.provenance h2 { font-size: 1.05em; margin-top: 1em; }
.provenance dl { display: grid; grid-template-columns: max-content auto; gap: 0.15em 1em;
                 margin: 0.5em 0; font-size: 0.92em; }
.provenance dt { color: #555; }
.provenance dd { margin: 0; }
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
  html += html::ProvenanceHtml(page.provenance, page.kind);
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
  return WriteOutputFile(path, html);
}

Status WriteHtmlReport(const nlohmann::json& result, const std::string& path) {
  PARLEY_ASSIGN_OR_RETURN(const std::string html, RenderHtmlReport(result));
  return WriteOutputFile(path, html);
}

StatusOr<J> ReadResultFile(const std::string& path) {
  // Like scenario files: a FIFO, a device or a huge file is refused before
  // anything is read.
  PARLEY_ASSIGN_OR_RETURN(const std::string text,
                          ReadTextFile(path, kMaxResultFileBytes, "result file"));
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
