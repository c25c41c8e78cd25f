// `parley fit` through the binary, against an independent oracle: the logit
// quantal response equilibrium of a 2x2 game solved here by bisection (it is
// unique), its log-likelihood on a fine grid, and the interval read off that
// grid; data generated from a known precision are fitted back; McKelvey and
// Palfrey's (1995) block of Ochs's (1995) data; bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "parley_cli.h"

namespace {

using json = nlohmann::json;
using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

const std::string kGame = "classic/ochs-asymmetric-pennies.yaml";
const std::string kData = std::string(PARLEY_SOURCE_DIR) + "/observed/ochs-1995-block.yaml";

// The game's logit QRE at precision `lambda`: p = P(row up), q = P(column
// left). Row: up pays 1.1141 q, down 0.2785 (1 - q); column: left pays
// 1.1141 (1 - p), right 1.1141 p. q falls as p rises and p rises with q, so
// p - Row(Column(p)) is increasing and has one root.
struct Qre {
  double p, q;
};
double Logistic(double x) { return 1 / (1 + std::exp(-x)); }
Qre SolveQre(double lambda) {
  auto column = [&](double p) { return Logistic(lambda * (1.1141 * (1 - p) - 1.1141 * p)); };
  auto row = [&](double q) { return Logistic(lambda * (1.1141 * q - 0.2785 * (1 - q))); };
  double a = 0, b = 1;
  for (int i = 0; i < 200; ++i) {
    const double m = (a + b) / 2;
    (m - row(column(m)) < 0 ? a : b) = m;
  }
  const double p = (a + b) / 2;
  return {p, column(p)};
}
double LogLikelihood(double lambda, double up, double down, double left, double right) {
  const Qre e = SolveQre(lambda);
  return up * std::log(e.p) + down * std::log(1 - e.p) + left * std::log(e.q) +
         right * std::log(1 - e.q);
}

json Fit(const std::string& data, const std::string& extra = "") {
  const Result r = Parley("fit " + Scenario(kGame) + " --model qre --param lambda --observed " +
                          data + " --json -" + extra);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? json::parse(r.out) : json();
}

TEST(FitCli, OchsDataAgreeWithABruteForceLikelihood) {
  const json fit = Fit(kData);
  ASSERT_FALSE(fit.is_null());
  const double up = 128 * 0.527, down = 128 * (1 - 0.527);
  const double left = 128 * 0.366, right = 128 * (1 - 0.366);
  // The log-likelihood on a grid of step 0.001 over [0, 10].
  double best = 0, best_ll = -INFINITY;
  for (int i = 0; i <= 10000; ++i) {
    const double l = i * 0.001, ll = LogLikelihood(l, up, down, left, right);
    if (ll > best_ll) best = l, best_ll = ll;
  }
  const double estimate = fit["estimate"];
  EXPECT_NEAR(estimate, best, 0.001);
  EXPECT_NEAR(fit["log_likelihood"].get<double>(), LogLikelihood(estimate, up, down, left, right),
              1e-6);
  EXPECT_GE(fit["log_likelihood"].get<double>(), best_ll - 1e-9);
  // The interval: where the grid's log-likelihood stays within 1.92 of its
  // maximum.
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i <= 10000; ++i) {
    const double l = i * 0.001;
    if (LogLikelihood(l, up, down, left, right) >= best_ll - 1.920729410347062) {
      lo = std::min(lo, l), hi = std::max(hi, l);
    }
  }
  EXPECT_NEAR(fit["ci95"]["low"].get<double>(), lo, 0.0011);
  EXPECT_NEAR(fit["ci95"]["high"].get<double>(), hi, 0.0011);
  EXPECT_FALSE(fit["ci95"]["low_open"].get<bool>());
  EXPECT_FALSE(fit["ci95"]["high_open"].get<bool>());
  // The predicted choices are the QRE at the estimate.
  const Qre at = SolveQre(estimate);
  EXPECT_NEAR(fit["choices"][0]["options"][0]["predicted"].get<double>(), at.p, 1e-6);
  EXPECT_NEAR(fit["choices"][1]["options"][0]["predicted"].get<double>(), at.q, 1e-6);
  EXPECT_EQ(fit["observed"]["total"], 256.0);
  EXPECT_EQ(fit["kind"], "fit");
  EXPECT_EQ(fit["model"], "qre");
}

// Gambit's own maximum-likelihood logit fit of the same data, an independent
// implementation (it follows the principal branch of the logit
// correspondence with its path tracer): gambit-logit built from
// gambitproject/gambit 17.0.0-alpha.2 and run on `parley export` of the
// scenario as `gambit-logit -q -d 8 -L freq.txt ochs.nfg`, freq.txt holding
// "67.456,60.544,46.848,81.152". Its last line, the estimate:
// 1.84560975,0.61565131,0.38434869,0.38329094,0.61670906,-174.76453191
// (lambda, the four choice probabilities, the log-likelihood).
TEST(FitCli, OchsDataAgreeWithGambitsLogitEstimate) {
  const json fit = Fit(kData);
  ASSERT_FALSE(fit.is_null());
  EXPECT_NEAR(fit["estimate"].get<double>(), 1.84560975, 1e-5);
  EXPECT_NEAR(fit["log_likelihood"].get<double>(), -174.76453191, 1e-7);
  const double gambit[2][2] = {{0.61565131, 0.38434869}, {0.38329094, 0.61670906}};
  for (int a = 0; a < 2; ++a) {
    for (int o = 0; o < 2; ++o) {
      EXPECT_NEAR(fit["choices"][a]["options"][o]["predicted"].get<double>(), gambit[a][o], 1e-6)
          << a << " " << o;
    }
  }
}

