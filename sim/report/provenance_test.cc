// The provenance of a result: where AddProvenanceJson puts each key, and the
// terminal lines.
#include "sim/report/provenance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/report/report.h"

namespace parley {
namespace {

using J = nlohmann::ordered_json;
using ::testing::ElementsAre;

std::vector<std::string> Keys(const J& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

Provenance Model(const std::string& model, const std::string& selection = "") {
  Provenance p;
  p.model = model;
  p.selection = selection;
  return p;
}

Provenance Qre() {
  Provenance p;
  p.model = "qre";
  p.selection = "uniform";
  p.model_parameters = {{"lambda", 2.5}};
  p.set = {"param.x=2", "model.lambda=3"};
  p.with = {"arg-id"};
  p.extends = {"variant.yaml", "base.yaml"};
  return p;
}

// The header every result built from runs starts with.
J Header(const std::string& model, std::optional<double> lambda) {
  RunSummary s;
  s.scenario = "Border talks";
  s.scenario_path = "variant.yaml";
  s.model = model;
  s.selection = "uniform";
  s.lambda = lambda;
  s.samples = 100;
  s.seed = 7;
  return ResultHeaderJson("run", s);
}

TEST(AddProvenanceJson, PutsEachKeyInItsPlace) {
  J doc = Header("qre", 2.5);
  doc["outcomes"] = J::array();
  AddProvenanceJson(Qre(), doc);
  EXPECT_THAT(Keys(doc),
              ElementsAre("kind", "parley_version", "scenario", "model", "selection", "lambda",
                          "model_parameters", "overrides", "samples", "seed", "outcomes"));
  EXPECT_EQ(
      doc["scenario"].dump(),
      R"({"name":"Border talks","file":"variant.yaml","extends":["variant.yaml","base.yaml"]})");
  EXPECT_EQ(doc["model"], "qre");
  EXPECT_EQ(doc["model_parameters"].dump(), R"({"lambda":2.5})");
  EXPECT_EQ(doc["overrides"].dump(),
            R"({"set":["param.x=2","model.lambda=3"],"with":["arg-id"],"without":[]})");
}

TEST(AddProvenanceJson, WithoutParametersOverridesOrExtends) {
  J doc = Header("nash-pure", std::nullopt);
  Provenance p;
  p.model = "nash-pure";
  p.selection = "uniform";
  AddProvenanceJson(p, doc);
  EXPECT_THAT(Keys(doc), ElementsAre("kind", "parley_version", "scenario", "model", "selection",
                                     "model_parameters", "overrides", "samples", "seed"));
  EXPECT_FALSE(doc["scenario"].contains("extends"));
  EXPECT_EQ(doc["model_parameters"], J::object());
  EXPECT_EQ(doc["overrides"].dump(), R"({"set":[],"with":[],"without":[]})");
}

TEST(AddProvenanceJson, ChoiceParametersAreStringsInDeclarationOrder) {
  J doc = Header("level-k", std::nullopt);
  Provenance p;
  p.model = "level-k";
  p.model_parameters = {{"k", 2}, {"level0", "uniform"}, {"alpha", 0.1}};
  AddProvenanceJson(p, doc);
  EXPECT_EQ(doc["model_parameters"].dump(), R"({"k":2,"level0":"uniform","alpha":0.1})");
}

TEST(AddProvenanceJson, ComparisonEntryAndSensitivity) {
  // A comparison entry: after selection, before the numbers.
  J entry = {{"scenario", {{"name", "a"}, {"file", "a.yaml"}}},
             {"model", "nash-pure"},
             {"selection", "uniform"},
             {"outcomes", J::array()}};
  AddProvenanceJson(Model("nash-pure", "uniform"), entry);
  EXPECT_THAT(Keys(entry), ElementsAre("scenario", "model", "selection", "model_parameters",
                                       "overrides", "outcomes"));
  // A sensitivity result has a model but no selection.
  J sensitivity = {{"kind", "sensitivity"},
                   {"method", "sobol"},
                   {"scenario", {{"name", "a"}, {"file", "a.yaml"}}},
                   {"model", "nash-pure"},
                   {"samples", 64}};
  AddProvenanceJson(Model("nash-pure"), sensitivity);
  EXPECT_THAT(Keys(sensitivity), ElementsAre("kind", "method", "scenario", "model",
                                             "model_parameters", "overrides", "samples"));
}

TEST(AddProvenanceJson, AddsModelWhenAbsentAndReplacesAnEarlierCall) {
  J doc = {{"kind", "run"}};
  AddProvenanceJson(Qre(), doc);
  EXPECT_THAT(Keys(doc), ElementsAre("kind", "scenario", "model", "selection", "model_parameters",
                                     "overrides"));
  Provenance other;
  other.model = "qre";
  other.model_parameters = {{"lambda", 4}};
  AddProvenanceJson(other, doc);
  EXPECT_THAT(Keys(doc), ElementsAre("kind", "scenario", "model", "selection", "model_parameters",
                                     "overrides"));
  EXPECT_EQ(doc["model_parameters"].dump(), R"({"lambda":4})");
  EXPECT_EQ(doc["overrides"]["set"], J::array());
  EXPECT_FALSE(doc["scenario"].contains("extends"));
}

TEST(FormatProvenanceText, PrintsOnlyWhatIsThere) {
  EXPECT_EQ(FormatProvenanceText(Qre()),
            "model qre (lambda=2.5; selection: uniform)\n"
            "overrides: --set param.x=2, --set model.lambda=3, --with arg-id\n"
            "extends: variant.yaml -> base.yaml\n");
  EXPECT_EQ(FormatProvenanceText(Model("nash-pure", "uniform")),
            "model nash-pure (selection: uniform)\n");
  EXPECT_EQ(FormatProvenanceText(Model("nash-pure")), "model nash-pure\n");
  Provenance p = Model("level-k");
  p.model_parameters = {{"k", 2}, {"level0", "uniform"}};
  p.without = {"a", "b"};
  EXPECT_EQ(FormatProvenanceText(p),
            "model level-k (k=2, level0=uniform)\n"
            "overrides: --without a, --without b\n");
  EXPECT_EQ(FormatProvenanceText(Provenance{}), "");
}

TEST(AddProvenanceJson, CorrelatedCredencesOnlyWhenThere) {
  Provenance p = Qre();
  p.correlated_arguments = {"a", "b"};
  p.factors = {"worldview"};
  p.correlations = 1;
  J doc = Header("qre", 2.5);
  AddProvenanceJson(p, doc);
  EXPECT_EQ(doc["scenario"]["correlated_credences"].dump(),
            R"({"arguments":["a","b"],"factors":["worldview"],"correlations":1})");
  EXPECT_EQ(FormatProvenanceText(p),
            "model qre (lambda=2.5; selection: uniform)\n"
            "overrides: --set param.x=2, --set model.lambda=3, --with arg-id\n"
            "extends: variant.yaml -> base.yaml\n"
            "credences: correlated (a, b; factor worldview; 1 pairwise correlation)\n");
  AddProvenanceJson(Qre(), doc);  // independent credences: the key goes
  EXPECT_FALSE(doc["scenario"].contains("correlated_credences"));
  p.factors.clear();
  p.correlations = 3;
  EXPECT_EQ(FormatCorrelatedCredences(p), "a, b; 3 pairwise correlations");
  EXPECT_EQ(FormatCorrelatedCredences(Qre()), "");
}

TEST(FormatProvenanceText, RoundsSayWhichRoundTheProbabilitiesDescribe) {
  Provenance p = Model("nash-pure");
  p.rounds = "up to 3, myopic actors";
  EXPECT_EQ(FormatProvenanceText(p),
            "model nash-pure\n"
            "rounds: up to 3, myopic actors; each P(outcome) is where the negotiations stood "
            "after the last round\n");
}

TEST(FormatModelParameters, NumbersAsInTheJson) {
  Provenance p = Model("m");
  p.model_parameters = {{"a", 0.1}, {"b", 3}, {"c", "max"}};
  EXPECT_EQ(FormatModelParameters(p), "a=0.1, b=3, c=max");
  EXPECT_EQ(FormatModelParameters(Model("m")), "");
}

}  // namespace
}  // namespace parley
