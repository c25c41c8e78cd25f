#include "sim/solve/subgame_perfect.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "sim/game/efg.h"
#include "sim/solve/mixed.h"

namespace parley {
namespace {

ExtensiveFormGame Parse(const std::string& text) {
  auto g = ParseEfg(text, "test.efg");
  EXPECT_TRUE(g.ok()) << g.status().message();
  return std::move(*g);
}

// The extreme equilibria of a two-player reduced form (vertex enumeration),
// or one (Lemke-Howson) where it has more than 24 strategies (vertex
// enumeration's cost grows exponentially).
StatusOr<MixedList> Vertex(const GameView& game) {
  auto bimatrix = ToBimatrix(game);
  if (!bimatrix.ok()) return bimatrix.status();
  std::vector<MixedEquilibrium> equilibria;
  if (bimatrix->a.rows() + bimatrix->a.cols() <= 24) {
    auto found = EnumerateVertices(*bimatrix);
    if (!found.ok()) return found.status();
    equilibria = std::move(found->equilibria);
  } else {  // too large for vertex enumeration: one equilibrium by Lemke-Howson
    equilibria.push_back(LemkeHowson(*bimatrix, 0));
  }
  MixedList out;
  for (const MixedEquilibrium& e : equilibria) {
    std::vector<std::vector<double>> mixed;
    for (const Eigen::VectorXd& x : e.strategies) mixed.emplace_back(x.begin(), x.end());
    out.push_back(std::move(mixed));
  }
  return out;
}

const char* kPennies = R"(EFG 2 R "pennies" { "Matcher" "Mismatcher" } ""
p "" 1 1 "" { "Heads" "Tails" } 0
p "" 2 1 "guess" { "Heads" "Tails" } 0
t "" 1 "" { 1 -1 }
t "" 2 "" { -1 1 }
p "" 2 1 0
t "" 2
t "" 1
)";

TEST(SubgamePerfectTest, MatchingPenniesHasNoPureEquilibrium) {
  const ExtensiveFormGame g = Parse(kPennies);
  auto d = SubgameDecomposition::Make(g.tree);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->num_normal_form_subgames(), 1);
  SampleRng rng(1, 0, RngStream::kModel);
  auto pure = SolveSubgamePerfect(g.view(), *d, {}, rng);
  ASSERT_FALSE(pure.ok());
  EXPECT_EQ(pure.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(pure.status().message(),
            "the subgame at node 0 has no equilibrium in pure strategies (its reduced normal form "
            "has 4 profiles)");

  SubgameOptions options;
  options.solver = Vertex;
  options.all_root_equilibria = true;
  auto mixed = SolveSubgamePerfect(g.view(), *d, options, rng);
  ASSERT_TRUE(mixed.ok()) << mixed.status().message();
  ASSERT_EQ(mixed->size(), 1u);
  const SubgameSolution& s = (*mixed)[0];
  for (const auto& b : s.behaviour.probabilities) {
    ASSERT_EQ(b.size(), 2u);
    EXPECT_NEAR(b[0], 0.5, 1e-12);
  }
  EXPECT_NEAR(s.value[0], 0.0, 1e-12);
  EXPECT_LT(MaxInfosetRegret(g.view(), s.behaviour), 1e-12);
  // The check is not vacuous: both playing heads for sure is not an equilibrium.
  EXPECT_NEAR(MaxInfosetRegret(g.view(), BehaviourOfChoices(
                                             g.tree, std::vector<int32_t>(g.tree.num_nodes(), 0))),
              2.0, 1e-12);
}

// Enter (or take 3 outside) and then a simultaneous stag hunt: a proper
// subgame with an information set below a perfect-information root.
const char* kEnterStagHunt = R"(EFG 2 R "stag" { "A" "B" } ""
p "" 1 1 "enter" { "Out" "In" } 0
t "" 1 "" { 3 0 }
p "" 1 2 "hunt" { "Stag" "Hare" } 0
p "" 2 1 "join" { "Stag" "Hare" } 0
t "" 2 "" { 4 4 }
t "" 3 "" { 0 3 }
p "" 2 1 0
t "" 4 "" { 3 0 }
t "" 5 "" { 2 2 }
)";

