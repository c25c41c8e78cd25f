#include "sim/game/efg.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <map>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/core/text_file.h"
#include "sim/game/gambit_lexer.h"

namespace parley {
namespace {

using gambit::AppendQuoted;
using gambit::Enclosed;
using gambit::Quoted;
using gambit::Shortest;
using gambit::Token;
using gambit::TokenKind;

constexpr uintmax_t kMaxEfgFileBytes = uintmax_t{64} << 20;
constexpr double kProbabilityTolerance = 1e-9;
const std::string kNumber = "an integer, decimal or rational number";

// A decision or chance node whose children are still being read.
struct Frame {
  int node = 0;
  int infoset = 0;
  int next_action = 0;
  int num_actions = 0;
  bool has_sum = false;  // its outcome opened a level of running payoff sums
  int line = 0;
  int column = 0;
};

struct InfosetEntry {
  int index = 0;  // into GameTree::infosets()
  int line = 0;   // where it was defined
};

struct OutcomeEntry {
  std::string label;
  size_t offset = 0;  // of its payoffs in EfgParser::outcome_payoffs_
  int line = 0;
};

constexpr size_t kNoOutcome = static_cast<size_t>(-1);

class EfgParser : public gambit::Lexer {
 public:
  EfgParser(std::string_view text, const std::string& name, const EfgLimits& limits,
            ExtensiveFormGame* game)
      : Lexer(text, name), limits_(limits), game_(*game) {}
  Status Parse();

 private:
  bool AtNode() const { return IsWord("c") || IsWord("p") || IsWord("t"); }
  Status ReadNode(int parent, int action);
  Status ReadInfoset(int player, int* infoset);
  Status ReadOutcome(size_t* offset);
  std::string ChildDescription(const Frame& f, int action) const;
  std::string PlayerName(int player) const {
    return "player " + std::to_string(player) + " (" + Quoted(players_[player - 1]) + ")";
  }

  const EfgLimits limits_;
  ExtensiveFormGame& game_;  // what is being read
  std::vector<std::string> players_;
  int num_players_ = 0;
  // (player, number) -> information set; player 0 is chance.
  std::map<std::pair<int, int64_t>, InfosetEntry> infosets_;
  std::unordered_map<int64_t, OutcomeEntry> outcomes_;
  std::vector<double> outcome_payoffs_;  // num_players_ per defined outcome
  // Running sums of the outcomes on the path to the current node: one level
  // of num_players_ entries per node on the path that has an outcome.
  std::vector<double> sums_;
  std::vector<Frame> frames_;    // the path to the node being read
  std::vector<double> payoffs_;  // [terminal * num_players_ + player]
};

Status EfgParser::Parse() {
  PARLEY_RETURN_IF_ERROR(CheckText("a .efg file"));
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!IsWord("EFG")) return Expected("'EFG', which begins a Gambit extensive game file");
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!IsWord("2")) return Expected("'2', the only version of the .efg format");
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!IsWord("R") && !IsWord("D")) return Expected("'R' (or the obsolete 'D')");
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!Is(TokenKind::kString)) return Expected("the game's title (a quoted string)");
  game_.title = std::move(tok_.text);

  PARLEY_RETURN_IF_ERROR(Advance());
  if (!Is(TokenKind::kLBrace)) return Expected("'{' opening the list of player names");
  PARLEY_RETURN_IF_ERROR(Advance());
  while (Is(TokenKind::kString)) {
    if (static_cast<int64_t>(players_.size()) == limits_.max_payoff_entries) {
      return Error(tok_, "more than " + std::to_string(limits_.max_payoff_entries) + " players",
                   "at most " + std::to_string(limits_.max_payoff_entries));
    }
    players_.push_back(std::move(tok_.text));
    PARLEY_RETURN_IF_ERROR(Advance());
  }
  if (!Is(TokenKind::kRBrace)) return Expected("a player name (a quoted string) or '}'");
  if (players_.empty()) return Error(tok_, "an empty list of players", "at least one player");
  num_players_ = static_cast<int>(players_.size());
  game_.tree = GameTree(players_);

  PARLEY_RETURN_IF_ERROR(Advance());
  if (Is(TokenKind::kString)) {
    game_.comment = std::move(tok_.text);
    PARLEY_RETURN_IF_ERROR(Advance());
  }

  const Token root = tok_;
  if (!AtNode()) {
    return Expected(
        "the root node: 'c' (chance), 'p' (player) or 't' (terminal)" +
        std::string(root.kind == TokenKind::kString ? ", after at most one comment" : ""));
  }
  PARLEY_RETURN_IF_ERROR(ReadNode(-1, 0));
  while (true) {
    while (!frames_.empty() && frames_.back().next_action == frames_.back().num_actions) {
      if (frames_.back().has_sum) sums_.resize(sums_.size() - num_players_);
      frames_.pop_back();
    }
    if (frames_.empty()) break;
    Frame& f = frames_.back();
    const int action = f.next_action++;
    if (!AtNode()) {
      if (Is(TokenKind::kEnd)) {
        return Error(tok_, "the end of the file before the tree is complete",
                     ChildDescription(f, action));
      }
      return Expected(ChildDescription(f, action));
    }
    PARLEY_RETURN_IF_ERROR(ReadNode(f.node, action));  // may invalidate f
  }
  if (!Is(TokenKind::kEnd)) {
    return Error(tok_, Describe(tok_) + " after the last node of the tree", "the end of the file");
  }

  const Status finalized = game_.tree.Finalize();
  if (!finalized.ok()) {
    return InvalidArgument(name_ + ":" + std::to_string(root.line) + ":" +
                           std::to_string(root.column) + ": error: " + finalized.message());
  }
  game_.SetPayoffs(payoffs_);
  return OkStatus();
}

