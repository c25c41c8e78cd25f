#include "sim/game/game_tree.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

// Entry deterrence: the entrant stays out (terminal 0) or enters; then the
// incumbent fights (terminal 1) or accommodates (terminal 2).
GameTree EntryDeterrence() {
  GameTree t({"entrant", "incumbent"});
  const int h0 = t.AddInfoSet(0, "entry", {"out", "in"});
  const int h1 = t.AddInfoSet(1, "response", {"fight", "accommodate"});
  const int root = t.AddNode(-1, 0, NodeKind::kDecision, h0);
  t.AddNode(root, 0, NodeKind::kTerminal);
  const int in = t.AddNode(root, 1, NodeKind::kDecision, h1);
  t.AddNode(in, 0, NodeKind::kTerminal);
  t.AddNode(in, 1, NodeKind::kTerminal);
  return t;
}

TEST(GameTreeTest, BuildsFlatTablesInPreorder) {
  GameTree t = EntryDeterrence();
  ASSERT_TRUE(t.Finalize().ok());
  EXPECT_EQ(t.num_nodes(), 5);
  EXPECT_EQ(t.num_terminals(), 3);
  ASSERT_EQ(t.children(0).size(), 2u);
  EXPECT_EQ(t.children(0)[0], 1);
  EXPECT_EQ(t.children(0)[1], 2);
  EXPECT_EQ(t.children(2)[1], 4);
  EXPECT_EQ(t.parent(4), 2);
  EXPECT_EQ(t.action_to(4), 1);
  EXPECT_EQ(t.depth(4), 2);
  EXPECT_EQ(t.subtree_size(0), 5);
  EXPECT_EQ(t.subtree_size(2), 3);
  EXPECT_EQ(t.terminal_node(2), 4);
  EXPECT_TRUE(t.perfect_information());
  EXPECT_TRUE(t.is_subgame_root(2));
  const GameTree::Flat f = t.flat();
  ASSERT_EQ(f.num_internal, 2);
  EXPECT_EQ(f.internal[0], 0);
  EXPECT_EQ(f.internal[1], 2);
  EXPECT_EQ(f.terminal_nodes[1], 3);
}

TEST(GameTreeTest, InformationSetsCutSubgames) {
  // Matching pennies played in sequence, the second player not seeing the first move.
  GameTree t({"row", "column"});
  const int h0 = t.AddInfoSet(0, "", {"heads", "tails"});
  const int h1 = t.AddInfoSet(1, "", {"heads", "tails"});
  const int root = t.AddNode(-1, 0, NodeKind::kDecision, h0);
  for (int a = 0; a < 2; ++a) {
    const int v = t.AddNode(root, a, NodeKind::kDecision, h1);
    t.AddNode(v, 0, NodeKind::kTerminal);
    t.AddNode(v, 1, NodeKind::kTerminal);
  }
  ASSERT_TRUE(t.Finalize().ok());
  EXPECT_FALSE(t.perfect_information());
  EXPECT_TRUE(t.is_subgame_root(0));
  EXPECT_FALSE(t.is_subgame_root(1));
  EXPECT_FALSE(t.is_subgame_root(4));
  EXPECT_TRUE(t.is_subgame_root(2));  // terminals are trivial subgames
}

TEST(GameTreeTest, RefusesMissingChildren) {
  GameTree t({"a"});
  const int h = t.AddInfoSet(0, "", {"x", "y"});
  const int root = t.AddNode(-1, 0, NodeKind::kDecision, h);
  t.AddNode(root, 0, NodeKind::kTerminal);
  EXPECT_FALSE(t.Finalize().ok());
}

TEST(GameTreeTest, ChanceProbabilitiesAndView) {
  ExtensiveFormGame g;
  g.tree = GameTree({"a"});
  const int c = g.tree.AddChanceSet("nature", {"rain", "sun"}, {0.25, 0.75});
  const int root = g.tree.AddNode(-1, 0, NodeKind::kChance, c);
  g.tree.AddNode(root, 0, NodeKind::kTerminal);
  g.tree.AddNode(root, 1, NodeKind::kTerminal);
  ASSERT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs({1.0, 5.0});
  const TreeView view = g.view();
  EXPECT_EQ(view.Payoff(1, 0), 5.0);
  EXPECT_EQ(view.Probability(g.tree.infosets()[c].probability_offset + 1), 0.75);
}

}  // namespace
}  // namespace parley