TEST(SubgamePerfectTest, SubgameWithInformationSetSolvedThroughItsNormalForm) {
  const ExtensiveFormGame g = Parse(kEnterStagHunt);
  auto d = SubgameDecomposition::Make(g.tree);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->units.size(), 2u);
  EXPECT_EQ(d->units[0].root, 2);
  EXPECT_FALSE(d->units[0].single_node);
  EXPECT_TRUE(d->units[1].single_node);
  SampleRng rng(1, 0, RngStream::kModel);
  SubgameOptions options;
  options.selection = Selection::kPayoffDominant;
  auto s = SolveSubgamePerfect(g.view(), *d, options, rng);
  ASSERT_TRUE(s.ok()) << s.status().message();
  const SubgameSolution& sol = (*s)[0];
  EXPECT_EQ(sol.normal_form_roots, std::vector<int32_t>{2});
  EXPECT_EQ(sol.equilibria_found, std::vector<int32_t>{2});  // stag-stag and hare-hare
  EXPECT_EQ(sol.num_ties, 1);
  // Payoff dominance picks stag-stag, worth 4 > 3: A enters.
  EXPECT_EQ(sol.behaviour.probabilities[0], (std::vector<double>{0.0, 1.0}));
  EXPECT_EQ(sol.value[0], 4.0);
  EXPECT_EQ(sol.value[1], 4.0);
  EXPECT_LT(MaxInfosetRegret(g.view(), sol.behaviour), 1e-12);
  SubgamePerfect play;
  ToSubgamePerfect(g.view(), sol, play);
  EXPECT_EQ(play.choice[0], 1);
  EXPECT_EQ(play.choice[2], 0);
  EXPECT_EQ(play.reach[4], 1.0);  // stag, stag
  EXPECT_EQ(play.reach[1], 0.0);

  // Under the uniform rule either hunt equilibrium may be selected; with
  // hare-hare (2 < 3) A stays out. Both are subgame perfect.
  std::set<double> root_values;
  for (uint64_t i = 0; i < 40; ++i) {
    SampleRng r(7, i, RngStream::kModel);
    auto u = SolveSubgamePerfect(g.view(), *d, {}, r);
    ASSERT_TRUE(u.ok());
    root_values.insert((*u)[0].value[0]);
    EXPECT_LT(MaxInfosetRegret(g.view(), (*u)[0].behaviour), 1e-12);
  }
  EXPECT_EQ(root_values, (std::set<double>{3.0, 4.0}));
}

TEST(SubgamePerfectTest, MixedSubgameValuePropagates) {
  // Enter (or take 0.25 outside) a matching-pennies subgame worth 0 to A:
  // A stays out. With an outside option of -0.25 A enters.
  for (const double outside : {0.25, -0.25}) {
    const std::string text = std::string(R"(EFG 2 R "enter pennies" { "A" "B" } ""
p "" 1 1 "enter" { "Out" "In" } 0
t "" 1 "" { )") + std::to_string(outside) +
                             R"( 0 }
p "" 1 2 "coin" { "Heads" "Tails" } 0
p "" 2 1 "guess" { "Heads" "Tails" } 0
t "" 2 "" { 1 -1 }
t "" 3 "" { -1 1 }
p "" 2 1 0
t "" 3
t "" 2
)";
    const ExtensiveFormGame g = Parse(text);
    auto d = SubgameDecomposition::Make(g.tree);
    ASSERT_TRUE(d.ok());
    SubgameOptions options;
    options.solver = Vertex;
    SampleRng rng(1, 0, RngStream::kModel);
    auto s = SolveSubgamePerfect(g.view(), *d, options, rng);
    ASSERT_TRUE(s.ok()) << s.status().message();
    const SubgameSolution& sol = (*s)[0];
    EXPECT_NEAR(sol.value[2 * 2], 0.0, 1e-12);  // the subgame at node 2
    EXPECT_EQ(sol.behaviour.probabilities[0][1], outside < 0 ? 1.0 : 0.0);
    EXPECT_NEAR(sol.value[0], std::max(outside, 0.0), 1e-12);
    EXPECT_LT(MaxInfosetRegret(g.view(), sol.behaviour), 1e-12);
  }
}