std::string EfgParser::ChildDescription(const Frame& f, int action) const {
  const InfoSet& h = game_.tree.infosets()[f.infoset];
  return "a node ('c', 'p' or 't') for action " + std::to_string(action + 1) + " of " +
         std::to_string(f.num_actions) + " (" + Quoted(h.actions[action]) + ") of the node at " +
         std::to_string(f.line) + ":" + std::to_string(f.column);
}

// Reads one node entry, from its 'c', 'p' or 't' through its outcome, and
// adds it to the tree as the child of `parent` reached by `action`.
Status EfgParser::ReadNode(int parent, int action) {
  const Token start = tok_;
  if (game_.tree.num_nodes() >= limits_.max_nodes) {
    return Error(start, "a tree with more than " + std::to_string(limits_.max_nodes) + " nodes",
                 "at most " + std::to_string(limits_.max_nodes) + " nodes");
  }
  const NodeKind kind = start.text == "c"   ? NodeKind::kChance
                        : start.text == "p" ? NodeKind::kDecision
                                            : NodeKind::kTerminal;
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!Is(TokenKind::kString)) return Expected("the node's name (a quoted string, \"\" for none)");
  std::string label = std::move(tok_.text);
  PARLEY_RETURN_IF_ERROR(Advance());

  int infoset = -1;
  if (kind == NodeKind::kDecision) {
    const auto range = [&] { return "a player number from 1 to " + std::to_string(num_players_); };
    int64_t player = 0;
    PARLEY_RETURN_IF_ERROR(ReadWholeNumber(range, &player));
    if (player < 1 || player > num_players_) {
      return Error(tok_, "player number " + tok_.text, range());
    }
    PARLEY_RETURN_IF_ERROR(Advance());
    PARLEY_RETURN_IF_ERROR(ReadInfoset(static_cast<int>(player), &infoset));
  } else if (kind == NodeKind::kChance) {
    PARLEY_RETURN_IF_ERROR(ReadInfoset(0, &infoset));
  }
  const int v = game_.tree.AddNode(parent, action, kind, infoset, std::move(label));

  const Token outcome_token = tok_;
  size_t offset = kNoOutcome;
  PARLEY_RETURN_IF_ERROR(ReadOutcome(&offset));
  const size_t n = static_cast<size_t>(num_players_);
  const bool has_sum = offset != kNoOutcome;
  if (has_sum) {
    // A new level of sums: the outcome's payoffs plus the level above, if any.
    const size_t below = sums_.size();
    if (static_cast<int64_t>(below + n) > limits_.max_payoff_entries) {
      return Error(outcome_token,
                   "more than " + std::to_string(limits_.max_payoff_entries / num_players_) +
                       " outcomes on one path through the tree",
                   "at most " + std::to_string(limits_.max_payoff_entries) +
                       " running payoff sums (outcomes on one path x players)");
    }
    sums_.insert(sums_.end(), outcome_payoffs_.begin() + offset,
                 outcome_payoffs_.begin() + offset + n);
    if (below > 0) {
      for (size_t p = 0; p < n; ++p) {
        sums_[below + p] += sums_[below - n + p];
        if (!std::isfinite(sums_[below + p])) {
          return Error(outcome_token,
                       "outcome " + outcome_token.text + ", whose payoff to " +
                           PlayerName(static_cast<int>(p) + 1) +
                           " added to the outcomes above it is not a finite double",
                       "sums of payoffs along a path of magnitude at most 1.7976931348623157e308");
        }
      }
    }
  }
  if (kind == NodeKind::kTerminal) {
    if (static_cast<int64_t>(payoffs_.size() + n) > limits_.max_payoff_entries) {
      return Error(
          start,
          "a game with more than " + std::to_string(limits_.max_payoff_entries) + " payoff entries",
          "at most " + std::to_string(limits_.max_payoff_entries) +
              " payoff entries (terminal nodes x players)");
    }
    if (sums_.empty()) {
      payoffs_.insert(payoffs_.end(), n, 0.0);
    } else {
      payoffs_.insert(payoffs_.end(), sums_.end() - static_cast<std::ptrdiff_t>(n), sums_.end());
    }
    if (has_sum) sums_.resize(sums_.size() - n);
    return OkStatus();
  }
  Frame f;
  f.node = v;
  f.infoset = infoset;
  f.num_actions = static_cast<int>(game_.tree.infosets()[infoset].actions.size());
  f.has_sum = has_sum;
  f.line = start.line;
  f.column = start.column;
  frames_.push_back(f);
  return OkStatus();
}

