// Walking the paths that play takes through a game tree: from the root,
// depth first in action order, along the actions a profile plays (and every
// chance branch it reaches), reporting each leaf with the moves that lead
// there. Reports, explanations and run summaries print equilibrium paths
// this way; the walk is iterative (an explicit stack), so a path may be as
// deep as the tree.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "sim/game/game_tree.h"

namespace parley {

// One move on a path: the action taken at a node.
struct PathMove {
  int node = 0;
  int action = 0;
};

// What the walk does on entering a node.
enum class PathNode {
  kFollow,   // a node where play goes on: try its actions
  kLeaf,     // the end of a path: report it
  kOffPath,  // play never gets here: drop it silently
};

// Walks the paths from the root. `classify(node)` says what each entered
// node is; `follows(node, action)` says whether play takes an action at a
// kFollow node; `on_leaf(node, moves)` receives each leaf reached with the
// moves from the root, in the order a depth-first walk finds them.
template <typename Classify, typename Follows, typename OnLeaf>
void WalkPlayPaths(const GameTree& tree, Classify classify, Follows follows, OnLeaf on_leaf) {
  std::vector<PathMove> moves;
  std::vector<std::pair<int, size_t>> stack;  // (node, next action to try)
  auto enter = [&](int v) {
    switch (classify(v)) {
      case PathNode::kFollow:
        stack.emplace_back(v, 0);
        return true;
      case PathNode::kLeaf:
        on_leaf(v, static_cast<const std::vector<PathMove>&>(moves));
        return false;
      case PathNode::kOffPath:
        return false;
    }
    return false;
  };
  enter(0);
  while (!stack.empty()) {
    const int v = stack.back().first;
    const size_t a = stack.back().second++;
    const auto kids = tree.children(v);
    if (a == kids.size()) {
      stack.pop_back();
      if (!stack.empty()) moves.pop_back();
      continue;
    }
    if (!follows(v, static_cast<int>(a))) continue;
    moves.push_back({v, static_cast<int>(a)});
    if (!enter(kids[a])) moves.pop_back();
  }
}

}  // namespace parley
