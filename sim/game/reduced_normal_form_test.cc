#include "sim/game/reduced_normal_form.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "sim/game/efg.h"
#include "sim/game/nfg.h"

namespace parley {
namespace {

ExtensiveFormGame Parse(const std::string& text) {
  auto g = ParseEfg(text, "test.efg");
  EXPECT_TRUE(g.ok()) << g.status().message();
  return std::move(*g);
}

double Payoff(const ReducedNormalForm& r, const std::vector<int>& profile, int player) {
  return r.game.view().Payoff(r.game.space.Encode(profile), player);
}

TEST(ReducedNormalFormTest, SimultaneousMovesAsATreeGiveTheMatrix) {
  // Matching pennies: the second mover does not see the first coin.
  const ExtensiveFormGame g = Parse(R"(EFG 2 R "pennies" { "Matcher" "Mismatcher" } ""
p "" 1 1 "" { "Heads" "Tails" } 0
p "" 2 1 "guess" { "Heads" "Tails" } 0
t "" 1 "" { 1 -1 }
t "" 2 "" { -1 1 }
p "" 2 1 0
t "" 2
t "" 1
)");
  auto r = BuildReducedNormalForm(g.view());
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->game.space.num_strategies(0), 2);
  ASSERT_EQ(r->game.space.num_strategies(1), 2);
  EXPECT_EQ(r->game.strategies[0], (std::vector<std::string>{"Heads", "Tails"}));
  EXPECT_EQ(r->game.strategies[1], (std::vector<std::string>{"Heads", "Tails"}));
  // The matrix of matching pennies: match pays the matcher 1.
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      const double matcher = i == j ? 1.0 : -1.0;
      EXPECT_EQ(Payoff(*r, {i, j}, 0), matcher);
      EXPECT_EQ(Payoff(*r, {i, j}, 1), -matcher);
    }
  }
}

TEST(ReducedNormalFormTest, ChanceMovesAreExpectedOver) {
  // The commute of tests/data/efg/chance.efg: the driver sees the weather,
  // not the traffic; the city never moves.
  const ExtensiveFormGame g = Parse(R"(EFG 2 R "Commute" { "Driver" "City" } ""
c "weather" 1 "Weather" { "Rain" 0.25 "Sun" 3/4 } 0
p "" 1 1 "rainy morning" { "Go" "Stay" } 0
c "" 2 "Traffic" { "Jam" 1/3 "Clear" 2/3 } 0
t "" 1 "late and wet" { -3, 1 }
t "" 2 "wet" { -1, 2 }
t "" 3 "home" { 0 0 }
p "" 1 2 "sunny morning" { "Go" "Stay" } 0
c "" 2 "Traffic" { "Jam" 1/3 "Clear" 2/3 } 0
t "" 4 "late" { -2, 1 }
t "" 5 "on time" { 2, 2 }
t "" 3
)");
  auto r = BuildReducedNormalForm(g.view());
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->game.space.num_strategies(0), 4);
  ASSERT_EQ(r->game.space.num_strategies(1), 1);
  EXPECT_EQ(r->game.strategies[0],
            (std::vector<std::string>{"Go/Go", "Go/Stay", "Stay/Go", "Stay/Stay"}));
  EXPECT_EQ(r->game.strategies[1], (std::vector<std::string>{"-"}));
  const double rain_go[2] = {(-3.0 - 2.0 * 1.0) / 3.0, (1.0 + 2.0 * 2.0) / 3.0};
  const double sun_go[2] = {(-2.0 + 2.0 * 2.0) / 3.0, (1.0 + 2.0 * 2.0) / 3.0};
  for (int p = 0; p < 2; ++p) {
    EXPECT_NEAR(Payoff(*r, {0, 0}, p), 0.25 * rain_go[p] + 0.75 * sun_go[p], 1e-15);
    EXPECT_NEAR(Payoff(*r, {1, 0}, p), 0.25 * rain_go[p], 1e-15);
    EXPECT_NEAR(Payoff(*r, {2, 0}, p), 0.75 * sun_go[p], 1e-15);
    EXPECT_EQ(Payoff(*r, {3, 0}, p), 0.0);
  }
}