TEST(SubgamePerfectTest, UnreachedInformationSetGetsABestAction) {
  // Chance picks x or y, which nobody sees; B stops (0, 5) or goes on; then
  // A plays l or r, and after l B plays u or v. B prefers to stop, so B's
  // set `last` is unreached by B's own strategy; the action given there is
  // still B's best one.
  const ExtensiveFormGame g = Parse(R"(EFG 2 R "unreached" { "A" "B" } ""
c "" 1 "type" { "x" 1/2 "y" 1/2 } 0
p "" 2 1 "first" { "stop" "go" } 0
t "" 1 "" { 0 5 }
p "" 1 1 "mid" { "l" "r" } 0
p "" 2 2 "last" { "u" "v" } 0
t "" 2 "" { 1 1 }
t "" 3 "" { 0 2 }
t "" 4 "" { 1 0 }
p "" 2 1 0
t "" 1
p "" 1 1 0
p "" 2 2 0
t "" 5 "" { 1 2 }
t "" 6 "" { 0 3 }
t "" 4
)");
  auto d = SubgameDecomposition::Make(g.tree);
  ASSERT_TRUE(d.ok());
  SampleRng rng(1, 0, RngStream::kModel);
  auto s = SolveSubgamePerfect(g.view(), *d, {}, rng);
  ASSERT_TRUE(s.ok()) << s.status().message();
  const SubgameSolution& sol = (*s)[0];
  const int first = 1, last = 3;  // B's sets, in order of appearance in the file
  ASSERT_EQ(g.tree.infosets()[first].label, "first");
  ASSERT_EQ(g.tree.infosets()[last].label, "last");
  EXPECT_EQ(sol.behaviour.probabilities[first], (std::vector<double>{1.0, 0.0}));
  EXPECT_FALSE(sol.behaviour.reached[last]);
  // At `last` u gives B 1 + 2 and v 2 + 3 over the set's two nodes.
  EXPECT_EQ(sol.behaviour.probabilities[last], (std::vector<double>{0.0, 1.0}));
  EXPECT_LT(MaxInfosetRegret(g.view(), sol.behaviour), 1e-12);
}

// A random game with perfect recall: stages (a player's move or chance),
// each player seeing a random subset of earlier moves that includes all
// it saw and did before; information sets are the stage and what was seen.
ExtensiveFormGame RandomGame(std::mt19937& gen, int players, bool perfect_information) {
  const int stages = 2 + static_cast<int>(gen() % 3);
  std::vector<int> mover(stages), actions(stages);
  std::vector<std::set<int>> seen(stages);
  for (int k = 0; k < stages; ++k) {
    mover[k] = gen() % 5 == 0 ? -1 : static_cast<int>(gen() % players);
    actions[k] = 2 + static_cast<int>(gen() % (stages < 4 ? 2 : 1));  // small trees
    for (int j = 0; j < k; ++j) {
      if (perfect_information || gen() % 2 == 0) seen[k].insert(j);
    }
    if (mover[k] < 0) continue;
    for (int j = 0; j < k; ++j) {
      if (mover[j] != mover[k]) continue;
      seen[k].insert(j);
      seen[k].insert(seen[j].begin(), seen[j].end());
    }
  }
  std::vector<std::string> names;
  for (int p = 0; p < players; ++p) names.push_back("p" + std::to_string(p));
  ExtensiveFormGame g;
  g.tree = GameTree(names);
  std::vector<int> chance(stages, -1);
  for (int k = 0; k < stages; ++k) {
    if (mover[k] >= 0) continue;
    std::vector<double> p(actions[k]);
    double total = 0.0;
    for (double& x : p) total += (x = 1.0 + static_cast<double>(gen() % 4));
    for (double& x : p) x /= total;
    chance[k] =
        g.tree.AddChanceSet("c" + std::to_string(k), std::vector<std::string>(actions[k], "a"), p);
  }
  std::map<std::vector<int>, int> infoset;
  std::vector<int> history;
  std::vector<double> payoffs;
  std::function<void(int, int, int)> build = [&](int k, int parent, int action) {
    if (k == stages) {
      g.tree.AddNode(parent, action, NodeKind::kTerminal);
      for (int p = 0; p < players; ++p) payoffs.push_back(static_cast<int>(gen() % 7) - 3);
      return;
    }
    int h = chance[k];
    if (mover[k] >= 0) {
      std::vector<int> key{k};
      for (int j = 0; j < k; ++j) key.push_back(seen[k].count(j) ? history[j] : -1);
      auto [it, inserted] = infoset.emplace(key, -1);
      if (inserted) {
        std::vector<std::string> labels;
        for (int a = 0; a < actions[k]; ++a) labels.push_back("a" + std::to_string(a));
        it->second = g.tree.AddInfoSet(mover[k], "s" + std::to_string(k), labels);
      }
      h = it->second;
    }
    const int v =
        g.tree.AddNode(parent, action, mover[k] >= 0 ? NodeKind::kDecision : NodeKind::kChance, h);
    for (int a = 0; a < actions[k]; ++a) {
      history.push_back(a);
      build(k + 1, v, a);
      history.pop_back();
    }
  };
  build(0, -1, 0);
  EXPECT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs(payoffs);
  return g;
}

