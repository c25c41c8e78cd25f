// Correlated arguments (`factors`, `correlations`) through the `parley`
// binary: closed forms for forcing, determinism across thread counts, what
// the outputs say, and the refusals (exit 2, FILE:LINE:COL, nothing written).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>

#include "parley_cli.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using parley::testing::Parley;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

// One actor who plays x exactly when argument beta holds (beta's +2 beats
// y's 1 + alpha's 0.5), so P(ox) = P(beta holds). `extra` correlates them.
std::string Write(const std::string& name, const std::string& extra) {
  const std::string text = R"(name: Copula
actors:
  - {id: a, options: [x, y]}
outcomes:
  - {id: ox, when: {a: x}}
  - {id: oy, when: {a: y}}
payoffs:
  ox: {a: 0}
  oy: {a: 1}
arguments:
  - {id: alpha, analyst: A, claim: C, credence: 0.5, effects: [{outcome: oy, actor: a, add: 0.5}]}
  - {id: beta, analyst: B, claim: D, credence: 0.5, effects: [{outcome: ox, actor: a, add: 2}]}
  - {id: gamma, analyst: B, claim: E, credence: 0.3, effects: [{outcome: oy, actor: a, add: 0.1}]}
simulation: {samples: 40000, seed: 11}
)" + extra;
  const fs::path p = TempPath(name);
  std::ofstream(p) << text;
  return p.string();
}

const std::string kRho = "correlations:\n  - {between: [alpha, beta], rho: 0.6}\n";

double Probability(const std::string& args, const std::string& outcome) {
  const Result r = Parley("run " + args + " --json - -q");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return -1;
  const json doc = json::parse(r.out);
  for (const auto& o : doc["outcomes"]) {
    if (o["id"] == outcome) return o["probability"].get<double>();
  }
  ADD_FAILURE() << "no outcome " << outcome << " in " << r.out;
  return -1;
}

TEST(CopulaCli, ForcingConditionsThroughTheCopula) {
  const std::string file = Write("rho.yaml", kRho);
  const double shift = std::asin(0.6) / std::numbers::pi;  // 0.2048
  const double se = std::sqrt(0.25 / 40000);
  EXPECT_NEAR(Probability(file, "ox"), 0.5, 4.5 * se);
  EXPECT_NEAR(Probability(file + " --with alpha", "ox"), 0.5 + shift, 4.5 * se);
  EXPECT_NEAR(Probability(file + " --without alpha", "ox"), 0.5 - shift, 4.5 * se);
  // Without correlations forcing alpha leaves beta alone.
  EXPECT_NEAR(Probability(Write("plain.yaml", "") + " --with alpha", "ox"), 0.5, 4.5 * se);
}

TEST(CopulaCli, SameResultsOnAnyThreadCount) {
  const std::string file = Write("factor.yaml", R"(factors:
  - {id: worldview, loadings: {alpha: 0.7, beta: 0.8, gamma: -0.5}}
)");
  for (const char* forcing : {"", " --with gamma"}) {
    Result one = Parley("run " + file + std::string(forcing) + " --threads 1 --json - -q");
    Result three = Parley("run " + file + std::string(forcing) + " --threads 3 --json - -q");
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ASSERT_EQ(three.exit_code, 0) << three.err;
    json a = json::parse(one.out), b = json::parse(three.out);
    a.erase("run");
    b.erase("run");
    EXPECT_EQ(a.dump(), b.dump()) << forcing;
  }
}

