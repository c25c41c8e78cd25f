// What-if analysis through the `parley` binary: params, --set, sweep,
// extends (the shipped Istanbul variants) and multi-scenario comparisons,
// with their bad-input errors.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "parley_cli.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

const std::string kIstanbul = Scenario("istanbul-2025.yaml");
const std::string kSequential = Scenario("istanbul-2025-sequential.yaml");

std::string WriteFile(const std::string& name, const std::string& text) {
  const fs::path p = TempPath(name);
  std::ofstream(p) << text;
  return p.string();
}

json WithoutRun(json j) {
  j.erase("run");
  return j;
}

TEST(WhatIfCli, ParamsListsEveryNameWithItsValue) {
  Result r = Parley("params " + kIstanbul);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("param.sabotage_penalty"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("triangular(0, 0.5, 1.5)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("modifier.15.russia                      -param.sabotage_penalty"),
            std::string::npos)
      << r.out;
  r = Parley("params " + kSequential + " --json - --set credence.baunov-trump-exit=0.25");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["kind"], "params");
  bool found = false;
  for (const auto& n : j["names"]) {
    if (n["name"] == "credence.baunov-trump-exit") {
      found = true;
      EXPECT_EQ(n["kind"], "credence");
      EXPECT_EQ(n["mean"], 0.25);
    }
    if (n["name"] == "modifier.1.ukraine") {
      EXPECT_EQ(n["value"], "-param.us_exit_cost_to_ukraine");
    }
  }
  EXPECT_TRUE(found);
}

TEST(WhatIfCli, SetChangesOneRunAndMatchesAVariantFile) {
  const Result base = Parley("run " + kIstanbul + " -n 4000 --json -");
  ASSERT_EQ(base.exit_code, 0) << base.err;
  EXPECT_EQ(json::parse(base.out)["kind"], "run");
  // A credence changes no draw: --set and a variant setting it agree exactly.
  const Result set = Parley("run " + kIstanbul +
                            " -n 4000 --json - --set credence.baunov-ceasefire-advantage=0 "
                            "--set credence.stanovaya-no-deal-expected=0");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  const std::string variant = WriteFile("no-ceasefire-args.yaml", "extends: " + kIstanbul + R"(
arguments:
  - {id: baunov-ceasefire-advantage, credence: 0}
  - {id: stanovaya-no-deal-expected, credence: 0}
)");
  const Result v = Parley("run " + variant + " -n 4000 --json -");
  ASSERT_EQ(v.exit_code, 0) << v.err;
  const json js = json::parse(set.out), jv = json::parse(v.out), jb = json::parse(base.out);
  EXPECT_EQ(js["outcomes"], jv["outcomes"]);
  EXPECT_EQ(js["payoffs"], jv["payoffs"]);
  // --set takes one value each time, so it may come before the file.
  const Result before = Parley(
      "run --set credence.baunov-ceasefire-advantage=0 --set "
      "credence.stanovaya-no-deal-expected=0 " +
      kIstanbul + " -n 4000 --json -");
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_EQ(json::parse(before.out)["outcomes"], js["outcomes"]);
  // So do --with and --without, on every command that has them.
  const std::string forced =
      " --without zelensky-meeting-gambit --with girkin-refusal-sabotage ";  // uncorrelated
  const Result after = Parley("run -n 4000 --json -" + forced + kIstanbul);
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(json::parse(after.out)["scenario"]["file"], kIstanbul);
  const Result sweep =
      Parley("sweep --vary payoff.ceasefire.russia=0:1:2 -n 500 -q" + forced + kIstanbul);
  EXPECT_EQ(sweep.exit_code, 0) << sweep.err;
  const Result morris =
      Parley("sensitivity --method morris -n 4 --json /dev/null -q" + forced + kIstanbul);
  EXPECT_EQ(morris.exit_code, 0) << morris.err;
  // Two arguments against a ceasefire dropped: more ceasefires.
  EXPECT_GT(js["outcomes"][0]["probability"].get<double>(),
            jb["outcomes"][0]["probability"].get<double>() + 0.01);
}

