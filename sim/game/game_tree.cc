#include "sim/game/game_tree.h"

#include <algorithm>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <cassert>
#include <iterator>

namespace parley {

GameTree::GameTree(const GameTree& other)
    : players_(other.players_),
      graph_(std::make_unique<TreeGraph>(*other.graph_)),
      infosets_(other.infosets_),
      default_probabilities_(other.default_probabilities_),
      num_terminals_(other.num_terminals_),
      child_begin_(other.child_begin_),
      children_(other.children_),
      parent_(other.parent_),
      action_to_(other.action_to_),
      depth_(other.depth_),
      subtree_size_(other.subtree_size_),
      terminal_nodes_(other.terminal_nodes_),
      subgame_root_(other.subgame_root_),
      order_(other.order_),
      internal_(other.internal_),
      kind_(other.kind_),
      mover_(other.mover_),
      terminal_or_offset_(other.terminal_or_offset_),
      perfect_information_(other.perfect_information_),
      is_tree_(other.is_tree_) {}

GameTree& GameTree::operator=(const GameTree& other) {
  if (this != &other) *this = GameTree(other);
  return *this;
}

int GameTree::AddInfoSet(int player, std::string label, std::vector<std::string> actions) {
  assert(player >= 0 && player < num_players());
  infosets_.push_back({player, std::move(label), std::move(actions), {}, -1});
  return static_cast<int>(infosets_.size()) - 1;
}

int GameTree::AddChanceSet(std::string label, std::vector<std::string> actions,
                           std::vector<double> probabilities) {
  assert(actions.size() == probabilities.size());
  const int offset = static_cast<int>(default_probabilities_.size());
  default_probabilities_.insert(default_probabilities_.end(), probabilities.begin(),
                                probabilities.end());
  infosets_.push_back({-1, std::move(label), std::move(actions), {}, offset});
  return static_cast<int>(infosets_.size()) - 1;
}

int GameTree::AddNode(int parent, int action, NodeKind kind, int infoset, std::string label) {
  assert((parent < 0) == (num_nodes() == 0) && parent < num_nodes());
  TreeNode n;
  n.kind = kind;
  n.label = std::move(label);
  if (kind == NodeKind::kTerminal) {
    n.terminal = num_terminals_++;
  } else {
    assert(infoset >= 0 && infoset < static_cast<int>(infosets_.size()));
    n.infoset = infoset;
  }
  const int v = static_cast<int>(boost::add_vertex(std::move(n), *graph_));
  if (kind != NodeKind::kTerminal) infosets_[infoset].nodes.push_back(v);
  if (parent >= 0) boost::add_edge(parent, v, TreeEdge{action}, *graph_);
  return v;
}

void GameTree::AddEdge(int parent, int action, int child) {
  assert(parent >= 0 && parent < num_nodes() && child > 0 && child < num_nodes());
  boost::add_edge(parent, child, TreeEdge{action}, *graph_);
}

namespace {

// Subtree sizes from the depth-first search's discover and finish order.
struct SubtreeVisitor : boost::default_dfs_visitor {
  std::vector<int32_t>* size;
  std::vector<int32_t>* counter_at_discover;
  int32_t* counter;
  void discover_vertex(TreeGraph::vertex_descriptor v, const TreeGraph&) const {
    (*counter_at_discover)[v] = (*counter)++;
  }
  void finish_vertex(TreeGraph::vertex_descriptor v, const TreeGraph&) const {
    (*size)[v] = *counter - (*counter_at_discover)[v];
  }
};

}  // namespace

Status GameTree::Finalize() {
  const int n = num_nodes();
  if (n == 0) return InvalidArgument("the game tree has no nodes");
  if (num_players() == 0) return InvalidArgument("the game has no players");
  child_begin_.assign(n + 1, 0);
  parent_.assign(n, -1);
  action_to_.assign(n, -1);
  depth_.assign(n, 0);
  terminal_nodes_.assign(num_terminals_, -1);
  kind_.assign(n, 0);
  mover_.assign(n, -1);
  terminal_or_offset_.assign(n, -1);
  for (int v = 0; v < n; ++v) {
    const TreeNode& node = (*graph_)[v];
    kind_[v] = static_cast<uint8_t>(node.kind);
    if (node.kind == NodeKind::kTerminal) {
      terminal_or_offset_[v] = node.terminal;
    } else if (node.kind == NodeKind::kChance) {
      terminal_or_offset_[v] = infosets_[node.infoset].probability_offset;
    } else {
      mover_[v] = infosets_[node.infoset].player;
    }
    const int expected = node.kind == NodeKind::kTerminal
                             ? 0
                             : static_cast<int>(infosets_[node.infoset].actions.size());
    if (static_cast<int>(boost::out_degree(v, *graph_)) != expected) {
      return InvalidArgument("node " + std::to_string(v) + " has " +
                             std::to_string(boost::out_degree(v, *graph_)) + " children but " +
                             std::to_string(expected) + " actions");
    }
    if (node.kind != NodeKind::kTerminal) {
      const bool chance = infosets_[node.infoset].player < 0;
      if (chance != (node.kind == NodeKind::kChance)) {
        return InvalidArgument("node " + std::to_string(v) +
                               " is in an information set of the wrong kind");
      }
    } else {
      terminal_nodes_[node.terminal] = v;
    }
    child_begin_[v + 1] = child_begin_[v] + expected;
  }
  children_.assign(child_begin_[n], -1);
  is_tree_ = true;
  for (int v = 0; v < n; ++v) {
    if (v > 0 && boost::in_degree(v, *graph_) != 1) is_tree_ = false;
    for (auto [e, end] = boost::out_edges(v, *graph_); e != end; ++e) {
      const int child = static_cast<int>(boost::target(*e, *graph_));
      const int a = (*graph_)[*e].action;
      if (a < 0 || a >= child_begin_[v + 1] - child_begin_[v] ||
          children_[child_begin_[v] + a] != -1) {
        return InvalidArgument("node " + std::to_string(v) + " has a repeated or invalid action");
      }
      children_[child_begin_[v] + a] = child;
      if (parent_[child] < 0) {
        parent_[child] = v;
        action_to_[child] = a;
        depth_[child] = depth_[v] + 1;
      }
    }
  }
  if (boost::in_degree(0, *graph_) != 0) return InvalidArgument("the root has a parent");
  if (!is_tree_) {
    // A shared-subgame DAG: no preorder, subtrees or information sets.
    for (const InfoSet& h : infosets_) {
      if (h.player >= 0 && h.nodes.size() > 1) {
        return InvalidArgument("a game with shared subgames must have perfect information");
      }
    }
    order_.clear();
    try {
      boost::topological_sort((*graph_), std::back_inserter(order_));
    } catch (const boost::not_a_dag&) {
      return InvalidArgument("the game graph has a cycle");
    }
    std::reverse(order_.begin(), order_.end());  // parents first
    if (order_.empty() || order_[0] != 0) return InvalidArgument("the root must come first");
    for (int v = 1; v < n; ++v) {
      if (parent_[v] < 0) return InvalidArgument("the game graph is not connected");
    }
    perfect_information_ = true;
    subgame_root_.assign(n, 1);
    subtree_size_.assign(n, 0);
    FillInternal();
    return OkStatus();
  }
  order_.resize(n);
  for (int v = 0; v < n; ++v) order_[v] = v;
  FillInternal();
  subtree_size_.assign(n, 0);
  std::vector<int32_t> discovered(n, 0);
  int32_t counter = 0;
  SubtreeVisitor visitor;
  visitor.size = &subtree_size_;
  visitor.counter_at_discover = &discovered;
  visitor.counter = &counter;
  std::vector<boost::default_color_type> colors(n);
  boost::depth_first_visit(
      (*graph_), 0, visitor,
      boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, *graph_)));
  if (counter != n) return InvalidArgument("the game tree is not connected");
  for (int v = 0; v < n; ++v) {
    // Preorder numbering: the DFS from the root must discover nodes in order.
    if (discovered[v] != v) return InvalidArgument("nodes are not numbered in preorder");
  }

  // A node roots a subgame when no information set straddles its subtree's
  // boundary: for each infoset, its members span [min, max]; v roots a
  // subgame iff every infoset with a member in [v, v + size) has all of them there.
  perfect_information_ = true;
  subgame_root_.assign(n, 1);
  std::vector<int32_t> stamp(n, -1);  // the infoset whose walk last passed a node
  for (size_t i = 0; i < infosets_.size(); ++i) {
    const InfoSet& h = infosets_[i];
    if (h.player < 0 || h.nodes.size() < 2) continue;
    perfect_information_ = false;
    const int lo = h.nodes.front(), hi = h.nodes.back();
    // Any ancestor of a member whose subtree misses another member is not a
    // root. Walks stop where an earlier member's walk passed: each node is
    // visited once per infoset.
    for (int member : h.nodes) {
      for (int v = member; v >= 0; v = parent_[v]) {
        if (v <= lo && v + subtree_size_[v] > hi) break;  // contains them all
        if (stamp[v] == static_cast<int32_t>(i)) break;
        stamp[v] = static_cast<int32_t>(i);
        subgame_root_[v] = 0;
      }
    }
  }
  return OkStatus();
}

void GameTree::FillInternal() {
  internal_.clear();
  for (const int32_t v : order_) {
    if (kind(v) != NodeKind::kTerminal) internal_.push_back(v);
  }
}

void ExtensiveFormGame::SetPayoffs(const std::vector<double>& payoffs) {
  table = payoffs;
  table.insert(table.end(), tree.default_probabilities().begin(),
               tree.default_probabilities().end());
  offsets.resize(table.size());
  for (size_t i = 0; i < offsets.size(); ++i) offsets[i] = static_cast<int32_t>(i);
}

}  // namespace parley
