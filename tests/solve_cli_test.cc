// `parley solve` and `parley export` end to end: textbook answers, the JSON
// shape, regret on every equilibrium, and .nfg round trips through the CLI.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "parley_cli.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

json SolveJson(const std::string& args) {
  const Result r = Parley("solve " + args + " --json -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

TEST(SolveCli, BattleOfTheSexesHasTwoPureAndOneMixedEquilibrium) {
  const json j = SolveJson(Scenario("classic/battle-of-the-sexes.yaml"));
  EXPECT_EQ(j["method"], "vertex");
  EXPECT_EQ(j["degenerate"], false);
  ASSERT_EQ(j["equilibria"].size(), 3u);
  bool mixed = false;
  for (const json& e : j["equilibria"]) {
    EXPECT_LE(e["regret"].get<double>(), 1e-9);
    const double row_opera = e["strategies"]["row"]["opera"];
    if (row_opera > 0.01 && row_opera < 0.99) {
      mixed = true;
      EXPECT_NEAR(row_opera, 2.0 / 3.0, 1e-9);
      EXPECT_NEAR(e["strategies"]["column"]["opera"].get<double>(), 1.0 / 3.0, 1e-9);
      EXPECT_NEAR(e["payoffs"]["row"].get<double>(), 2.0 / 3.0, 1e-9);
    }
  }
  EXPECT_TRUE(mixed);
}

TEST(SolveCli, AllTwoPlayerMethodsAgreeOnTheClassics) {
  for (const char* game :
       {"prisoners-dilemma", "chicken", "battle-of-the-sexes", "stag-hunt", "matching-pennies"}) {
    const std::string file = Scenario(std::string("classic/") + game + ".yaml");
    const size_t vertex = SolveJson(file + " --method vertex")["equilibria"].size();
    EXPECT_EQ(SolveJson(file + " --method support")["equilibria"].size(), vertex) << game;
    const json lh = SolveJson(file + " --method lemke-howson");
    EXPECT_GE(lh["equilibria"].size(), 1u) << game;
    EXPECT_LE(lh["equilibria"].size(), vertex) << game;
    for (const json& e : lh["equilibria"]) EXPECT_LE(e["regret"].get<double>(), 1e-9) << game;
  }
  EXPECT_EQ(
      SolveJson(Scenario("classic/matching-pennies.yaml") + " --method pure")["equilibria"].size(),
      0u);
}

TEST(SolveCli, ExportedNfgSolvesToTheSameEquilibria) {
  for (const char* game : {"chicken", "battle-of-the-sexes"}) {
    const fs::path nfg = TempPath(std::string(game) + ".nfg");
    const Result r = Parley("export " + Scenario(std::string("classic/") + game + ".yaml") +
                            " --format nfg -o " + nfg.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json from_scenario =
        SolveJson(Scenario(std::string("classic/") + game + ".yaml"))["equilibria"];
    const json from_nfg = SolveJson(nfg.string())["equilibria"];
    EXPECT_EQ(from_scenario.dump(), from_nfg.dump()) << game;
    // Export of the re-read game is byte-identical except the provenance comment.
    const Result again = Parley("export " + nfg.string());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    auto strip_comment = [](std::string s) {
      const size_t a = s.find("\n\"Exported"), b = s.find('\n', a + 1);
      return s.erase(a, b - a);
    };
    EXPECT_EQ(strip_comment(Slurp(nfg)), strip_comment(again.out)) << game;
  }
}

TEST(SolveCli, IstanbulSolvesAtTheMeanAndAtASample) {
  const json mean = SolveJson(Scenario("istanbul-2025.yaml"));
  EXPECT_EQ(mean["method"], "pure");
  EXPECT_EQ(mean["players"].size(), 4u);
  for (const json& e : mean["equilibria"]) EXPECT_LE(e["regret"].get<double>(), 1e-9);
  const json sample = SolveJson(Scenario("istanbul-2025.yaml") + " --sample 3");
  EXPECT_EQ(sample["game"]["source"], "sample 3 (seed 20250515)");
  const Result nfg = Parley("export " + Scenario("istanbul-2025.yaml") + " --sample 3");
  ASSERT_EQ(nfg.exit_code, 0);
  EXPECT_EQ(
      nfg.out.rfind(
          "NFG 1 R \"Istanbul talks, May 2025\" { \"russia\" \"ukraine\" \"us\" \"europe\" }", 0),
      0u);
}

TEST(SolveCli, LogitAndQreOnTheIstanbulScenario) {
  const json logit = SolveJson(Scenario("istanbul-2025.yaml") + " --method logit");
  ASSERT_EQ(logit["equilibria"].size(), 1u);
  EXPECT_LE(logit["equilibria"][0]["regret"].get<double>(), 1e-8);
  EXPECT_GT(logit["lambda"].get<double>(), 0.0);
  // At lambda = 0 everyone mixes uniformly over three options.
  const json uniform = SolveJson(Scenario("istanbul-2025.yaml") + " --method qre --lambda 0");
  for (const auto& [player, mix] : uniform["equilibria"][0]["strategies"].items()) {
    for (const auto& [option, p] : mix.items()) EXPECT_NEAR(p.get<double>(), 1.0 / 3.0, 1e-12);
  }
  const json qre = SolveJson(Scenario("istanbul-2025.yaml") + " --method qre --lambda 2");
  EXPECT_EQ(qre["lambda"], 2.0);
  EXPECT_EQ(qre["requested_lambda"], 2.0);
  EXPECT_EQ(qre["termination"], "reached lambda");
  EXPECT_EQ(qre["converged"], true);
  EXPECT_FALSE(qre.contains("last_point"));
  // Sample 103's path used to stop at max steps (lambda 35423, regret 7.6e-6),
  // reported as "1 equilibrium".
  const json sample = SolveJson(Scenario("istanbul-2025.yaml") + " --method logit --sample 103");
  EXPECT_EQ(sample["converged"], true) << sample["termination"];
  ASSERT_EQ(sample["equilibria"].size(), 1u);
  EXPECT_LE(sample["equilibria"][0]["regret"].get<double>(), 1e-8);
}

// The logit path of Stag Hunt goes to (hare, hare); polishing too early used
// to report the mixed equilibrium (stag with probability 2/3).
TEST(SolveCli, StagHuntLogitLimitIsHareHare) {
  const json j = SolveJson(Scenario("classic/stag-hunt.yaml") + " --method logit");
  ASSERT_EQ(j["equilibria"].size(), 1u);
  EXPECT_NEAR(j["equilibria"][0]["strategies"]["row"]["hare"].get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(j["equilibria"][0]["strategies"]["column"]["hare"].get<double>(), 1.0, 1e-9);
}

// A degenerate 2x3x4x2 game (payoffs 0-1, ties everywhere) on whose logit
// path the follower makes no progress near lambda 9, so the path gives up at
// max steps. (If the path follower learns to finish it, pick another such
// game: this test is about how a path that gives up is reported. The
// previous one, whose corrector stalled at rounding near lambda 6e6, is
// finished since the homotopy contracts payoff differences.)
const char* const kStuckGame = R"(NFG 1 R "stuck" { "p1" "p2" "p3" "p4" }
{ { "s1" "s2" } { "s1" "s2" "s3" } { "s1" "s2" "s3" "s4" } { "s1" "s2" } }
""
0 1 0 1 1 1 0 0 1 1 1 1 1 1 0 1 1 1 0 1 1 0 1 0 0 0 1 0 1 1 0 1 1 1 0 0 0 1 1 0 0 1 1 0 0 0 0 0
1 1 0 0 0 1 1 1 1 0 1 1 0 0 1 0 1 0 0 1 0 0 0 0 1 1 0 1 1 0 0 1 1 0 1 1 0 0 1 0 0 0 0 0 0 1 1 1
1 0 0 1 0 1 1 0 0 0 1 0 1 1 0 0 0 0 0 1 1 0 1 1 0 0 0 1 0 1 0 0 0 0 0 0 1 1 0 0 1 1 0 0 1 0 0 0
0 0 1 0 1 1 1 1 1 0 0 1 0 1 1 0 0 1 1 0 1 1 1 1 1 1 1 0 0 0 0 0 0 0 1 0 0 0 0 1 0 1 0 1 1 1 0 0
)";

TEST(SolveCli, APathThatGivesUpIsNotCalledAnEquilibrium) {
  // Upper-case extension: still a Gambit game file.
  const fs::path nfg = TempPath("stuck.NFG");
  std::ofstream(nfg) << kStuckGame;
  const Result text = Parley("solve " + nfg.string() + " --method logit");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("method logit: no equilibrium reached"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(max steps)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("warning: the logit path gave up (max steps)"), std::string::npos);
  EXPECT_NE(text.out.find("where the path stopped  (regret"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("#1"), std::string::npos) << text.out;

  const Result r = Parley("solve " + nfg.string() + " --method logit --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: the logit path gave up (max steps)"), std::string::npos);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["termination"], "max steps");
  EXPECT_EQ(j["converged"], false);
  EXPECT_EQ(j["equilibria"].size(), 0u);
  EXPECT_GT(j["last_point"]["regret"].get<double>(), 1e-8);

  // qre at a lambda the path does not reach: the lambda reached, not the one asked for.
  const Result q = Parley("solve " + nfg.string() + " --method qre --lambda 1e12 --json -");
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.err.find("short of the requested lambda 1e+12"), std::string::npos) << q.err;
  const json qj = json::parse(q.out);
  EXPECT_EQ(qj["converged"], false);
  EXPECT_EQ(qj["requested_lambda"], 1e12);
  EXPECT_LT(qj["lambda"].get<double>(), 1e12);
  EXPECT_EQ(qj["equilibria"].size(), 0u);
  EXPECT_TRUE(qj.contains("last_point"));
}

TEST(SolveCli, DisplayRoundsPayoffsThatAreZeroUpToRounding) {
  // Matching Pennies' mixed equilibrium pays 0; the sum computes +-3.7e-32.
  const Result r = Parley("solve " + Scenario("classic/matching-pennies.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("e-3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("payoff 0\n"), std::string::npos) << r.out;
}

// Every sample of Matching Pennies gives each cell probability 1/4, so the
// intervals have width 0; the sum of squares minus n mean^2 used to leave a
// half-width of about 1.7e-10 from rounding.
TEST(SolveCli, MixedModelIntervalsHaveNoRoundingWidth) {
  const Result r = Parley("run " + Scenario("classic/matching-pennies.yaml") +
                          " --model nash-mixed -n 1000 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["outcomes"].size(), 4u);
  for (const json& o : j["outcomes"]) {
    EXPECT_NEAR(o["probability"].get<double>(), 0.25, 1e-12);
    EXPECT_EQ(o["ci95"][0], o["probability"]) << o.dump();
    EXPECT_EQ(o["ci95"][1], o["probability"]) << o.dump();
  }
}

TEST(SolveCli, SupportEnumerationRefusalCountsPairsInWholeNumbers) {
  std::string game = "NFG 1 R \"big\" { \"r\" \"c\" } { 15 15 }\n";
  for (int i = 0; i < 15 * 15 * 2; ++i) game += std::to_string(i % 7) + " ";
  const fs::path nfg = TempPath("big.nfg");
  std::ofstream(nfg) << game << "\n";
  const Result r = Parley("solve " + nfg.string() + " --method support");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("would try 155117519 support pairs for a 15x15 game"), std::string::npos)
      << r.err;
}

TEST(SolveCli, BadRequestsAreBadInput) {
  const std::string istanbul = Scenario("istanbul-2025.yaml");
  for (const std::string& args :
       {"solve " + istanbul + " --method vertex", "solve " + istanbul + " --method simplex",
        "solve " + istanbul + " --sample -1", "export " + istanbul + " --format efg",
        "solve " + istanbul + " --method qre", "solve " + istanbul + " --lambda 2",
        "solve " + istanbul + " --method qre --lambda -1",
        "solve " + istanbul + " --method qre --lambda nan",
        "solve " + istanbul + " --method qre --lambda 1e13", "solve " + istanbul + " --seed 7",
        "export " + istanbul + " --seed 7",
        "solve " + std::string(PARLEY_SOURCE_DIR) + "/tests/data/nfg/bad_outcome_index.nfg",
        std::string("solve /no/such/game.nfg")}) {
    const Result r = Parley(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_FALSE(r.err.empty()) << args;
  }
}

// The messages of the solver registry (sim/solve/solver.h), as the CLI prints them.
TEST(SolveCli, MethodRefusalsNameWhatToUseInstead) {
  const std::string istanbul = Scenario("istanbul-2025.yaml");
  Result r = Parley("solve " + istanbul + " --method simplex");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "parley: --method: unknown method 'simplex' (methods: pure, vertex, support, "
            "lemke-howson, logit, qre)\n");
  r = Parley("solve " + istanbul + " --method vertex");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "parley: --method vertex needs a two-player game; this game has 4 players (use "
            "--method pure)\n");
  r = Parley("solve " + istanbul + " --method qre");
  EXPECT_EQ(r.err, "parley: --method qre needs --lambda L\n");
  r = Parley("solve " + istanbul + " --method logit --lambda 2");
  EXPECT_EQ(r.err, "parley: --lambda applies to --method qre only\n");
  EXPECT_EQ(r.out, "");
  // A tree with information sets names the file in every refusal.
  const std::string pennies =
      std::string(PARLEY_SOURCE_DIR) + "/tests/data/efg/matching_pennies.efg";
  r = Parley("solve " + pennies + " --method pure");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("parley: " + pennies + ": --method: 'pure' does not solve trees", 0), 0u)
      << r.err;
}