TEST(ReducedNormalFormTest, StrategiesExcludedByOwnChoicesAreMerged) {
  // The entrant stays out or enters; after entry the incumbent fights or
  // accommodates, and after accommodation the entrant expands or not. Four
  // pure strategies of the entrant, three reduced: Out/*, In/expand, In/hold.
  const ExtensiveFormGame g = Parse(R"(EFG 2 R "entry" { "E" "I" } ""
p "" 1 1 "enter" { "Out" "In" } 0
t "" 1 "" { 0 4 }
p "" 2 1 "respond" { "Fight" "Share" } 0
t "" 2 "" { -1 -1 }
p "" 1 2 "grow" { "expand" "hold" } 0
t "" 3 "" { 3 1 }
t "" 4 "" { 2 2 }
)");
  auto r = BuildReducedNormalForm(g.view());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->game.strategies[0], (std::vector<std::string>{"Out/*", "In/expand", "In/hold"}));
  EXPECT_EQ(r->game.strategies[1], (std::vector<std::string>{"Fight", "Share"}));
  EXPECT_EQ(Payoff(*r, {0, 1}, 1), 4.0);
  EXPECT_EQ(Payoff(*r, {1, 1}, 0), 3.0);
  EXPECT_EQ(Payoff(*r, {2, 1}, 1), 2.0);
  EXPECT_EQ(Payoff(*r, {2, 0}, 0), -1.0);

  // Kuhn: a mixture over plans is a behaviour strategy.
  Behaviour b;
  b.probabilities.assign(g.tree.infosets().size(), {});
  b.reached.assign(g.tree.infosets().size(), 0);
  KuhnBehaviour(g.tree, r->strategies, {{0.5, 0.3, 0.2}, {0.25, 0.75}}, b);
  const int enter = r->strategies.infosets[0][0], grow = r->strategies.infosets[0][1];
  EXPECT_EQ(b.probabilities[enter], (std::vector<double>{0.5, 0.5}));
  EXPECT_NEAR(b.probabilities[grow][0], 0.6, 1e-15);
  EXPECT_NEAR(b.probabilities[grow][1], 0.4, 1e-15);
  EXPECT_TRUE(b.reached[grow]);
  // Staying out for sure leaves `grow` unreached by the entrant's own choice.
  KuhnBehaviour(g.tree, r->strategies, {{1.0, 0.0, 0.0}, {1.0, 0.0}}, b);
  EXPECT_FALSE(b.reached[grow]);
  EXPECT_TRUE(b.probabilities[grow].empty());
  EXPECT_TRUE(b.reached[enter]);
}

TEST(ReducedNormalFormTest, SeltensHorseHasEightProfiles) {
  // Selten's horse: 1 plays A (to 2) or D; 2 plays a (ends) or d; 3, not
  // knowing whether 1 or 2 played down, plays L or R. Hand count: 2 x 2 x 2.
  const ExtensiveFormGame g = Parse(R"(EFG 2 R "horse" { "1" "2" "3" } ""
p "" 1 1 "" { "A" "D" } 0
p "" 2 1 "" { "a" "d" } 0
t "" 1 "" { 1, 1, 1 }
p "" 3 1 "" { "L" "R" } 0
t "" 2 "" { 4, 4, 0 }
t "" 3 "" { 1, 1, 1 }
p "" 3 1 "" { "L" "R" } 0
t "" 4 "" { 3, 2, 2 }
t "" 5 "" { 0, 0, 0 }
)");
  auto r = BuildReducedNormalForm(g.view());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->game.space.num_profiles(), 8);
  EXPECT_EQ(Payoff(*r, {1, 0, 0}, 0), 3.0);  // D, a, L
  EXPECT_EQ(Payoff(*r, {0, 1, 0}, 2), 0.0);  // A, d, L
  EXPECT_EQ(Payoff(*r, {0, 0, 1}, 1), 1.0);  // A, a, R
}

