// Input that used to slip through validation and do harm later (issue 12):
// NaN draws counted as outcomes and written as "nan", text that is not
// UTF-8 or holds control characters, YAML aliases that expand without
// bound, octal integer flags, and `explain --max-lines` sections it did not
// cut. Each test runs the `parley` binary (PARLEY_BIN).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "parley_cli.h"

namespace parley {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CliResult;
using testing::Parley;
using testing::Slurp;
using testing::TempPath;

constexpr int kExitBadInput = 2;

std::string Data(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/hardening/" + name;
}

std::string Describe(const CliResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\nstdout: " + r.out.substr(0, 2000) +
         "\nstderr: " + r.err;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- NaN: beta shapes near zero (item 4) ----

// Every sample's game has a pure equilibrium; with shapes 1e-9 every draw
// was NaN and every sample "unresolved".
TEST(NonFiniteDraws, TinyBetaShapesAreResolvedAndAddUp) {
  const fs::path out = TempPath("tiny-beta.json");
  const CliResult r = Parley("run " + Data("beta-tiny-shapes.yaml") + " -q --json " + out.string());
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const std::string text = Slurp(out);
  EXPECT_FALSE(Has(text, "null")) << text;
  const json j = json::parse(text);
  EXPECT_EQ(j["unresolved"]["count"], 0);
  double total = 0;
  for (const json& o : j["outcomes"]) total += o["probability"].get<double>();
  EXPECT_NEAR(total, 1.0, 1e-12);
  // a plays x when d (0 or 1) beats 0.5, b plays x when e (-1 or 1) beats 0:
  // each half the time, independently.
  for (const json& o : j["outcomes"]) {
    EXPECT_NEAR(o["probability"].get<double>(), 0.25, 0.05) << o.dump();
  }
}

// As a chance probability the NaN made a sample's outcome probabilities
// add up to less than one, and the report's intervals null.
TEST(NonFiniteDraws, TinyBetaChanceProbabilitiesAddUpAndReport) {
  const fs::path out = TempPath("tiny-chance.json");
  const CliResult r = Parley("run " + Data("beta-tiny-chance.yaml") + " -q --json " + out.string());
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const json j = json::parse(Slurp(out));
  double total = j["unresolved"]["probability"].get<double>();
  for (const json& o : j["outcomes"]) {
    total += o["probability"].get<double>();
    EXPECT_TRUE(o["ci95"].is_array()) << o.dump();
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  const fs::path html = TempPath("tiny-chance.html");
  const CliResult report = Parley("report " + out.string() + " -o " + html.string());
  EXPECT_EQ(report.exit_code, 0) << Describe(report);
}

// `export --sample` wrote "-nan" payoffs that Parley could not read back.
TEST(NonFiniteDraws, ExportedSamplesHoldNumbersThatReadBack) {
  for (int sample = 0; sample < 12; ++sample) {
    const fs::path nfg = TempPath("sample-" + std::to_string(sample) + ".nfg");
    const CliResult r = Parley("export " + Data("beta-tiny-shapes.yaml") + " --sample " +
                               std::to_string(sample) + " -o " + nfg.string());
    ASSERT_EQ(r.exit_code, 0) << Describe(r);
    const std::string text = Slurp(nfg);
    EXPECT_FALSE(Has(text, "nan")) << text;
    const CliResult back = Parley("solve " + nfg.string());
    EXPECT_EQ(back.exit_code, 0) << Describe(back);
  }
}

// ---- Text: UTF-8 and control characters (items 7 and 11) ----

// A raw byte that is not UTF-8 in a name passed `validate`, and then every
// JSON output failed with "internal error" after the work was done.
TEST(Text, InvalidUtf8InAScenarioIsRefusedWithItsPosition) {
  const fs::path file = TempPath("latin1.yaml");
  WriteFile(file,
            "name: Caf\xe9 talks\nactors:\n  - {id: a, options: [x]}\noutcomes:\n"
            "  - {id: o, otherwise: true}\npayoffs:\n  o: {a: 1}\n");
  for (const std::string command : {"validate ", "run -q --json - "}) {
    const CliResult r = Parley(command + file.string());
    EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
    EXPECT_TRUE(Has(r.err, file.string() + ":1:10: error: invalid UTF-8 (byte 0xe9)"))
        << Describe(r);
    EXPECT_EQ(r.out, "");
  }
}

// ESC and BEL from a label reached the terminal raw. A double-quoted YAML
// escape makes them without a raw byte in the file.
TEST(Text, ControlCharactersFromEscapesAreRefusedAtTheirValue) {
  const fs::path file = TempPath("escape.yaml");
  WriteFile(file,
            "name: Escapes\nactors:\n  - {id: a, options: [x]}\noutcomes:\n"
            "  - {id: o, label: \"\\e[2J\\a gone\", otherwise: true}\npayoffs:\n  o: {a: 1}\n");
  const CliResult r = Parley("validate " + file.string());
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Has(r.err, file.string() +
                             ":5:20: error: outcome `label` holds the control character U+001B "
                             "(ESC)"))
      << Describe(r);
}

TEST(Text, GambitFilesWithBadTextAreRefusedWithTheirPosition) {
  const CliResult nfg = Parley("solve " + Data("title-latin1.nfg"));
  EXPECT_EQ(nfg.exit_code, kExitBadInput) << Describe(nfg);
  EXPECT_TRUE(Has(nfg.err, "title-latin1.nfg:1:13: error: found invalid UTF-8 (byte 0xe9)"))
      << Describe(nfg);
  const CliResult efg = Parley("solve " + Data("label-escape.efg"));
  EXPECT_EQ(efg.exit_code, kExitBadInput) << Describe(efg);
  EXPECT_TRUE(Has(efg.err, "label-escape.efg:4:18: error: found the control character U+001B (ESC)"))
      << Describe(efg);
}

TEST(Text, SetValuesWithBadTextAreRefused) {
  const CliResult r = Parley("run " + testing::Scenario("classic/prisoners-dilemma.yaml") +
                             " -q --set \"$(printf 'model.lambda=2\\377')\"");
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Has(r.err, "character 15 is invalid UTF-8 (byte 0xff)")) << Describe(r);
}

// Messages quote the input; what they quote is escaped, never sent raw.
TEST(Text, ErrorMessagesShowControlCharactersEscaped) {
  const CliResult r = Parley("run " + testing::Scenario("classic/prisoners-dilemma.yaml") +
                             " -q --with \"$(printf '\\033]0;pwned\\007')\"");
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Has(r.err, "\\x1b]0;pwned\\x07")) << Describe(r);
  EXPECT_FALSE(Has(r.err, "\x1b")) << Describe(r);
  EXPECT_FALSE(Has(r.err, "\a")) << Describe(r);
  const CliResult flag = Parley("run " + testing::Scenario("classic/prisoners-dilemma.yaml") +
                                " -q -n \"$(printf '1\\033[2J')\"");
  EXPECT_EQ(flag.exit_code, kExitBadInput) << Describe(flag);
  EXPECT_FALSE(Has(flag.err, "\x1b")) << Describe(flag);
}

