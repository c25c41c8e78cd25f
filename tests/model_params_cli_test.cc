// Model parameters and provenance through the `parley` binary: a parameter
// given as --model NAME:K=V, --lambda, the scenario's `simulation.model` map
// or --set model.K=V gives the same numbers; it works in run, comparisons,
// sweep and sensitivity; bad values exit 2 naming the parameter and its
// range; and every result's JSON says which model, parameters and overrides
// produced it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "parley_cli.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ::testing::HasSubstr;

using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

const std::string kChicken = Scenario("classic/chicken.yaml");
const std::string kIstanbul = Scenario("istanbul-2025.yaml");

json Json(const std::string& args) {
  const Result r = Parley(args + " --json -");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  json j = json::parse(r.out.empty() ? "{}" : r.out);
  j.erase("run");
  return j;
}

// The result without what says how it was asked for.
json Numbers(json j) {
  j.erase("overrides");
  return j;
}

// chicken.yaml with its `simulation:` line replaced by `simulation`.
std::string WriteScenario(const std::string& name, const std::string& simulation) {
  std::ifstream in(kChicken);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t at = text.find("\nsimulation:");
  EXPECT_NE(at, std::string::npos);
  const size_t end = text.find('\n', at + 1);
  text.replace(at + 1, end == std::string::npos ? std::string::npos : end - at - 1, simulation);
  const fs::path p = TempPath(name);
  std::ofstream(p) << text;
  return p.string();
}

TEST(ModelParamsCli, EveryWayOfGivingLambdaGivesTheSameRun) {
  const std::string n = " -n 300";
  const json by_model = Json("run " + kChicken + n + " --model qre:lambda=2.5");
  const json by_alias = Json("run " + kChicken + n + " --model qre --lambda 2.5");
  const json by_set = Json("run " + kChicken + n + " --model qre --set model.lambda=2.5");
  EXPECT_EQ(by_model["model"], "qre");
  EXPECT_EQ(by_model["lambda"], 2.5);
  EXPECT_EQ(by_model["model_parameters"], json({{"lambda", 2.5}}));
  EXPECT_EQ(Numbers(by_model), Numbers(by_alias));
  EXPECT_EQ(Numbers(by_model), Numbers(by_set));
  EXPECT_EQ(by_set["overrides"]["set"], json({"model.lambda=2.5"}));
  // A different lambda gives different numbers (the parameter is used).
  const json other = Json("run " + kChicken + n + " --model qre:lambda=0.5");
  EXPECT_NE(other["outcomes"], by_model["outcomes"]);
  EXPECT_EQ(other["model_parameters"]["lambda"], 0.5);
  // --set comes after --model and --lambda.
  EXPECT_EQ(Json("run " + kChicken + n + " --model qre:lambda=9 --set model.lambda=2.5")
                ["model_parameters"]["lambda"],
            2.5);
}

