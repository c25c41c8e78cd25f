#include "sim/solve/backward_induction.h"

#include <gtest/gtest.h>

#include <functional>

namespace parley {
namespace {

// Entry deterrence: out -> (0, 2); in, fight -> (-1, -1); in, accommodate -> (1, 1).
ExtensiveFormGame EntryDeterrence() {
  ExtensiveFormGame g;
  g.tree = GameTree({"entrant", "incumbent"});
  const int h0 = g.tree.AddInfoSet(0, "entry", {"out", "in"});
  const int h1 = g.tree.AddInfoSet(1, "response", {"fight", "accommodate"});
  const int root = g.tree.AddNode(-1, 0, NodeKind::kDecision, h0);
  g.tree.AddNode(root, 0, NodeKind::kTerminal);
  const int in = g.tree.AddNode(root, 1, NodeKind::kDecision, h1);
  g.tree.AddNode(in, 0, NodeKind::kTerminal);
  g.tree.AddNode(in, 1, NodeKind::kTerminal);
  EXPECT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs({0, 2, -1, -1, 1, 1});
  return g;
}

TEST(BackwardInductionTest, EntryDeterrenceThreatIsNotCarriedOut) {
  const ExtensiveFormGame g = EntryDeterrence();
  SampleRng rng(1, 0, RngStream::kModel);
  SubgamePerfect spe;
  SolveBackwardInduction(g.view(), Selection::kUniform, rng, spe);
  EXPECT_EQ(spe.choice[0], 1);  // in
  EXPECT_EQ(spe.choice[2], 1);  // accommodate
  EXPECT_EQ(spe.value[0], 1.0);
  EXPECT_EQ(spe.value[1], 1.0);
  EXPECT_EQ(spe.num_ties, 0);
  ComputeReach(g.view(), spe);
  EXPECT_EQ(spe.reach[1], 0.0);
  EXPECT_EQ(spe.reach[4], 1.0);
  EXPECT_EQ(MaxSubgameRegret(g.view(), spe.choice), 0.0);
  // The Nash equilibrium (out, fight) is not subgame perfect.
  EXPECT_EQ(MaxSubgameRegret(g.view(), {0, -1, 0, -1, -1}), 2.0);
}

// A centipede of `moves` moves: at move k the mover takes (ending the game)
// or passes; the pot grows, and taking always beats passing for the mover
// when the other takes next.
ExtensiveFormGame Centipede(int moves) {
  ExtensiveFormGame g;
  g.tree = GameTree({"a", "b"});
  std::vector<double> payoffs;
  int parent = -1;
  for (int k = 0; k < moves; ++k) {
    const int h = g.tree.AddInfoSet(k % 2, "", {"take", "pass"});
    const int v = g.tree.AddNode(parent, 1, NodeKind::kDecision, h);
    g.tree.AddNode(v, 0, NodeKind::kTerminal);
    // Taking at move k: the mover gets k + 2, the other k.
    payoffs.push_back(k % 2 == 0 ? k + 2 : k);
    payoffs.push_back(k % 2 == 0 ? k : k + 2);
    parent = v;
  }
  g.tree.AddNode(parent, 1, NodeKind::kTerminal);
  // Passing at the last move gives both `moves`: less than taking there.
  payoffs.push_back(moves);
  payoffs.push_back(moves);
  EXPECT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs(payoffs);
  return g;
}

TEST(BackwardInductionTest, CentipedeEndsAtTheFirstMove) {
  const ExtensiveFormGame g = Centipede(10);
  SampleRng rng(1, 0, RngStream::kModel);
  SubgamePerfect spe;
  SolveBackwardInduction(g.view(), Selection::kUniform, rng, spe);
  for (int v = 0; v < g.tree.num_nodes(); ++v) {
    if (g.tree.node(v).kind == NodeKind::kDecision) {
      EXPECT_EQ(spe.choice[v], 0) << v;
    }
  }
  EXPECT_EQ(spe.value[0], 2.0);
  EXPECT_EQ(spe.value[1], 0.0);
}

TEST(BackwardInductionTest, ChanceNodesAverage) {
  // Nature: rain (0.25) or sun; then the player chooses stay (1) or go (rain: 0, sun: 4).
  ExtensiveFormGame g;
  g.tree = GameTree({"walker"});
  const int c = g.tree.AddChanceSet("weather", {"rain", "sun"}, {0.25, 0.75});
  const int root = g.tree.AddNode(-1, 0, NodeKind::kChance, c);
  std::vector<double> payoffs;
  for (int w = 0; w < 2; ++w) {
    const int h = g.tree.AddInfoSet(0, "", {"stay", "go"});
    const int v = g.tree.AddNode(root, w, NodeKind::kDecision, h);
    g.tree.AddNode(v, 0, NodeKind::kTerminal);
    g.tree.AddNode(v, 1, NodeKind::kTerminal);
    payoffs.push_back(1.0);
    payoffs.push_back(w == 0 ? 0.0 : 4.0);
  }
  ASSERT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs(payoffs);
  SampleRng rng(1, 0, RngStream::kModel);
  SubgamePerfect spe;
  SolveBackwardInduction(g.view(), Selection::kUniform, rng, spe);
  EXPECT_DOUBLE_EQ(spe.value[0], 0.25 * 1.0 + 0.75 * 4.0);
  ComputeReach(g.view(), spe);
  EXPECT_DOUBLE_EQ(spe.reach[1], 0.25);
  // Nodes: 0 weather, 1 rain, 2 rain-stay, 3 rain-go, 4 sun, 5 sun-stay, 6 sun-go.
  EXPECT_DOUBLE_EQ(spe.reach[2], 0.25);
  EXPECT_DOUBLE_EQ(spe.reach[3], 0.0);
  EXPECT_DOUBLE_EQ(spe.reach[6], 0.75);
}

TEST(BackwardInductionTest, TiesFollowTheSelectionRule) {
  // One mover, three actions: (1, 0), (1, 5), (0, 9). Actions 0 and 1 tie for
  // the mover; payoff dominance keeps action 1 only.
  ExtensiveFormGame g;
  g.tree = GameTree({"a", "b"});
  const int h = g.tree.AddInfoSet(0, "", {"x", "y", "z"});
  const int root = g.tree.AddNode(-1, 0, NodeKind::kDecision, h);
  for (int a = 0; a < 3; ++a) g.tree.AddNode(root, a, NodeKind::kTerminal);
  ASSERT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs({1, 0, 1, 5, 0, 9});
  SubgamePerfect spe;
  int counts[3] = {0, 0, 0};
  for (uint64_t i = 0; i < 400; ++i) {
    SampleRng rng(7, i, RngStream::kModel);
    SolveBackwardInduction(g.view(), Selection::kUniform, rng, spe);
    ++counts[spe.choice[0]];
    EXPECT_EQ(spe.tied[0], 1);
    SampleRng rng2(7, i, RngStream::kModel);
    SolveBackwardInduction(g.view(), Selection::kPayoffDominant, rng2, spe);
    EXPECT_EQ(spe.choice[0], 1);
  }
  EXPECT_EQ(counts[2], 0);
  EXPECT_GT(counts[0], 150);
  EXPECT_GT(counts[1], 150);
}

// Random perfect-information trees with chance nodes: the solution is a best
// response in every subgame (checked independently), and the root value is
// what following the choices yields.
TEST(BackwardInductionTest, RandomTreesAreSubgamePerfect) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SampleRng rng(seed, 0, RngStream::kScenario);
    ExtensiveFormGame g;
    const int players = 1 + static_cast<int>(rng.Uniform() * 3);
    std::vector<std::string> names;
    for (int p = 0; p < players; ++p) names.push_back("p" + std::to_string(p));
    g.tree = GameTree(names);
    std::vector<double> payoffs;
    std::function<void(int, int, int)> grow = [&](int parent, int action, int depth) {
      const double u = rng.Uniform();
      if (depth >= 5 || u < 0.25) {
        g.tree.AddNode(parent, action, NodeKind::kTerminal);
        // Small integers make ties common.
        for (int p = 0; p < players; ++p) payoffs.push_back(std::floor(rng.Uniform() * 5));
        return;
      }
      const int k = 2 + static_cast<int>(rng.Uniform() * 2);
      std::vector<std::string> actions;
      for (int a = 0; a < k; ++a) actions.push_back("a" + std::to_string(a));
      int v;
      if (u < 0.35) {
        std::vector<double> pr(k, 1.0 / k);
        v = g.tree.AddNode(parent, action, NodeKind::kChance, g.tree.AddChanceSet("", actions, pr));
      } else {
        const int mover = static_cast<int>(rng.Uniform() * players);
        v = g.tree.AddNode(parent, action, NodeKind::kDecision,
                           g.tree.AddInfoSet(mover, "", actions));
      }
      for (int a = 0; a < k; ++a) grow(v, a, depth + 1);
    };
    grow(-1, 0, 0);
    ASSERT_TRUE(g.tree.Finalize().ok());
    g.SetPayoffs(payoffs);
    for (Selection sel : {Selection::kUniform, Selection::kPayoffDominant}) {
      SampleRng model_rng(seed, 1, RngStream::kModel);
      SubgamePerfect spe;
      SolveBackwardInduction(g.view(), sel, model_rng, spe);
      EXPECT_LE(MaxSubgameRegret(g.view(), spe.choice), 1e-12) << "seed " << seed;
      ComputeReach(g.view(), spe);
      double root = 0.0;
      for (int t = 0; t < g.tree.num_terminals(); ++t) {
        root += spe.reach[g.tree.terminal_node(t)] * g.view().Payoff(t, 0);
      }
      EXPECT_NEAR(root, spe.value[0], 1e-12) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace parley