TEST(SolveCli, LambdaMustBeAFiniteNonNegativeNumber) {
  for (const std::string& command :
       {"run " + Scenario("classic/chicken.yaml") + " --model qre --lambda -1",
        "solve " + Scenario("classic/chicken.yaml") + " --method qre --lambda inf",
        "solve " + Scenario("classic/chicken.yaml") + " --method qre --lambda x"}) {
    const Result r = Parley(command);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find("--lambda: must be a finite number >= 0, got '"), std::string::npos)
        << command << ": " << r.err;
  }
}

}  // namespace

// `parley explain` of normal-form games: the textbook analysis by hand.
namespace explain {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string Nfg(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/nfg/" + name;
}

TEST(ExplainNormalFormCli, PrisonersDilemmaStarsTheEquilibriumAndNotesPareto) {
  const Result r = Parley("explain " + Scenario("classic/prisoners-dilemma.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Prisoner's dilemma: normal-form game, mean payoffs\n"),
            std::string::npos)
      << r.out;
  // The matrix: defect is the best response to everything.
  EXPECT_NE(r.out.find("row \\ column   cooperate   defect"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cooperate      3, 3        0, 5*"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("defect         5*, 0       1*, 1*"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Pure Nash equilibria (every payoff starred): 1\n"
                       "  (defect, defect)  payoffs 1, 1\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  row: cooperate is strictly dominated by defect\n"
                       "  column: cooperate is strictly dominated by defect\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("round 1 removes row's cooperate (by defect), column's cooperate (by "
                       "defect)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("(defect, defect) (1, 1) is Pareto-dominated by (cooperate, cooperate) "
                       "(3, 3)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Mixed equilibria: parley solve"), std::string::npos) << r.out;
}

TEST(ExplainNormalFormCli, ClassicGames) {
  Result r = Parley("explain " + Scenario("classic/matching-pennies.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("No pure Nash equilibrium"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no strategy is dominated"), std::string::npos) << r.out;
  r = Parley("explain " + Scenario("classic/battle-of-the-sexes.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Pure Nash equilibria (every payoff starred): 2"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("no pure equilibrium is Pareto-dominated"), std::string::npos) << r.out;
  r = Parley("explain " + Scenario("classic/stag-hunt.yaml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(hare, hare) (2, 2) is Pareto-dominated by (stag, stag) (4, 4)"),
            std::string::npos)
      << r.out;
}

TEST(ExplainNormalFormCli, ThreePlayersGetOneMatrixPerStrategyOfTheThird) {
  const Result r = Parley("explain " + Nfg("public_goods.nfg"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("When c plays give:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("When c plays keep:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  keep    1.2*, 0.2, 0.2   0.6*, 0.6*, -0.4\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  (keep, keep, keep)  payoffs 0, 0, 0"), std::string::npos) << r.out;
  EXPECT_EQ(Count(r.out, "(keep, keep, keep) (0, 0, 0) is Pareto-dominated by"), 4u) << r.out;
  EXPECT_NE(r.out.find("(one profile: the game is solved by dominance)"), std::string::npos)
      << r.out;
}

TEST(ExplainNormalFormCli, MaxLinesCutsEverySection) {
  const Result r = Parley("explain " + Nfg("public_goods.nfg") + " --max-lines 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The matrices, the equilibria, dominance and Pareto: each cut after one line.
  EXPECT_EQ(Count(r.out, "--max-lines shows more"), 4u) << r.out;
  EXPECT_EQ(r.out.find("When c plays"), std::string::npos) << r.out;
}

TEST(ExplainNormalFormCli, SampleAndRefusals) {
  Result r = Parley("explain " + Scenario("classic/prisoners-dilemma.yaml") + " --sample 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("normal-form game, sample 3 (seed 1)\n"), std::string::npos) << r.out;
  r = Parley("explain " + Scenario("classic/prisoners-dilemma.yaml") + " --selection uniform");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--selection applies to sequential games"), std::string::npos) << r.err;
  r = Parley("explain " + Nfg("public_goods.nfg") + " --sample 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--sample and --seed apply to scenarios only"), std::string::npos) << r.err;
  r = Parley("explain " + Scenario("classic/prisoners-dilemma.yaml") + " --seed 3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--seed applies with --sample only"), std::string::npos) << r.err;
}

TEST(ExplainNormalFormCli, JsonHasTheSameAnalysis) {
  const Result r = Parley("explain " + Scenario("classic/prisoners-dilemma.yaml") + " --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["game"]["source"], "mean payoffs");
  EXPECT_EQ(j["players"], json({"row", "column"}));
  ASSERT_EQ(j["profiles"].size(), 4u);
  // Player 0 varies fastest: (defect, cooperate) is the second profile.
  EXPECT_EQ(j["profiles"][1]["strategies"], json({"defect", "cooperate"}));
  EXPECT_EQ(j["profiles"][1]["payoffs"], json({5.0, 0.0}));
  EXPECT_EQ(j["profiles"][1]["best_response"], json({true, false}));
  EXPECT_EQ(j["pure_equilibria"], json::parse(R"([["defect", "defect"]])"));
  EXPECT_EQ(j["dominated"][0]["strategy"], "cooperate");
  EXPECT_EQ(j["dominated"][0]["by"], "defect");
  EXPECT_EQ(j["dominated"][0]["strict"], true);
  EXPECT_EQ(j["elimination_rounds"].size(), 1u);
  EXPECT_EQ(j["survivors"], json::parse(R"([["defect"], ["defect"]])"));
  EXPECT_EQ(j["pareto"][0]["dominated_by"], json::parse(R"([["cooperate", "cooperate"]])"));

  const Result seq = Parley("explain " + Scenario("sequential/entry-deterrence.yaml") + " --json -");
  EXPECT_EQ(seq.exit_code, 2);
  EXPECT_NE(seq.err.find("--json applies to normal-form games"), std::string::npos) << seq.err;
  EXPECT_TRUE(seq.out.empty()) << seq.out;
}

}  // namespace explain
