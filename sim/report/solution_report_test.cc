#include "sim/report/solution_report.h"

#include <gtest/gtest.h>

#include <string>

#include "sim/core/status_matchers.h"
#include "sim/game/efg.h"
#include "sim/game/nfg.h"

namespace parley {
namespace {

std::string Data(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/" + name;
}

// The estimate guards `solve --json` against documents too large to build;
// it must stay close to the real size, or it refuses results that fit (too
// high) or lets through ones that do not (too low).
void ExpectEstimateNearActual(uint64_t estimate, const nlohmann::ordered_json& json,
                              const std::string& what) {
  const double actual = static_cast<double>(json.dump(2).size() + 1);
  EXPECT_GE(static_cast<double>(estimate), 0.5 * actual) << what;
  EXPECT_LE(static_cast<double>(estimate), 4.0 * actual + 4096) << what;
}

TEST(SolutionJsonSize, EstimateTracksTheDocumentForTrees) {
  for (const std::string name :
       {"chance.efg", "entry_deterrence.efg", "matching_pennies.efg", "stage_payoffs.efg"}) {
    auto game = ReadEfgFile(Data("efg/" + name));
    ASSERT_THAT(game.status(), IsOk()) << name;
    SolveRequest request;
    if (name == "matching_pennies.efg") request.method = "vertex";  // no pure equilibrium
    auto s = SolveGame(*game, request);
    ASSERT_THAT(s.status(), IsOk()) << name;
    ExpectEstimateNearActual(EstimateSolutionJsonBytes(*game, *s),
                             SolutionJson(*game, GameLabel{"g", "efg file", name}, *s), name);
  }
}

TEST(SolutionJsonSize, EstimateTracksTheDocumentForNormalForms) {
  for (const std::string name : {"pd_payoff.nfg", "public_goods.nfg", "three_player.nfg"}) {
    auto doc = ReadNfgFile(Data("nfg/" + name));
    ASSERT_THAT(doc.status(), IsOk()) << name;
    SolveRequest request;
    request.method = "pure";
    auto s = SolveGame(doc->game, request);
    ASSERT_THAT(s.status(), IsOk()) << name;
    ExpectEstimateNearActual(EstimateSolutionJsonBytes(doc->game, *s),
                             SolutionJson(doc->game, GameLabel{"g", "nfg file", name}, *s), name);
  }
}

// A chain names each node by every move before it: the estimate grows as
// nodes x depth, and past the limit the result is refused with the figures.
TEST(SolutionJsonSize, ADeepChainIsRefusedWithTheEstimate) {
  auto chain = [](int depth) {
    std::string efg = "EFG 2 R \"chain\" { \"P1\" \"P2\" }\n\"\"\n\n";
    for (int i = 0; i < depth; ++i)
      efg += "p \"\" 1 " + std::to_string(i + 1) + " \"step\" { \"on\" } 0\n";
    efg += "t \"\" 1 \"\" { 1, 2 }\n";
    return efg;
  };
  auto small = ParseEfg(chain(100), "small.efg");
  auto deep = ParseEfg(chain(20000), "deep.efg");
  ASSERT_THAT(small.status(), IsOk());
  ASSERT_THAT(deep.status(), IsOk());
  auto small_s = SolveGame(*small, SolveRequest{});
  auto deep_s = SolveGame(*deep, SolveRequest{});
  ASSERT_THAT(small_s.status(), IsOk());
  ASSERT_THAT(deep_s.status(), IsOk());
  const uint64_t small_bytes = EstimateSolutionJsonBytes(*small, *small_s);
  const uint64_t deep_bytes = EstimateSolutionJsonBytes(*deep, *deep_s);
  ExpectEstimateNearActual(small_bytes, SolutionJson(*small, GameLabel{}, *small_s), "100 nodes");
  // 200 times the depth: about 200^2 times the size (names), within 2x.
  EXPECT_GT(deep_bytes, 20000u * small_bytes);
  EXPECT_THAT(CheckSolutionJsonSize(small_bytes), IsOk());
  EXPECT_THAT(CheckSolutionJsonSize(deep_bytes),
              StatusIs(StatusCode::kResourceExhausted, ::testing::HasSubstr("limit of 256 MiB")));
  EXPECT_THAT(CheckSolutionJsonSize(kMaxSolutionJsonBytes), IsOk());
  EXPECT_THAT(CheckSolutionJsonSize(kMaxSolutionJsonBytes + 1), ::testing::Not(IsOk()));
}

}  // namespace
}  // namespace parley
