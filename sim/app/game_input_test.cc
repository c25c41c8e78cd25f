#include "sim/app/game_input.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/app/game_export.h"
#include "sim/app/numbers.h"
#include "sim/core/status_matchers.h"

namespace parley {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Path(const std::string& name) { return std::string(PARLEY_SOURCE_DIR) + "/" + name; }

GameRequest Request(const std::string& name, std::optional<std::string> sample = std::nullopt,
                    std::optional<std::string> seed = std::nullopt) {
  GameRequest r;
  r.file = Path(name);
  r.sample = std::move(sample);
  r.seed = std::move(seed);
  return r;
}

TEST(GameInputTest, ANormalFormScenarioAtItsMeanAndAtASample) {
  auto mean = LoadGame(Request("scenarios/classic/battle-of-the-sexes.yaml"));
  ASSERT_THAT(mean, IsOk());
  EXPECT_EQ(mean->name, "Battle of the sexes");
  EXPECT_EQ(mean->source, "mean payoffs");
  ASSERT_TRUE(mean->normal_form.has_value());
  EXPECT_FALSE(mean->tree.has_value());
  EXPECT_EQ(mean->normal_form->players, (std::vector<std::string>{"row", "column"}));

  auto sample = LoadGame(Request("scenarios/istanbul-2025.yaml", "3"));
  ASSERT_THAT(sample, IsOk());
  EXPECT_EQ(sample->source, "sample 3 (seed 20250515)");
  auto seeded = LoadGame(Request("scenarios/istanbul-2025.yaml", "3", "7"));
  ASSERT_THAT(seeded, IsOk());
  EXPECT_EQ(seeded->source, "sample 3 (seed 7)");
  EXPECT_NE(seeded->normal_form->payoffs, sample->normal_form->payoffs);
}

TEST(GameInputTest, ASequentialScenarioIsATreeWithItsSampleStream) {
  auto mean = LoadGame(Request("scenarios/sequential/entry-deterrence.yaml"));
  ASSERT_THAT(mean, IsOk());
  ASSERT_TRUE(mean->tree.has_value());
  EXPECT_FALSE(mean->normal_form.has_value());
  EXPECT_EQ(mean->tree_settings.seed, 1u);  // the scenario's
  EXPECT_EQ(mean->tree_settings.index, 0u);
  auto sample = LoadGame(Request("scenarios/sequential/entry-deterrence.yaml", "12", "5"));
  ASSERT_THAT(sample, IsOk());
  EXPECT_EQ(sample->tree_settings.seed, 5u);
  EXPECT_EQ(sample->tree_settings.index, 12u);
  EXPECT_EQ(sample->source, "sample 12 (seed 5)");
  EXPECT_TRUE(IsSequentialInput(Path("scenarios/sequential/entry-deterrence.yaml")));
  EXPECT_FALSE(IsSequentialInput(Path("scenarios/istanbul-2025.yaml")));
  EXPECT_TRUE(IsSequentialInput("/no/such/game.EFG"));
}

TEST(GameInputTest, GambitFiles) {
  auto nfg = LoadGame(Request("tests/data/nfg/pd_payoff.nfg"));
  ASSERT_THAT(nfg, IsOk());
  EXPECT_EQ(nfg->source, "nfg file");
  EXPECT_TRUE(nfg->normal_form.has_value());
  auto efg = LoadGame(Request("tests/data/efg/entry_deterrence.efg"));
  ASSERT_THAT(efg, IsOk());
  EXPECT_EQ(efg->source, "efg file");
  EXPECT_TRUE(efg->tree.has_value());
  for (const char* file : {"tests/data/nfg/pd_payoff.nfg", "tests/data/efg/entry_deterrence.efg"}) {
    EXPECT_THAT(
        LoadGame(Request(file, "1")),
        StatusIs(StatusCode::kInvalidArgument, "--sample and --seed apply to scenarios only"));
  }
  EXPECT_THAT(LoadGame(Request("no/such/game.nfg")), StatusIs(StatusCode::kNotFound));
}

TEST(GameInputTest, SeedsAndSamplesAreChecked) {
  EXPECT_THAT(LoadGame(Request("scenarios/istanbul-2025.yaml", std::nullopt, "7")),
              StatusIs(StatusCode::kInvalidArgument,
                       StartsWith("--seed applies only with --sample N (it picks the run")));
  EXPECT_THAT(LoadGame(Request("scenarios/sequential/entry-deterrence.yaml", std::nullopt, "7")),
              StatusIs(StatusCode::kInvalidArgument, "--seed applies with --sample only"));
  EXPECT_THAT(LoadGame(Request("scenarios/istanbul-2025.yaml", "-1")),
              StatusIs(StatusCode::kInvalidArgument,
                       "--sample must be a whole number from 0 to 18446744073709551615, got '-1'"));
  EXPECT_THAT(ParseUnsigned("--seed", "18446744073709551615"), IsOk());
  EXPECT_THAT(ParseUnsigned("--seed", "18446744073709551616"),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseUnsigned("--seed", ""), StatusIs(StatusCode::kInvalidArgument));
}

TEST(GameInputTest, ExplainTakesTreesAndNormalForms) {
  // A normal-form scenario is a normal form; its analysis takes no selection rule.
  GameRequest r = Request("scenarios/classic/prisoners-dilemma.yaml");
  r.use = GameUse::kExplain;
  auto pd = LoadGame(r);
  ASSERT_THAT(pd, IsOk());
  EXPECT_TRUE(pd->normal_form.has_value());
  EXPECT_FALSE(pd->tree.has_value());
  EXPECT_EQ(pd->source, "mean payoffs");
  r.selection = "uniform";
  EXPECT_THAT(LoadGame(r), StatusIs(StatusCode::kInvalidArgument,
                                    HasSubstr("--selection applies to sequential games")));
  r = Request("scenarios/sequential/beer-quiche.yaml");
  r.use = GameUse::kExplain;
  r.selection = "payoff-dominant";
  auto input = LoadGame(r);
  ASSERT_THAT(input, IsOk());
  EXPECT_EQ(input->tree_settings.selection, Selection::kPayoffDominant);
  EXPECT_TRUE(input->decomposition.has_value());  // it has information sets
  EXPECT_TRUE(input->spec.has_value());
  EXPECT_TRUE(input->model.has_value());
  r.selection = "best";
  EXPECT_THAT(LoadGame(r), StatusIs(StatusCode::kInvalidArgument, StartsWith("--selection: ")));
}

TEST(GameInputTest, ExportFormatsFollowTheKindOfGame) {
  EXPECT_THAT(CheckExportFormat(false, "nfg"), IsOk());
  EXPECT_THAT(CheckExportFormat(false, "efg"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("efg is for sequential games")));
  EXPECT_THAT(CheckExportFormat(true, "efg"), IsOk());
  EXPECT_THAT(CheckExportFormat(true, "nfg"), IsOk());
  EXPECT_THAT(CheckExportFormat(true, "csv"), StatusIs(StatusCode::kInvalidArgument));
  auto input = LoadGame(Request("scenarios/sequential/entry-deterrence.yaml"));
  ASSERT_THAT(input, IsOk());
  auto efg = ExportGame(*input, "efg");
  ASSERT_THAT(efg, IsOk());
  EXPECT_THAT(*efg, StartsWith("EFG 2 R \"Entry deterrence\""));
  EXPECT_THAT(*efg, HasSubstr("entry-deterrence.yaml (mean payoffs)\""));
  auto nfg = ExportGame(*input, "nfg");
  ASSERT_THAT(nfg, IsOk());
  EXPECT_THAT(*nfg, HasSubstr("\"Reduced normal form, exported by parley "));
}

}  // namespace
}  // namespace parley