// Reads an information set number and, if given, the set's name and actions
// (with probabilities for chance, `player` 0), defining the set at its first
// appearance and checking that later definitions repeat it exactly.
Status EfgParser::ReadInfoset(int player, int* infoset) {
  const bool chance = player == 0;
  const Token number_token = tok_;
  int64_t number = 0;
  PARLEY_RETURN_IF_ERROR(ReadWholeNumber(
      [] {
        return std::string("the number of the node's information set (a positive whole number)");
      },
      &number));
  if (number == 0) {
    return Error(tok_, "information set number 0",
                 "a positive whole number (information sets are numbered from 1)");
  }
  const auto what = [&] {  // for messages
    return "information set " + std::to_string(number) + " of " +
           (chance ? std::string("chance") : PlayerName(player));
  };
  PARLEY_RETURN_IF_ERROR(Advance());
  const auto it = infosets_.find({player, number});

  if (!Is(TokenKind::kString)) {
    if (it == infosets_.end()) {
      return Error(number_token, what() + ", which is not defined yet",
                   "its name and action list after the number at its first node");
    }
    *infoset = it->second.index;
    return OkStatus();
  }

  const Token name_token = tok_;
  std::string label = std::move(tok_.text);
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!Is(TokenKind::kLBrace)) return Expected("'{' opening the actions of " + what());
  const Token open = tok_;
  PARLEY_RETURN_IF_ERROR(Advance());
  std::vector<std::string> actions;
  std::vector<double> probabilities;
  double sum = 0;
  while (Is(TokenKind::kString)) {
    if (static_cast<int64_t>(actions.size()) == limits_.max_nodes) {
      return Error(tok_, "more than " + std::to_string(limits_.max_nodes) + " actions",
                   "at most " + std::to_string(limits_.max_nodes) + " (the limit on nodes)");
    }
    actions.push_back(std::move(tok_.text));
    PARLEY_RETURN_IF_ERROR(Advance());
    if (chance) {
      double p = 0;
      PARLEY_RETURN_IF_ERROR(ReadNumber(
          [&] {
            return "the probability of action " + Quoted(actions.back()) + " (" + kNumber + ")";
          },
          &p));
      if (p < 0) {
        return Error(tok_,
                     "the negative probability " + tok_.text + " for action " +
                         Quoted(actions.back()) + " of " + what(),
                     "a probability from 0 to 1");
      }
      probabilities.push_back(p);
      sum += p;
      PARLEY_RETURN_IF_ERROR(Advance());
    }
  }
  if (!Is(TokenKind::kRBrace)) {
    return Expected(chance
                        ? "an action name (a quoted string) or '}' closing the actions of " + what()
                        : "an action name (a quoted string) or '}'");
  }
  if (actions.empty()) {
    return Error(open, "an empty action list for " + what(), "at least one action");
  }
  if (chance && !(std::fabs(sum - 1.0) <= kProbabilityTolerance)) {
    return Error(
        open,
        "probabilities that sum to " + Shortest(sum) + " in " + what() + " (" + Quoted(label) + ")",
        "probabilities that sum to 1 (within 1e-9)");
  }
  PARLEY_RETURN_IF_ERROR(Advance());

  if (it == infosets_.end()) {
    const int index = chance
                          ? game_.tree.AddChanceSet(std::move(label), std::move(actions),
                                                    std::move(probabilities))
                          : game_.tree.AddInfoSet(player - 1, std::move(label), std::move(actions));
    infosets_.emplace(std::make_pair(player, number), InfosetEntry{index, name_token.line});
    *infoset = index;
    return OkStatus();
  }
  // A repeated definition must match the first one exactly.
  const InfoSet& h = game_.tree.infosets()[it->second.index];
  const std::string first = "as at its first definition on line " + std::to_string(it->second.line);
  if (label != h.label) {
    return Error(name_token, "the name " + Quoted(label) + " for " + what(),
                 Quoted(h.label) + ", " + first);
  }
  if (actions.size() != h.actions.size()) {
    return Error(open, std::to_string(actions.size()) + " actions for " + what(),
                 std::to_string(h.actions.size()) + " actions, " + first);
  }
  for (size_t a = 0; a < actions.size(); ++a) {
    if (actions[a] != h.actions[a]) {
      return Error(
          open,
          "action " + std::to_string(a + 1) + " of " + what() + " named " + Quoted(actions[a]),
          Quoted(h.actions[a]) + ", " + first);
    }
    if (chance &&
        probabilities[a] != game_.tree.default_probabilities()[h.probability_offset + a]) {
      return Error(
          open,
          "probability " + Shortest(probabilities[a]) + " for action " + Quoted(actions[a]) +
              " of " + what(),
          Shortest(game_.tree.default_probabilities()[h.probability_offset + a]) + ", " + first);
    }
  }
  *infoset = it->second.index;
  return OkStatus();
}