// Choices generated from lambda = 2 (expected counts of 20,000 choices per
// role) are fitted back: the estimate is 2 and the interval holds it.
TEST(FitCli, RecoversTheLambdaThatGeneratedTheData) {
  const Qre e = SolveQre(2.0);
  const std::string data = TempPath("generated.yaml").string();
  {
    std::ofstream f(data);
    f.precision(17);
    f << "counts:\n  row: {up: " << 20000 * e.p << ", down: " << 20000 * (1 - e.p)
      << "}\n  column: {left: " << 20000 * e.q << ", right: " << 20000 * (1 - e.q) << "}\n";
  }
  const json fit = Fit(data);
  ASSERT_FALSE(fit.is_null());
  EXPECT_NEAR(fit["estimate"].get<double>(), 2.0, 1e-4);
  EXPECT_LT(fit["ci95"]["low"].get<double>(), 2.0);
  EXPECT_GT(fit["ci95"]["high"].get<double>(), 2.0);
  // 20,000 choices per role pin lambda down far better than Ochs's 128.
  EXPECT_LT(fit["ci95"]["high"].get<double>() - fit["ci95"]["low"].get<double>(), 0.3);
}

TEST(FitCli, IdenticalOnAnyThreadCountAndSaysWhatProducedIt) {
  // Fewer samples under AddressSanitizer, where qre on the four-actor game
  // costs a minute at the release count.
  const int samples = parley::testing::kAddressSanitizer ? 80 : 300;
  const std::string args = "fit " + Scenario("istanbul-2025.yaml") +
                           " --model qre --param lambda --range 0,5 -n " + std::to_string(samples) +
                           " --observed " + Scenario("../tests/data/fit/istanbul-choices.yaml") +
                           " --json -";
  Result one = Parley(args + " -t 1");
  Result two = Parley(args + " -t 2");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  json a = json::parse(one.out), b = json::parse(two.out);
  a.erase("seconds"), b.erase("seconds");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a["range"], json::array({0.0, 5.0}));
  EXPECT_EQ(a["default_range"], false);
  EXPECT_EQ(a["samples"], samples);
  // The run at the estimate: the model with lambda set to the estimate.
  EXPECT_EQ(a["model_parameters"]["lambda"], a["estimate"]);
}

TEST(FitCli, TextSummary) {
  const Result r =
      Parley("fit " + Scenario(kGame) + " --model qre --param lambda --observed " + kData);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("lambda = 1.8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("95% profile-likelihood interval ["), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("row     up        67.456       52.7%"), std::string::npos) << r.out;
}

// An upper end the data cannot bound, and a whole-number parameter.
TEST(FitCli, OpenEndsAndWholeNumbers) {
  const std::string data = TempPath("nash.yaml").string();
  {
    std::ofstream f(data);
    f << "counts:\n  row: {up: 50, down: 50}\n  column: {left: 20, right: 80}\n";
  }
  const json fit = Fit(data, " --range 0,20");
  ASSERT_FALSE(fit.is_null());
  // The Nash mix (up 1/2, left 0.2) is the limit as lambda grows.
  EXPECT_TRUE(fit["ci95"]["high_open"].get<bool>());
  EXPECT_EQ(fit["ci95"]["high"], 20.0);
  const Result k = Parley("fit " + Scenario(kGame) + " --model level-k --param k --range 0,6 " +
                          "--observed " + data + " --json -");
  ASSERT_EQ(k.exit_code, 0) << k.err;
  const json kfit = json::parse(k.out);
  EXPECT_EQ(kfit["integer"], true);
  EXPECT_EQ(kfit["evaluations"].size(), 7u);
  EXPECT_EQ(std::fmod(kfit["estimate"].get<double>(), 1.0), 0.0);
}

TEST(FitCli, BadInputIsRefusedWithClearErrors) {
  const std::string base = "fit " + Scenario(kGame) + " --model qre --observed " + kData;
  Result r = Parley(base + " --param mu");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("model qre has no number parameter 'mu' (it has: lambda"), std::string::npos)
      << r.err;
  r = Parley(base + " --param lambda --range 5,1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--range must be LOW,HIGH"), std::string::npos) << r.err;
  r = Parley(base + " --param lambda --range -1,3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("leaves the range of qre's lambda"), std::string::npos) << r.err;
  const std::string bad = TempPath("bad.yaml").string();
  {
    std::ofstream f(bad);
    f << "counts:\n  row: {up: 5, dwn: 3}\n";
  }
  r = Parley("fit " + Scenario(kGame) + " --model qre --param lambda --observed " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad + ":2:16: error: unknown key 'dwn' in `counts.row`; did you mean "
                             "'down'?"),
            std::string::npos)
      << r.err;
  {
    std::ofstream f(bad);
    f << "counts:\n  row: {up: -5}\n";
  }
  r = Parley("fit " + Scenario(kGame) + " --model qre --param lambda --observed " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad + ":2:13: error: the count of row's option up must be from 0"),
            std::string::npos)
      << r.err;
  r = Parley("fit " + Scenario("sequential/ultimatum.yaml") +
             " --model spe --param lambda --observed " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("normal-form scenarios only"), std::string::npos) << r.err;
  r = Parley("fit " + Scenario(kGame) + " --model qre --param lambda --observed /nonexistent.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent.yaml"), std::string::npos) << r.err;
}

}  // namespace
