#include "sim/game/efg.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace parley {
namespace {

std::string DataPath(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/efg/" + name;
}

std::string FileText(const std::string& name) {
  std::ifstream in(DataPath(name), std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ExtensiveFormGame MustParse(std::string_view text) {
  auto game = ParseEfg(text, "t.efg");
  EXPECT_TRUE(game.ok()) << game.status().message();
  return game.ok() ? std::move(game).value() : ExtensiveFormGame{};
}

ExtensiveFormGame MustReadFile(const std::string& name) {
  auto game = ReadEfgFile(DataPath(name));
  EXPECT_TRUE(game.ok()) << game.status().message();
  return game.ok() ? std::move(game).value() : ExtensiveFormGame{};
}

// The message of the error parsing `text`, which must fail with InvalidArgument.
std::string ErrorOf(std::string_view text, const EfgLimits& limits = {}) {
  auto game = ParseEfg(text, "t.efg", limits);
  EXPECT_FALSE(game.ok());
  if (game.ok()) return "";
  EXPECT_EQ(game.status().code(), StatusCode::kInvalidArgument);
  return game.status().message();
}

std::vector<double> Payoffs(const ExtensiveFormGame& g) {
  std::vector<double> out;
  const TreeView view = g.view();
  for (int t = 0; t < g.tree.num_terminals(); ++t) {
    for (int p = 0; p < g.tree.num_players(); ++p) out.push_back(view.Payoff(t, p));
  }
  return out;
}

std::vector<double> Probabilities(const ExtensiveFormGame& g, int infoset) {
  const InfoSet& h = g.tree.infosets()[infoset];
  std::vector<double> out;
  for (size_t a = 0; a < h.actions.size(); ++a) {
    out.push_back(g.view().Probability(h.probability_offset + static_cast<int>(a)));
  }
  return out;
}

std::vector<uint64_t> Bits(const std::vector<double>& v) {
  std::vector<uint64_t> out;
  for (double x : v) out.push_back(std::bit_cast<uint64_t>(x));
  return out;
}

using Strings = std::vector<std::string>;

// Two games are the same when they have the same title, comment, players and
// tree (node kinds, labels, edges, information sets up to renumbering, with
// their labels, actions and probabilities) and bitwise the same payoffs.
void ExpectSameGame(const ExtensiveFormGame& a, const ExtensiveFormGame& b) {
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.comment, b.comment);
  EXPECT_EQ(a.tree.players(), b.tree.players());
  ASSERT_EQ(a.tree.num_nodes(), b.tree.num_nodes());
  ASSERT_EQ(a.tree.num_terminals(), b.tree.num_terminals());
  std::map<int, int> a_to_b, b_to_a;
  for (int v = 0; v < a.tree.num_nodes(); ++v) {
    const TreeNode& x = a.tree.node(v);
    const TreeNode& y = b.tree.node(v);
    ASSERT_EQ(x.kind, y.kind) << "node " << v;
    EXPECT_EQ(x.label, y.label) << "node " << v;
    EXPECT_EQ(a.tree.parent(v), b.tree.parent(v)) << "node " << v;
    EXPECT_EQ(a.tree.action_to(v), b.tree.action_to(v)) << "node " << v;
    if (x.kind == NodeKind::kTerminal) {
      EXPECT_EQ(x.terminal, y.terminal);
      continue;
    }
    // The infoset correspondence must be one to one.
    EXPECT_EQ(a_to_b.emplace(x.infoset, y.infoset).first->second, y.infoset) << "node " << v;
    EXPECT_EQ(b_to_a.emplace(y.infoset, x.infoset).first->second, x.infoset) << "node " << v;
    const InfoSet& h = a.tree.infosets()[x.infoset];
    const InfoSet& k = b.tree.infosets()[y.infoset];
    EXPECT_EQ(h.player, k.player) << "node " << v;
    EXPECT_EQ(h.label, k.label) << "node " << v;
    EXPECT_EQ(h.actions, k.actions) << "node " << v;
    if (x.kind == NodeKind::kChance) {
      EXPECT_EQ(Bits(Probabilities(a, x.infoset)), Bits(Probabilities(b, y.infoset)))
          << "node " << v;
    }
  }
  EXPECT_EQ(Bits(Payoffs(a)), Bits(Payoffs(b)));
}

TEST(Efg, ReadsEntryDeterrence) {
  const ExtensiveFormGame g = MustReadFile("entry_deterrence.efg");
  EXPECT_EQ(g.title, "Entry deterrence");
  EXPECT_EQ(g.comment,
            "The entrant stays out or enters; the incumbent then fights or accommodates.");
  const GameTree& t = g.tree;
  EXPECT_EQ(t.players(), (Strings{"Entrant", "Incumbent"}));
  ASSERT_EQ(t.num_nodes(), 5);
  EXPECT_EQ(t.num_terminals(), 3);
  EXPECT_EQ(t.node(0).kind, NodeKind::kDecision);
  EXPECT_EQ(t.node(1).kind, NodeKind::kTerminal);
  EXPECT_EQ(t.node(1).label, "Stay out");
  EXPECT_EQ(t.node(2).kind, NodeKind::kDecision);
  EXPECT_EQ(t.node(2).label, "Entered");
  EXPECT_EQ(t.children(2)[1], 4);
  EXPECT_EQ(t.parent(4), 2);
  EXPECT_EQ(t.action_to(4), 1);
  ASSERT_EQ(t.infosets().size(), 2u);
  EXPECT_EQ(t.infosets()[0].player, 0);
  EXPECT_EQ(t.infosets()[0].label, "Entry");
  EXPECT_EQ(t.infosets()[0].actions, (Strings{"Out", "In"}));
  EXPECT_EQ(t.infosets()[1].player, 1);
  EXPECT_EQ(t.infosets()[1].label, "Response");
  EXPECT_EQ(t.infosets()[1].actions, (Strings{"Fight", "Accommodate"}));
  EXPECT_EQ(t.infosets()[1].nodes, (std::vector<int>{2}));
  EXPECT_TRUE(t.perfect_information());
  EXPECT_EQ(t.num_probabilities(), 0);
  EXPECT_EQ(Payoffs(g), (std::vector<double>{0, 2, -1, -1, 1, 1}));
}

TEST(Efg, ReadsChanceMovesAndTheirProbabilities) {
  const ExtensiveFormGame g = MustReadFile("chance.efg");
  const GameTree& t = g.tree;
  ASSERT_EQ(t.num_nodes(), 11);
  EXPECT_EQ(t.num_terminals(), 6);
  EXPECT_EQ(t.node(0).kind, NodeKind::kChance);
  EXPECT_EQ(t.node(0).label, "weather");
  // Chance sets 0 (weather) and 2 (traffic, at nodes 2 and 7); decision sets 1 and 3.
  ASSERT_EQ(t.infosets().size(), 4u);
  const InfoSet& weather = t.infosets()[0];
  const InfoSet& traffic = t.infosets()[2];
  EXPECT_EQ(weather.player, -1);
  EXPECT_EQ(weather.label, "Weather");
  EXPECT_EQ(weather.actions, (Strings{"Rain", "Sun"}));
  EXPECT_EQ(traffic.player, -1);
  EXPECT_EQ(traffic.actions, (Strings{"Jam", "Clear"}));
  EXPECT_EQ(traffic.nodes, (std::vector<int>{2, 7}));
  EXPECT_EQ(t.infosets()[3].label, "sunny morning");
  EXPECT_EQ(t.infosets()[3].player, 0);
  EXPECT_EQ(t.num_probabilities(), 4);
  EXPECT_EQ(Bits(Probabilities(g, 0)), Bits({0.25, 0.75}));
  EXPECT_EQ(Bits(Probabilities(g, 2)), Bits({1.0 / 3, 2.0 / 3}));
  EXPECT_EQ(Bits(t.default_probabilities()), Bits({0.25, 0.75, 1.0 / 3, 2.0 / 3}));
  // Terminal 5 (outcome 3, "home", again) is the sunny driver staying.
  EXPECT_EQ(t.terminal_node(5), 10);
  EXPECT_EQ(t.parent(10), 6);
  EXPECT_EQ(Payoffs(g), (std::vector<double>{-3, 1, -1, 2, 0, 0, -2, 1, 2, 2, 0, 0}));
}

TEST(Efg, InformationSetWithTwoNodes) {
  const ExtensiveFormGame g = MustReadFile("matching_pennies.efg");
  const GameTree& t = g.tree;
  ASSERT_EQ(t.num_nodes(), 7);
  ASSERT_EQ(t.infosets().size(), 2u);
  EXPECT_EQ(t.infosets()[1].nodes, (std::vector<int>{1, 4}));
  EXPECT_EQ(t.infosets()[1].label, "guess");
  EXPECT_EQ(t.node(4).label, "after tails");
  EXPECT_EQ(t.node(4).infoset, 1);
  EXPECT_FALSE(t.perfect_information());
  EXPECT_FALSE(t.is_subgame_root(1));
  EXPECT_TRUE(t.is_subgame_root(0));
  EXPECT_EQ(Payoffs(g), (std::vector<double>{1, -1, -1, 1, -1, 1, 1, -1}));
}

TEST(Efg, OutcomesOnInnerNodesAddUp) {
  const ExtensiveFormGame g = MustReadFile("stage_payoffs.efg");
  ASSERT_EQ(g.tree.num_terminals(), 4);
  // The sums are taken from the root down, as the reader does.
  const std::vector<double> want = {
      (-1.0 + 3) + 2,  (-1.0 + 0.5) + 2,   // C, C: fee, C, bonus
      -1.0 + 3,        -1.0 + 0.5,         // C, D: no outcome at the terminal
      (-1.0 + 5) + 2,  (-1.0 - 0.25) + 2,  // D, C: outcome 3 again
      (-1.0 + 5) + 10, (-1.0 - 0.25) + 0.15};
  EXPECT_EQ(Bits(Payoffs(g)), Bits(want));
}

TEST(Efg, GambitStyle) {
  // Repeated identical definitions, the obsolete "D", decimals as Gambit
  // writes them, payoffs with and without commas, and several nodes per line.
  const ExtensiveFormGame g = MustParse(R"efg(EFG 2 D "Bayes, one stage" { "Player 1" "Player 2" }
c "ROOT" 1 "(0,1)" { "1G" 0.500000 "1B" 0.500000 } 0
p "" 1 1 "(1,1)" { "H" "L" } 0
p "" 2 1 "(2,1)" { "h" "l" } 0
t "" 1 "Outcome 1" { 10.000000 2.000000 }
t "" 2 "Outcome 2" { 0.000000, 10.000000 }
p "" 2 1 "(2,1)" { "h" "l" } 0 t "" 3 "Outcome 3" { 2, 4 } t "" 1 "Outcome 1" { 10 2 }
p "" 1 2 "(1,2)" { "H" "L" } 0
p "" 2 1 0
t "" 2
t "" 4 "Outcome 4" { +1/4, -7/2 }
t "" 0
)efg");
  EXPECT_EQ(g.comment, "");
  ASSERT_EQ(g.tree.num_nodes(), 13);
  ASSERT_EQ(g.tree.infosets().size(), 4u);
  EXPECT_EQ(g.tree.infosets()[2].nodes, (std::vector<int>{2, 5, 9}));
  EXPECT_EQ(Bits(Probabilities(g, 0)), Bits({0.5, 0.5}));
  EXPECT_EQ(Payoffs(g), (std::vector<double>{10, 2, 0, 10, 2, 4, 10, 2, 0, 10, 0.25, -3.5, 0, 0}));
}

TEST(Efg, WritesOneOutcomePerTerminal) {
  const ExtensiveFormGame g = MustReadFile("entry_deterrence.efg");
  EXPECT_EQ(WriteEfg(g),
            "EFG 2 R \"Entry deterrence\" { \"Entrant\" \"Incumbent\" }\n"
            "\"The entrant stays out or enters; the incumbent then fights or accommodates.\"\n\n"
            "p \"\" 1 1 \"Entry\" { \"Out\" \"In\" } 0\n"
            "t \"Stay out\" 1 \"Stay out\" { 0, 2 }\n"
            "p \"Entered\" 2 1 \"Response\" { \"Fight\" \"Accommodate\" } 0\n"
            "t \"\" 2 \"\" { -1, -1 }\n"
            "t \"\" 3 \"\" { 1, 1 }\n");
  const ExtensiveFormGame pennies = MustReadFile("matching_pennies.efg");
  EXPECT_EQ(WriteEfg(pennies),
            "EFG 2 R \"Matching pennies, played in sequence\" { \"Matcher\" \"Mismatcher\" }\n"
            "\"\"\n\n"
            "p \"\" 1 1 \"\" { \"Heads\" \"Tails\" } 0\n"
            "p \"after heads\" 2 1 \"guess\" { \"Heads\" \"Tails\" } 0\n"
            "t \"\" 1 \"\" { 1, -1 }\n"
            "t \"\" 2 \"\" { -1, 1 }\n"
            "p \"after tails\" 2 1 0\n"
            "t \"\" 3 \"\" { -1, 1 }\n"
            "t \"\" 4 \"\" { 1, -1 }\n");
  const ExtensiveFormGame chance = MustReadFile("chance.efg");
  const std::string text = WriteEfg(chance);
  EXPECT_NE(text.find("c \"weather\" 1 \"Weather\" { \"Rain\" 0.25 \"Sun\" 0.75 } 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("c \"\" 2 \"Traffic\" { \"Jam\" 0.3333333333333333 \"Clear\" "
                      "0.6666666666666666 } 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("p \"\" 1 2 \"sunny morning\" { \"Go\" \"Stay\" } 0\nc \"\" 2 0\n"),
            std::string::npos)
      << text;
}

TEST(Efg, FilesRoundTrip) {
  for (const char* name :
       {"entry_deterrence.efg", "chance.efg", "matching_pennies.efg", "stage_payoffs.efg"}) {
    SCOPED_TRACE(name);
    const ExtensiveFormGame g = MustReadFile(name);
    const std::string text = WriteEfg(g);
    const ExtensiveFormGame back = MustParse(text);
    ExpectSameGame(g, back);
    EXPECT_EQ(WriteEfg(back), text);
  }
}

// A game built in code (not read from a file) survives writing and reading.
TEST(Efg, BuiltGameRoundTrips) {
  ExtensiveFormGame g;
  g.title = "say \"hi\" \\ {braces}, commas";
  g.comment = "two\nlines\\";
  g.tree = GameTree({"row \"1\"", "column\\"});
  const int c = g.tree.AddChanceSet("nature", {"rain", "sun"}, {0.1, 0.9});
  const int h0 = g.tree.AddInfoSet(0, "first", {"\"", "\\"});
  const int h1 = g.tree.AddInfoSet(1, "", {"x"});
  const int root = g.tree.AddNode(-1, 0, NodeKind::kChance, c, "root");
  for (int a = 0; a < 2; ++a) {
    const int v = g.tree.AddNode(root, a, NodeKind::kDecision, h0, a == 0 ? "wet" : "dry");
    g.tree.AddNode(v, 0, NodeKind::kTerminal, -1, "end \"q\"");
    const int w = g.tree.AddNode(v, 1, NodeKind::kDecision, h1);
    g.tree.AddNode(w, 0, NodeKind::kTerminal);
  }
  ASSERT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs({-0.0, 1e308, 0.1, std::numeric_limits<double>::denorm_min(), 1.0 / 3, -2e-308,
                9007199254740993.0, -std::numeric_limits<double>::max()});
  const std::string text = WriteEfg(g);
  const ExtensiveFormGame back = MustParse(text);
  ExpectSameGame(g, back);
  EXPECT_EQ(WriteEfg(back), text);
  EXPECT_TRUE(std::signbit(back.view().Payoff(0, 0)));
}

std::string RandomName(std::mt19937_64& rng) {
  // Whole characters ("é" is two bytes): the readers refuse text that is
  // not UTF-8.
  static const std::vector<std::string> kAlphabet = {
      "a", "b", "c", "X", "Y", "Z", " ", "0", "1", "9", "_", "-", "\"", "\\", "{", "}", ",", "\n", "\t", "\xc3\xa9"};
  std::string s;
  for (size_t n = rng() % 6; n > 0; --n) s += kAlphabet[rng() % kAlphabet.size()];
  return s;
}

double RandomPayoff(std::mt19937_64& rng) {
  // Uniform on [-1, 1) from the engine's bits alone: std distributions
  // differ between standard libraries, mt19937_64's output does not.
  const auto unit = [](std::mt19937_64& r) {
    return static_cast<double>(r() >> 11) * 0x1.0p-52 - 1.0;
  };
  switch (rng() % 6) {
    case 0:
      return static_cast<double>(static_cast<int64_t>(rng() % 201) - 100);
    case 1:
      return unit(rng) * 1000;
    case 2:
      return unit(rng) * 1e300;
    case 3:
      return static_cast<double>(static_cast<int64_t>(rng() % 2001) - 1000) / 7;
    case 4:
      return std::ldexp(unit(rng), 60);  // beyond 2^53
    default: {
      double x;
      do x = std::bit_cast<double>(rng());
      while (!std::isfinite(x));  // any finite double
      return x;
    }
  }
}

// A random tree of about `budget` nodes: chance and decision nodes with 1 to
// 3 actions, information sets shared between nodes, created (as the reader
// creates them) in order of first use.
ExtensiveFormGame RandomGame(std::mt19937_64& rng) {
  ExtensiveFormGame g;
  g.title = RandomName(rng);
  g.comment = RandomName(rng);
  const int n = 1 + static_cast<int>(rng() % 3);
  std::vector<std::string> players;
  for (int p = 0; p < n; ++p) players.push_back(RandomName(rng));
  g.tree = GameTree(players);
  int budget = 5 + static_cast<int>(rng() % 40);
  std::vector<int> sets;  // infosets created so far
  std::function<void(int, int, int)> grow = [&](int parent, int action, int depth) {
    --budget;
    const uint64_t r = rng() % 10;
    if (budget <= 0 || depth > 8 || r < 3) {
      g.tree.AddNode(parent, action, NodeKind::kTerminal, -1, RandomName(rng));
      return;
    }
    const bool chance = r < 5;
    int h = -1;
    if (!sets.empty() && rng() % 2 == 0) {
      const int candidate = sets[rng() % sets.size()];
      if ((g.tree.infosets()[candidate].player < 0) == chance) h = candidate;
    }
    if (h < 0) {
      const int k = 1 + static_cast<int>(rng() % 3);
      std::vector<std::string> actions;
      for (int a = 0; a < k; ++a) actions.push_back(RandomName(rng));
      if (chance) {
        std::vector<double> p(k);
        double total = 0;
        for (double& x : p) total += x = static_cast<double>(rng() % 1000 + 1);
        for (double& x : p) x /= total;
        h = g.tree.AddChanceSet(RandomName(rng), actions, p);
      } else {
        h = g.tree.AddInfoSet(static_cast<int>(rng() % n), RandomName(rng), actions);
      }
      sets.push_back(h);
    }
    const int v = g.tree.AddNode(parent, action, chance ? NodeKind::kChance : NodeKind::kDecision,
                                 h, RandomName(rng));
    for (size_t a = 0; a < g.tree.infosets()[h].actions.size(); ++a) {
      grow(v, static_cast<int>(a), depth + 1);
    }
  };
  grow(-1, 0, 0);
  EXPECT_TRUE(g.tree.Finalize().ok());
  std::vector<double> payoffs(static_cast<size_t>(g.tree.num_terminals()) * n);
  for (double& x : payoffs) x = RandomPayoff(rng);
  g.SetPayoffs(payoffs);
  return g;
}

TEST(Efg, RandomGamesRoundTripExactly) {
  std::mt19937_64 rng(20240612);
  for (int trial = 0; trial < 300; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const ExtensiveFormGame g = RandomGame(rng);
    const std::string text = WriteEfg(g);
    const ExtensiveFormGame back = MustParse(text);
    ExpectSameGame(g, back);
    ASSERT_EQ(WriteEfg(back), text);
  }
}

// A chain 100000 decisions deep, each paying 1 on the way down: read without
// recursion, the payoffs at depth d are d.
TEST(Efg, DeepTreeIsReadIteratively) {
  constexpr int kDepth = 100000;
  std::string text = "EFG 2 R \"deep\" { \"P\" }\n";
  for (int d = 1; d <= kDepth; ++d) {
    text += "p \"\" 1 " + std::to_string(d) + " \"\" { \"stop\" \"go\" } 1";
    text += d == 1 ? " \"step\" { 1 }\nt \"\" 0\n" : "\nt \"\" 0\n";
  }
  text += "t \"\" 2 \"end\" { -1 }\n";
  const ExtensiveFormGame g = MustParse(text);
  ASSERT_EQ(g.tree.num_nodes(), 2 * kDepth + 1);
  ASSERT_EQ(g.tree.num_terminals(), kDepth + 1);
  EXPECT_EQ(g.tree.depth(2 * kDepth), kDepth);
  const TreeView view = g.view();
  for (int t = 0; t < kDepth; t += 997) ASSERT_EQ(view.Payoff(t, 0), t + 1) << t;
  EXPECT_EQ(view.Payoff(kDepth - 1, 0), kDepth);
  EXPECT_EQ(view.Payoff(kDepth, 0), kDepth - 1);
  const std::string written = WriteEfg(g);
  const ExtensiveFormGame back = MustParse(written);
  EXPECT_EQ(WriteEfg(back), written);
  EXPECT_EQ(Bits(Payoffs(back)), Bits(Payoffs(g)));

  // Cut anywhere, it is an incomplete tree, not a crash.
  const std::string cut = text.substr(0, text.rfind('\n', text.size() / 2) + 1);
  const std::string message = ErrorOf(cut);
  EXPECT_NE(message.find("error: found the end of the file before the tree is complete"),
            std::string::npos)
      << message;
}

struct ErrorCase {
  std::string text;
  std::string prefix;    // the message starts with this
  std::string expected;  // and contains this
};

const std::string kHead = "EFG 2 R \"t\" { \"A\" \"B\" }\n";  // 25 characters

TEST(Efg, ErrorsNameLineAndColumn) {
  const std::vector<ErrorCase> cases = {
      // The prologue.
      {"", "t.efg:1:1: error: found end of file, ", "expected 'EFG'"},
      {"NFG 1 R \"t\" { \"A\" } { 1 }\n", "t.efg:1:1: error: found 'NFG', ", "expected 'EFG'"},
      {"EFG 1 R \"t\" { \"A\" }\nt \"\" 0\n", "t.efg:1:5: error: found '1', ", "expected '2'"},
      {"EFG 2 X \"t\" { \"A\" }\nt \"\" 0\n", "t.efg:1:7: error: found 'X', ", "expected 'R'"},
      {"EFG 2 R { \"A\" }\nt \"\" 0\n", "t.efg:1:9: error: found '{', ",
       "expected the game's title"},
      {"EFG 2 R \"t\" { }\nt \"\" 0\n", "t.efg:1:15: error: found an empty list of players, ",
       "expected at least one player"},
      {"EFG 2 R \"t\" { \"A\" 1 }\nt \"\" 0\n", "t.efg:1:19: error: found '1', ",
       "expected a player name (a quoted string) or '}'"},
      {kHead + "\"comment\" \"another\"\nt \"\" 0\n",
       "t.efg:2:11: error: found the string \"another\", ",
       "expected the root node: 'c' (chance), 'p' (player) or 't' (terminal), after at most one "
       "comment"},
      {kHead, "t.efg:2:1: error: found end of file, ", "expected the root node"},
      {kHead + "x \"\" 0\n", "t.efg:2:1: error: found 'x', ", "expected the root node"},
      {kHead + "\"never closed\n", "t.efg:2:1: error: found a string that is never closed, ",
       "expected a closing '\"'"},
      // Node entries.
      {kHead + "t 0\n", "t.efg:2:3: error: found '0', ",
       "expected the node's name (a quoted string, \"\" for none)"},
      {kHead + "p \"\" 3 1 \"\" { \"a\" } 0\nt \"\" 0\n",
       "t.efg:2:6: error: found player number 3, ", "expected a player number from 1 to 2"},
      {kHead + "p \"\" 0 1 \"\" { \"a\" } 0\nt \"\" 0\n",
       "t.efg:2:6: error: found player number 0, ", "expected a player number from 1 to 2"},
      {kHead + "p \"\" -1 1 \"\" { \"a\" } 0\nt \"\" 0\n", "t.efg:2:6: error: found '-1', ",
       "expected a player number from 1 to 2"},
      {kHead + "p \"\" 1 0 \"\" { \"a\" } 0\nt \"\" 0\n",
       "t.efg:2:8: error: found information set number 0, ", "expected a positive whole number"},
      {kHead + "p \"\" 1 99999999999999999999 \"\" { \"a\" } 0\nt \"\" 0\n",
       "t.efg:2:8: error: found '99999999999999999999', which is larger than 9223372036854775807, ",
       "expected the number of the node's information set"},
      {kHead + "p \"\" 1 1 0\nt \"\" 0\n",
       "t.efg:2:8: error: found information set 1 of player 1 (\"A\"), which is not defined yet, ",
       "expected its name and action list after the number at its first node"},
      {kHead + "c \"\" 1 0\nt \"\" 0\n",
       "t.efg:2:6: error: found information set 1 of chance, which is not defined yet, ",
       "expected its name and action list"},
      {kHead + "p \"\" 1 1 \"\" \"a\" 0\nt \"\" 0\n", "t.efg:2:13: error: found the string \"a\", ",
       "expected '{' opening the actions of information set 1 of player 1 (\"A\")"},
      {kHead + "p \"\" 1 1 \"\" { } 0\nt \"\" 0\n",
       "t.efg:2:13: error: found an empty action list for information set 1 of player 1 (\"A\"), ",
       "expected at least one action"},
      {kHead + "p \"\" 1 1 \"\" { \"a\" 1 } 0\nt \"\" 0\n", "t.efg:2:19: error: found '1', ",
       "expected an action name (a quoted string) or '}'"},
      {kHead + "p \"\" 1 1 \"\" { \"a\" } x\nt \"\" 0\n", "t.efg:2:21: error: found 'x', ",
       "expected the node's outcome number (0 for none, or a positive whole number)"},
      // Chance moves.
      {kHead + "c \"\" 1 \"\" { \"H\" 0.5 \"T\" 0.4 } 0\nt \"\" 0\nt \"\" 0\n",
       "t.efg:2:11: error: found probabilities that sum to 0.9 in information set 1 of chance "
       "(\"\"), ",
       "expected probabilities that sum to 1 (within 1e-9)"},
      {kHead + "c \"\" 1 \"\" { \"H\" 1/2 \"T\" 1/2 \"E\" 1e-8 } 0\nt \"\" 0\nt \"\" 0\nt \"\" 0\n",
       "t.efg:2:11: error: found probabilities that sum to 1.00000001 in", "sum to 1"},
      {kHead + "c \"\" 1 \"\" { \"H\" 3/2 \"T\" -1/2 } 0\nt \"\" 0\nt \"\" 0\n",
       "t.efg:2:25: error: found the negative probability -1/2 for action \"T\" of information "
       "set 1 of chance, ",
       "expected a probability from 0 to 1"},
      {kHead + "c \"\" 1 \"\" { \"H\" \"T\" } 0\nt \"\" 0\nt \"\" 0\n",
       "t.efg:2:17: error: found the string \"T\", ",
       "expected the probability of action \"H\" (an integer, decimal or rational number)"},
      {kHead + "c \"\" 1 \"\" { \"H\" 1/0 } 0\nt \"\" 0\n",
       "t.efg:2:17: error: found '1/0', a division by zero, ", "expected a rational number"},
      {kHead + "c \"\" 1 \"\" { \"H\" 1, \"T\" 0 } 0\nt \"\" 0\nt \"\" 0\n",
       "t.efg:2:18: error: found ',', ", "expected an action name (a quoted string) or '}'"},
      // Repeated information sets must repeat their definition exactly.
      {kHead +
           "c \"\" 1 \"n\" { \"H\" 1/2 \"T\" 1/2 } 0\nc \"\" 1 \"n\" { \"H\" 1/2 \"T\" 1/2 } "
           "0\nt \"\" 0\nt \"\" 0\nc \"\" 1 \"n\" { \"H\" 0.25 \"T\" 0.75 } 0\nt \"\" 0\nt \"\" "
           "0\n",
       "t.efg:6:12: error: found probability 0.25 for action \"H\" of information set 1 of "
       "chance, ",
       "expected 0.5, as at its first definition on line 2"},
      {kHead + "p \"\" 1 1 \"i\" { \"a\" \"b\" } 0\np \"\" 1 1 \"i\" { \"a\" \"b\" \"c\" } 0\n",
       "t.efg:3:14: error: found 3 actions for information set 1 of player 1 (\"A\"), ",
       "expected 2 actions, as at its first definition on line 2"},
      {kHead + "p \"\" 1 1 \"i\" { \"a\" \"b\" } 0\np \"\" 1 1 \"i\" { \"a\" \"c\" } 0\n",
       "t.efg:3:14: error: found action 2 of information set 1 of player 1 (\"A\") named \"c\", ",
       "expected \"b\", as at its first definition on line 2"},
      {kHead + "p \"\" 1 1 \"i\" { \"a\" } 0\np \"\" 1 1 \"j\" { \"a\" } 0\n",
       "t.efg:3:10: error: found the name \"j\" for information set 1 of player 1 (\"A\"), ",
       "expected \"i\", as at its first definition on line 2"},
      // Outcomes.
      {kHead + "t \"\" 1 \"o\" { 1 }\n",
       "t.efg:2:16: error: found '}' after 1 of the payoffs of outcome 1, ",
       "expected 2 payoffs (one per player)"},
      {kHead + "t \"\" 1 \"o\" { 1, 2, 3 }\n",
       "t.efg:2:20: error: found '3', a payoff beyond the 2 payoffs (one per player) of outcome "
       "1, ",
       "expected '}' closing outcome 1"},
      {kHead + "t \"\" 1 \"o\" { 1, x }\n", "t.efg:2:17: error: found 'x', ",
       "expected the payoff to player 2 (\"B\") of outcome 1 (an integer, decimal or rational "
       "number)"},
      {kHead + "t \"\" 1 \"o\" 1 2\n", "t.efg:2:12: error: found '1', ",
       "expected '{' opening the payoffs of outcome 1"},
      {kHead + "t \"\" 1\n", "t.efg:2:6: error: found outcome 1, which is not defined yet, ",
       "expected its name and payoffs after the number where it is first used"},
      {kHead + "t \"\" 0 \"o\" { 1 2 }\n",
       "t.efg:2:8: error: found a name for the null outcome 0, ",
       "expected the next node or the end of the file (outcome 0 has no name or payoffs)"},
      {kHead + "t \"\" 1e400 \"o\" { 1 2 }\n", "t.efg:2:6: error: found '1e400', ",
       "expected the node's outcome number"},
      {kHead + "t \"\" 1 \"o\" { 1e400 2 }\n",
       "t.efg:2:14: error: found '1e400', which is not a finite double, ",
       "expected a number of magnitude at most 1.7976931348623157e308"},
      {kHead +
           "p \"\" 1 1 \"\" { \"a\" \"b\" } 1 \"o\" { 1 2 }\nt \"\" 1 \"p\" { 1 2 }\nt \"\" 0\n",
       "t.efg:3:8: error: found the name \"p\" for outcome 1, ",
       "expected \"o\", as at its first definition on line 2"},
      {kHead +
           "p \"\" 1 1 \"\" { \"a\" \"b\" } 1 \"o\" { 1 2 }\nt \"\" 1 \"o\" { 1, 3 }\nt \"\" 0\n",
       "t.efg:3:8: error: found the payoff 3 to player 2 (\"B\") in outcome 1, ",
       "expected 2, as at its first definition on line 2"},
      // Sums along a path that overflow.
      {kHead + "p \"\" 1 1 \"\" { \"a\" } 1 \"big\" { 1e308, 0 }\nt \"\" 1\n",
       "t.efg:3:6: error: found outcome 1, whose payoff to player 1 (\"A\") added to the outcomes "
       "above it is not a finite double, ",
       "expected sums of payoffs along a path"},
      // An incomplete tree, and too much of one.
      {kHead + "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\nt \"\" 0\n",
       "t.efg:4:1: error: found the end of the file before the tree is complete, ",
       "expected a node ('c', 'p' or 't') for action 2 of 2 (\"b\") of the node at 2:1"},
      {kHead + "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\nt \"\" 0\n{ 1 2 }\n",
       "t.efg:4:1: error: found '{', ",
       "expected a node ('c', 'p' or 't') for action 2 of 2 (\"b\") of the node at 2:1"},
      {kHead + "t \"\" 0\nt \"\" 0\n",
       "t.efg:3:1: error: found 't' after the last node of the tree, ",
       "expected the end of the file"},
      {kHead + "t \"\" 1 \"o\" { 1 2 } }\n",
       "t.efg:2:20: error: found '}' after the last node of the tree, ",
       "expected the end of the file"},
      // NUL bytes.
      {kHead + "t \"a" + std::string(1, '\0') + "\" 0\n", "t.efg:2:5: error: found a NUL byte, ",
       "expected text (a .efg file has no NUL bytes)"},
  };
  for (const ErrorCase& c : cases) {
    const std::string message = ErrorOf(c.text);
    EXPECT_EQ(message.rfind(c.prefix, 0), 0u) << "text: " << c.text << "\nmessage: " << message;
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "text: " << c.text << "\nmessage: " << message;
  }
}

TEST(Efg, MalformedFiles) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bad_probabilities.efg",
       ":3:15: error: found probabilities that sum to 0.9 in information set 1 of chance "
       "(\"coin\"), expected probabilities that sum to 1 (within 1e-9)"},
      {"truncated.efg",
       ":7:1: error: found the end of the file before the tree is complete, expected a node ('c', "
       "'p' or 't') for action 2 of 2 (\"d\") of the node at 5:1"},
      {"bad_player.efg",
       ":5:6: error: found player number 3, expected a player number from 1 to 2"},
      {"trailing_garbage.efg",
       ":5:1: error: found 't' after the last node of the tree, expected the end of the file"},
      {"action_count_mismatch.efg",
       ":7:14: error: found 3 actions for information set 1 of player 2 (\"Q\"), expected 2 "
       "actions, as at its first definition on line 4"},
      {"wrong_payoff_count.efg",
       ":3:32: error: found '3', a payoff beyond the 2 payoffs (one per player) of outcome 1, "
       "expected '}' closing outcome 1"},
  };
  for (const auto& [name, want] : cases) {
    auto game = ReadEfgFile(DataPath(name));
    ASSERT_FALSE(game.ok()) << name;
    EXPECT_EQ(game.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(game.status().message(), DataPath(name) + want);
  }
  EXPECT_EQ(ReadEfgFile(DataPath("no_such_file.efg")).status().code(), StatusCode::kNotFound);
  auto dir = ReadEfgFile(DataPath(""));
  EXPECT_EQ(dir.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(dir.status().message().find("not a regular file"), std::string::npos);
}

TEST(Efg, Limits) {
  // Nodes.
  const std::string three = kHead + "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\nt \"\" 0\nt \"\" 0\n";
  EfgLimits limits;
  limits.max_nodes = 3;
  EXPECT_TRUE(ParseEfg(three, "t.efg", limits).ok());
  limits.max_nodes = 2;
  std::string message = ErrorOf(three, limits);
  EXPECT_EQ(message,
            "t.efg:4:1: error: found a tree with more than 2 nodes, expected at most 2 nodes");
  // Terminal payoffs (terminals x players).
  limits = EfgLimits();
  limits.max_payoff_entries = 3;
  message = ErrorOf(three, limits);
  EXPECT_EQ(message.rfind("t.efg:4:1: error: found a game with more than 3 payoff entries, ", 0),
            0u)
      << message;
  // Outcome payoffs (outcomes x players).
  limits.max_payoff_entries = 3;
  message = ErrorOf(
      kHead + "p \"\" 1 1 \"\" { \"a\" \"b\" } 1 \"\" { 0 0 }\nt \"\" 0\nt \"\" 2 \"\" { 0 0 }\n",
      limits);
  EXPECT_EQ(message.rfind("t.efg:4:6: error: found more than 3 outcome payoffs, ", 0), 0u)
      << message;
  // Running sums (outcomes on one path x players).
  limits.max_payoff_entries = 4;
  message = ErrorOf(
      kHead + "p \"\" 1 1 \"\" { \"a\" } 1 \"\" { 0 0 }\np \"\" 1 1 1\np \"\" 1 1 1\n", limits);
  EXPECT_EQ(message.rfind("t.efg:4:10: error: found more than 2 outcomes on one path", 0), 0u)
      << message;
  // Players.
  limits.max_payoff_entries = 2;
  message = ErrorOf("EFG 2 R \"\" { \"a\" \"b\" \"c\" }\nt \"\" 0\n", limits);
  EXPECT_EQ(message, "t.efg:1:22: error: found more than 2 players, expected at most 2");

  // With the default limits, an action list longer than the node limit is
  // refused as it is read.
  std::string text = "EFG 2 R \"\" { \"P\" }\np \"\" 1 1 \"\" {";
  text.reserve(text.size() + 3 * (size_t{1} << 22) + 16);
  for (int i = 0; i <= (1 << 22); ++i) text += " \"\"";
  message = ErrorOf(text);
  const std::string want = "t.efg:2:" + std::to_string(15 + 3 * (1 << 22)) +
                           ": error: found more than 4194304 actions, expected at most 4194304";
  EXPECT_EQ(message.rfind(want, 0), 0u) << message;
}

// Whether `message` is "FILE:LINE:COL: error: found ..., expected ...".
bool Positioned(const std::string& message, const std::string& file) {
  if (message.rfind(file + ":", 0) != 0) return false;
  size_t i = file.size() + 1;
  for (int part = 0; part < 2; ++part) {
    const size_t digits = message.find_first_not_of("0123456789", i);
    if (digits == i || digits == std::string::npos || message[digits] != ':') return false;
    i = digits + 1;
  }
  return message.compare(i, 14, " error: found ") == 0 &&
         message.find(", expected ", i) != std::string::npos;
}

// Every truncation of a valid file and every one-character change to it
// parses or fails with a positioned error; what parses writes and reads back.
TEST(Efg, MutatedFilesParseOrFailCleanly) {
  const std::string replacements = std::string("{}\",0129x-+/.eE\\ \npct") + '\0';
  int ok = 0, failed = 0;
  const auto check = [&](const std::string& text) {
    auto game = ParseEfg(text, "m.efg");
    if (game.ok()) {
      ++ok;
      const std::string written = WriteEfg(*game);
      auto back = ParseEfg(written, "w.efg");
      ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << text;
      ASSERT_EQ(WriteEfg(*back), written);
      return;
    }
    ++failed;
    ASSERT_EQ(game.status().code(), StatusCode::kInvalidArgument);
    ASSERT_TRUE(Positioned(game.status().message(), "m.efg")) << game.status().message();
  };
  for (const char* name : {"chance.efg", "matching_pennies.efg", "stage_payoffs.efg"}) {
    const std::string base = FileText(name);
    ASSERT_FALSE(base.empty()) << name;
    for (size_t i = 0; i <= base.size(); ++i) {
      check(base.substr(0, i));
      if (i == base.size()) break;
      check(base.substr(0, i) + base.substr(i + 1));
      for (char c : replacements) {
        std::string s = base;
        s[i] = c;
        check(s);
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(i), c);
        check(s);
      }
    }
  }
  EXPECT_GT(ok, 100);
  EXPECT_GT(failed, 10000);
}

}  // namespace
}  // namespace parley