TEST(ReducedNormalFormTest, SignallingGameCountsByHand) {
  // Chance picks the sender's type; the sender sees it and sends m1 or m2;
  // the receiver sees only the message and acts up or down. Sender: 2
  // information sets of 2 actions (4 plans); receiver: 2 sets of 2 (4).
  GameTree t({"sender", "receiver"});
  const int types = t.AddChanceSet("type", {"strong", "weak"}, {0.6, 0.4});
  const int sent[2] = {t.AddInfoSet(0, "strong", {"m1", "m2"}),
                       t.AddInfoSet(0, "weak", {"m1", "m2"})};
  const int heard[2] = {t.AddInfoSet(1, "after m1", {"up", "down"}),
                        t.AddInfoSet(1, "after m2", {"up", "down"})};
  const int root = t.AddNode(-1, 0, NodeKind::kChance, types);
  std::vector<double> payoffs;
  for (int type = 0; type < 2; ++type) {
    const int s = t.AddNode(root, type, NodeKind::kDecision, sent[type]);
    for (int m = 0; m < 2; ++m) {
      const int r = t.AddNode(s, m, NodeKind::kDecision, heard[m]);
      for (int a = 0; a < 2; ++a) {
        t.AddNode(r, a, NodeKind::kTerminal);
        payoffs.push_back(type * 4 + m * 2 + a);  // sender
        payoffs.push_back(-(type * 4 + m * 2 + a));
      }
    }
  }
  ASSERT_TRUE(t.Finalize().ok());
  ExtensiveFormGame g;
  g.tree = std::move(t);
  g.SetPayoffs(payoffs);
  auto r = BuildReducedNormalForm(g.view());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->game.space.num_strategies(0), 4);
  EXPECT_EQ(r->game.space.num_strategies(1), 4);
  // Sender m1/m2 (strategy 1: strong sends m1, weak m2) against receiver
  // up/down (strategy 1: up after m1, down after m2).
  EXPECT_EQ(r->game.strategies[0][1], "m1/m2");
  EXPECT_EQ(r->game.strategies[1][1], "up/down");
  EXPECT_NEAR(Payoff(*r, {1, 1}, 0), 0.6 * 0 + 0.4 * (4 + 2 + 1), 1e-12);
}

TEST(ReducedNormalFormTest, RefusesTooLargeNamingTheSizes) {
  // Chance picks one of 22 branches; in 11 the first player moves, in 11 the
  // second, each at its own information set: 2^11 plans each, 2^22 profiles.
  GameTree t({"a", "b"});
  std::vector<std::string> branches;
  for (int i = 0; i < 22; ++i) branches.push_back("b" + std::to_string(i));
  const int c = t.AddChanceSet("pick", branches, std::vector<double>(22, 1.0 / 22));
  const int root = t.AddNode(-1, 0, NodeKind::kChance, c);
  for (int i = 0; i < 22; ++i) {
    const int h = t.AddInfoSet(i < 11 ? 0 : 1, "", {"x", "y"});
    const int v = t.AddNode(root, i, NodeKind::kDecision, h);
    t.AddNode(v, 0, NodeKind::kTerminal);
    t.AddNode(v, 1, NodeKind::kTerminal);
  }
  ASSERT_TRUE(t.Finalize().ok());
  auto r = EnumerateReducedStrategies(t);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(),
            "the reduced normal form is too large: reduced strategies per player: a 2048, b "
            "2048; 4194304 strategy profiles, more than the limit of 1048576");
  // Within a higher limit it is built.
  auto big = EnumerateReducedStrategies(t, 0, nullptr, int64_t{1} << 23);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->num_profiles(), int64_t{1} << 22);
}

