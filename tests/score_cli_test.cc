// `parley score` through the binary: Brier and log scores of forecasts whose
// values are known exactly (classic games with one pure equilibrium, or
// none), the baselines, the reliability table, the JSON fields, the HTML
// report, determinism across threads, and every bad-input message.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "parley_cli.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

std::string WriteFile(const std::string& name, const std::string& text) {
  const fs::path p = TempPath(name);
  std::ofstream(p) << text;
  return p.string();
}

// The prisoner's dilemma (outcomes both_cooperate, row_defects,
// column_defects, both_defect): nash-pure predicts both_defect in every
// sample, so the forecast is (0, 0, 0, 1) exactly.
std::string Dilemma(const std::string& name, const std::string& observed) {
  return WriteFile(name, "extends: " + Scenario("classic/prisoners-dilemma.yaml") +
                             "\nobserved: {outcome: " + observed +
                             ", date: 2020-01-01, source: a test}\n");
}

// Matching pennies has no pure equilibrium: nash-pure resolves no sample;
// nash-mixed predicts each of the four outcomes with probability 1/4.
std::string Pennies() {
  return WriteFile("pennies.yaml", "extends: " + Scenario("classic/matching-pennies.yaml") +
                                       "\nobserved: {outcome: match_heads, date: 2020-01-02, "
                                       "source: a test}\n");
}

