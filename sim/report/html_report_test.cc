// The HTML report without a browser: escaping, chart counts per result kind,
// errors for bad documents, atomic writing. tests/html_report_browser_test.cc
// checks in headless Chromium that the charts render.
#include "sim/report/html_report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/status_matchers.h"
#include "sim/report/provenance.h"
#include "sim/report/web_assets.h"

namespace parley {
namespace {

using J = nlohmann::ordered_json;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Data(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/report/" + name;
}

J Load(const std::string& name) {
  auto doc = ReadResultFile(Data(name));
  EXPECT_THAT(doc, IsOk());
  return doc.ok() ? *doc : J();
}

// The page's <header>: the title and the provenance block (short enough to
// print when a match fails, unlike the page with its scripts).
std::string Header(const std::string& html) {
  const size_t begin = html.find("<header>");
  const size_t end = html.find("</header>");
  if (begin == std::string::npos || end == std::string::npos) return "(no header)";
  return html.substr(begin, end - begin);
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Skips rendering tests in a build configured without the npm modules, but
// only there: PARLEY_EXPECT_VEGA is set when CMake found them.
#define SKIP_WITHOUT_VEGA()                                                      \
  do {                                                                           \
    if (!HtmlReportAvailable()) {                                                \
      ASSERT_FALSE(PARLEY_EXPECT_VEGA) << "the build should have embedded Vega"; \
      GTEST_SKIP() << "built without the charting libraries (npm ci not run)";   \
    }                                                                            \
  } while (0)

TEST(HtmlEscape, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape(R"(<a href="x">'&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("plain text"), "plain text");
}

TEST(ScriptSafeJson, HasNoMarkupCharactersAndRoundTrips) {
  const J value = {{"name", "</script><!-- & \u2028 \"q\" 'q'"}, {"x", 1.5}};
  const std::string text = ScriptSafeJson(value);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  for (unsigned char c : text) EXPECT_LT(c, 0x80) << "ASCII only";
  EXPECT_EQ(J::parse(text), value);
}

TEST(HtmlReport, ModelComparisonStatesEachModelsCostAndTheSharedDraws) {
  const J doc = Load("model-comparison.json");
  auto html = RenderHtmlReport(doc);
  ASSERT_TRUE(html.ok()) << html.status().message();
  // The fixture's figures, as the report must print them.
  const double draws = doc["run"]["draw_ns_per_sample"][0].get<double>();
  EXPECT_THAT(*html, HasSubstr(fmt::format("cost {:.0f} ns per sample", draws)));
  EXPECT_THAT(*html, HasSubstr("cost (ns per sample)"));
}

TEST(HtmlCharts, CountsPerKind) {
  // Run: outcomes, payoffs, one per actor's options (4), profiles, argument tornado.
  EXPECT_EQ(*CountHtmlCharts(Load("run-no-kind.json")), 8);
  // Sequential run: outcomes, payoffs, one per actor's moves (4), argument
  // tornado, attribution, paths, threats.
  EXPECT_EQ(*CountHtmlCharts(Load("run-sequential.json")), 10);
  // Multi-round run (a chance stage, one actor): outcomes, the rounds'
  // cumulative incidence, payoffs, the actor's moves, paths.
  EXPECT_EQ(*CountHtmlCharts(Load("run-rounds.json")), 5);
  EXPECT_EQ(*CountHtmlCharts(Load("comparison.json")), 1);
  EXPECT_EQ(*CountHtmlCharts(Load("sweep-1d.json")), 1);
  // One heat map per outcome.
  EXPECT_EQ(*CountHtmlCharts(Load("sweep-2d.json")), 3);
  // One chart per output.
  EXPECT_EQ(*CountHtmlCharts(Load("sensitivity-sobol.json")), 4);
  EXPECT_EQ(*CountHtmlCharts(Load("sensitivity-morris.json")), 3);
  // Two scenarios: per scenario the outcome bars by model and the paired
  // differences.
  EXPECT_EQ(*CountHtmlCharts(Load("model-comparison.json")), 4);
  // The likelihood profile; observed against predicted choice shares.
  EXPECT_EQ(*CountHtmlCharts(Load("fit.json")), 2);
  // Mean Brier scores; the reliability diagram.
  EXPECT_EQ(*CountHtmlCharts(Load("score.json")), 2);
  // Findings are tables only.
  EXPECT_EQ(*CountHtmlCharts(Load("doctor.json")), 0);
}

// Every result kind renders to a page with one container per chart (the
// browser test, left out of sanitizer builds, checks that Chromium draws
// them; this keeps every kind's page writer under the sanitizers).
TEST(HtmlReport, EveryResultKindRendersOneContainerPerChart) {
  SKIP_WITHOUT_VEGA();
  for (const char* name : {"run-no-kind.json", "run-sequential.json", "run-rounds.json",
                           "comparison.json", "sweep-1d.json", "sweep-2d.json",
                           "sensitivity-sobol.json", "sensitivity-morris.json",
                           "model-comparison.json", "fit.json", "score.json", "doctor.json"}) {
    const J doc = Load(name);
    const auto charts = CountHtmlCharts(doc);
    ASSERT_THAT(charts, IsOk()) << name;
    const auto html = RenderHtmlReport(doc);
    ASSERT_THAT(html, IsOk()) << name;
    for (int i = 0; i <= *charts; ++i) {
      const bool drawn = html->find("id=\"chart-" + std::to_string(i) + "\"") != std::string::npos;
      EXPECT_EQ(drawn, i < *charts) << name << ": chart-" << i;
    }
  }
}

TEST(HtmlCharts, MissingKindIsARun) {
  J doc = Load("run-sequential.json");
  const int with_kind = *CountHtmlCharts(doc);
  doc.erase("kind");
  EXPECT_EQ(*CountHtmlCharts(doc), with_kind);
}

TEST(HtmlCharts, ArgumentsWithoutEffectsGetNoTornado) {
  J doc = Load("run-no-kind.json");
  for (auto& a : doc["arguments"]) {
    for (auto& [outcome, e] : a["effects"].items()) e = {{"effect", nullptr}, {"ci95", nullptr}};
  }
  EXPECT_EQ(*CountHtmlCharts(doc), 7);
}

TEST(HtmlCharts, UncountedProfilesGetANoteAndNoChart) {
  J doc = Load("run-no-kind.json");
  doc["profiles"] = {
      {"counted", false}, {"total", 68921}, {"distinct", nullptr}, {"most_frequent", J::array()}};
  EXPECT_EQ(*CountHtmlCharts(doc), 7);
  SKIP_WITHOUT_VEGA();
  auto html = RenderHtmlReport(doc);
  ASSERT_THAT(html, IsOk());
  EXPECT_NE(html->find("Not counted: the game has 68921 profiles."), std::string::npos);
  // What each actor does: a heading per actor's chart.
  EXPECT_NE(html->find("<h3>russia</h3>"), std::string::npos);
}

// An index with no defined bootstrap resample has null bounds
// (json-output.md); the report draws it without an interval.
TEST(HtmlCharts, SensitivityIntervalsWithNullBoundsAreDrawnWithout) {
  J doc = Load("sensitivity-sobol.json");
  const int charts = *CountHtmlCharts(doc);
  doc["outputs"][0]["indices"][0]["S1_ci95"] = {nullptr, nullptr};
  doc["outputs"][0]["indices"][0]["ST_ci95"] = {0.1, nullptr};
  EXPECT_EQ(*CountHtmlCharts(doc), charts);
}

TEST(HtmlCharts, EmptyResultsDrawNoEmptyCharts) {
  EXPECT_EQ(*CountHtmlCharts(J{{"kind", "run"}, {"outcomes", J::array()}}), 0);
  EXPECT_EQ(
      *CountHtmlCharts(J{
          {"kind", "sweep"}, {"vary", J::array({{{"name", "param.x"}}})}, {"points", J::array()}}),
      0);
  EXPECT_EQ(
      *CountHtmlCharts(
          J{{"kind", "comparison"},
            {"scenarios", J::array({{{"scenario", {{"name", "a"}}}, {"outcomes", J::array()}}})}}),
      0);
  EXPECT_EQ(
      *CountHtmlCharts(J{{"kind", "sensitivity"},
                         {"method", "sobol"},
                         {"outputs", J::array({{{"name", "P(a)"}, {"indices", J::array()}}})}}),
      0);
}

struct BadCase {
  std::string file;
  std::string message;  // a part of the error
};

TEST(HtmlReport, BadDocumentsNameTheProblem) {
  const std::vector<BadCase> cases = {
      {"unknown-kind.json", "/kind: unknown result kind \"histogram\""},
      {"missing-outcomes.json", "the document: missing key \"outcomes\""},
      {"bad-ci.json", "/outcomes/0/ci95: expected [low, high]"},
      {"sweep-missing-value.json", "/points/0/values: missing key \"param.x\""},
      {"sensitivity-bad-method.json", "/method: expected \"sobol\" or \"morris\""},
      {"not-object.json", "expected a JSON object"},
  };
  for (const auto& c : cases) {
    auto doc = ReadResultFile(Data("bad/" + c.file));
    ASSERT_THAT(doc, IsOk()) << c.file;
    EXPECT_THAT(RenderHtmlReport(*doc),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.file;
  }
}

TEST(HtmlReport, MistypedFieldsAreErrorsNotCrashes) {
  const J base = Load("run-sequential.json");
  // Replace each field of the first outcome, payoff, argument, path and
  // threat by values of the wrong type: always an error or a page, never a
  // crash or an exception.
  const std::vector<std::string> pointers = {"/outcomes/0/probability",
                                             "/outcomes/0/id",
                                             "/outcomes/0/ci95",
                                             "/payoffs/0/mean",
                                             "/payoffs/0/ci95",
                                             "/arguments/0/effects",
                                             "/arguments/0/id",
                                             "/paths/most_frequent",
                                             "/paths/most_frequent/0/branches",
                                             "/threats/0/credible",
                                             "/actors",
                                             "/actors/0/options",
                                             "/actors/0/options/0/share",
                                             "/actors/0/options/0/ci95",
                                             "/actors/0/stages",
                                             "/actors/0/stages/0/reached",
                                             "/profiles",
                                             "/profiles/counted",
                                             "/profiles/most_frequent",
                                             "/profiles/most_frequent/0/options",
                                             "/attribution/arguments/0/shapley",
                                             "/outcomes",
                                             "/unresolved",
                                             "/equilibria",
                                             "/scenario",
                                             "/scenario/extends",
                                             "/model_parameters",
                                             "/model_parameters/lambda",
                                             "/overrides",
                                             "/overrides/set"};
  const std::vector<J> wrong = {J("text"),
                                J(1.5),
                                J::array({1}),
                                J::object(),
                                J(nullptr),
                                J(true),
                                J::array({J::array({"a", 3})})};
  for (const auto& pointer : pointers) {
    for (const auto& value : wrong) {
      J doc = base;
      doc[J::json_pointer(pointer)] = value;
      EXPECT_NO_THROW({
        EXPECT_THAT(CountHtmlCharts(doc), AnyOf(IsOk(), StatusIs(StatusCode::kInvalidArgument)))
            << pointer;
      }) << pointer
         << " = " << value.dump();
    }
  }
}

TEST(HtmlReport, NotJsonNamesLineAndColumn) {
  EXPECT_THAT(ReadResultFile(Data("bad/not-json.json")),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("not-json.json:3:21: error: not a JSON result")));
  EXPECT_THAT(ReadResultFile(Data("bad/no-such-file.json")), StatusIs(StatusCode::kNotFound));
}

TEST(HtmlReport, HostileScenarioNameIsEscaped) {
  SKIP_WITHOUT_VEGA();
  const J doc = Load("run-no-kind.json");
  auto html = RenderHtmlReport(doc);
  ASSERT_THAT(html, IsOk());
  // Five script elements (vega, vega-lite, vega-embed, the specs, the
  // driver) and no other "</script" anywhere: the name cannot close one.
  EXPECT_EQ(Occurrences(*html, "<script"), 5u);
  EXPECT_EQ(Occurrences(*html, "</script"), 5u);
  EXPECT_EQ(html->find("<b>bold</b>"), std::string::npos);
  EXPECT_NE(html->find("<h1>Istanbul &lt;/script&gt;&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html->find("&#39;quotes&#39; &quot;double&quot; &lt;b&gt;bold&lt;/b&gt;"),
            std::string::npos);
  EXPECT_EQ(html->find("setAttribute(\"data-error\""), std::string::npos);
}

TEST(HtmlReport, PageIsSelfContained) {
  SKIP_WITHOUT_VEGA();
  auto html = RenderHtmlReport(Load("run-sequential.json"));
  ASSERT_THAT(html, IsOk());
  // No element loads anything: no src= or href= attributes outside the
  // inline scripts, and the policy forbids fetches.
  std::string markup;
  for (size_t at = 0; at < html->size();) {
    const size_t open = html->find("<script", at);
    markup += html->substr(at, open == std::string::npos ? std::string::npos : open - at);
    if (open == std::string::npos) break;
    const size_t close = html->find("</script>", open);
    ASSERT_NE(close, std::string::npos);
    at = close + 9;
  }
  EXPECT_EQ(markup.find("src="), std::string::npos);
  EXPECT_EQ(markup.find("href="), std::string::npos);
  EXPECT_EQ(markup.find("<link"), std::string::npos);
  EXPECT_NE(html->find("default-src 'none'"), std::string::npos);
  for (const WebAsset& a : VegaScripts()) {
    EXPECT_NE(html->find("/* " + std::string(a.name) + " " + std::string(a.version) + " */"),
              std::string::npos);
  }
  // The text part: scenario, model, samples, seed, numbers, version.
  EXPECT_NE(html->find("Istanbul talks, May 2025 (sequential)"), std::string::npos);
  EXPECT_NE(html->find("model spe (selection uniform)"), std::string::npos);
  EXPECT_NE(html->find("2000 samples"), std::string::npos);
  EXPECT_NE(html->find("seed 20250515"), std::string::npos);
  EXPECT_NE(html->find("<dt>Model</dt><dd>spe</dd>\n<dt>Selection</dt><dd>uniform</dd>\n"
                       "<dt>Samples</dt><dd>2000</dd>\n<dt>Seed</dt><dd>20250515</dd>\n"),
            std::string::npos);
  EXPECT_NE(html->find("<td><span class=\"id\">us-walkout</span>"), std::string::npos);
  EXPECT_NE(html->find("Report written by parley"), std::string::npos);
  EXPECT_NE(html->find("data-charts=\"10\""), std::string::npos);
}

// The provenance block: what it shows of a result that has every key.
J WithProvenance() {
  return {
      {"kind", "run"},
      {"scenario",
       {{"name", "Talks"}, {"file", "variant.yaml"}, {"extends", {"variant.yaml", "base.yaml"}}}},
      {"model", "qre"},
      {"selection", "uniform"},
      {"lambda", 2.5},
      {"model_parameters", {{"lambda", 2.5}}},
      {"overrides",
       {{"set", {"param.x=2", "param.note=</script><script>alert(1)</script>"}},
        {"with", {"arg-id"}},
        {"without", J::array()}}},
      {"samples", 100},
      {"seed", 7},
      {"outcomes", J::array({{{"id", "deal"}, {"probability", 1.0}}})}};
}

TEST(HtmlReport, ShowsWhatProducedTheResult) {
  SKIP_WITHOUT_VEGA();
  auto html = RenderHtmlReport(WithProvenance());
  ASSERT_THAT(html, IsOk());
  EXPECT_THAT(Header(*html),
              HasSubstr("<h2>What produced this</h2>\n<dl>\n"
                        "<dt>Scenario file</dt><dd><code>variant.yaml</code></dd>\n"
                        "<dt>Extends</dt><dd><code>variant.yaml</code> \u2192 "
                        "<code>base.yaml</code></dd>\n"
                        "<dt>Model</dt><dd>qre (lambda=2.5)</dd>\n"
                        "<dt>Selection</dt><dd>uniform</dd>\n"
                        "<dt>Samples</dt><dd>100</dd>\n"
                        "<dt>Seed</dt><dd>7</dd>\n"
                        "<dt>Overrides</dt><dd><code>--set param.x=2</code>, "
                        "<code>--set param.note=&lt;/script&gt;&lt;script&gt;alert(1)"
                        "&lt;/script&gt;</code>, <code>--with arg-id</code></dd>\n</dl>\n"));
  // The override cannot open or close a script element.
  EXPECT_EQ(Occurrences(*html, "<script"), 5u);
  EXPECT_EQ(Occurrences(*html, "</script"), 5u);

  // Present but empty: "none"; every parameter, strings as they are.
  J doc = WithProvenance();
  doc["overrides"] = {{"set", J::array()}, {"with", J::array()}, {"without", J::array()}};
  doc["model"] = "level-k";
  doc.erase("lambda");
  doc["model_parameters"] = {{"k", 2}, {"level0", "uniform"}};
  html = RenderHtmlReport(doc);
  ASSERT_THAT(html, IsOk());
  EXPECT_THAT(Header(*html), HasSubstr("<dt>Model</dt><dd>level-k (k=2, level0=uniform)</dd>"));
  EXPECT_THAT(Header(*html), HasSubstr("<dt>Overrides</dt><dd>none</dd>"));
}

TEST(HtmlReport, ShowsWhatProducedEveryKind) {
  SKIP_WITHOUT_VEGA();
  Provenance p;
  p.model = "qre";
  p.model_parameters = {{"lambda", 3.5}};
  p.set = {"param.x=1"};
  p.without = {"us-walkout"};
  p.extends = {"variant.yaml", "base.yaml"};
  for (const char* name : {"sweep-1d.json", "sensitivity-sobol.json", "sensitivity-morris.json",
                           "run-sequential.json"}) {
    J doc = Load(name);
    AddProvenanceJson(p, doc);
    auto html = RenderHtmlReport(doc);
    ASSERT_THAT(html, IsOk()) << name;
    EXPECT_THAT(Header(*html), HasSubstr(" (lambda=3.5)</dd>")) << name;
    EXPECT_THAT(Header(*html), HasSubstr("<dt>Overrides</dt><dd><code>--set param.x=1</code>, "
                                         "<code>--without us-walkout</code></dd>"))
        << name;
    EXPECT_THAT(Header(*html), HasSubstr("<dt>Extends</dt><dd><code>variant.yaml</code>"));
  }
  // A comparison: a row per scenario, each with its own provenance.
  J doc = Load("comparison.json");
  AddProvenanceJson(p, doc["scenarios"][0]);
  Provenance q;
  q.model = "nash-pure";
  q.with = {"arg-<b>"};
  AddProvenanceJson(q, doc["scenarios"][1]);
  auto html = RenderHtmlReport(doc);
  ASSERT_THAT(html, IsOk());
  EXPECT_THAT(Header(*html),
              HasSubstr("<th>Scenario</th><th>File</th><th>Model</th><th>Selection</th>"
                        "<th>Overrides</th>"));
  EXPECT_THAT(Header(*html), HasSubstr("<br>extends: <code>variant.yaml</code> \u2192 "
                                       "<code>base.yaml</code></td><td>qre (lambda=3.5)</td>"));
  EXPECT_THAT(Header(*html), HasSubstr("<td><code>--set param.x=1</code>, "
                                       "<code>--without us-walkout</code></td></tr>"));
  EXPECT_THAT(Header(*html), HasSubstr("<td>nash-pure</td><td></td><td><code>--with "
                                       "arg-&lt;b&gt;</code></td></tr>"));
}

TEST(HtmlReport, ResultsWithoutProvenanceStillRender) {
  SKIP_WITHOUT_VEGA();
  for (const char* name :
       {"run-no-kind.json", "run-sequential.json", "comparison.json", "sweep-1d.json",
        "sweep-2d.json", "sensitivity-sobol.json", "sensitivity-morris.json"}) {
    const J doc = Load(name);
    ASSERT_FALSE(doc.contains("overrides") || doc.contains("model_parameters")) << name;
    auto html = RenderHtmlReport(doc);
    ASSERT_THAT(html, IsOk()) << name;
    EXPECT_THAT(Header(*html), HasSubstr("<h2>What produced this</h2>")) << name;
    EXPECT_THAT(Header(*html), Not(HasSubstr("Overrides"))) << name;
  }
  // Before model_parameters, qre's lambda stood alone.
  J doc = WithProvenance();
  doc.erase("model_parameters");
  doc.erase("overrides");
  doc["lambda"] = 0.5;
  auto html = RenderHtmlReport(doc);
  ASSERT_THAT(html, IsOk());
  EXPECT_THAT(Header(*html), HasSubstr("<dt>Model</dt><dd>qre (lambda=0.5)</dd>"));
  // Nothing at all: no block.
  html = RenderHtmlReport(J{{"kind", "run"}, {"outcomes", J::array()}});
  ASSERT_THAT(html, IsOk());
  EXPECT_THAT(Header(*html), Not(HasSubstr("What produced this")));
}

TEST(HtmlReport, MistypedProvenanceNamesThePointer) {
  struct Case {
    std::string pointer;
    J value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"/overrides/set/1", J(2), "/overrides/set/1: expected a string, found number"},
      {"/overrides/with", J("arg-id"), "/overrides/with: expected an array of strings"},
      {"/overrides", J::array(), "/overrides: expected an object"},
      {"/model_parameters/lambda", J::array({1}),
       "/model_parameters/lambda: expected a number or a string, found array"},
      {"/model_parameters", J(2.5), "/model_parameters: expected an object"},
      {"/scenario/extends", J("base.yaml"), "/scenario/extends: expected an array of strings"},
      {"/lambda", J("high"), ""},  // ignored: model_parameters is there
  };
  for (const auto& c : cases) {
    J doc = WithProvenance();
    doc[J::json_pointer(c.pointer)] = c.value;
    if (c.message.empty()) {
      EXPECT_THAT(CountHtmlCharts(doc), IsOk()) << c.pointer;
    } else {
      EXPECT_THAT(CountHtmlCharts(doc),
                  StatusIs(StatusCode::kInvalidArgument, HasSubstr(c.message)))
          << c.pointer;
    }
  }
  J doc = WithProvenance();
  doc.erase("model_parameters");
  doc["lambda"] = "high";
  EXPECT_THAT(CountHtmlCharts(doc),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("/lambda: expected a number")));
  // In a comparison, the entry's pointer.
  J comparison = Load("comparison.json");
  comparison["scenarios"][1]["overrides"] = {{"set", J::array()}, {"with", {"a", nullptr}}};
  EXPECT_THAT(CountHtmlCharts(comparison),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("/scenarios/1/overrides/with/1: expected a string, found null")));
}

TEST(HtmlReport, NlohmannJsonOverloadMatches) {
  SKIP_WITHOUT_VEGA();
  const J ordered = Load("comparison.json");
  const nlohmann::json plain = nlohmann::json::parse(ordered.dump());
  auto a = RenderHtmlReport(ordered);
  auto b = RenderHtmlReport(plain);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  // Key order differs, so the pages may too; both must hold the same table.
  EXPECT_NE(b->find("Istanbul: a credible US walkout"), std::string::npos);
  EXPECT_NE(a->find("Istanbul: a credible US walkout"), std::string::npos);
}

TEST(WriteHtmlReport, WritesAtomicallyAndNothingOnError) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("parley-html-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path out = dir / "report.html";
  // A bad document leaves an existing file alone and writes nothing new.
  { std::ofstream(out) << "old"; }
  auto bad = ReadResultFile(Data("bad/unknown-kind.json"));
  ASSERT_THAT(bad, IsOk());
  EXPECT_THAT(WriteHtmlReport(*bad, out.string()), StatusIs(StatusCode::kInvalidArgument));
  std::ifstream in(out);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "old");
  EXPECT_THAT(WriteHtmlReport(*bad, (dir / "new.html").string()),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_FALSE(fs::exists(dir / "new.html"));
  if (HtmlReportAvailable()) {
    ASSERT_THAT(WriteHtmlReport(Load("sweep-1d.json"), out.string()), IsOk());
    EXPECT_GT(fs::file_size(out), 100000u);
  } else {
    EXPECT_THAT(WriteHtmlReport(Load("sweep-1d.json"), out.string()),
                StatusIs(StatusCode::kInternal, HasSubstr("npm ci")));
  }
  // No temporary file is left behind.
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace parley