// Reads an outcome number and, if given, the outcome's name and payoffs.
// `offset` is set to where its payoffs are in outcome_payoffs_, or to
// kNoOutcome for the null outcome 0.
Status EfgParser::ReadOutcome(size_t* offset) {
  const Token number_token = tok_;
  int64_t number = 0;
  PARLEY_RETURN_IF_ERROR(ReadWholeNumber(
      [] {
        return std::string("the node's outcome number (0 for none, or a positive whole number)");
      },
      &number));
  const auto outcome = [&] { return "outcome " + std::to_string(number); };  // for messages
  PARLEY_RETURN_IF_ERROR(Advance());
  const auto it = outcomes_.find(number);

  if (!Is(TokenKind::kString)) {
    if (number == 0) return OkStatus();
    if (it == outcomes_.end()) {
      return Error(number_token, outcome() + ", which is not defined yet",
                   "its name and payoffs after the number where it is first used");
    }
    *offset = it->second.offset;
    return OkStatus();
  }

  if (number == 0) {
    return Error(tok_, "a name for the null outcome 0",
                 "the next node or the end of the file (outcome 0 has no name or payoffs)");
  }
  const Token name_token = tok_;
  std::string label = std::move(tok_.text);
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!Is(TokenKind::kLBrace)) return Expected("'{' opening the payoffs of " + outcome());
  PARLEY_RETURN_IF_ERROR(Advance());
  const std::string per_outcome = std::to_string(num_players_) +
                                  (num_players_ == 1 ? " payoff" : " payoffs") +
                                  " (one per player)";
  if (it == outcomes_.end() &&
      static_cast<int64_t>(outcome_payoffs_.size()) + num_players_ > limits_.max_payoff_entries) {
    return Error(number_token,
                 "more than " + std::to_string(limits_.max_payoff_entries) + " outcome payoffs",
                 "at most " + std::to_string(limits_.max_payoff_entries) + " (outcomes x players)");
  }
  std::vector<double> payoffs;
  for (int p = 0; p < num_players_; ++p) {
    if (Is(TokenKind::kRBrace)) {
      return Error(tok_, "'}' after " + std::to_string(p) + " of the payoffs of " + outcome(),
                   per_outcome);
    }
    double v = 0;
    PARLEY_RETURN_IF_ERROR(ReadNumber(
        [&] {
          return "the payoff to " + PlayerName(p + 1) + " of " + outcome() + " (" + kNumber + ")";
        },
        &v));
    payoffs.push_back(v);
    PARLEY_RETURN_IF_ERROR(Advance());
    if (Is(TokenKind::kComma)) PARLEY_RETURN_IF_ERROR(Advance());
  }
  if (Is(TokenKind::kWord)) {
    return Error(tok_, Describe(tok_) + ", a payoff beyond the " + per_outcome + " of " + outcome(),
                 "'}' closing " + outcome());
  }
  if (!Is(TokenKind::kRBrace)) return Expected("'}' closing " + outcome());
  PARLEY_RETURN_IF_ERROR(Advance());

  if (it == outcomes_.end()) {
    const size_t start = outcome_payoffs_.size();
    outcome_payoffs_.insert(outcome_payoffs_.end(), payoffs.begin(), payoffs.end());
    outcomes_.emplace(number, OutcomeEntry{std::move(label), start, name_token.line});
    *offset = start;
    return OkStatus();
  }
  const OutcomeEntry& o = it->second;
  const std::string first = "as at its first definition on line " + std::to_string(o.line);
  if (label != o.label) {
    return Error(name_token, "the name " + Quoted(label) + " for " + outcome(),
                 Quoted(o.label) + ", " + first);
  }
  for (int p = 0; p < num_players_; ++p) {
    if (payoffs[p] != outcome_payoffs_[o.offset + p]) {
      return Error(
          name_token,
          "the payoff " + Shortest(payoffs[p]) + " to " + PlayerName(p + 1) + " in " + outcome(),
          Shortest(outcome_payoffs_[o.offset + p]) + ", " + first);
    }
  }
  *offset = o.offset;
  return OkStatus();
}

