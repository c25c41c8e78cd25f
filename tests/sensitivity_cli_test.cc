// `parley sensitivity` and `parley run --sampler` end to end: the JSON
// document, determinism across thread counts, files written whole, and the
// errors for bad methods, flags and scenarios.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "parley_cli.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

// a compares two uniform payoffs: P(ox) = P(U1 > U2) with S1 = 1/3 and
// ST = 2/3 for each (closed form: sim/mc/scenario_sensitivity_test.cc);
// b's payoff affects no decision.
constexpr const char* kCompare = R"(name: Compare
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [z]}
outcomes:
  - {id: ox, when: {a: x}}
  - {id: oy, otherwise: true}
payoffs:
  ox: {a: {uniform: [0, 1]}, b: {uniform: [0, 1]}}
  oy: {a: {uniform: [0, 1]}, b: 0}
simulation: {seed: 5}
)";

std::string WriteScenario(const std::string& name, const std::string& text) {
  const fs::path p = TempPath(name);
  std::ofstream(p) << text;
  return p.string();
}

json WithoutRun(const std::string& text) {
  json j = json::parse(text);
  j.erase("run");
  return j;
}

TEST(SensitivityCli, SobolJsonHasTheDocumentedShapeAndTheClosedForm) {
  const std::string file = WriteScenario("compare.yaml", kCompare);
  const Result r = Parley("sensitivity " + file + " --samples 4096 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["kind"], "sensitivity");
  EXPECT_EQ(j["method"], "sobol");
  EXPECT_EQ(j["model"], "nash-pure");
  EXPECT_EQ(j["samples"], 4096);
  EXPECT_EQ(j["seed"], 5);  // the scenario's
  EXPECT_EQ(j["evaluations"], 4096 * 5);
  EXPECT_EQ(j["scenario"]["name"], "Compare");
  EXPECT_EQ(j["inputs"], json::parse(R"(["payoff.ox.a", "payoff.ox.b", "payoff.oy.a"])"));
  ASSERT_EQ(j["outputs"].size(), 5u);
  EXPECT_EQ(j["outputs"][0]["name"], "P(ox)");
  EXPECT_EQ(j["outputs"][2]["name"], "P(unresolved)");
  EXPECT_EQ(j["outputs"][3]["name"], "E[a]");
  const json& ox = j["outputs"][0]["indices"];
  ASSERT_EQ(ox.size(), 3u);
  EXPECT_EQ(ox[0]["input"], "payoff.ox.a");
  EXPECT_NEAR(ox[0]["S1"].get<double>(), 1.0 / 3, 0.04);
  EXPECT_NEAR(ox[0]["ST"].get<double>(), 2.0 / 3, 0.04);
  EXPECT_LE(ox[0]["S1_ci95"][0].get<double>(), ox[0]["S1"].get<double>());
  EXPECT_GE(ox[0]["ST_ci95"][1].get<double>(), ox[0]["ST"].get<double>());
  EXPECT_EQ(ox[1]["ST"], 0.0);
  // The model never fails here: P(unresolved) is constant, its indices null.
  EXPECT_TRUE(j["outputs"][2]["indices"][0]["S1"].is_null());
  EXPECT_TRUE(j["run"].contains("threads"));
}

TEST(SensitivityCli, MorrisJson) {
  const std::string file = WriteScenario("compare.yaml", kCompare);
  const Result r = Parley("sensitivity " + file + " --method morris --samples 50 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["method"], "morris");
  EXPECT_EQ(j["evaluations"], 50 * 4);
  EXPECT_EQ(j["levels"], 4);
  const json& ox = j["outputs"][0]["indices"];
  EXPECT_EQ(ox[1]["input"], "payoff.ox.b");
  EXPECT_EQ(ox[1]["mu_star"], 0.0);  // no effect on a's choice
  EXPECT_GT(ox[0]["mu_star"].get<double>(), 0.5);
  EXPECT_TRUE(ox[0].contains("mu"));
  EXPECT_TRUE(ox[0].contains("sigma"));
}

// Byte-identical JSON (minus "run") on 1, 2 and 8 threads, for both methods
// and for the real Istanbul scenario (normal form and sequential).
TEST(SensitivityCli, DeterministicAcrossThreadCounts) {
  const std::vector<std::string> cases = {
      Scenario("istanbul-2025.yaml") + " --samples 64",
      Scenario("istanbul-2025.yaml") + " --method morris --samples 10",
      Scenario("istanbul-2025-sequential.yaml") + " --samples 16",
  };
  for (const std::string& c : cases) {
    std::string first;
    for (int threads : {1, 2, 8}) {
      const Result r =
          Parley("sensitivity " + c + " --threads " + std::to_string(threads) + " --json -");
      ASSERT_EQ(r.exit_code, 0) << c << ": " << r.err;
      const std::string body = WithoutRun(r.out).dump();
      if (first.empty()) {
        first = body;
      } else {
        EXPECT_EQ(body, first) << c << " on " << threads << " threads";
      }
    }
    // Another seed gives another design.
    const Result other = Parley("sensitivity " + c + " --seed 99 --json -");
    ASSERT_EQ(other.exit_code, 0);
    EXPECT_NE(WithoutRun(other.out).dump(), first) << c;
  }
}

TEST(SensitivityCli, TerminalTableIsRankedAndJsonFileIsWritten) {
  const fs::path out = TempPath("sens.json");
  fs::remove(out);
  const Result r = Parley("sensitivity " + Scenario("istanbul-2025.yaml") +
                          " --samples 128 --top 3 --json " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("P(collapse): mean"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("more inputs; --top 0 shows all"), std::string::npos);
  EXPECT_NE(r.out.find("evaluations/s"), std::string::npos);
  const json j = json::parse(Slurp(out));
  EXPECT_EQ(j["kind"], "sensitivity");
  // The table's first row for P(collapse) is the input with the largest ST.
  const json& collapse = j["outputs"][1];
  ASSERT_EQ(collapse["name"], "P(collapse)");
  std::string best;
  double best_st = -1;
  for (const json& x : collapse["indices"]) {
    if (!x["ST"].is_null() && x["ST"].get<double>() > best_st) {
      best_st = x["ST"].get<double>();
      best = x["input"].get<std::string>();
    }
  }
  const size_t at = r.out.find("P(collapse): mean");
  const size_t header = r.out.find('\n', r.out.find('\n', at) + 1);
  EXPECT_EQ(r.out.substr(header + 1, 2 + best.size()), "  " + best) << r.out.substr(at, 400);
}

TEST(SensitivityCli, BadMethodsFlagsAndScenariosExitWithTwo) {
  const std::string file = WriteScenario("compare.yaml", kCompare);
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"sensitivity " + file + " --method fast",
       "--method: unknown method 'fast' (methods: sobol, morris)"},
      {"sensitivity " + file + " --method", "--method"},
      {"sensitivity " + file + " --samples 1", "--samples"},
      {"sensitivity " + file + " --samples many", "--samples"},
      {"sensitivity " + file + " --threads 999", "--threads"},
      {"sensitivity " + file + " --seed -4", "--seed"},
      {"sensitivity " + file + " --model nope", "--model"},
      {"sensitivity " + file + " --model spe", "solves sequential games, but this scenario has no `sequence`"},
      {"sensitivity " + file + " --selection best", "--selection"},
      {"sensitivity " + file + " --bogus", "--bogus"},
      {"sensitivity", "file"},
      {"sensitivity /no/such/file.yaml", "/no/such/file.yaml"},
      {"run " + file + " --sampler halton",
       "--sampler: unknown sampler 'halton' (samplers: philox, sobol)"},
  };
  for (const Case& c : cases) {
    const Result r = Parley(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args;
  }
  // A bad scenario is reported with its position, and no JSON is written.
  const std::string bad = WriteScenario("bad.yaml", "name: X\nactors: 3\n");
  const fs::path out = TempPath("never.json");
  fs::remove(out);
  const Result r = Parley("sensitivity " + bad + " --json " + out.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.yaml:1:1: error"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  // Nothing uncertain: a clear error.
  const std::string fixed = WriteScenario("fixed.yaml", R"(name: F
actors:
  - {id: a, options: [x, y]}
outcomes:
  - {id: o, otherwise: true}
payoffs:
  o: {a: 1}
)");
  const Result none = Parley("sensitivity " + fixed);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no uncertain inputs"), std::string::npos) << none.err;
}

TEST(SamplerCli, SobolRunReportsReplicateIntervalsAndIsThreadIndependent) {
  const std::string args =
      "run " + Scenario("istanbul-2025.yaml") + " --samples 4000 --sampler sobol";
  std::string first;
  for (int threads : {1, 2, 8}) {
    const Result r = Parley(args + " --threads " + std::to_string(threads) + " --json -");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string body = WithoutRun(r.out).dump();
    if (first.empty()) first = body;
    EXPECT_EQ(body, first) << threads;
  }
  const json j = json::parse(first);
  ASSERT_TRUE(j.contains("sampler"));
  EXPECT_EQ(j["sampler"]["name"], "sobol");
  EXPECT_EQ(j["sampler"]["replicates"], 8);
  const json& o = j["sampler"]["outcomes"];
  ASSERT_EQ(o.size(), j["outcomes"].size() + 1);
  for (size_t i = 0; i < j["outcomes"].size(); ++i) {
    EXPECT_EQ(o[i]["id"], j["outcomes"][i]["id"]);
    EXPECT_EQ(o[i]["probability"], j["outcomes"][i]["probability"]);
    EXPECT_LE(o[i]["ci95"][0].get<double>(), o[i]["probability"].get<double>());
    EXPECT_GE(o[i]["ci95"][1].get<double>(), o[i]["probability"].get<double>());
    EXPECT_EQ(o[i]["replicates"].size(), 8u);
  }
  const Result text = Parley(args);
  EXPECT_NE(text.out.find("Sampler: sobol"), std::string::npos);
  EXPECT_NE(text.out.find("between replicates, t with 7 df"), std::string::npos);
  // Default and explicit philox: the same document, without "sampler".
  const Result plain = Parley("run " + Scenario("istanbul-2025.yaml") + " --samples 4000 --json -");
  const Result philox =
      Parley("run " + Scenario("istanbul-2025.yaml") + " --samples 4000 --sampler philox --json -");
  EXPECT_EQ(WithoutRun(plain.out), WithoutRun(philox.out));
  EXPECT_FALSE(json::parse(plain.out).contains("sampler"));
  EXPECT_NE(WithoutRun(plain.out).dump(), first);
}

}  // namespace
