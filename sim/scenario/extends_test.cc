// `extends`: variants of a base scenario, loaded from files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/core/status_matchers.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;

class Extends : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("parley-extends-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "variants");
    Write("base.yaml", R"(name: Base
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
parameters:
  cost: {value: {uniform: [1, 3]}, description: a cost}
outcomes:
  - {id: deal, when: {a: x, b: x}}
  - {id: rest, otherwise: true}
payoffs:
  deal: {a: 2, b: {normal: [2, 0.5]}}
  rest: {a: -cost, b: 0}
arguments:
  - id: g
    analyst: A
    claim: C
    credence: 0.5
    effects:
      - {outcome: deal, actor: a, add: 1}
simulation: {samples: 100, seed: 3}
)");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(Extends, OverridesAndAddsByIdRelativeToTheExtendingFile) {
  const std::string path = Write("variants/v.yaml", R"(extends: ../base.yaml
name: Variant
parameters:
  cost: 5
  bonus: {value: 1, description: new}
payoffs:
  deal: {b: bonus}
modifiers:
  - {when: {a: y}, add: {b: 0.5}}
arguments:
  - {id: g, credence: 0.9}
  - {id: h, analyst: B, claim: D, credence: 0.2, effects: [{outcome: rest, actor: b, add: -1}]}
simulation: {seed: 8}
)");
  auto spec = LoadScenarioFile(path);
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->name, "Variant");
  EXPECT_EQ(spec->path, path);
  ASSERT_EQ(spec->parameters.size(), 2u);
  EXPECT_DOUBLE_EQ(spec->parameters[0].value.Mean(), 5.0);
  EXPECT_EQ(spec->parameters[0].description, "a cost");  // kept
  EXPECT_EQ(spec->payoffs[1][0].parameter, 0);           // rest.a is still -cost
  EXPECT_EQ(spec->payoffs[0][1].parameter, 1);           // deal.b is now bonus
  EXPECT_EQ(spec->payoffs[0][0].distribution.Mean(), 2.0);
  ASSERT_EQ(spec->modifiers.size(), 1u);
  ASSERT_EQ(spec->arguments.size(), 2u);
  EXPECT_DOUBLE_EQ(spec->arguments[0].credence, 0.9);
  EXPECT_EQ(spec->arguments[0].claim, "C");          // only the credence changed
  EXPECT_EQ(spec->arguments[0].effects.size(), 1u);  // the base's effects stay
  EXPECT_EQ(spec->arguments[1].id, "h");
  EXPECT_EQ(spec->simulation.seed, 8u);
  EXPECT_EQ(spec->simulation.samples, 100);
}

// The docs promise chains of up to 16 files, the base included: c1 extends
// c2 ... extends base.yaml. 16 load; 17 are refused at the 16th file's
// `extends`, naming the limit. (Before, 17 files loaded.)
TEST_F(Extends, ChainsOfSixteenFilesLoadAndSeventeenAreRefused) {
  auto chain_of = [&](int files) {
    // chain-N-1.yaml extends chain-N-2.yaml ... the last extends base.yaml.
    for (int k = 1; k < files; ++k) {
      const std::string next =
          k + 1 == files ? "base.yaml" : "chain-" + std::to_string(files) + "-" + std::to_string(k + 1) + ".yaml";
      Write("chain-" + std::to_string(files) + "-" + std::to_string(k) + ".yaml",
            "extends: " + next + "\nname: C" + std::to_string(k) + "\n");
    }
    return LoadScenarioFile((dir_ / ("chain-" + std::to_string(files) + "-1.yaml")).string());
  };
  auto sixteen = chain_of(16);
  ASSERT_THAT(sixteen, IsOk());
  EXPECT_EQ(sixteen->extends_chain.size(), 16u);
  EXPECT_THAT(chain_of(17),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("chain-17-16.yaml:1:10: error: `extends` chains are limited "
                                       "to 16 files"),
                             HasSubstr("this base would be file 17"))));
}

TEST_F(Extends, TheChainListsEveryFileReadNamedFileFirst) {
  auto base = LoadScenarioFile((dir_ / "base.yaml").string());
  ASSERT_THAT(base, IsOk());
  EXPECT_EQ(base->extends_chain, std::vector<std::string>{(dir_ / "base.yaml").string()});

  Write("variants/v1.yaml", "extends: ../base.yaml\n");
  const std::string v2 = Write("v2.yaml", "extends: variants/v1.yaml\n");
  auto spec = LoadScenarioFile(v2);
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->extends_chain, (std::vector<std::string>{v2, (dir_ / "variants/v1.yaml").string(),
                                                           (dir_ / "base.yaml").string()}));

  auto text = LoadScenarioString(
      "name: N\nactors: [{id: a, options: [x]}]\n"
      "outcomes: [{id: o, otherwise: true}]\npayoffs: {o: {a: 1}}\n",
      "shown.yaml");
  ASSERT_THAT(text, IsOk());
  EXPECT_EQ(text->extends_chain, std::vector<std::string>{"shown.yaml"});
}