void AppendNumber(std::string* out, double x) {
  assert(std::isfinite(x) && "WriteEfg needs finite payoffs and probabilities");
  *out += Shortest(x);
}

}  // namespace

StatusOr<ExtensiveFormGame> ParseEfg(std::string_view text, const std::string& file,
                                     const EfgLimits& limits) {
  // The game is read in place and `result` is the only object returned, so
  // that the tree is never moved: Boost 1.74's adjacency_list has no move
  // constructor, and moving a GameTree copies its graph.
  StatusOr<ExtensiveFormGame> result{ExtensiveFormGame{}};
  Status status = EfgParser(text, file, limits, &result.value()).Parse();
  if (!status.ok()) result = StatusOr<ExtensiveFormGame>(std::move(status));
  return result;
}

StatusOr<ExtensiveFormGame> ReadEfgFile(const std::string& path) {
  auto text = ReadTextFile(path, kMaxEfgFileBytes, ".efg game file");
  if (!text.ok()) return text.status();
  return ParseEfg(*text, path);
}

std::string WriteEfg(const ExtensiveFormGame& game) {
  const GameTree& tree = game.tree;
  const TreeView view = game.view();
  const int n = tree.num_players();
  assert(game.table.size() >=
         static_cast<size_t>(tree.num_terminals()) * n + tree.num_probabilities());
  std::string out = "EFG 2 R ";
  AppendQuoted(&out, game.title);
  out += " {";
  for (const auto& p : tree.players()) {
    out += ' ';
    AppendQuoted(&out, p);
  }
  out += " }\n";
  AppendQuoted(&out, game.comment);
  out += "\n\n";

  // Information set numbers in order of first appearance, per player; index
  // 0 counts chance sets. The walk follows children() with an explicit stack:
  // for a tree it visits the nodes in their (preorder) numbering. A node
  // reached a second time (a subgame shared by several parents) is written
  // again, its decision information set as a new set, so the file holds the
  // expanded tree.
  std::vector<int64_t> number(tree.infosets().size(), 0);
  std::vector<int64_t> count(static_cast<size_t>(n) + 1, 0);
  std::vector<uint8_t> written(static_cast<size_t>(tree.num_nodes()), 0);
  std::vector<int> stack = {0};
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    const bool copy = written[v] != 0;
    written[v] = 1;
    const TreeNode& node = tree.node(v);
    if (node.kind == NodeKind::kTerminal) {
      out += "t ";
      AppendQuoted(&out, node.label);
      out += ' ' + std::to_string(node.terminal + 1) + ' ';
      AppendQuoted(&out, node.label);
      out += " {";
      for (int p = 0; p < n; ++p) {
        out += p == 0 ? " " : ", ";
        AppendNumber(&out, view.Payoff(node.terminal, p));
      }
      out += " }\n";
      continue;
    }
    const InfoSet& h = tree.infosets()[node.infoset];
    const bool chance = node.kind == NodeKind::kChance;
    out += chance ? "c " : "p ";
    AppendQuoted(&out, node.label);
    if (!chance) out += ' ' + std::to_string(h.player + 1);
    const bool define = number[node.infoset] == 0 || (copy && !chance);
    if (define) number[node.infoset] = ++count[chance ? 0 : h.player + 1];
    out += ' ' + std::to_string(number[node.infoset]);
    if (define) {
      out += ' ';
      AppendQuoted(&out, h.label);
      out += " {";
      for (size_t a = 0; a < h.actions.size(); ++a) {
        out += ' ';
        AppendQuoted(&out, h.actions[a]);
        if (chance) {
          out += ' ';
          AppendNumber(&out, view.Probability(h.probability_offset + static_cast<int>(a)));
        }
      }
      out += " }";
    }
    out += " 0\n";
    const auto children = tree.children(v);
    for (auto c = children.rbegin(); c != children.rend(); ++c) stack.push_back(*c);
  }
  return out;
}

}  // namespace parley
