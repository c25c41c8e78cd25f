// `parley doctor` through the binary: findings at FILE:LINE:COL with exit
// status 0, the JSON document, the HTML report's Diagnostics section (also
// through `parley report`), determinism across thread counts, and bad input
// (exit 2). The planted defects themselves are tested in sim/mc/doctor_test.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "parley_cli.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using parley::testing::Parley;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

std::string Data(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/doctor/" + name;
}

TEST(DoctorCliTest, CleanScenarioSaysNoFindings) {
  const Result r = Parley("doctor " + Data("clean.yaml"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no findings\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(DoctorCliTest, FindingsPointAtTheFileAndExitZero) {
  const Result r = Parley("doctor " + Data("inert.yaml"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("6 findings (6 inert)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(Data("inert.yaml") + ":30:5: inert: modifier 1: it cannot change any "
                                            "best response of b"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  hint: "), std::string::npos);
}

TEST(DoctorCliTest, JsonListsEveryFinding) {
  const Result r = Parley("doctor " + Data("cycle.yaml") + " --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["kind"], "doctor");
  EXPECT_EQ(doc["samples"], 2000);
  EXPECT_EQ(doc["seed"], 1);
  EXPECT_EQ(doc["model"], "nash-pure");
  EXPECT_EQ(doc["counts"]["best-response-cycle"], 1);
  EXPECT_EQ(doc["counts"]["inert"], 0);
  ASSERT_EQ(doc["findings"].size(), 1u);
  const json& f = doc["findings"][0];
  EXPECT_EQ(f["kind"], "best-response-cycle");
  EXPECT_EQ(f["file"], Data("cycle.yaml"));
  EXPECT_GT(f["line"].get<int>(), 0);
  EXPECT_GT(f["column"].get<int>(), 0);
  EXPECT_EQ(f["share"], 1.0);
  EXPECT_EQ(f["related"].size(), 5u);
  EXPECT_EQ(doc["scenario"]["name"], "Doctor, cycle");
  EXPECT_TRUE(doc.contains("overrides"));
  // No share for structural findings.
  const json inert = json::parse(Parley("doctor " + Data("inert.yaml") + " --json -").out);
  EXPECT_TRUE(inert["findings"][0]["share"].is_null());
}

TEST(DoctorCliTest, SameResultOnAnyThreadCount) {
  const Result one = Parley("doctor " + Data("dominated.yaml") + " --threads 1 --json -");
  const Result many = Parley("doctor " + Data("dominated.yaml") + " --threads 8 --json -");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(json::parse(one.out)["findings"], json::parse(many.out)["findings"]);
}

TEST(DoctorCliTest, SamplesAndSeedFlags) {
  const Result r = Parley("doctor " + Data("cycle.yaml") + " -n 500 --seed 3 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["samples"], 500);
  EXPECT_EQ(doc["seed"], 3);
}

TEST(DoctorCliTest, HtmlReportHasADiagnosticsSection) {
  const fs::path html = TempPath("doctor.html"), json_path = TempPath("doctor.json");
  const Result r = Parley("doctor " + Data("inert.yaml") + " --html " + html.string() + " --json " +
                          json_path.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = Slurp(html);
  EXPECT_NE(page.find("Diagnostics"), std::string::npos);
  EXPECT_NE(page.find("argument others-only"), std::string::npos);
  EXPECT_NE(page.find("Scenario diagnostics"), std::string::npos);
  // The same page from the JSON, through `parley report`.
  const Result again = Parley("report " + json_path.string() + " -o -");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("argument others-only"), std::string::npos);
}

TEST(DoctorCliTest, BadInputExitsTwo) {
  Result r = Parley("doctor " + Data("no-such-file.yaml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-file.yaml"), std::string::npos) << r.err;
  r = Parley("doctor " + Data("clean.yaml") + " --with no-such-argument");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-argument"), std::string::npos) << r.err;
  r = Parley("doctor " + Data("clean.yaml") + " --model no-such-model");
  EXPECT_EQ(r.exit_code, 2);
  r = Parley("doctor " + Data("clean.yaml") + " -n 0");
  EXPECT_EQ(r.exit_code, 2);
  r = Parley("doctor " + Data("clean.yaml") + " --json - --html -");
  EXPECT_EQ(r.exit_code, 2);
  r = Parley("doctor");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(DoctorCliTest, ForcedArgumentsAreNotTestedForAnEffect) {
  // z-slightly-better has no measurable effect; forced on, it is not tested.
  const json doc = json::parse(
      Parley("doctor " + Data("dominated.yaml") + " --with z-slightly-better --json -").out);
  EXPECT_EQ(doc["counts"]["no-measurable-effect"], 0);
  EXPECT_EQ(doc["counts"]["dominated"], 1);
}

// The comment block right above source line `line` (1-based) of `text`.
std::string CommentAbove(const std::string& text, int line) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  std::string block;
  for (int i = line - 2; i >= 0; --i) {
    const std::string& l = lines[static_cast<size_t>(i)];
    const size_t first = l.find_first_not_of(' ');
    if (first == std::string::npos || l[first] != '#') break;
    block = l.substr(first) + "\n" + block;
  }
  return block;
}

// Every finding of `parley doctor` on a shipped scenario is answered in the
// scenario itself: the comment right above the line it points at says
// "doctor: KIND" and why (docs/how-to/check-a-scenario-with-doctor.md).
TEST(DoctorCliTest, ShippedScenariosExplainEveryFinding) {
  // At each file's own sample count as a user runs it. Under
  // AddressSanitizer fewer samples, which cannot resolve an argument's small
  // effects: there "no measurable effect" is left to the release run, which
  // checks every finding at the full count.
  // The sanitizers' run also doctors only the first file (in name order) of
  // each folder: every kind of scenario, at a third of the cost.
  const bool reduced = parley::testing::kAddressSanitizer;
  const std::string samples = reduced ? " -n 2000" : "";
  std::vector<fs::path> paths;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(PARLEY_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::set<fs::path> folders;
  int files = 0, findings = 0;
  for (const fs::path& file : paths) {
    if (reduced && !folders.insert(file.parent_path()).second) continue;
    const fs::directory_entry entry(file);
    ++files;
    const std::string path = fs::relative(entry.path(), PARLEY_SOURCE_DIR).string();
    const Result r = Parley("doctor " + path + samples + " --json -");
    ASSERT_EQ(r.exit_code, 0) << path << ": " << r.err;
    const json doc = json::parse(r.out);
    for (const json& f : doc["findings"]) {
      ++findings;
      const std::string kind = f["kind"], file = f["file"];
      if (reduced && kind == "no-measurable-effect") continue;
      const std::string comment =
          CommentAbove(Slurp(fs::path(PARLEY_SOURCE_DIR) / file), f["line"].get<int>());
      EXPECT_NE(comment.find("doctor: " + kind), std::string::npos)
          << "doctor " << path << " finds, unexplained, " << file << ":" << f["line"] << ": "
          << kind << ": " << f["element"].get<std::string>() << ": "
          << f["message"].get<std::string>() << "\n(the comment above that line reads:\n"
          << comment << ")";
    }
  }
  EXPECT_GT(files, reduced ? 5 : 20);
  // The classic games' cycles and dominated options (not all in the
  // sanitizers' selection).
  if (!reduced) {
    EXPECT_GT(findings, 0);
  }
}

}  // namespace