TEST(ReducedNormalFormTest, OnePlayersOwnStrategiesOverflow) {
  // 11 binary information sets of one player behind a chance move: 2^11
  // plans, more than a limit of 1000 profiles.
  GameTree t({"a"});
  std::vector<std::string> branches;
  for (int i = 0; i < 11; ++i) branches.push_back("b" + std::to_string(i));
  const int c = t.AddChanceSet("pick", branches, std::vector<double>(11, 1.0 / 11));
  const int root = t.AddNode(-1, 0, NodeKind::kChance, c);
  for (int i = 0; i < 11; ++i) {
    const int v = t.AddNode(root, i, NodeKind::kDecision, t.AddInfoSet(0, "", {"x", "y"}));
    t.AddNode(v, 0, NodeKind::kTerminal);
    t.AddNode(v, 1, NodeKind::kTerminal);
  }
  ASSERT_TRUE(t.Finalize().ok());
  auto r = EnumerateReducedStrategies(t, 0, nullptr, 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("a more than 1000;"), std::string::npos)
      << r.status().message();
}

TEST(ReducedNormalFormTest, RefusesPlansOverTheMemoryBudgetBeforeCountingThemAll) {
  // 16 fair coins, then a player who sees them all (2^16 information sets,
  // 2^65536 plans): refused once its plans would take more than the budget
  // of entries, long before 2^20 of them (64 GiB) exist.
  GameTree t({"a"});
  const int coin = t.AddChanceSet("coin", {"h", "t"}, {0.5, 0.5});
  // Nodes in preorder: (parent, action, coins tossed above).
  std::vector<std::array<int, 3>> todo = {{-1, 0, 0}};
  while (!todo.empty()) {
    const auto [parent, action, depth] = todo.back();
    todo.pop_back();
    if (depth < 16) {
      const int v = t.AddNode(parent, action, NodeKind::kChance, coin);
      todo.push_back({v, 1, depth + 1});
      todo.push_back({v, 0, depth + 1});
    } else {
      const int u = t.AddNode(parent, action, NodeKind::kDecision, t.AddInfoSet(0, "", {"x", "y"}));
      t.AddNode(u, 0, NodeKind::kTerminal);
      t.AddNode(u, 1, NodeKind::kTerminal);
    }
  }
  ASSERT_TRUE(t.Finalize().ok());
  auto r = EnumerateReducedStrategies(t);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(),
            "the reduced normal form is too large: the reduced strategies of a, each an action at "
            "65536 information sets, need more than the limit of 67108864 plan entries "
            "(strategies x information sets) while they are enumerated");
  // A smaller budget refuses a smaller form that the count limit allows:
  // 11 sets seen behind one chance move, 2^11 plans of 11 entries.
  GameTree small({"a"});
  std::vector<std::string> branches;
  for (int i = 0; i < 11; ++i) branches.push_back("b" + std::to_string(i));
  const int c = small.AddChanceSet("pick", branches, std::vector<double>(11, 1.0 / 11));
  const int root = small.AddNode(-1, 0, NodeKind::kChance, c);
  for (int i = 0; i < 11; ++i) {
    const int v = small.AddNode(root, i, NodeKind::kDecision, small.AddInfoSet(0, "", {"x", "y"}));
    small.AddNode(v, 0, NodeKind::kTerminal);
    small.AddNode(v, 1, NodeKind::kTerminal);
  }
  ASSERT_TRUE(small.Finalize().ok());
  EXPECT_TRUE(EnumerateReducedStrategies(small).ok());
  const auto refused = EnumerateReducedStrategies(small, 0, nullptr, kMaxReducedProfiles, 1000);
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find("more than the limit of 1000 plan entries"),
            std::string::npos)
      << refused.status().message();
}

