// The HTML report without a browser: escaping, chart counts per result kind,
// errors for bad documents, atomic writing. tests/html_report_browser_test.cc
// checks in headless Chromium that the charts render.
#include "sim/report/html_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/report/web_assets.h"

namespace parley {
namespace {

using J = nlohmann::ordered_json;

std::string Data(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/report/" + name;
}

J Load(const std::string& name) {
  auto doc = ReadResultFile(Data(name));
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  return doc.ok() ? *doc : J();
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

TEST(HtmlCharts, CountsPerKind) {
  // Run: outcomes, payoffs, argument tornado.
  EXPECT_EQ(*CountHtmlCharts(Load("run-no-kind.json")), 3);
  // Sequential run: + attribution, paths, threats.
  EXPECT_EQ(*CountHtmlCharts(Load("run-sequential.json")), 6);
  EXPECT_EQ(*CountHtmlCharts(Load("comparison.json")), 1);
  EXPECT_EQ(*CountHtmlCharts(Load("sweep-1d.json")), 1);
  // One heat map per outcome.
  EXPECT_EQ(*CountHtmlCharts(Load("sweep-2d.json")), 3);
  // One chart per output.
  EXPECT_EQ(*CountHtmlCharts(Load("sensitivity-sobol.json")), 4);
  EXPECT_EQ(*CountHtmlCharts(Load("sensitivity-morris.json")), 3);
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
  EXPECT_EQ(*CountHtmlCharts(doc), 2);
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
    ASSERT_TRUE(doc.ok()) << c.file;
    auto html = RenderHtmlReport(*doc);
    ASSERT_FALSE(html.ok()) << c.file;
    EXPECT_EQ(html.status().code(), StatusCode::kInvalidArgument) << c.file;
    EXPECT_NE(html.status().message().find(c.message), std::string::npos)
        << c.file << ": " << html.status().message();
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
                                             "/attribution/arguments/0/shapley",
                                             "/outcomes",
                                             "/unresolved",
                                             "/equilibria",
                                             "/scenario"};
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
        auto count = CountHtmlCharts(doc);
        if (!count.ok()) {
          EXPECT_EQ(count.status().code(), StatusCode::kInvalidArgument) << pointer;
        }
      }) << pointer
         << " = " << value.dump();
    }
  }
}

TEST(HtmlReport, NotJsonNamesLineAndColumn) {
  auto doc = ReadResultFile(Data("bad/not-json.json"));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(doc.status().message().find("not-json.json:3:21: error: not a JSON result"),
            std::string::npos)
      << doc.status().message();
  auto missing = ReadResultFile(Data("bad/no-such-file.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(HtmlReport, HostileScenarioNameIsEscaped) {
  SKIP_WITHOUT_VEGA();
  const J doc = Load("run-no-kind.json");
  auto html = RenderHtmlReport(doc);
  ASSERT_TRUE(html.ok()) << html.status().message();
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
  ASSERT_TRUE(html.ok()) << html.status().message();
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
  EXPECT_NE(html->find("<td><span class=\"id\">us-walkout</span>"), std::string::npos);
  EXPECT_NE(html->find("Report written by parley"), std::string::npos);
  EXPECT_NE(html->find("data-charts=\"6\""), std::string::npos);
}

TEST(HtmlReport, NlohmannJsonOverloadMatches) {
  SKIP_WITHOUT_VEGA();
  const J ordered = Load("comparison.json");
  const nlohmann::json plain = nlohmann::json::parse(ordered.dump());
  auto a = RenderHtmlReport(ordered);
  auto b = RenderHtmlReport(plain);
  ASSERT_TRUE(a.ok() && b.ok());
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
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(WriteHtmlReport(*bad, out.string()).ok());
  std::ifstream in(out);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "old");
  EXPECT_FALSE(WriteHtmlReport(*bad, (dir / "new.html").string()).ok());
  EXPECT_FALSE(fs::exists(dir / "new.html"));
  if (HtmlReportAvailable()) {
    ASSERT_TRUE(WriteHtmlReport(Load("sweep-1d.json"), out.string()).ok());
    EXPECT_GT(fs::file_size(out), 100000u);
  } else {
    const Status s = WriteHtmlReport(Load("sweep-1d.json"), out.string());
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("npm ci"), std::string::npos);
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
