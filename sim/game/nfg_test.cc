#include "sim/game/nfg.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace parley {
namespace {

std::string DataPath(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/tests/data/nfg/" + name;
}

NfgDocument MustRead(std::string_view text) {
  auto doc = ReadNfgString(text, "t.nfg");
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  return doc.ok() ? std::move(doc).value() : NfgDocument{};
}

NfgDocument MustReadFile(const std::string& name) {
  auto doc = ReadNfgFile(DataPath(name));
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  return doc.ok() ? std::move(doc).value() : NfgDocument{};
}

std::vector<uint64_t> Bits(const std::vector<double>& v) {
  std::vector<uint64_t> out;
  for (double x : v) out.push_back(std::bit_cast<uint64_t>(x));
  return out;
}

const std::vector<std::string> kPdStrategies = {"Cooperate", "Defect"};

TEST(Nfg, ReadsPayoffVersionWithStrategyNames) {
  const NfgDocument doc = MustReadFile("pd_payoff.nfg");
  EXPECT_EQ(doc.title, "Prisoner's dilemma");
  EXPECT_EQ(doc.comment, "T = 3 > R = 2 > P = 0 > S = -1");
  EXPECT_EQ(doc.game.players, (std::vector<std::string>{"Row", "Column"}));
  EXPECT_EQ(doc.game.strategies,
            (std::vector<std::vector<std::string>>{kPdStrategies, kPdStrategies}));
  EXPECT_EQ(doc.game.payoffs, (std::vector<double>{2, 2, 3, -1, -1, 3, 0, 0}));
  // Row defects (strategy 1), Column cooperates: profile 1, Row's temptation.
  EXPECT_EQ(doc.game.view().Payoff(doc.game.space.Encode({1, 0}), 0), 3);
  EXPECT_EQ(doc.game.view().Payoff(doc.game.space.Encode({1, 0}), 1), -1);
}

TEST(Nfg, OutcomeVersionGivesTheSamePayoffTable) {
  const NfgDocument payoff = MustReadFile("pd_payoff.nfg");
  const NfgDocument outcome = MustReadFile("pd_outcome.nfg");
  EXPECT_EQ(outcome.title, payoff.title);
  EXPECT_EQ(outcome.comment, payoff.comment);
  EXPECT_EQ(outcome.game.players, payoff.game.players);
  EXPECT_EQ(outcome.game.strategies, payoff.game.strategies);
  EXPECT_EQ(Bits(outcome.game.payoffs), Bits(payoff.game.payoffs));
  EXPECT_EQ(WriteNfg(outcome), WriteNfg(payoff));
}

TEST(Nfg, OutcomeVersionWithStrategyCounts) {
  const NfgDocument doc = MustRead(R"(NFG 1 R "" { "a" "b" } { 2 1 }
    { { "x" 1/2, -3 } } 0 1)");
  EXPECT_EQ(doc.game.payoffs, (std::vector<double>{0, 0, 0.5, -3}));
}

TEST(Nfg, UnnamedStrategiesAreNumbered) {
  // Gambit's e02.nfg.
  const NfgDocument doc = MustRead(R"(NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
)");
  EXPECT_EQ(doc.comment, "");
  EXPECT_EQ(doc.game.strategies,
            (std::vector<std::vector<std::string>>{{"1", "2", "3"}, {"1", "2"}}));
  EXPECT_EQ(doc.game.view().Payoff(doc.game.space.Encode({0, 1}), 0), 1);
  EXPECT_EQ(doc.game.view().Payoff(doc.game.space.Encode({2, 0}), 1), 2);
  EXPECT_EQ(doc.game.view().Payoff(doc.game.space.Encode({2, 1}), 0), 2);
}

TEST(Nfg, PlayerOneVariesFastestWithThreePlayers) {
  const NfgDocument doc = MustReadFile("three_player.nfg");
  ASSERT_EQ(doc.game.space.num_players(), 3);
  EXPECT_EQ(doc.game.space.num_profiles(), 12);
  EXPECT_EQ(doc.game.view().Payoff(1, 0), 211);  // profile 1 = (2, 1, 1)
  EXPECT_EQ(doc.game.view().Payoff(2, 0), 121);  // profile 2 = (1, 2, 1)
  EXPECT_EQ(doc.game.view().Payoff(4, 0), 112);  // profile 4 = (1, 1, 2)
  for (int64_t profile = 0; profile < 12; ++profile) {
    const std::vector<int> s = doc.game.space.Decode(profile);
    const double base = 100 * (s[0] + 1) + 10 * (s[1] + 1) + (s[2] + 1);
    for (int p = 0; p < 3; ++p) {
      EXPECT_EQ(doc.game.view().Payoff(profile, p), 1000 * p + base) << profile << " " << p;
    }
  }
}

TEST(Nfg, NumberNotations) {
  const NfgDocument doc = MustReadFile("numbers.nfg");
  const std::vector<double> want = {0.75,    -0.125,
                                    1500,    -0.025,
                                    0.5,     7,
                                    4,       100,
                                    -0.0,    12345678901234567890.0,
                                    1.0 / 3, 0.1,
                                    0.0,     std::numeric_limits<double>::denorm_min()};
  EXPECT_EQ(Bits(doc.game.payoffs), Bits(want));
  EXPECT_TRUE(std::signbit(doc.game.payoffs[8]));
}

// The message of the error reading `text`, which must fail with InvalidArgument.
std::string ErrorOf(std::string_view text) {
  auto doc = ReadNfgString(text, "t.nfg");
  EXPECT_FALSE(doc.ok());
  if (doc.ok()) return "";
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  return doc.status().message();
}

TEST(Nfg, ExtremeExponentsAndLineEndings) {
  // Below the smallest subnormal rounds to (signed) zero, as the nearest double.
  const NfgDocument doc = MustRead(
      "NFG 1 R \"\" { \"P\" } { 4 }\r\n1e-99999999999999999999 -1e-400 0e99999999999 2.4e-324\r\n");
  EXPECT_EQ(Bits(doc.game.payoffs), Bits({0.0, -0.0, 0.0, 0.0}));
  const std::string message =
      ErrorOf("NFG 1 R \"\" { \"P\" } { 1 }\r\n\r\n 1e99999999999999999999");
  EXPECT_EQ(
      message.rfind("t.nfg:3:2: error: found '1e99999999999999999999', which is not a finite", 0),
      0u)
      << message;
}

struct ErrorCase {
  std::string text;
  std::string prefix;    // the message starts with this
  std::string expected;  // and contains this
};

const std::string kTwoByTwo = "NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 }\n";

TEST(Nfg, ErrorsNameLineAndColumn) {
  const std::vector<ErrorCase> cases = {
      // Wrong header.
      {"EFG 2 R \"t\" { \"A\" } { 1 }\n0\n", "t.nfg:1:1: error: found 'EFG', ", "expected 'NFG'"},
      {"NFG 2 R \"t\" { \"A\" } { 1 }\n0\n", "t.nfg:1:5: error: found '2', ", "expected '1'"},
      {"NFG 1 X \"t\" { \"A\" } { 1 }\n0\n", "t.nfg:1:7: error: found 'X', ", "expected 'R'"},
      {"NFG 1 R { \"A\" } { 1 }\n0\n", "t.nfg:1:9: error: found '{', ",
       "expected the game's title"},
      {"", "t.nfg:1:1: error: found end of file, ", "expected 'NFG'"},
      // A string that never ends.
      {"NFG 1 R \"t\" { \"A\" } { 1 }\n\"comment\n0\n",
       "t.nfg:2:1: error: found a string that is never closed, ", "expected a closing '\"'"},
      // Player names and strategy lists disagree.
      {kTwoByTwo.substr(0, 25) + " 2 }\n0 0 0 0\n",
       "t.nfg:1:29: error: found '}' after 1 of the 2 players' strategies, ",
       "expected 2 entries (one per player)"},
      {kTwoByTwo.substr(0, 25) + " 2 2 2 }\n0 0 0 0\n",
       "t.nfg:1:31: error: found a strategy count for player 3, ", "expected 2 entries"},
      {kTwoByTwo.substr(0, 25) + " { \"x\" } }\n0 0\n",
       "t.nfg:1:35: error: found '}' after 1 of the 2 players' strategies, ", "expected 2 entries"},
      {kTwoByTwo.substr(0, 25) + " { \"x\" } { \"y\" } { \"z\" } }\n0 0\n",
       "t.nfg:1:43: error: found a strategy name list for player 3, ", "expected 2 entries"},
      // Too few and too many payoffs.
      {kTwoByTwo + "1 2 3 4 5 6 7",
       "t.nfg:2:14: error: found the end of the file after 7 payoffs, ",
       "expected 8 payoffs (2 for each of the 4 strategy profiles)"},
      {kTwoByTwo + "1 2 3 4 5 6 7 8\n9\n",
       "t.nfg:3:1: error: found '9' after the last of 8 payoffs", "expected the end of the file"},
      {kTwoByTwo + "1 2 3 4 } 6 7 8\n", "t.nfg:2:9: error: found '}', ", "expected payoff #5 of 8"},
      // Outcome lists: wrong payoff counts, bad and missing indices.
      {kTwoByTwo + "{ { \"\" 1 } }\n1 1 1 1\n",
       "t.nfg:2:10: error: found '}' after 1 of the payoffs of outcome 1, ",
       "expected 2 payoffs (one per player)"},
      {kTwoByTwo + "{ { \"\" 1, 2, 3 } }\n1 1 1 1\n",
       "t.nfg:2:14: error: found '3', a payoff beyond the 2 payoffs (one per player) of outcome "
       "1, ",
       "expected '}' closing outcome 1"},
      {kTwoByTwo + "{ { \"\" 1 2 } { 3 4 } }\n1 1 1 1\n", "t.nfg:2:16: error: found '3', ",
       "expected the name of outcome 2"},
      {kTwoByTwo + "{ { \"\" 1 2 } }\n1 0\n2 1\n", "t.nfg:4:1: error: found outcome index '2', ",
       "expected an outcome index from 0 to 1 (0 is the null outcome"},
      {kTwoByTwo + "{ { \"\" 1 2 } }\n1 0\n1 -1\n", "t.nfg:4:3: error: found '-1', ",
       "expected an outcome index from 0 to 1"},
      {kTwoByTwo + "{ { \"\" 1 2 } } 1 0 1",
       "t.nfg:2:21: error: found the end of the file after 3 outcome indices, ",
       "expected 4 outcome indices (one per strategy profile)"},
      {kTwoByTwo + "{ { \"\" 1 2 } }\n1 0 1 1 1\n",
       "t.nfg:3:9: error: found '1' after the last of 4 outcome indices",
       "expected the end of the file"},
      // Numbers.
      {kTwoByTwo + "1 2\n3 1e400 5 6 7 8\n",
       "t.nfg:3:3: error: found '1e400', which is not a finite double, ",
       "expected a number of magnitude at most 1.7976931348623157e308"},
      {kTwoByTwo + "1 2 -3/00 4 5 6 7 8\n", "t.nfg:2:5: error: found '-3/00', a division by zero, ",
       "expected a rational number with a nonzero denominator"},
      {kTwoByTwo + "1 2 x 4 5 6 7 8\n", "t.nfg:2:5: error: found 'x', ",
       "expected payoff #3 of 8 (an integer, decimal or rational number)"},
      {kTwoByTwo + "1 2 3 4 inf 6 7 8\n", "t.nfg:2:9: error: found 'inf', ", "expected payoff #5"},
      {kTwoByTwo + "1 2 3 4 1e 6 7 8\n", "t.nfg:2:9: error: found '1e', ", "expected payoff #5"},
      {kTwoByTwo + "1 2 3 4 . 6 7 8\n", "t.nfg:2:9: error: found '.', ", "expected payoff #5"},
      {kTwoByTwo + "1 2 3 4 1.5/2 6 7 8\n", "t.nfg:2:9: error: found '1.5/2', ",
       "expected payoff #5"},
      {kTwoByTwo + "1 2 3 4 5, 6 7 8\n", "t.nfg:2:10: error: found ',', ", "expected payoff #6"},
      // Empty games.
      {"NFG 1 R \"t\" { } { }\n", "t.nfg:1:15: error: found an empty list of players, ",
       "expected at least one player"},
      {"NFG 1 R \"t\" { \"A\" } { 0 }\n",
       "t.nfg:1:23: error: found 0 strategies for player 1 (\"A\"), ",
       "expected at least one strategy"},
      {"NFG 1 R \"t\" { \"A\" } { { } }\n",
       "t.nfg:1:23: error: found an empty strategy list for player 1 (\"A\"), ",
       "expected at least one strategy"},
      {"NFG 1 R \"t\" { \"A\" } { 2.0 }\n", "t.nfg:1:23: error: found '2.0', ",
       "expected the number of strategies of player 1 (\"A\") (a positive whole number)"},
      // Games over 2^24 payoff entries.
      {kTwoByTwo.substr(0, 25) + " 4096 4097 }\n",
       "t.nfg:1:32: error: found a game with more than 16777216 payoff entries, ",
       "expected at most 2^24 = 16777216 payoff entries"},
      {"NFG 1 R \"t\" { \"A\" } { 99999999999999999999999 }\n",
       "t.nfg:1:23: error: found a game with more than 16777216 payoff entries, ",
       "expected at most 2^24"},
      // Exactly 2^24 entries is allowed; this one then lacks its payoffs.
      {kTwoByTwo.substr(0, 25) + " 2048 4096 }\n",
       "t.nfg:2:1: error: found the end of the file after 0 payoffs, ",
       "expected 16777216 payoffs"},
  };
  for (const ErrorCase& c : cases) {
    const std::string message = ErrorOf(c.text);
    EXPECT_EQ(message.rfind(c.prefix, 0), 0u) << "text: " << c.text << "\nmessage: " << message;
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "text: " << c.text << "\nmessage: " << message;
  }
}

TEST(Nfg, RefusesTooManyNamedStrategiesBeforeStoringThem) {
  // 2^20 players leave room for 16 strategies for the first; the 17th is refused.
  std::string text = "NFG 1 R \"\" {";
  for (int i = 0; i < (1 << 20); ++i) text += " \"\"";
  text += " }\n{ {";
  for (int i = 0; i < 17; ++i) text += " \"s\"";
  const std::string message = ErrorOf(text);
  const std::string want = "t.nfg:2:" + std::to_string(4 + 16 * 4 + 1) +
                           ": error: found a game with more than 16777216 payoff entries";
  EXPECT_EQ(message.rfind(want, 0), 0u) << message;
}

TEST(Nfg, FileErrors) {
  auto doc = ReadNfgFile(DataPath("bad_outcome_index.nfg"));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  const std::string want =
      DataPath("bad_outcome_index.nfg") + ":4:3: error: found outcome index '3', expected";
  EXPECT_EQ(doc.status().message().rfind(want, 0), 0u) << doc.status().message();

  EXPECT_EQ(ReadNfgFile(DataPath("no_such_file.nfg")).status().code(), StatusCode::kNotFound);
  auto dir = ReadNfgFile(DataPath(""));
  EXPECT_EQ(dir.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(dir.status().message().find("not a regular file"), std::string::npos);
}

TEST(Nfg, WritesTheStrategyNamePayoffVersion) {
  const NfgDocument doc = MustReadFile("pd_outcome.nfg");
  EXPECT_EQ(WriteNfg(doc),
            "NFG 1 R \"Prisoner's dilemma\" { \"Row\" \"Column\" }\n\n"
            "{\n{ \"Cooperate\" \"Defect\" }\n{ \"Cooperate\" \"Defect\" }\n}\n"
            "\"T = 3 > R = 2 > P = 0 > S = -1\"\n\n"
            "2 2\n3 -1\n-1 3\n0 0\n");
}

TEST(Nfg, NamesWithQuotesAndBackslashesSurvive) {
  auto game = NormalFormGame::Make({"say \"hi\"", "back\\slash", "\\"},
                                   {{"\"", "\\\"", "a\\"}, {"\\\\", "new\nline"}, {""}},
                                   std::vector<double>(18, 1.0));
  ASSERT_TRUE(game.ok());
  NfgDocument doc{"title \"quoted\" \\ end\\", "comment\\", std::move(*game)};
  const std::string text = WriteNfg(doc);
  EXPECT_NE(text.find(R"("say \"hi\"" "back\\slash" "\\")"), std::string::npos) << text;
  const NfgDocument back = MustRead(text);
  EXPECT_EQ(back.title, doc.title);
  EXPECT_EQ(back.comment, doc.comment);
  EXPECT_EQ(back.game.players, doc.game.players);
  EXPECT_EQ(back.game.strategies, doc.game.strategies);
  EXPECT_EQ(WriteNfg(back), text);
  // A backslash before any other character is kept, as Gambit does.
  EXPECT_EQ(MustRead(R"(NFG 1 R "a\b\n" { "A" } { 1 } 0)").title, "a\\b\\n");
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
  switch (rng() % 7) {
    case 0:
      return static_cast<double>(static_cast<int64_t>(rng() % 201) - 100);
    case 1:
      return unit(rng) * 1000;
    case 2:
      return unit(rng) * 1e300;
    case 3:
      return unit(rng) * 1e-300;
    case 4:
      return static_cast<double>(static_cast<int64_t>(rng() % 2001) - 1000) / 7;
    case 5:
      return std::ldexp(unit(rng), 60);  // beyond 2^53
    default: {
      double x;
      do x = std::bit_cast<double>(rng());
      while (!std::isfinite(x));  // any finite double
      return x;
    }
  }
}

TEST(Nfg, RandomGamesRoundTripExactly) {
  std::mt19937_64 rng(20240611);
  for (int trial = 0; trial < 400; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 4);
    std::vector<std::string> players;
    std::vector<std::vector<std::string>> strategies(n);
    int64_t profiles = 1;
    for (int p = 0; p < n; ++p) {
      players.push_back(RandomName(rng));
      const int k = 1 + static_cast<int>(rng() % 4);
      for (int s = 0; s < k; ++s) strategies[p].push_back(RandomName(rng));
      profiles *= k;
    }
    std::vector<double> payoffs(profiles * n);
    for (double& x : payoffs) x = RandomPayoff(rng);
    auto game = NormalFormGame::Make(players, strategies, payoffs);
    ASSERT_TRUE(game.ok()) << game.status().message();
    const NfgDocument doc{RandomName(rng), RandomName(rng), std::move(*game)};

    const std::string text = WriteNfg(doc);
    const NfgDocument back = MustRead(text);
    ASSERT_EQ(WriteNfg(back), text) << "trial " << trial;
    EXPECT_EQ(Bits(back.game.payoffs), Bits(payoffs)) << "trial " << trial;
    EXPECT_EQ(back.game.players, players);
    EXPECT_EQ(back.game.strategies, strategies);
    EXPECT_EQ(back.title, doc.title);
    EXPECT_EQ(back.comment, doc.comment);
  }
}

TEST(Nfg, ExtremeValuesRoundTrip) {
  const std::vector<double> values = {0.0,
                                      -0.0,
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::lowest(),
                                      std::numeric_limits<double>::min(),
                                      std::numeric_limits<double>::denorm_min(),
                                      -std::numeric_limits<double>::denorm_min(),
                                      0.1,
                                      1e22,
                                      1e23,
                                      9007199254740993.0};
  std::vector<std::string> names;
  for (size_t i = 0; i < values.size(); ++i) names.push_back(std::to_string(i + 1));
  auto game = NormalFormGame::Make({"P"}, {names}, values);
  ASSERT_TRUE(game.ok());
  const NfgDocument doc{"", "", std::move(*game)};
  const NfgDocument back = MustRead(WriteNfg(doc));
  EXPECT_EQ(Bits(back.game.payoffs), Bits(values));
}

}  // namespace
}  // namespace parley