TEST(ReducedNormalFormTest, DeepChainsNeedNoRecursion) {
  // A path of 300,000 one-action decision nodes alternating between two
  // players (each node its own information set): one plan each, as long as
  // the player's half of the path.
  GameTree t({"a", "b"});
  int v = -1;
  for (int d = 0; d < 300000; ++d) {
    v = t.AddNode(v, 0, NodeKind::kDecision, t.AddInfoSet(d % 2, "", {"go"}));
  }
  t.AddNode(v, 0, NodeKind::kTerminal);
  ASSERT_TRUE(t.Finalize().ok());
  auto r = EnumerateReducedStrategies(t);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->num_strategies(0), 1);
  ASSERT_EQ(r->num_strategies(1), 1);
  EXPECT_EQ(r->plans[0][0], std::vector<int32_t>(150000, 0));
}

TEST(ReducedNormalFormTest, GambitExampleFiles) {
  // The .efg examples of tests/data/efg with information sets or chance.
  const std::string dir = std::string(PARLEY_SOURCE_DIR) + "/tests/data/efg/";
  auto pennies = ReadEfgFile(dir + "matching_pennies.efg");
  ASSERT_TRUE(pennies.ok()) << pennies.status().message();
  auto r = BuildReducedNormalForm(pennies->view());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->game.space.num_profiles(), 4);
  EXPECT_EQ(Payoff(*r, {1, 1}, 0), 1.0);
  EXPECT_EQ(Payoff(*r, {0, 1}, 0), -1.0);
  auto commute = ReadEfgFile(dir + "chance.efg");
  ASSERT_TRUE(commute.ok()) << commute.status().message();
  r = BuildReducedNormalForm(commute->view());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->game.space.num_strategies(0), 4);
  EXPECT_NEAR(Payoff(*r, {3, 0}, 1), 0.0, 1e-15);
  // A perfect-information tree: the entrant's 2 actions, the incumbent's 2.
  auto entry = ReadEfgFile(dir + "entry_deterrence.efg");
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  r = BuildReducedNormalForm(entry->view());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->game.space.num_profiles(), 4);
}

TEST(ReducedNormalFormTest, NfgRoundTrip) {
  auto commute = ReadEfgFile(std::string(PARLEY_SOURCE_DIR) + "/tests/data/efg/chance.efg");
  ASSERT_TRUE(commute.ok());
  auto r = BuildReducedNormalForm(commute->view());
  ASSERT_TRUE(r.ok());
  const std::string text = WriteNfg({"Commute", "", r->game});
  auto back = ReadNfgString(text, "commute.nfg");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->game.players, r->game.players);
  EXPECT_EQ(back->game.strategies, r->game.strategies);
  EXPECT_EQ(back->game.payoffs, r->game.payoffs);  // shortest round-trip doubles
}

TEST(ReducedNormalFormTest, PerfectRecall) {
  const ExtensiveFormGame pennies = Parse(R"(EFG 2 R "p" { "A" "B" } ""
p "" 1 1 "" { "H" "T" } 0
p "" 2 1 "" { "H" "T" } 0
t "" 1 "" { 1 -1 }
t "" 2 "" { -1 1 }
p "" 2 1 0
t "" 2
t "" 1
)");
  EXPECT_TRUE(HasPerfectRecall(pennies.tree));
  // A forgets its own first move: imperfect recall.
  const ExtensiveFormGame forgetful = Parse(R"(EFG 2 R "f" { "A" } ""
p "" 1 1 "" { "L" "R" } 0
p "" 1 2 "" { "l" "r" } 0
t "" 1 "" { 1 }
t "" 2 "" { 0 }
p "" 1 2 0
t "" 3 "" { 0 }
t "" 4 "" { 2 }
)");
  EXPECT_FALSE(HasPerfectRecall(forgetful.tree));
  // Its plans are still the pure strategies: L/l, L/r, R/l, R/r.
  auto r = BuildReducedNormalForm(forgetful.view());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->game.space.num_strategies(0), 4);
}

}  // namespace
}  // namespace parley
