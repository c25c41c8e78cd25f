// The HTML report in a real browser: `parley report` (and `parley run
// --html`) pages opened in headless Chromium (Debian's `chromium`), which
// must draw every chart (one <svg> in each chart's container), mark the page
// data-rendered, and report no error, no Vega warning and no blocked fetch
// (the page's policy forbids all network access). Skipped only when
// chromium is not installed, or when the build has no charting libraries.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>

#include "parley_cli.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

std::string Chromium() {
  if (const char* env = std::getenv("PARLEY_CHROMIUM")) return env;
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(path)) return path;
  }
  return "";
}

struct Dom {
  int exit_code = 0;
  std::string text;
};

// Loads the page and dumps the DOM after its scripts have run.
Dom DumpDom(const fs::path& html) {
  const fs::path profile = TempPath("chromium-profile-" + html.stem().string());
  fs::create_directories(profile);
  const fs::path dom = TempPath(html.stem().string() + ".dom");
  const std::string command =
      "timeout 180 " + Chromium() +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --disable-dev-shm-usage --user-data-dir=" +
      profile.string() + " --virtual-time-budget=20000 --dump-dom 'file://" +
      fs::absolute(html).string() + "' >" + dom.string() + " 2>/dev/null </dev/null";
  const int status = std::system(command.c_str());
  fs::remove_all(profile);
  return {WEXITSTATUS(status), Slurp(dom)};
}

// The value of attribute `name` on <body>, or nullopt.
std::optional<std::string> BodyAttribute(const std::string& dom, const std::string& name) {
  const size_t body = dom.find("<body");
  if (body == std::string::npos) return std::nullopt;
  const std::string tag = dom.substr(body, dom.find('>', body) - body);
  const std::regex attribute(" " + name + "=\"([^\"]*)\"");
  std::smatch m;
  if (!std::regex_search(tag, m, attribute)) return std::nullopt;
  return m[1].str();
}

// Checks a rendered page: every chart container holds an <svg>.
void ExpectRendered(const fs::path& html, int expected_charts) {
  const Dom dom = DumpDom(html);
  ASSERT_EQ(dom.exit_code, 0) << "chromium failed on " << html;
  ASSERT_NE(dom.text.find("<body"), std::string::npos) << "no DOM for " << html;
  EXPECT_EQ(BodyAttribute(dom.text, "data-error"), std::nullopt)
      << html << ": " << BodyAttribute(dom.text, "data-error").value_or("");
  EXPECT_EQ(BodyAttribute(dom.text, "data-warnings"), std::nullopt)
      << html << ": " << BodyAttribute(dom.text, "data-warnings").value_or("");
  EXPECT_EQ(BodyAttribute(dom.text, "data-charts"), std::to_string(expected_charts)) << html;
  EXPECT_EQ(BodyAttribute(dom.text, "data-rendered"), std::to_string(expected_charts))
      << html << " did not finish rendering";
  for (int i = 0; i < expected_charts; ++i) {
    const std::string id = "id=\"chart-" + std::to_string(i) + "\"";
    const size_t at = dom.text.find(id);
    ASSERT_NE(at, std::string::npos) << html << ": no container " << id;
    const size_t next =
        std::min(dom.text.find("id=\"chart-", at + id.size()), dom.text.find("</section>", at));
    const size_t svg = dom.text.find("<svg", at);
    EXPECT_TRUE(svg != std::string::npos && svg < next) << html << ": chart " << i << " has no svg";
    // Vega draws marks as paths inside the svg: an empty chart has none.
    const size_t mark = dom.text.find("<path", at);
    EXPECT_TRUE(mark != std::string::npos && mark < next) << html << ": chart " << i << " is empty";
  }
}

class BrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Chromium().empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
#if !PARLEY_EXPECT_VEGA
    GTEST_SKIP() << "built without the charting libraries (run npm ci in sim/report/web)";
#endif
  }
};

struct Fixture {
  const char* file;
  int charts;
};

void PrintTo(const Fixture& f, std::ostream* os) { *os << f.file; }

class FixtureTest : public BrowserTest, public ::testing::WithParamInterface<Fixture> {};