TEST(SubgamePerfectTest, RandomTreesEveryEquilibriumPassesTheIndependentCheck) {
  std::mt19937 gen(20250516);
  int pure_solved = 0, mixed_solved = 0, with_information_sets = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int players = 2 + trial % 2;
    const ExtensiveFormGame g = RandomGame(gen, players, false);
    with_information_sets += !g.tree.perfect_information();
    auto d = SubgameDecomposition::Make(g.tree);
    ASSERT_TRUE(d.ok()) << d.status().message();
    for (const Selection rule : {Selection::kUniform, Selection::kPayoffDominant}) {
      SampleRng rng(3, static_cast<uint64_t>(trial), RngStream::kModel);
      SubgameOptions options;
      options.selection = rule;
      auto s = SolveSubgamePerfect(g.view(), *d, options, rng);
      if (s.ok()) {
        ++pure_solved;
        const SubgameSolution& sol = (*s)[0];
        EXPECT_LT(MaxInfosetRegret(g.view(), sol.behaviour), 1e-9) << "trial " << trial;
        // The pure solution's values are those of its own choices.
        SubgamePerfect play;
        ToSubgamePerfect(g.view(), sol, play);
        for (int p = 0; p < players; ++p) EXPECT_NEAR(play.value[p], sol.value[p], 1e-12);
      } else {
        EXPECT_EQ(s.status().code(), StatusCode::kNotFound) << s.status().message();
      }
    }
    if (players == 2) {
      SubgameOptions options;
      options.solver = Vertex;
      options.all_root_equilibria = true;
      SampleRng rng(3, static_cast<uint64_t>(trial), RngStream::kModel);
      auto s = SolveSubgamePerfect(g.view(), *d, options, rng);
      ASSERT_TRUE(s.ok()) << s.status().message();
      ASSERT_FALSE(s->empty());
      for (const SubgameSolution& sol : *s) {
        ++mixed_solved;
        EXPECT_LT(MaxInfosetRegret(g.view(), sol.behaviour), 1e-7) << "trial " << trial;
      }
    }
  }
  EXPECT_GT(with_information_sets, 150);
  EXPECT_GT(pure_solved, 300);
  EXPECT_GT(mixed_solved, 150);
}

TEST(SubgamePerfectTest, PerfectInformationAgreesWithBackwardInduction) {
  std::mt19937 gen(7);
  // Uniform on [-1, 1) from mt19937's bits (std distributions are not
  // the same in every standard library).
  const auto u = [](std::mt19937& r) { return static_cast<double>(r()) * 0x1.0p-31 - 1.0; };
  for (int trial = 0; trial < 100; ++trial) {
    ExtensiveFormGame g = RandomGame(gen, 3, true);
    ASSERT_TRUE(g.tree.perfect_information());
    // Continuous payoffs: no ties, one subgame-perfect equilibrium.
    std::vector<double> payoffs(static_cast<size_t>(g.tree.num_terminals()) * 3);
    for (double& x : payoffs) x = u(gen);
    g.SetPayoffs(payoffs);
    auto d = SubgameDecomposition::Make(g.tree);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->num_normal_form_subgames(), 0);
    SampleRng rng(1, 0, RngStream::kModel), rng2(1, 0, RngStream::kModel);
    auto s = SolveSubgamePerfect(g.view(), *d, {}, rng);
    ASSERT_TRUE(s.ok());
    SubgamePerfect ours, theirs;
    ToSubgamePerfect(g.view(), (*s)[0], ours);
    SolveBackwardInduction(g.view(), Selection::kUniform, rng2, theirs);
    EXPECT_EQ(ours.choice, theirs.choice);
    EXPECT_EQ(ours.value, theirs.value);
    EXPECT_LT(MaxInfosetRegret(g.view(), (*s)[0].behaviour), 1e-12);
  }
}

}  // namespace
}  // namespace parley
