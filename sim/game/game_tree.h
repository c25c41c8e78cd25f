// Extensive-form games: the game tree as a Boost.Graph graph (decision,
// chance and terminal nodes; edges are actions), information sets, and a
// read-only view of one sampled game's terminal payoffs and chance
// probabilities.
//
// Nodes are numbered in preorder: a node is always added after its parent,
// so children have larger numbers than their parent and a walk over the
// nodes in decreasing order visits every child before its parent (what
// backward induction needs). Terminal nodes are numbered 0, 1, ... in the
// order they are added; that number indexes payoff tables.
//
// A perfect-information game may also be stored compactly as a directed
// acyclic graph, where histories that leave the same game ahead share one
// node (AddEdge): a finite-horizon bargaining game has a handful of nodes per
// round instead of exponentially many. Algorithms then walk `order()`, a
// topological order, instead of the node numbers; tree-only accessors
// (parent, depth, subtree_size) require is_tree().
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/core/status.h"

namespace parley {

enum class NodeKind : uint8_t { kDecision, kChance, kTerminal };

struct TreeNode {
  NodeKind kind = NodeKind::kTerminal;
  int infoset = -1;   // decision and chance nodes: index into GameTree::infosets()
  int terminal = -1;  // terminal nodes: 0, 1, ... in creation order
  std::string label;  // optional name (Gambit's node name)
};

struct TreeEdge {
  int action = 0;  // index into the parent's infoset actions
};

using TreeGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, TreeNode, TreeEdge>;

// A set of nodes its player cannot tell apart: the same actions everywhere.
// Chance "information sets" (player -1) group the chance nodes that share one
// probability distribution; `probability_offset` is the index of its first
// action's probability in a probability vector (see TreeView).
struct InfoSet {
  int player = -1;  // -1: chance
  std::string label;
  std::vector<std::string> actions;
  std::vector<int> nodes;  // members, in increasing order
  int probability_offset = -1;
};

class GameTree {
 public:
  GameTree() = default;
  explicit GameTree(std::vector<std::string> players) : players_(std::move(players)) {}
  // Boost's adjacency_list has no move constructor, so the graph lives
  // behind a pointer: moving a tree is cheap, copying it copies the graph.
  GameTree(const GameTree& other);
  GameTree& operator=(const GameTree& other);
  GameTree(GameTree&&) noexcept = default;
  GameTree& operator=(GameTree&&) noexcept = default;

  // A decision information set of `player` with these actions.
  int AddInfoSet(int player, std::string label, std::vector<std::string> actions);
  // A chance move whose default probabilities are `probabilities` (one per
  // action); they take `actions.size()` entries of the probability vector.
  int AddChanceSet(std::string label, std::vector<std::string> actions,
                   std::vector<double> probabilities);
  // Adds a node reached from `parent` by `action` (parent -1: the root, which
  // must be the first node). Decision and chance nodes name their infoset.
  int AddNode(int parent, int action, NodeKind kind, int infoset = -1, std::string label = "");
  // Makes the existing node `child` also the one reached from `parent` by
  // `action` (a shared subgame: the game becomes a DAG).
  void AddEdge(int parent, int action, int child);

  void set_label(int v, std::string label) {
    (*graph_)[static_cast<size_t>(v)].label = std::move(label);
  }
  // Replaces the chance probabilities (num_probabilities() entries).
  void set_default_probabilities(std::vector<double> p) { default_probabilities_ = std::move(p); }

  // Checks the structure (one root; every decision and chance node has one
  // child per action of its infoset, in action order; members of an infoset
  // are of its kind) and builds the flat child tables used on hot paths.
  // Must be called once after the last AddNode.
  Status Finalize();

  const std::vector<std::string>& players() const { return players_; }
  int num_players() const { return static_cast<int>(players_.size()); }
  int num_nodes() const { return static_cast<int>(boost::num_vertices(*graph_)); }
  int num_terminals() const { return num_terminals_; }
  const std::vector<InfoSet>& infosets() const { return infosets_; }
  int num_probabilities() const { return static_cast<int>(default_probabilities_.size()); }
  const std::vector<double>& default_probabilities() const { return default_probabilities_; }
  const TreeGraph& graph() const { return *graph_; }