TEST(WhatIfCli, SweepIsDeterministicAcrossThreadCounts) {
  const std::string args = "sweep " + kIstanbul +
                           " --vary payoff.ceasefire.russia=-1:2:4 --vary "
                           "credence.girkin-refusal-sabotage=0:1:2 -n 3000 --json -";
  const Result one = Parley(args + " --threads 1");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const json j = json::parse(one.out);
  EXPECT_EQ(j["kind"], "sweep");
  EXPECT_EQ(j["samples"], 3000);
  EXPECT_EQ(j["seed"], 20250515u);
  ASSERT_EQ(j["vary"].size(), 2u);
  EXPECT_EQ(j["vary"][0]["values"], json::parse("[-1, 0, 1, 2]"));
  ASSERT_EQ(j["points"].size(), 8u);
  EXPECT_EQ(j["points"][1]["values"]["payoff.ceasefire.russia"], -1.0);
  EXPECT_EQ(j["points"][1]["values"]["credence.girkin-refusal-sabotage"], 1.0);
  EXPECT_EQ(j["points"][0]["outcomes"].size(), 3u);
  EXPECT_TRUE(j["points"][0]["unresolved"].contains("ci95"));
  EXPECT_EQ(j["points"][0]["payoffs"].size(), 4u);
  // Russia's ceasefire payoff up: the ceasefire more likely.
  EXPECT_GT(j["points"][6]["outcomes"][0]["probability"].get<double>(),
            j["points"][0]["outcomes"][0]["probability"].get<double>());
  for (const char* threads : {" --threads 2", " --threads 8"}) {
    const Result other = Parley(args + threads);
    ASSERT_EQ(other.exit_code, 0) << other.err;
    EXPECT_EQ(WithoutRun(json::parse(other.out)).dump(), WithoutRun(j).dump()) << threads;
  }
}

TEST(WhatIfCli, SweepWritesCsvAndTable) {
  const std::string csv = TempPath("sweep.csv").string();
  const Result r =
      Parley("sweep " + kSequential + " --vary param.sabotage_penalty=0:3:3 -n 1000 --csv " + csv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("param.sabotage_penalty"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the same samples at every point"), std::string::npos) << r.out;
  const std::string text = Slurp(csv);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "param.sabotage_penalty,outcome,probability,ci95_low,ci95_high");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 3 * 4);
  EXPECT_NE(text.find("\n1.5,unresolved,"), std::string::npos) << text;
}

TEST(WhatIfCli, ShippedVariantsValidateAndCompare) {
  const std::vector<std::string> variants = {"istanbul-variants/credible-us-walkout.yaml",
                                             "istanbul-variants/europe-sanctions-doubling.yaml",
                                             "istanbul-variants/russia-values-time.yaml"};
  std::string files = kIstanbul;
  for (const auto& v : variants) {
    const Result r = Parley("validate " + Scenario(v));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    files += " " + Scenario(v);
  }
  const Result r = Parley("run " + files + " -n 2000 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["kind"], "comparison");
  EXPECT_EQ(j["samples"], 2000);
  ASSERT_EQ(j["scenarios"].size(), 4u);
  EXPECT_NE(j["scenarios"][3]["scenario"]["name"].get<std::string>().find("values time"),
            std::string::npos);
  // The comparison's first row is the plain run of the same file.
  const Result single = Parley("run " + kIstanbul + " -n 2000 --json -");
  const json js = json::parse(single.out);
  EXPECT_EQ(j["scenarios"][0]["outcomes"][1]["probability"], js["outcomes"][1]["probability"]);
  EXPECT_EQ(j["scenarios"][0]["unresolved"]["ci95"], js["unresolved"]["ci95"]);

  const Result table = Parley("run " + files + " -n 2000");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Comparison of 4 scenarios: 2000 samples each"), std::string::npos)
      << table.out;
  const Result csv = Parley("run " + files + " -n 2000 --csv -");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 1 + 4 * 4);
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
            "scenario,file,outcome,probability,ci95_low,ci95_high,difference,difference_ci95_low,"
            "difference_ci95_high");
}