TEST(ModelParamsCli, TheScenarioMayChooseTheModelAndItsParameters) {
  const std::string file = WriteScenario(
      "qre-chicken.yaml", "simulation:\n  seed: 1\n  model: {name: qre, lambda: 2.5}");
  Result r = Parley("validate " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json from_file = Json("run " + file + " -n 300");
  const json from_flag = Json("run " + kChicken + " -n 300 --model qre:lambda=2.5");
  EXPECT_EQ(from_file["model"], "qre");
  EXPECT_EQ(from_file["model_parameters"]["lambda"], 2.5);
  EXPECT_EQ(from_file["outcomes"], from_flag["outcomes"]);
  // --lambda overrides the file's value; --model with another model drops it.
  EXPECT_EQ(Json("run " + file + " -n 300 --lambda 1")["model_parameters"]["lambda"], 1.0);
  EXPECT_EQ(Json("run " + file + " -n 300 -m nash-pure")["model_parameters"], json::object());
  // A bad value in the file names the file, line and column.
  const std::string bad = WriteScenario("bad-qre-chicken.yaml",
                                        "simulation:\n  seed: 1\n  model: {name: qre, lambda: -1}");
  r = Parley("run " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad-qre-chicken.yaml:54:30: error"));
  EXPECT_THAT(r.err, HasSubstr("parameter 'lambda' must be a number >= 0, got '-1'"));
}

TEST(ModelParamsCli, LambdaWorksInComparisonsSweepsAndSensitivity) {
  const json compare =
      Json("run " + kChicken + " " + kChicken + " -n 200 --model qre:lambda=3 --set "
           "payoff.crash.row=-20");
  ASSERT_EQ(compare["scenarios"].size(), 2u);
  for (const auto& s : compare["scenarios"]) {
    EXPECT_EQ(s["model_parameters"]["lambda"], 3.0);
    EXPECT_EQ(s["overrides"]["set"], json({"payoff.crash.row=-20"}));
  }
  const json sweep =
      Json("sweep " + kChicken + " -n 200 --model qre --vary model.lambda=0:4:3");
  ASSERT_EQ(sweep["points"].size(), 3u) << sweep.dump();
  // Each point runs at its own lambda: the probabilities move with it.
  EXPECT_NE(sweep["points"][0]["outcomes"], sweep["points"][2]["outcomes"]);
  // The point at lambda 4 is the plain run at lambda 4.
  const json at4 = Json("run " + kChicken + " -n 200 --model qre:lambda=4");
  ASSERT_EQ(sweep["points"][2]["outcomes"].size(), at4["outcomes"].size());
  for (size_t i = 0; i < at4["outcomes"].size(); ++i) {
    EXPECT_EQ(sweep["points"][2]["outcomes"][i]["probability"], at4["outcomes"][i]["probability"]);
  }
  EXPECT_EQ(sweep["model_parameters"]["lambda"], 1.0) << "the base run's value";

  const json sensitivity =
      Json("sensitivity " + kIstanbul + " -n 8 -m qre --lambda 2 --method morris");
  EXPECT_EQ(sensitivity["model"], "qre");
  EXPECT_EQ(sensitivity["model_parameters"]["lambda"], 2.0);
}

TEST(ModelParamsCli, BadValuesExitTwoNamingTheParameterAndRange) {
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"run " + kChicken + " --model qre:lambda=-1",
       "--model: model 'qre': parameter 'lambda' must be a number >= 0, got '-1'"},
      {"run " + kChicken + " --model qre:lamda=1", "did you mean 'lambda'?"},
      {"run " + kChicken + " --model qre:lambda", "expected NAME=VALUE"},
      {"run " + kChicken + " --model nash-pure:lambda=1", "has no parameter 'lambda' (it takes none)"},
      {"run " + kChicken + " --model qre --set model.lambda=x",
       "--set model.lambda: model 'qre': parameter 'lambda' must be a number >= 0, got 'x'"},
      {"run " + kChicken + " --lambda 2", "--lambda: model 'nash-pure' has no parameter lambda"},
      {"sweep " + kChicken + " --model qre --vary model.lambda=-2:1:3",
       "--vary model.lambda: --set model.lambda: model 'qre': parameter 'lambda' must be"},
      {"sweep " + kChicken + " --vary model.k=0:1:2", "model 'nash-pure' has no parameter 'k'"},
      {"run " + kChicken + " --model nope", "--model: unknown model 'nope'"},
  };
  for (const Case& c : cases) {
    const Result r = Parley(c.args + " --json -");
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.args;
    EXPECT_TRUE(r.out.empty()) << c.args << "\n" << r.out;
  }
}

TEST(ModelParamsCli, ModelsListsParametersAndParamsListsModelNames) {
  Result r = Parley("models");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("lambda=1  a number >= 0;"));
  r = Parley("params " + kChicken + " --set model.lambda=2 --json -");
  // nash-pure declares no lambda: the --set stands, listed as set.
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST(ModelParamsCli, EveryResultRecordsItsOverridesAndExtendsChain) {
  const std::string variant = Scenario("istanbul-variants/credible-us-walkout.yaml");
  const json run = Json("run " + variant + " -n 100 --with baunov-trump-exit --set "
                        "param.sabotage_penalty=1");
  EXPECT_EQ(run["overrides"]["with"], json({"baunov-trump-exit"}));
  EXPECT_EQ(run["overrides"]["set"], json({"param.sabotage_penalty=1"}));
  EXPECT_EQ(run["overrides"]["without"], json::array());
  ASSERT_TRUE(run["scenario"].contains("extends")) << run["scenario"].dump();
  EXPECT_EQ(run["scenario"]["extends"].size(), 2u);
  EXPECT_THAT(run["scenario"]["extends"][1].get<std::string>(), HasSubstr("istanbul-2025.yaml"));
  // The terminal header says it too.
  const Result text = Parley("run " + variant + " -n 100 --without baunov-trump-exit");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("overrides: --without baunov-trump-exit"));
  EXPECT_THAT(text.out, HasSubstr("extends: "));
  // Sweeps and sensitivity analyses record theirs.
  EXPECT_EQ(Json("sweep " + kIstanbul + " -n 50 --vary param.sabotage_penalty=0:1:2 --without "
                 "baunov-trump-exit")["overrides"]["without"],
            json({"baunov-trump-exit"}));
  EXPECT_EQ(Json("sensitivity " + kIstanbul + " -n 4 --method morris --set "
                 "param.sabotage_penalty=1")["overrides"]["set"],
            json({"param.sabotage_penalty=1"}));
}

}  // namespace
