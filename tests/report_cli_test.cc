// `parley report` and `parley run --html` end to end, without a browser
// (html_report_browser_test.cc checks the charts render): exit codes,
// messages, nothing written on error.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "parley_cli.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

std::string Data(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/report/" + name;
}

TEST(ReportCli, BadResultsExitTwoAndWriteNothing) {
  const fs::path out = TempPath("bad.html");
  struct Case {
    std::string file, message;
  };
  for (const Case& c : std::vector<Case>{
           {"bad/not-json.json", "not-json.json:3:21: error: not a JSON result"},
           {"bad/unknown-kind.json", "unknown-kind.json: error: /kind: unknown result kind"},
           {"bad/missing-outcomes.json", "missing key \"outcomes\""},
           {"bad/bad-ci.json", "/outcomes/0/ci95: expected [low, high]"},
           {"bad/no-such-file.json", "no such result file"}}) {
    fs::remove(out);
    const CliResult r = Parley("report " + Data(c.file) + " -o " + out.string());
    EXPECT_EQ(r.exit_code, 2) << c.file << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.file << ": " << r.err;
    EXPECT_FALSE(fs::exists(out)) << c.file;
  }
  const CliResult no_output = Parley("report " + Data("comparison.json"));
  EXPECT_EQ(no_output.exit_code, 2);
}

TEST(ReportCli, RunJsonSaysItsKind) {
  const CliResult r = Parley("run " + Scenario("classic/stag-hunt.yaml") + " -n 100 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(j.begin().key(), "kind");
  EXPECT_EQ(j["kind"], "run");
}

#if PARLEY_EXPECT_VEGA
TEST(ReportCli, RunHtmlWritesAPageWithTheNumbers) {
  const fs::path html = TempPath("stag.html"), json = TempPath("stag.json");
  const CliResult r = Parley("run " + Scenario("classic/stag-hunt.yaml") + " -n 500 -q --json " +
                             json.string() + " --html " + html.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = Slurp(html);
  EXPECT_NE(page.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(page.find("500 samples"), std::string::npos);
  // The same page as `parley report` of the JSON written by the same run,
  // up to the timing in "run", which the page does not show.
  const fs::path again = TempPath("stag-again.html");
  ASSERT_EQ(Parley("report " + json.string() + " -o " + again.string()).exit_code, 0);
  EXPECT_EQ(Slurp(again), page);
}

TEST(ReportCli, OutputToStdout) {
  const CliResult r = Parley("report " + Data("sweep-1d.json") + " -o -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("<!DOCTYPE html>", 0), 0u);
}
#else
TEST(ReportCli, UnavailableSaysHowToEnableIt) {
  const fs::path out = TempPath("none.html");
  CliResult r = Parley("report " + Data("comparison.json") + " -o " + out.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("npm ci"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  r = Parley("run " + Scenario("classic/stag-hunt.yaml") + " -n 10 --html " + out.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("npm ci"), std::string::npos) << r.err;
}
#endif

}  // namespace
}  // namespace parley::testing