// Each shipped variant moves the outcome its name promises, against the
// base, by more than its paired 95% interval allows to be chance.
TEST(WhatIfCli, ShippedVariantsMoveTheOutcomeTheirNamesPromise) {
  const std::string dir = "istanbul-variants/";
  const Result r = Parley("run " + kIstanbul + " " + Scenario(dir + "credible-us-walkout.yaml") +
                          " " + Scenario(dir + "europe-sanctions-doubling.yaml") + " " +
                          Scenario(dir + "russia-values-time.yaml") + " -n 20000 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_TRUE(j["paired"].get<bool>());
  EXPECT_FALSE(j["scenarios"][0].contains("difference_from_first"));
  auto difference = [&](int scenario, const std::string& id) {
    for (const json& d : j["scenarios"][scenario]["difference_from_first"]) {
      if (d["id"] == id) return std::array<double, 3>{d["difference"], d["ci95"][0], d["ci95"][1]};
    }
    ADD_FAILURE() << "no difference for " << id;
    return std::array<double, 3>{};
  };
  // A credible US walkout deters walkouts: fewer collapses.
  EXPECT_LT(difference(1, "collapse")[2], 0.0) << r.out;
  // Doubled European sanctions on a Russian refusal: more ceasefires.
  EXPECT_GT(difference(2, "ceasefire")[1], 0.0) << r.out;
  // Russia valuing time: more talks while the war goes on, fewer ceasefires.
  EXPECT_GT(difference(3, "talks_without_ceasefire")[1], 0.0) << r.out;
  EXPECT_LT(difference(3, "ceasefire")[2], 0.0) << r.out;
}

// A scenario compared with itself differs by exactly nothing, with a
// zero-width interval: the pairing is by sample.
TEST(WhatIfCli, AScenarioPairedWithItselfDiffersByExactlyZero) {
  const Result r = Parley("run " + kIstanbul + " " + kIstanbul + " -n 3000 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["scenarios"][1]["difference_from_first"].size(), 4u);
  for (const json& d : j["scenarios"][1]["difference_from_first"]) {
    EXPECT_EQ(d["difference"], 0.0) << d;
    EXPECT_EQ(d["ci95"][0], 0.0) << d;
    EXPECT_EQ(d["ci95"][1], 0.0) << d;
  }
  const Result table = Parley("run " + kIstanbul + " " + kIstanbul + " -n 3000");
  EXPECT_NE(table.out.find("Difference from " + kIstanbul + ", paired by sample"),
            std::string::npos)
      << table.out;
}

// `parley run FILE --csv`: the comparison's columns plus label and count,
// one row per outcome, the same numbers as the JSON.
TEST(WhatIfCli, SingleRunWritesItsOutcomeTableAsCsv) {
  const std::string path = TempPath("run.csv").string();
  const Result r = Parley("run " + kIstanbul + " -n 2000 --csv " + path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Outcome"), std::string::npos) << r.out;  // the summary still prints
  const Result j = Parley("run " + kIstanbul + " -n 2000 --json -");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const json doc = json::parse(j.out);
  std::vector<json> outcomes(doc["outcomes"].begin(), doc["outcomes"].end());
  outcomes.push_back(doc["unresolved"]);
  outcomes.back()["id"] = outcomes.back()["label"] = "unresolved";

  std::istringstream csv(Slurp(path));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "scenario,file,outcome,probability,ci95_low,ci95_high,label,count");
  // Cells split at commas outside quotes, quotes kept.
  auto split = [](const std::string& row) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (char c : row) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    return cells;
  };
  auto quote = [](const std::string& s) { return "\"" + s + "\""; };
  size_t rows = 0;
  for (; std::getline(csv, line); ++rows) {
    ASSERT_LT(rows, outcomes.size()) << line;
    const json& o = outcomes[rows];
    const std::vector<std::string> cells = split(line);
    ASSERT_EQ(cells.size(), 8u) << line;
    EXPECT_EQ(cells[0], quote(doc["scenario"]["name"].get<std::string>()));
    EXPECT_EQ(cells[1], quote(kIstanbul));
    EXPECT_EQ(cells[2], o["id"].get<std::string>());
    EXPECT_EQ(std::stod(cells[3]), o["probability"].get<double>());
    EXPECT_EQ(std::stod(cells[4]), o["ci95"][0].get<double>());
    EXPECT_EQ(std::stod(cells[5]), o["ci95"][1].get<double>());
    EXPECT_EQ(cells[6], quote(o["label"].get<std::string>()));
    EXPECT_EQ(std::stod(cells[7]), o["count"].get<double>());
  }
  EXPECT_EQ(rows, outcomes.size());
  // To stdout, it replaces the summary.
  const Result out = Parley("run " + kIstanbul + " -n 2000 --csv -");
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, Slurp(path));
}

