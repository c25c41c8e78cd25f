// `parley compare FILE... --models ...`: several models on the same sampled
// games, with paired differences and agreement per pair of models.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "parley_cli.h"

namespace {

using json = nlohmann::json;
using parley::testing::Parley;
using parley::testing::Scenario;
using Result = parley::testing::CliResult;

const std::string kIstanbul = Scenario("istanbul-2025.yaml");
const std::string kPennies = Scenario("classic/matching-pennies.yaml");

json JsonOf(const std::string& args) {
  const Result r = Parley(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

const json& Pair(const json& scenario, size_t i) { return scenario["pairs"][i]; }

const json& Difference(const json& pair, const std::string& id) {
  for (const json& d : pair["differences"]) {
    if (d["id"] == id) return d;
  }
  static const json kNone;
  ADD_FAILURE() << "no difference for " << id;
  return kNone;
}

// Matching pennies has no pure equilibrium (nash-pure: every sample
// unresolved) and a unique mixed one, (1/2, 1/2), which qre and nash-logit
// find: each outcome 1/4. So the differences are exactly +25 points per
// outcome and -100 for unresolved, and the two predictions share no mass
// (total variation distance 1, agreement 0); qre at any lambda and
// nash-logit agree completely.
TEST(ModelsCompareCli, MatchingPenniesHandComputed) {
  const json j =
      JsonOf("compare " + kPennies + " --models nash-pure,qre:lambda=3,nash-logit -n 500 --json -");
  EXPECT_EQ(j["kind"], "model-comparison");
  EXPECT_EQ(j["models"], json({"nash-pure", "qre:lambda=3", "nash-logit"}));
  const json& s = j["scenarios"][0];
  ASSERT_EQ(s["models"].size(), 3u);
  EXPECT_EQ(s["models"][0]["unresolved"]["probability"], 1.0);
  ASSERT_EQ(s["pairs"].size(), 3u);  // (0,1), (0,2), (1,2)
  const json& pure_qre = Pair(s, 0);
  EXPECT_EQ(pure_qre["models"], json({"nash-pure", "qre:lambda=3"}));
  EXPECT_NEAR(Difference(pure_qre, "match_heads")["difference"].get<double>(), 0.25, 1e-9);
  EXPECT_EQ(Difference(pure_qre, "unresolved")["difference"], -1.0);
  EXPECT_NEAR(pure_qre["agreement"].get<double>(), 0.0, 1e-9);
  const json& qre_logit = Pair(s, 2);
  EXPECT_NEAR(qre_logit["agreement"].get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(Difference(qre_logit, "match_tails")["difference"].get<double>(), 0.0, 1e-9);
}

// Each cell is exactly the plain run of that model: the same sampled games.
TEST(ModelsCompareCli, CellsAreThePlainRunsOfEachModel) {
  const json j =
      JsonOf("compare " + kIstanbul + " --models nash-pure,qre:lambda=1 -n 2000 --json -");
  const json pure = JsonOf("run " + kIstanbul + " -n 2000 --json -");
  const json qre = JsonOf("run " + kIstanbul + " -m qre:lambda=1 -n 2000 --json -");
  const json& s = j["scenarios"][0];
  for (size_t k = 0; k < pure["outcomes"].size(); ++k) {
    EXPECT_EQ(s["models"][0]["outcomes"][k]["probability"], pure["outcomes"][k]["probability"]);
    EXPECT_EQ(s["models"][1]["outcomes"][k]["ci95"], qre["outcomes"][k]["ci95"]);
  }
  EXPECT_EQ(s["models"][1]["model_parameters"], qre["model_parameters"]);
  // The paired difference is the difference of the two runs' probabilities...
  const json& d = Difference(Pair(s, 0), "collapse");
  EXPECT_NEAR(d["difference"].get<double>(),
              qre["outcomes"][1]["probability"].get<double>() -
                  pure["outcomes"][1]["probability"].get<double>(),
              1e-12);
  // ...with an interval narrower than two independent runs would give: the
  // two models see the same games, so their predictions move together.
  const double paired = d["ci95"][1].get<double>() - d["ci95"][0].get<double>();
  const double independent =
      d["ci95_independent"][1].get<double>() - d["ci95_independent"][0].get<double>();
  EXPECT_LT(paired, 0.8 * independent);
  // A model against itself: zero differences, full agreement.
  const json same =
      JsonOf("compare " + kIstanbul + " --models nash-pure,nash-pure -n 500 --json -");
  const json& p = Pair(same["scenarios"][0], 0);
  EXPECT_EQ(p["agreement"], 1.0);
  for (const json& x : p["differences"]) EXPECT_EQ(x["difference"], 0.0);
}

TEST(ModelsCompareCli, IdenticalOnAnyThreadCount) {
  const std::string args =
      "compare " + kIstanbul + " " + kPennies + " --models nash-pure,qre -n 3000 --json - -t ";
  json one = JsonOf(args + "1"), three = JsonOf(args + "3");
  one.erase("run");
  three.erase("run");
  EXPECT_EQ(one, three);
  EXPECT_EQ(one["most_separating"].size(), 1u);
  EXPECT_EQ(one["most_separating"][0]["file"], kPennies);
}

TEST(ModelsCompareCli, TextAndCsv) {
  Result r = Parley("compare " + kIstanbul + " --models nash-pure,qre -n 500");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Model comparison: 2 models on 1 scenario, 500 samples each"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("agreement"), std::string::npos) << r.out;
  r = Parley("compare " + kIstanbul + " --models nash-pure,qre -n 500 --csv -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "scenario,file,model,outcome,probability,ci95_low,ci95_high");
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1 + 2 * 4);
}

TEST(ModelsCompareCli, BadModelListsNameTheEntryAndTheFile) {
  const struct {
    std::string models, message;
  } cases[] = {
      {"nash-pure,,qre", "--models: an empty model name"},
      {"lambda=2", "--models: the parameter 'lambda=2' comes before any model"},
      {"nash-pure,bogus", "--models: bogus on " + kIstanbul + ": unknown model 'bogus'"},
      {"qre:lambda=-1", "--models: qre:lambda=-1 on " + kIstanbul},
      {"spe", "--models: spe on " + kIstanbul},
  };
  for (const auto& c : cases) {
    const Result r = Parley("compare " + kIstanbul + " --models " + c.models + " -n 10");
    EXPECT_EQ(r.exit_code, 2) << c.models;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.models << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

}  // namespace