json ScoreJson(const std::string& args) {
  Result r = Parley("score " + args + " --json -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

TEST(ScoreCli, ReproducesHandComputedScoresOfKnownForecasts) {
  // Forecast (0, 0, 0, 1) for both episodes.
  //   defected:   Brier 0, log ln 1 = 0
  //   cooperated: Brier 1^2 + 1^2 = 2, log ln(0.001) = -6.907755 (floored)
  //   mean Brier 1, mean log -3.453878; standard errors |a - b| / 2: 1 and 3.453878
  const std::string defected = Dilemma("defected.yaml", "both_defect");
  const std::string cooperated = Dilemma("cooperated.yaml", "both_cooperate");
  const json j = ScoreJson(defected + " " + cooperated);
  EXPECT_EQ(j["kind"], "score");
  ASSERT_EQ(j["models"].size(), 1u);
  const json& m = j["models"][0];
  EXPECT_EQ(m["name"], "nash-pure");
  EXPECT_EQ(m["baseline"], false);
  ASSERT_EQ(m["episodes"].size(), 2u);
  EXPECT_DOUBLE_EQ(m["episodes"][0]["forecast"]["both_defect"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(m["episodes"][0]["forecast"]["both_cooperate"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(m["episodes"][0]["brier"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(m["episodes"][0]["log"].get<double>(), 0.0);
  EXPECT_EQ(m["episodes"][0]["log_floored"], false);
  EXPECT_DOUBLE_EQ(m["episodes"][1]["brier"].get<double>(), 2.0);
  EXPECT_NEAR(m["episodes"][1]["log"].get<double>(), -6.907755, 1e-6);
  EXPECT_EQ(m["episodes"][1]["log_floored"], true);
  EXPECT_DOUBLE_EQ(m["episodes"][1]["p_observed"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(m["brier"]["mean"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(m["brier"]["standard_error"].get<double>(), 1.0);
  EXPECT_NEAR(m["log"]["mean"].get<double>(), -3.453878, 1e-6);
  EXPECT_NEAR(m["log"]["standard_error"].get<double>(), 3.453878, 1e-6);
  EXPECT_EQ(m["log_floored"], 1);
  EXPECT_EQ(m["episodes"][0]["model"], "nash-pure");
  EXPECT_EQ(m["episodes"][0]["samples"], 1000);  // the scenario's own
  EXPECT_EQ(m["episodes"][0]["seed"], 1);
  EXPECT_DOUBLE_EQ(m["episodes"][0]["unresolved"].get<double>(), 0.0);

  // Uniform over 4 outcomes: Brier (3/4)^2 + 3 (1/4)^2 = 0.75, log ln 1/4.
  const json& uniform = j["baselines"][0];
  EXPECT_EQ(uniform["name"], "uniform");
  EXPECT_EQ(uniform["baseline"], true);
  EXPECT_DOUBLE_EQ(uniform["brier"]["mean"].get<double>(), 0.75);
  EXPECT_NEAR(uniform["log"]["mean"].get<double>(), std::log(0.25), 1e-12);
  // Base rate: both_defect once, both_cooperate once -> (1/2, 0, 0, 1/2) for
  // both episodes: Brier 1/4 + 1/4 = 0.5, log ln 1/2.
  const json& base = j["baselines"][1];
  EXPECT_EQ(base["name"], "base_rate");
  EXPECT_EQ(base["in_sample"], true);
  EXPECT_DOUBLE_EQ(base["episodes"][0]["forecast"]["both_cooperate"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(base["episodes"][0]["forecast"]["row_defects"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(base["brier"]["mean"].get<double>(), 0.5);
  EXPECT_NEAR(base["log"]["mean"].get<double>(), std::log(0.5), 1e-12);

  // Model minus uniform, Brier: -0.75 and 1.25, mean 0.25, standard error 1.
  ASSERT_EQ(m["versus"].size(), 2u);
  EXPECT_EQ(m["versus"][0]["baseline"], "uniform");
  EXPECT_DOUBLE_EQ(m["versus"][0]["brier_difference"]["mean"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(m["versus"][0]["brier_difference"]["standard_error"].get<double>(), 1.0);
  EXPECT_EQ(m["versus"][1]["baseline"], "base_rate");
  EXPECT_DOUBLE_EQ(m["versus"][1]["brier_difference"]["mean"].get<double>(), 0.5);

  // Reliability, 5 bins over 8 pairs: six zeros in [0, 0.2), one of which
  // happened (both_cooperate in the second episode); two ones in [0.8, 1],
  // one of which happened.
  const json& bins = m["reliability"];
  ASSERT_EQ(bins.size(), 5u);
  EXPECT_EQ(bins[0]["pairs"], 6);
  EXPECT_DOUBLE_EQ(bins[0]["mean_forecast"].get<double>(), 0.0);
  EXPECT_NEAR(bins[0]["observed_frequency"].get<double>(), 1.0 / 6.0, 1e-12);
  EXPECT_EQ(bins[1]["pairs"], 0);
  EXPECT_TRUE(bins[1]["mean_forecast"].is_null());
  EXPECT_EQ(bins[4]["pairs"], 2);
  EXPECT_DOUBLE_EQ(bins[4]["observed_frequency"].get<double>(), 0.5);

  // The episodes as recorded.
  ASSERT_EQ(j["episodes"].size(), 2u);
  EXPECT_EQ(j["episodes"][1]["observed"]["outcome"], "both_cooperate");
  EXPECT_EQ(j["episodes"][1]["observed"]["date"], "2020-01-01");
  EXPECT_EQ(j["episodes"][1]["observed"]["source"], "a test");
  EXPECT_EQ(j["episodes"][1]["outcomes"].size(), 4u);
  EXPECT_DOUBLE_EQ(j["conventions"]["log_floor"].get<double>(), 0.001);
  EXPECT_EQ(j["conventions"]["bins"], 5);
  EXPECT_TRUE(j["run"].contains("seconds"));
}

TEST(ScoreCli, UnresolvedRunsForecastUniformAndSayTheyDid) {
  // nash-pure on matching pennies: no sample resolves, the forecast is
  // uniform (flagged) and the unresolved share is 1. nash-mixed: 1/4 each.
  const std::string pennies = Pennies();
  const json j = ScoreJson(pennies + " --models nash-pure,nash-mixed");
  ASSERT_EQ(j["models"].size(), 2u);
  const json& pure = j["models"][0]["episodes"][0];
  EXPECT_EQ(pure["no_resolved"], true);
  EXPECT_DOUBLE_EQ(pure["unresolved"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(pure["forecast"]["match_heads"].get<double>(), 0.25);
  const json& mixed = j["models"][1]["episodes"][0];
  EXPECT_EQ(j["models"][1]["name"], "nash-mixed");
  EXPECT_EQ(mixed["no_resolved"], false);
  EXPECT_DOUBLE_EQ(mixed["unresolved"].get<double>(), 0.0);
  EXPECT_NEAR(mixed["forecast"]["mismatch_tails_heads"].get<double>(), 0.25, 1e-12);
  EXPECT_NEAR(mixed["brier"].get<double>(), 0.75, 1e-12);
  EXPECT_NEAR(mixed["log"].get<double>(), std::log(0.25), 1e-12);
  // One episode: no standard error.
  EXPECT_TRUE(j["models"][1]["brier"]["standard_error"].is_null());

  Result text = Parley("score " + pennies + " --models nash-pure");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("(no sample resolved: uniform)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("100.0%"), std::string::npos) << text.out;
}

TEST(ScoreCli, ModelsWithParametersAreSplitAndNamed) {
  const std::string defected = Dilemma("defected2.yaml", "both_defect");
  const json j = ScoreJson(defected + " --models qre:lambda=2,nash-pure -n 500 --seed 9");
  ASSERT_EQ(j["models"].size(), 2u);
  EXPECT_EQ(j["models"][0]["name"], "qre:lambda=2");
  EXPECT_EQ(j["models"][0]["episodes"][0]["model"], "qre:lambda=2.0");  // as used
  EXPECT_EQ(j["models"][0]["episodes"][0]["samples"], 500);
  EXPECT_EQ(j["models"][0]["episodes"][0]["seed"], 9);
  // QRE puts weight on every outcome: less sure, so a worse Brier here.
  EXPECT_GT(j["models"][0]["brier"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(j["models"][1]["name"], "nash-pure");
  EXPECT_DOUBLE_EQ(j["models"][1]["brier"]["mean"].get<double>(), 0.0);
}

TEST(ScoreCli, ResultsDoNotDependOnThreads) {
  std::string files;
  for (const char* f : {"minsk-2014-09.yaml", "istanbul-2022-03.yaml", "grain-deal-2022-07.yaml"}) {
    files += " " + Scenario(std::string("history/") + f);
  }
  json one = ScoreJson(files + " -n 3000 --threads 1 --models nash-pure,qre");
  json four = ScoreJson(files + " -n 3000 --threads 4 --models nash-pure,qre");
  one.erase("run");
  four.erase("run");
  EXPECT_EQ(one, four);
}

TEST(ScoreCli, TextReportsConventionsForecastsScoresAndReliability) {
  const std::string defected = Dilemma("defected3.yaml", "both_defect");
  const std::string cooperated = Dilemma("cooperated3.yaml", "both_cooperate");
  Result r = Parley("score " + defected + " " + cooperated);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* expected :
       {"Back-test of 2 episodes against what happened", "Brier: sum over outcomes of (p - o)^2",
        "p floored at 0.001", "base_rate: in sample", "cooperated3  2020-01-01  both_cooperate",
        "Forecasts of nash-pure",
        "cooperated3     0.0%   2.000  -6.908!        0.0%  both_cooperate 0.0%*",
        "nash-pure   1.000 \u00b1 1.000    -3.454 \u00b1 3.454    1",
        "uniform     0.750 \u00b1 0.000    -1.386 \u00b1 0.000    0",
        "base_rate   0.500 \u00b1 0.000    -0.693 \u00b1 0.000    0",
        "  uniform     Brier +0.250 \u00b1 1.000",
        "Reliability of nash-pure (8 episode x outcome pairs)",
        "[0.00, 0.20)      6          0.000               0.167",
        "[0.20, 0.40)      0              -                   -",
        "[0.80, 1.00]      2          1.000               0.500"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
}

TEST(ScoreCli, WritesAnHtmlReportWithAReliabilityDiagram) {
  const std::string defected = Dilemma("defected4.yaml", "both_defect");
  const std::string html = TempPath("score.html").string();
  Result r = Parley("score " + defected + " --html " + html);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = Slurp(html);
  EXPECT_NE(page.find("data-kind=\"score\""), std::string::npos);
  EXPECT_NE(page.find("Back-test of 1 episode"), std::string::npos);
  EXPECT_NE(page.find("Reliability"), std::string::npos);
  EXPECT_NE(page.find("data-charts=\"2\""), std::string::npos);
  // `parley report` renders the JSON the same way.
  const std::string result = TempPath("score.json").string();
  ASSERT_EQ(Parley("score " + defected + " --json " + result).exit_code, 0);
  const std::string again = TempPath("score-again.html").string();
  Result report = Parley("report " + result + " -o " + again);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(Slurp(again).find("data-kind=\"score\""), std::string::npos);
}

TEST(ScoreCli, RefusesScenariosWithoutAnObservation) {
  const std::string defected = Dilemma("defected5.yaml", "both_defect");
  const std::string chicken = Scenario("classic/chicken.yaml");
  Result r =
      Parley("score " + defected + " " + chicken + " --json " + TempPath("never.json").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "parley: " + chicken +
                       ": error: the scenario records no outcome: `parley score` needs an "
                       "`observed` section (outcome, date, source; see "
                       "docs/reference/scenario-schema.md)\n");
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(TempPath("never.json")));
}

TEST(ScoreCli, RefusesAnUnknownObservedOutcomeWithItsPosition) {
  const std::string bad = WriteFile(
      "bad-observed.yaml", "extends: " + Scenario("classic/prisoners-dilemma.yaml") +
                               "\nobserved: {outcome: both_defekt, date: 2020-01-01, source: x}\n");
  Result r = Parley("score " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad + ":2:21: error: `observed.outcome`: unknown outcome 'both_defekt'; "
                             "did you mean 'both_defect'?"),
            std::string::npos)
      << r.err;
}

TEST(ScoreCli, RefusesBadModelsAndFlags) {
  const std::string defected = Dilemma("defected6.yaml", "both_defect");
  struct Case {
    std::string args, message;
  };
  for (const Case& c : std::vector<Case>{
           {"--models lambda=2",
            "parley: --models: the parameter 'lambda=2' comes before any "
            "model (write MODEL:lambda=2)\n"},
           {"--models nash-pure,,qre",
            "parley: --models: an empty model name in "
            "'nash-pure,,qre' (models are separated by commas: "
            "nash-pure,qre:lambda=2)\n"},
           {"--models nash-puer", "--model: unknown model 'nash-puer'"},
           {"--models spe", "--model: model 'spe' solves sequential games"},
           {"--models qre:lambda=-1", "lambda"},
           {"--seed x", "parley: --seed"},
           {"--bins 0", "--bins"},
       }) {
    Result r = Parley("score " + defected + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
  }
  Result none = Parley("score");
  EXPECT_EQ(none.exit_code, 2);
  Result missing = Parley("score " + TempPath("no-such.yaml").string());
  EXPECT_EQ(missing.exit_code, 2);
}

TEST(ScoreCli, ShippedHistoryEpisodesScore) {
  // Every shipped episode records an outcome among its own, and scores.
  std::string files;
  int count = 0;
  for (const auto& entry : fs::directory_iterator(Scenario("history"))) {
    if (entry.path().extension() == ".yaml") {
      files += " " + entry.path().string();
      ++count;
    }
  }
  EXPECT_GE(count, 7);
  const json j = ScoreJson(files + " -n 2000");
  EXPECT_EQ(j["episodes"].size(), static_cast<size_t>(count));
  for (const json& e : j["episodes"]) {
    EXPECT_FALSE(e["observed"]["source"].get<std::string>().empty());
  }
}

}  // namespace