TEST_P(FixtureTest, EveryChartRenders) {
  const Fixture f = GetParam();
  const std::string input = std::string(PARLEY_SOURCE_DIR) + "/tests/data/report/" + f.file;
  const fs::path html = TempPath(fs::path(f.file).stem().string() + ".html");
  const CliResult r = Parley("report " + input + " -o " + html.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectRendered(html, f.charts);
}

// The fixtures have the shapes of docs/reference/json-output.md; the hostile
// scenario name (run-no-kind.json) must not inject anything either (an
// injected script would set data-error).
INSTANTIATE_TEST_SUITE_P(
    Kinds, FixtureTest,
    ::testing::Values(Fixture{"run-no-kind.json", 8}, Fixture{"run-sequential.json", 10},
                      Fixture{"comparison.json", 1}, Fixture{"sweep-1d.json", 1},
                      Fixture{"sweep-2d.json", 3}, Fixture{"sensitivity-sobol.json", 4},
                      Fixture{"sensitivity-morris.json", 3}, Fixture{"model-comparison.json", 4},
                      Fixture{"fit.json", 2}, Fixture{"score.json", 2},
                      Fixture{"run-rounds.json", 5}),
    [](const auto& info) {
      std::string name = fs::path(info.param.file).stem().string();
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST_F(BrowserTest, RunHtmlOnIstanbul) {
  const fs::path html = TempPath("istanbul-run.html");
  const CliResult r =
      Parley("run " + Scenario("istanbul-2025.yaml") + " -n 3000 -q --html " + html.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Outcomes, payoffs, one per actor's options (4), profiles, argument effects.
  ExpectRendered(html, 8);
}

TEST_F(BrowserTest, ReportOfASequentialRun) {
  const fs::path json = TempPath("sequential.json"), html = TempPath("sequential.html");
  CliResult r = Parley("run " + Scenario("istanbul-2025-sequential.yaml") + " -n 2000 -q --json " +
                       json.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Parley("report " + json.string() + " -o " + html.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Outcomes, payoffs, one per actor's moves (4), argument effects, paths, threats.
  ExpectRendered(html, 9);
}

// The real documents of the other commands, not only the fixtures' shapes.
TEST_F(BrowserTest, SweepComparisonAndSensitivityHtml) {
  const std::string istanbul = Scenario("istanbul-2025.yaml");
  const fs::path sweep = TempPath("sweep-2d.html"), compare = TempPath("compare.html"),
                 sobol = TempPath("sobol.html");
  CliResult r = Parley("sweep " + istanbul +
                       " --vary payoff.ceasefire.russia=-1:2:3 --vary "
                       "credence.baunov-trump-exit=0:1:3 -n 1000 -q --html " +
                       sweep.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectRendered(sweep, 4);  // a heat map per outcome with any mass, and one for unresolved
  r = Parley("run " + istanbul + " " + Scenario("istanbul-variants/russia-values-time.yaml") +
             " -n 1000 -q --html " + compare.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectRendered(compare, 1);
  r = Parley("sensitivity " + istanbul + " -n 32 -q --html " + sobol.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One per output that varies: P(unresolved) is 0 over the whole design
  // (its indices are null), so 7 of the 8 outputs.
  ExpectRendered(sobol, 7);
}

// A back-test (`parley score --html`): the Brier bars and the reliability
// diagram, with a series per forecaster.
TEST_F(BrowserTest, ScoreHtmlDrawsTheReliabilityDiagram) {
  const fs::path html = TempPath("score.html");
  std::string files;
  for (const char* f :
       {"minsk-2014-09.yaml", "minsk-2015-02.yaml", "grain-deal-end-2023-07.yaml"}) {
    files += " " + Scenario(std::string("history/") + f);
  }
  const CliResult r =
      Parley("score" + files + " --models nash-pure,qre -n 2000 -q --html " + html.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectRendered(html, 2);  // mean Brier scores, reliability diagram
}

// A model comparison (`parley compare --models --html`): per scenario the
// outcome bars by model and the paired differences.
TEST_F(BrowserTest, ModelComparisonHtml) {
  const fs::path html = TempPath("models.html");
  const CliResult r = Parley("compare " + Scenario("istanbul-2025.yaml") + " " +
                             Scenario("classic/stag-hunt.yaml") +
                             " --models nash-pure,qre,level-k -n 1000 -q --html " + html.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectRendered(html, 4);  // two scenarios, two charts each
}

// A fit (`parley fit --html`): the likelihood profile and observed against
// predicted choice shares.
TEST_F(BrowserTest, FitHtml) {
  const fs::path html = TempPath("fit.html");
  const CliResult r =
      Parley("fit " + Scenario("classic/ochs-asymmetric-pennies.yaml") +
             " --model qre --param lambda --observed " + std::string(PARLEY_SOURCE_DIR) +
             "/observed/ochs-1995-block.yaml -q --html " + html.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectRendered(html, 2);
}

}  // namespace
}  // namespace parley::testing