TEST(CopulaCli, OutputsSayCredencesAreCorrelated) {
  const std::string file = Write("says.yaml", R"(factors:
  - {id: worldview, loadings: {alpha: 0.7, beta: 0.8}}
correlations:
  - {between: [beta, gamma], rho: 0.2}
)");
  const std::string line =
      "credences: correlated (alpha, beta, gamma; factor worldview; 1 "
      "pairwise correlation)";
  Result r = Parley("validate " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(line), std::string::npos) << r.out;
  r = Parley("run " + file + " --samples 200");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(line), std::string::npos) << r.out;
  r = Parley("run " + file + " --samples 200 --json - -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json c = json::parse(r.out)["scenario"]["correlated_credences"];
  EXPECT_EQ(c["arguments"], json({"alpha", "beta", "gamma"}));
  EXPECT_EQ(c["factors"], json({"worldview"}));
  EXPECT_EQ(c["correlations"], 1);
  // So does the HTML report, single and per scenario.
  const fs::path html = TempPath("says.html");
  r = Parley("run " + file + " --samples 200 -q --html " + html.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(parley::testing::Slurp(html).find(
                "correlated (alpha, beta, gamma; factor worldview; 1 pairwise correlation)"),
            std::string::npos);
  // A comparison says which of its scenarios it applies to.
  const std::string quiet = Write("quiet.yaml", "");
  r = Parley("run " + quiet + " " + file + " --samples 200");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\ncredences of " + file + ": correlated (alpha, beta, gamma;"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("credences of " + quiet), std::string::npos) << r.out;
  // Independent credences: nothing is added.
  r = Parley("run " + quiet + " --samples 200 --json - -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(json::parse(r.out)["scenario"].contains("correlated_credences")) << r.out;
}

TEST(CopulaCli, AttributionIgnoresTheCopula) {
  // Coalitions set the holds themselves: the Shapley values are those of the
  // scenario without correlations.
  const std::string args = " --samples 300 --attribution shapley --json - -q";
  Result with = Parley("run " + Write("attr-rho.yaml", kRho) + args);
  Result without = Parley("run " + Write("attr-plain.yaml", "") + args);
  ASSERT_EQ(with.exit_code, 0) << with.err;
  ASSERT_EQ(without.exit_code, 0) << without.err;
  json a = json::parse(with.out)["attribution"], b = json::parse(without.out)["attribution"];
  // Only the run's on/off contrast, an observed difference, sees the
  // correlation (alpha's contrast borrows beta's effect).
  for (json* j : {&a, &b}) {
    j->erase("seconds");
    for (auto& arg : (*j)["arguments"]) arg.erase("contrast");
  }
  EXPECT_EQ(a.dump(), b.dump());
  EXPECT_EQ(a["arguments"][0]["shapley"]["ox"], 0.0);  // alpha never changes the outcome
}

TEST(CopulaCli, RefusesInconsistentCorrelationsAndWritesNothing) {
  const std::string file = Write("bad.yaml", R"(correlations:
  - {between: [alpha, beta], rho: 0.9}
  - {between: [alpha, gamma], rho: 0.9}
  - {between: [beta, gamma], rho: -0.9}
)");
  const fs::path out = TempPath("bad-out.json");
  fs::remove(out);
  for (const std::string& cmd : {"validate " + file, "run " + file + " --json " + out.string()}) {
    const Result r = Parley(cmd);
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_NE(r.err.find(file + ":18:35: error: the correlations of arguments alpha, beta and "
                                "gamma cannot hold together"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("alpha~beta 0.9 (`correlations`, " + file + ":16:35)"), std::string::npos)
        << r.err;
  }
  EXPECT_FALSE(fs::exists(out));
  const Result typo = Parley("validate " + Write("typo.yaml", R"(factors:
  - {id: f, loadings: {alpha: 0.5, betta: 0.5}}
)"));
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean 'beta'?"), std::string::npos) << typo.err;
}

TEST(CopulaCli, DesignsRefuseForcedCorrelatedArguments) {
  const std::string file = Write("design.yaml", kRho);
  for (const std::string& cmd : {"run " + file + " --with alpha --sampler sobol --samples 256",
                                "sensitivity " + file + " --with alpha --samples 16"}) {
    const Result r = Parley(cmd);
    EXPECT_EQ(r.exit_code, 2) << cmd << r.out;
    EXPECT_NE(r.err.find("force correlated arguments"), std::string::npos) << r.err;
  }
  // Unforced, both work: the inputs are the copula's independent innovations.
  EXPECT_EQ(Parley("run " + file + " --sampler sobol --samples 256 -q").exit_code, 0);
  const Result s = Parley("sensitivity " + file + " --samples 64 --json - -q");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("argument.alpha"), std::string::npos);
}

}  // namespace