TEST_F(Extends, SettingTheModelReplacesTheBasesModelAndAllItsParameters) {
  const std::string v1 = Write("v1.yaml", R"(extends: base.yaml
simulation:
  model: {name: qre, lambda: 2, order: alternating}
)");
  auto spec = LoadScenarioFile(v1);
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->simulation.model, "qre");
  ASSERT_EQ(spec->simulation.model_parameters.size(), 2u);
  EXPECT_EQ(spec->simulation.seed, 3u);  // the rest of the base's `simulation` stays

  // Another mapping: only its parameters remain.
  spec = LoadScenarioFile(
      Write("v2.yaml", "extends: v1.yaml\nsimulation: {model: {name: qre, lambda: 3}}\n"));
  ASSERT_THAT(spec, IsOk());
  ASSERT_EQ(spec->simulation.model_parameters.size(), 1u);
  EXPECT_EQ(spec->simulation.model_parameters[0].name, "lambda");
  EXPECT_EQ(spec->simulation.model_parameters[0].value, "3");
  EXPECT_EQ(spec->simulation.model_parameters[0].loc.ToString(),
            (dir_ / "v2.yaml").string() + ":2:41");

  // A plain name: no parameters at all.
  spec = LoadScenarioFile(Write("v3.yaml", "extends: v1.yaml\nsimulation: {model: nash-pure}\n"));
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->simulation.model, "nash-pure");
  EXPECT_TRUE(spec->simulation.model_parameters.empty());

  // Not setting the model keeps the base's, with its parameters and their
  // positions in the base.
  spec = LoadScenarioFile(Write("v4.yaml", "extends: v1.yaml\nsimulation: {seed: 5}\n"));
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->simulation.model, "qre");
  ASSERT_EQ(spec->simulation.model_parameters.size(), 2u);
  EXPECT_EQ(spec->simulation.model_parameters[1].value, "alternating");
  EXPECT_EQ(spec->simulation.model_parameters[1].loc.ToString(), v1 + ":3:40");
  EXPECT_EQ(spec->simulation.model_loc.ToString(), v1 + ":3:17");
  EXPECT_EQ(spec->simulation.seed, 5u);
}

TEST_F(Extends, VariantsOfVariantsAndReplacedEffects) {
  Write("v1.yaml", "extends: base.yaml\narguments:\n  - {id: g, credence: 0.1}\n");
  const std::string v2 = Write("v2.yaml", R"(extends: v1.yaml
arguments:
  - id: g
    effects:
      - {outcome: rest, actor: a, add: 3}
      - {when: {b: y}, actor: b, add: 1}
)");
  auto spec = LoadScenarioFile(v2);
  ASSERT_THAT(spec, IsOk());
  EXPECT_DOUBLE_EQ(spec->arguments[0].credence, 0.1);
  ASSERT_EQ(spec->arguments[0].effects.size(), 2u);
  EXPECT_EQ(spec->arguments[0].effects[0].outcome, 1);
}

TEST_F(Extends, ErrorsNameBothFilesWithPositions) {
  const std::string v =
      Write("bad.yaml", "extends: base.yaml\npayoffs:\n  deal: {a: {nomal: [1, 2]}}\n");
  auto spec = LoadScenarioFile(v);
  EXPECT_THAT(spec, StatusIs(StatusCode::kInvalidArgument,
                             AllOf(HasSubstr("bad.yaml:3:"), HasSubstr("(extending "),
                                   HasSubstr("base.yaml)"))));

  auto expect = [&](const std::string& text, const std::string& part) {
    const std::string path = Write("e.yaml", text);
    auto s = LoadScenarioFile(path);
    EXPECT_THAT(s, StatusIs(StatusCode::kInvalidArgument, HasSubstr(part))) << text;
  };
  expect("extends: base.yaml\nactors: []\n", "e.yaml:2:1: error: a variant");
  expect("extends: base.yaml\narguments:\n  - {id: g, credence: 2}\n", "e.yaml:3:");
  expect("extends: base.yaml\narguments:\n  - {id: new}\n", "'analyst' is missing");
  expect("extends: base.yaml\narguments:\n  - {id: gg, credence: 1}\n", "did you mean 'g'?");
  expect("extends: base.yaml\npayoffs: {dael: {a: 1}}\n", "did you mean 'deal'");
  expect("extends: base.yaml\npayoffs: {deal: {c: 1}}\n", "unknown key 'c'");
  expect("extends: base.yaml\nparameters: {cost: -bonus}\n", "e.yaml:2:");
  expect("extends: missing.yaml\n", "e.yaml:1:10: error: `extends`: no scenario file");
  expect("extends: base.yaml\nsimulaton: {}\n", "did you mean 'simulation'");
  // An error in the base names the base's position and the extending file.
  Write("broken.yaml", "name: B\nactors: 3\noutcomes: []\npayoffs: {}\n");
  expect("extends: broken.yaml\n", "broken.yaml:2:9: error:");
  expect("extends: broken.yaml\n", "(in the base of ");
}