  const TreeNode& node(int v) const { return (*graph_)[static_cast<size_t>(v)]; }
  // Flat copies of each node's fields for hot loops (after Finalize): its
  // kind; the mover (decision nodes), else -1; the terminal number
  // (terminals) or the first probability index (chance nodes), else -1.
  NodeKind kind(int v) const { return static_cast<NodeKind>(kind_[v]); }
  int mover(int v) const { return mover_[v]; }
  int terminal_or_offset(int v) const { return terminal_or_offset_[v]; }
  // The same flat tables (and order(), children()) as raw arrays, for hot
  // loops that keep them in registers: a store through a byte pointer
  // elsewhere in the loop would otherwise force every accessor to reload.
  struct Flat {
    const uint8_t* kind;  // NodeKind
    const int32_t* mover;
    const int32_t* terminal_or_offset;
    const int32_t*
        child_begin;  // node v's children: children[child_begin[v] .. child_begin[v + 1])
    const int32_t* children;
    const int32_t* order;
    // The decision and chance nodes in order(), for walks that handle
    // terminals apart (they have no children and their payoffs are in the table).
    const int32_t* internal;
    int32_t num_internal;
    const int32_t* terminal_nodes;  // terminal number -> node
  };
  Flat flat() const {
    return {kind_.data(),
            mover_.data(),
            terminal_or_offset_.data(),
            child_begin_.data(),
            children_.data(),
            order_.data(),
            internal_.data(),
            static_cast<int32_t>(internal_.size()),
            terminal_nodes_.data()};
  }
  // Whether every node but the root has exactly one parent.
  bool is_tree() const { return is_tree_; }
  // Every node, each before all nodes reachable from it (for a tree:
  // 0, 1, ..., n - 1). Walk it backwards for backward induction.
  const std::vector<int32_t>& order() const { return order_; }
  // The node reached from v by each action, in action order (after Finalize).
  std::span<const int32_t> children(int v) const {
    return {children_.data() + child_begin_[v], children_.data() + child_begin_[v + 1]};
  }
  int parent(int v) const { return parent_[v]; }        // trees only
  int action_to(int v) const { return action_to_[v]; }  // action taken at parent(v) to reach v
  int depth(int v) const { return depth_[v]; }
  // Nodes of v's subtree are v .. v + subtree_size(v) - 1 (preorder).
  int subtree_size(int v) const { return subtree_size_[v]; }
  // The terminal node with terminal number t.
  int terminal_node(int t) const { return terminal_nodes_[t]; }
  // Whether v is the root of a proper subgame: every information set that
  // has a node in v's subtree lies entirely inside it.
  bool is_subgame_root(int v) const { return subgame_root_[v] != 0; }
  // Whether every decision information set is a single node.
  bool perfect_information() const { return perfect_information_; }

 private:
  void FillInternal();  // internal_ from order_ and kind_

  std::vector<std::string> players_;
  std::unique_ptr<TreeGraph> graph_ = std::make_unique<TreeGraph>();
  std::vector<InfoSet> infosets_;
  std::vector<double> default_probabilities_;
  int num_terminals_ = 0;
  std::vector<int32_t> child_begin_, children_, parent_, action_to_, depth_, subtree_size_;
  std::vector<int32_t> terminal_nodes_;
  std::vector<uint8_t> subgame_root_;
  std::vector<int32_t> order_;
  std::vector<int32_t> internal_;  // non-terminal nodes in order_
  std::vector<uint8_t> kind_;
  std::vector<int32_t> mover_, terminal_or_offset_;
  bool perfect_information_ = true;
  bool is_tree_ = true;
};

// One sampled tree's numbers: payoff(terminal t, player p) =
// table[payoff_offset[t * n + p]] and the probability of chance action a at
// chance infoset h is table[probability_offset[h.probability_offset + a]].
// As with GameView, offsets let one view read a sample out of a block.
struct TreeView {
  const GameTree* tree = nullptr;
  const int32_t* payoff_offset = nullptr;
  const int32_t* probability_offset = nullptr;
  const double* table = nullptr;

  double Payoff(int terminal, int player) const {
    return table[payoff_offset[terminal * tree->num_players() + player]];
  }
  double Probability(int index) const { return table[probability_offset[index]]; }
};

// An owning extensive-form game: what `.efg` files hold and tests build.
struct ExtensiveFormGame {
  std::string title;
  std::string comment;
  GameTree tree;
  // payoffs [terminal * players + player] followed by the chance
  // probabilities; `offsets` is the identity.
  std::vector<double> table;
  std::vector<int32_t> offsets;

  // Fills `table` and `offsets` from per-terminal payoffs and the tree's
  // default probabilities.
  void SetPayoffs(const std::vector<double>& payoffs);
  TreeView view() const {
    const int32_t* o = offsets.data();
    return {&tree, o, o + static_cast<size_t>(tree.num_terminals()) * tree.num_players(),
            table.data()};
  }
};

}  // namespace parley