TEST(WhatIfCli, BadInputIsRefusedWithClearErrors) {
  struct Case {
    std::string args, message;
  };
  const std::string sweep = "sweep " + kIstanbul + " -n 10 ";
  const std::string cycle = WriteFile("cycle.yaml", "extends: cycle.yaml\n");
  const std::string bad_variant =
      WriteFile("bad-variant.yaml", "extends: " + kIstanbul + "\narguments:\n  - {id: nope}\n");
  const std::vector<Case> cases = {
      {sweep + "--vary payoff.ceasefire.rusia=0:1:3", "did you mean 'payoff.ceasefire.russia'"},
      {sweep + "--vary payoff.ceasefire.russia=0:1", "expected LOW:HIGH:STEPS"},
      {sweep + "--vary payoff.ceasefire.russia=0:1:1", "STEPS must be a whole number from 2"},
      {sweep + "--vary payoff.ceasefire.russia=2:1:3", "LOW must not exceed HIGH"},
      {sweep + "--vary payoff.ceasefire.russia=0:x:3", "HIGH must be a finite number"},
      {sweep + "--vary credence.girkin-refusal-sabotage=0:2:3", "LOW and HIGH must be in [0, 1]"},
      {sweep + "--vary param.sabotage_penalty=0:1:1000 --vary payoff.ceasefire.us=0:1:1000",
       "at most 10000"},
      {sweep + "--vary a=0:1:2 --vary b=0:1:2 --vary c=0:1:2", "at most 2"},
      {sweep + "--vary param.sabotage_penalty=0:1:2 --json - --csv -", "both write to stdout"},
      {"sweep " + kIstanbul, "--vary is required"},
      {"run " + kIstanbul + " --set payoff.ceasefire.russia", "expected NAME=VALUE"},
      {"run " + kIstanbul + " --set 'payoff.ceasefire.russia=nomal: [1, 2]'",
       "did you mean 'normal'"},
      {"run " + kIstanbul + " --set credence.girkin-refusal-sabotage=-0.1", "[0, 1]"},
      {"run " + kIstanbul + " --set param.nope=1", "no sweepable name 'param.nope'"},
      {"run " + kIstanbul + " --csv - --json -", "both write to stdout"},
      {"run " + kIstanbul + " " + cycle, "cycle"},
      {"validate " + bad_variant, "the base has no argument 'nope'"},
      {"params " + Scenario("nope.yaml"), "nope.yaml"},
      {"run " + kIstanbul + " " + kIstanbul + " --lambda 1",
       "--lambda: model 'nash-pure' has no parameter lambda"},
  };
  for (const Case& c : cases) {
    const Result r = Parley(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_TRUE(c.args.find("--json -") == std::string::npos || r.out.empty()) << r.out;
  }
  const Result r = Parley("validate " + bad_variant);
  EXPECT_NE(r.err.find("bad-variant.yaml:3:10: error:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(extending "), std::string::npos) << r.err;
}

}  // namespace