TEST_F(Extends, CyclesAreFound) {
  Write("c1.yaml", "extends: c2.yaml\n");
  const std::string c2 = Write("c2.yaml", "extends: c1.yaml\n");
  auto spec = LoadScenarioFile(c2);
  EXPECT_THAT(spec, StatusIs(StatusCode::kInvalidArgument, HasSubstr("cycle")));
  const std::string self = Write("self.yaml", "extends: ./self.yaml\n");
  spec = LoadScenarioFile(self);
  EXPECT_THAT(spec, StatusIs(StatusCode::kInvalidArgument, HasSubstr("cycle")));
}

TEST_F(Extends, CorrelationsReplaceTheBasesAndAreCheckedAfterTheMerge) {
  Write("corr.yaml", R"(extends: base.yaml
arguments:
  - {id: h, analyst: B, claim: D, credence: 0.2, effects: [{outcome: rest, actor: b, add: -1}]}
  - {id: k, analyst: B, claim: E, credence: 0.4, effects: [{outcome: rest, actor: a, add: 1}]}
correlations:
  - {between: [g, h], rho: 0.5}
  - {between: [g, k], rho: 0.5}
)");
  // A variant of the variant: its `correlations` replace the base's as a
  // whole, and the merged matrix is checked.
  auto spec = LoadScenarioFile(Write("v2.yaml", R"(extends: corr.yaml
correlations:
  - {between: [h, k], rho: -0.3}
)"));
  ASSERT_THAT(spec, IsOk());
  ASSERT_EQ(spec->correlations.size(), 1u);
  EXPECT_EQ(spec->correlations[0].first, 1);
  EXPECT_DOUBLE_EQ(spec->correlations[0].rho, -0.3);
  spec = LoadScenarioFile(Write("v3.yaml", R"(extends: corr.yaml
correlations:
  - {between: [g, h], rho: 0.9}
  - {between: [g, k], rho: 0.9}
  - {between: [h, k], rho: -0.9}
)"));
  EXPECT_THAT(spec, StatusIs(StatusCode::kInvalidArgument,
                             AllOf(HasSubstr("v3.yaml:5:28: error: the correlations of arguments "
                                             "g, h and k cannot hold together"),
                                   HasSubstr("(extending "))));
  spec = LoadScenarioFile(Write("v4.yaml", "extends: corr.yaml\ncorrelations: []\n"));
  ASSERT_THAT(spec, IsOk());
  EXPECT_FALSE(spec->correlated());
}

TEST_F(Extends, AVariantAddsOrReplacesTheObservation) {
  // The base records nothing; a variant adds an observation, and a variant
  // of that variant keeps it unless it gives its own.
  const std::string observed = Write("observed.yaml", R"(extends: base.yaml
observed: {outcome: deal, date: 2022-07-22, source: a report}
)");
  auto spec = LoadScenarioFile(observed);
  ASSERT_THAT(spec, IsOk());
  ASSERT_TRUE(spec->observed.has_value());
  EXPECT_EQ(spec->observed->outcome, 0);
  EXPECT_EQ(spec->observed->loc.file, observed);
  auto kept = LoadScenarioFile(Write("kept.yaml", "extends: observed.yaml\nname: Kept\n"));
  ASSERT_THAT(kept, IsOk());
  ASSERT_TRUE(kept->observed.has_value());
  EXPECT_EQ(kept->observed->date, "2022-07-22");
  auto replaced = LoadScenarioFile(
      Write("replaced.yaml",
            "extends: observed.yaml\nobserved: {outcome: rest, date: 2023-07-17, source: b}\n"));
  ASSERT_THAT(replaced, IsOk());
  EXPECT_EQ(replaced->observed->outcome, 1);
  EXPECT_EQ(replaced->observed->source, "b");
  // An unknown outcome names the variant's line and the base.
  const std::string bad = Write(
      "bad.yaml", "extends: base.yaml\nobserved: {outcome: dela, date: 2023-07-17, source: b}\n");
  EXPECT_THAT(LoadScenarioFile(bad).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(bad + ":2:21: error: `observed.outcome`: unknown outcome "
                                             "'dela'; did you mean 'deal'?"),
                             HasSubstr("(extending "))));
}

}  // namespace
}  // namespace parley
