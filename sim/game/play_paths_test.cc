#include "sim/game/play_paths.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parley {
namespace {

// Chance picks a type (weak/strong); each type of sender then picks quiet or
// loud; every leaf is a terminal.
GameTree ChanceThenChoice() {
  GameTree t({"sender"});
  const int nature = t.AddChanceSet("type", {"weak", "strong"}, {0.5, 0.5});
  const int h = t.AddInfoSet(0, "signal", {"quiet", "loud"});
  const int root = t.AddNode(-1, 0, NodeKind::kChance, nature);
  for (int type = 0; type < 2; ++type) {
    const int v = t.AddNode(root, type, NodeKind::kDecision, h);
    t.AddNode(v, 0, NodeKind::kTerminal);
    t.AddNode(v, 1, NodeKind::kTerminal);
  }
  EXPECT_TRUE(t.Finalize().ok());
  return t;
}

std::string Describe(const GameTree& t, const std::vector<PathMove>& moves) {
  std::string s;
  for (const PathMove& m : moves) {
    s += (s.empty() ? "" : " ") + t.infosets()[t.node(m.node).infoset].actions[m.action];
  }
  return s;
}

TEST(WalkPlayPathsTest, FollowsChosenActionsAndEveryChanceBranchInOrder) {
  const GameTree t = ChanceThenChoice();
  // The weak type plays loud, the strong one quiet.
  std::vector<std::string> paths;
  std::vector<int> leaves;
  WalkPlayPaths(
      t,
      [&](int v) { return t.kind(v) == NodeKind::kTerminal ? PathNode::kLeaf : PathNode::kFollow; },
      [&](int v, int a) {
        if (t.kind(v) == NodeKind::kChance) return true;
        return a == (t.action_to(v) == 0 ? 1 : 0);
      },
      [&](int leaf, const std::vector<PathMove>& moves) {
        leaves.push_back(leaf);
        paths.push_back(Describe(t, moves));
      });
  EXPECT_EQ(paths, (std::vector<std::string>{"weak loud", "strong quiet"}));
  EXPECT_EQ(leaves,
            (std::vector<int>{t.children(t.children(0)[0])[1], t.children(t.children(0)[1])[0]}));
}

TEST(WalkPlayPathsTest, OffPathNodesAreDroppedWithoutALeaf) {
  const GameTree t = ChanceThenChoice();
  int leaves = 0;
  WalkPlayPaths(
      t, [&](int v) { return v == 0 ? PathNode::kFollow : PathNode::kOffPath; },
      [](int, int) { return true; }, [&](int, const std::vector<PathMove>&) { ++leaves; });
  EXPECT_EQ(leaves, 0);
  // A root that is itself a leaf is one path with no moves.
  std::vector<size_t> lengths;
  WalkPlayPaths(
      t, [](int) { return PathNode::kLeaf; }, [](int, int) { return true; },
      [&](int, const std::vector<PathMove>& moves) { lengths.push_back(moves.size()); });
  EXPECT_EQ(lengths, (std::vector<size_t>{0}));
}

TEST(WalkPlayPathsTest, ADeepChainNeedsNoCallStack) {
  // 200,000 single-action decision nodes: a recursive walk would overflow.
  GameTree t({"mover"});
  const int h = t.AddInfoSet(0, "step", {"on"});
  int v = t.AddNode(-1, 0, NodeKind::kDecision, h);
  constexpr int kDepth = 200000;
  for (int i = 1; i < kDepth; ++i) v = t.AddNode(v, 0, NodeKind::kDecision, h);
  t.AddNode(v, 0, NodeKind::kTerminal);
  ASSERT_TRUE(t.Finalize().ok());
  size_t length = 0;
  WalkPlayPaths(
      t,
      [&](int u) { return t.kind(u) == NodeKind::kTerminal ? PathNode::kLeaf : PathNode::kFollow; },
      [](int, int) { return true; },
      [&](int, const std::vector<PathMove>& moves) { length = moves.size(); });
  EXPECT_EQ(length, static_cast<size_t>(kDepth));
}

}  // namespace
}  // namespace parley