// ---- YAML aliases (item 8) ----

// n modifiers, each an alias of one whose when_any lists n aliases of one
// condition: a 24 KB file that reads as n^2 conditions (9 million for 3000;
// the old loader took about 10 s and 930 MB, and more nesting costs more).
std::string Laughs(int n) {
  std::string conds, mods;
  for (int i = 1; i < n; ++i) conds += ", *c", mods += ", *m";
  return "name: Laughs\nactors:\n  - {id: a, options: [x, y]}\noutcomes:\n"
         "  - {id: o, otherwise: true}\npayoffs:\n  o: {a: 1}\n"
         "modifiers: [&m {when_any: [&c {a: x}" +
         conds + "], add: {a: 1}}" + mods + "]\n";
}

TEST(YamlAliases, ExpansionBeyondTheLimitIsRefused) {
  const fs::path file = TempPath("laughs.yaml");
  WriteFile(file, Laughs(3000));
  const CliResult r = Parley("validate " + file.string());
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Has(r.err, file.string() + ":8:")) << Describe(r);
  EXPECT_TRUE(Has(r.err, "error: the YAML document expands to more than 4194304 nodes"))
      << Describe(r);
  // A few aliases are fine.
  WriteFile(file, Laughs(20));
  const CliResult ok = Parley("validate " + file.string());
  EXPECT_EQ(ok.exit_code, 0) << Describe(ok);
}

// An alias inside its own anchor is a cycle: endless when expanded.
TEST(YamlAliases, AnAliasInsideItsAnchorIsRefused) {
  const fs::path file = TempPath("cycle.yaml");
  WriteFile(file,
            "name: Cycle\nactors:\n  - {id: a, options: [x]}\noutcomes:\n"
            "  - {id: o, otherwise: true}\npayoffs:\n  o: {a: 1}\nmodifiers: &m [*m]\n");
  const CliResult r = Parley("validate " + file.string());
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Has(r.err, "expands to more than")) << Describe(r);
}

// ---- Integer flags are decimal (item 11) ----

TEST(IntegerFlags, LeadingZerosAreDecimalAndOtherBasesAreRefused) {
  const std::string pd = testing::Scenario("classic/prisoners-dilemma.yaml");
  const CliResult r = Parley("run " + pd + " -q -n 010 --seed 010 --json -");
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["samples"], 10);  // was 8: strtoll read 010 as octal
  EXPECT_EQ(j["seed"], 10);
  for (const std::string bad : {"0x10", "1e3", "+5", " 7", "12abc"}) {
    const CliResult refused = Parley("run " + pd + " -q -n '" + bad + "'");
    EXPECT_EQ(refused.exit_code, kExitBadInput) << bad << "\n" << Describe(refused);
    EXPECT_TRUE(Has(refused.err, "must be a whole number written with the digits 0-9"))
        << bad << "\n" << Describe(refused);
  }
  const CliResult threads = Parley("run " + pd + " -q -n 5 --threads 0x2");
  EXPECT_EQ(threads.exit_code, kExitBadInput) << Describe(threads);
}

// ---- explain --max-lines cuts every section (item 11) ----

TEST(ExplainMaxLines, CutsThePathsAndTheInformationSets) {
  const CliResult r =
      Parley("explain " + testing::Scenario("sequential/beer-quiche.yaml") + " --max-lines 1");
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Has(r.out, "... (1 more paths; cut at 1 lines")) << r.out;
  EXPECT_TRUE(Has(r.out, "... (1 more information sets; cut at 1 lines")) << r.out;
  EXPECT_FALSE(Has(r.out, "after sender=quiche")) << r.out;  // the second set
  const CliResult full =
      Parley("explain " + testing::Scenario("sequential/beer-quiche.yaml"));
  EXPECT_TRUE(Has(full.out, "after sender=quiche")) << full.out;
  EXPECT_FALSE(Has(full.out, "--max-lines shows more")) << full.out;
}

}  // namespace
}  // namespace parley
