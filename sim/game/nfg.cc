#include "sim/game/nfg.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>
#include <utility>
#include <vector>

#include "sim/core/text_file.h"
#include "sim/game/gambit_lexer.h"

namespace parley {
namespace {

using gambit::AllDigits;
using gambit::AppendQuoted;
using gambit::Clip;
using gambit::TokenKind;

// Payoff entries (strategy profiles x players) a game may have, and the same
// bound on the outcome payoffs of the outcome version.
constexpr int64_t kMaxPayoffEntries = int64_t{1} << 24;
constexpr uintmax_t kMaxNfgFileBytes = uintmax_t{64} << 20;
const std::string kTooLarge = "a game with more than 16777216 payoff entries";
const std::string kSizeLimit =
    "at most 2^24 = 16777216 payoff entries (strategy profiles x players)";
const std::string kPayoff = "an integer, decimal or rational number";

// (Built by appending: GCC 12 warns wrongly (-Wrestrict) about "#" + std::string.)
std::string Ordinal(int64_t i) {
  std::string out = "#";
  out += std::to_string(i);
  return out;
}

class NfgParser : public gambit::Lexer {
 public:
  using Lexer::Lexer;
  StatusOr<NfgDocument> Parse();

 private:
  Status ReadStrategies(NfgDocument* doc);
  Status ReadPayoffBody(int64_t profiles, int num_players, std::vector<double>* payoffs);
  Status ReadOutcomeBody(int64_t profiles, int num_players, std::vector<double>* payoffs);
};

StatusOr<NfgDocument> NfgParser::Parse() {
  PARLEY_RETURN_IF_ERROR(CheckText("a .nfg file"));
  NfgDocument doc;
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!IsWord("NFG")) return Expected("'NFG', which begins a Gambit strategic game file");
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!IsWord("1")) return Expected("'1', the only version of the .nfg format");
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!IsWord("R") && !IsWord("D")) return Expected("'R' (or the obsolete 'D')");
  PARLEY_RETURN_IF_ERROR(Advance());
  if (!Is(TokenKind::kString)) return Expected("the game's title (a quoted string)");
  doc.title = std::move(tok_.text);

  PARLEY_RETURN_IF_ERROR(Advance());
  if (!Is(TokenKind::kLBrace)) return Expected("'{' opening the list of player names");
  PARLEY_RETURN_IF_ERROR(Advance());
  auto& players = doc.game.players;
  while (Is(TokenKind::kString)) {
    if (static_cast<int64_t>(players.size()) == kMaxPayoffEntries) {
      return Error(tok_, kTooLarge, kSizeLimit);
    }
    players.push_back(std::move(tok_.text));
    PARLEY_RETURN_IF_ERROR(Advance());
  }
  if (!Is(TokenKind::kRBrace)) return Expected("a player name (a quoted string) or '}'");
  if (players.empty()) return Error(tok_, "an empty list of players", "at least one player");

  PARLEY_RETURN_IF_ERROR(Advance());
  PARLEY_RETURN_IF_ERROR(ReadStrategies(&doc));
  if (Is(TokenKind::kString)) {
    doc.comment = std::move(tok_.text);
    PARLEY_RETURN_IF_ERROR(Advance());
  }

  const int n = static_cast<int>(players.size());
  int64_t profiles = 1;
  for (const auto& s : doc.game.strategies) profiles *= static_cast<int64_t>(s.size());
  std::vector<double> payoffs;
  if (Is(TokenKind::kLBrace)) {
    PARLEY_RETURN_IF_ERROR(ReadOutcomeBody(profiles, n, &payoffs));
  } else if (Is(TokenKind::kWord) || Is(TokenKind::kEnd)) {
    PARLEY_RETURN_IF_ERROR(ReadPayoffBody(profiles, n, &payoffs));
  } else {
    return Expected("the payoffs (numbers) or '{' opening a list of outcomes");
  }

  auto game = NormalFormGame::Make(std::move(doc.game.players), std::move(doc.game.strategies),
                                   std::move(payoffs));
  if (!game.ok()) return Internal(name_ + ": error: " + game.status().message());
  doc.game = std::move(*game);
  return doc;
}

// Reads either { count count ... } or { { "name" ... } { "name" ... } ... },
// one entry per player, refusing games over the size limit as soon as the
// running product of strategy counts passes it.
Status NfgParser::ReadStrategies(NfgDocument* doc) {
  const auto& players = doc->game.players;
  auto& strategies = doc->game.strategies;
  const int64_t n = static_cast<int64_t>(players.size());
  const auto player = [&](size_t p) {
    return "player " + std::to_string(p + 1) + " (\"" + Clip(players[p]) + "\")";
  };
  const std::string per_player =
      std::to_string(n) + (n == 1 ? " entry" : " entries") + " (one per player)";
  if (!Is(TokenKind::kLBrace)) {
    return Expected("'{' opening the strategy counts or strategy names");
  }
  PARLEY_RETURN_IF_ERROR(Advance());
  int64_t profiles = 1;  // strategy profiles of the players read so far
  if (!Is(TokenKind::kLBrace) && !Is(TokenKind::kWord) && !Is(TokenKind::kRBrace)) {
    return Expected("strategy counts or '{' opening a strategy name list, one per player");
  }
  if (Is(TokenKind::kLBrace)) {
    while (Is(TokenKind::kLBrace)) {
      const size_t p = strategies.size();
      if (static_cast<int64_t>(p) == n) {
        return Error(tok_, "a strategy name list for player " + std::to_string(p + 1),
                     per_player + " before '}'");
      }
      const gambit::Token open = tok_;
      strategies.emplace_back();
      PARLEY_RETURN_IF_ERROR(Advance());
      while (Is(TokenKind::kString)) {
        if (static_cast<int64_t>(strategies[p].size()) + 1 > kMaxPayoffEntries / n / profiles) {
          return Error(tok_, kTooLarge, kSizeLimit);
        }
        strategies[p].push_back(std::move(tok_.text));
        PARLEY_RETURN_IF_ERROR(Advance());
      }
      if (!Is(TokenKind::kRBrace)) return Expected("a strategy name (a quoted string) or '}'");
      if (strategies[p].empty()) {
        return Error(open, "an empty strategy list for " + player(p), "at least one strategy");
      }
      profiles *= static_cast<int64_t>(strategies[p].size());
      PARLEY_RETURN_IF_ERROR(Advance());
    }
    if (!Is(TokenKind::kRBrace)) return Expected("'{' opening a strategy name list, or '}'");
  } else {
    while (Is(TokenKind::kWord)) {
      const size_t p = strategies.size();
      if (static_cast<int64_t>(p) == n) {
        return Error(tok_, "a strategy count for player " + std::to_string(p + 1),
                     per_player + " before '}'");
      }
      const std::string expected =
          "the number of strategies of " + player(p) + " (a positive whole number)";
      if (!AllDigits(tok_.text)) return Expected(expected);
      int64_t count = 0;
      const auto [ptr, ec] =
          std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), count);
      if (ec == std::errc::result_out_of_range) return Error(tok_, kTooLarge, kSizeLimit);
      if (count == 0) {
        return Error(tok_, "0 strategies for " + player(p), "at least one strategy");
      }
      if (count > kMaxPayoffEntries / n / profiles) return Error(tok_, kTooLarge, kSizeLimit);
      profiles *= count;
      strategies.emplace_back();
      for (int64_t s = 1; s <= count; ++s) strategies[p].push_back(std::to_string(s));
      PARLEY_RETURN_IF_ERROR(Advance());
    }
    if (!Is(TokenKind::kRBrace)) return Expected("a strategy count or '}'");
  }
  if (static_cast<int64_t>(strategies.size()) != n) {
    return Error(tok_,
                 "'}' after " + std::to_string(strategies.size()) + " of the " + std::to_string(n) +
                     " players' strategies",
                 per_player);
  }
  return Advance();
}

Status NfgParser::ReadPayoffBody(int64_t profiles, int num_players, std::vector<double>* payoffs) {
  const int64_t cells = profiles * num_players;
  const std::string total = std::to_string(cells) + " payoffs (" + std::to_string(num_players) +
                            " for each of the " + std::to_string(profiles) + " strategy profiles)";
  // Grows as numbers are read, so a short file cannot make us allocate a lot.
  payoffs->reserve(static_cast<size_t>(std::min<int64_t>(cells, text_size() / 2 + 1)));
  for (int64_t i = 0; i < cells; ++i) {
    if (Is(TokenKind::kEnd)) {
      return Error(tok_, "the end of the file after " + std::to_string(i) + " payoffs", total);
    }
    double v = 0;
    PARLEY_RETURN_IF_ERROR(ReadNumber(
        "payoff " + Ordinal(i + 1) + " of " + std::to_string(cells) + " (" + kPayoff + ")", &v));
    payoffs->push_back(v);
    PARLEY_RETURN_IF_ERROR(Advance());
  }
  if (!Is(TokenKind::kEnd)) {
    return Error(tok_, Describe(tok_) + " after the last of " + total, "the end of the file");
  }
  return OkStatus();
}

Status NfgParser::ReadOutcomeBody(int64_t profiles, int num_players, std::vector<double>* payoffs) {
  const std::string per_outcome = std::to_string(num_players) +
                                  (num_players == 1 ? " payoff" : " payoffs") + " (one per player)";
  std::vector<double> outcomes;  // [(outcome - 1) * num_players + player]
  PARLEY_RETURN_IF_ERROR(Advance());
  while (Is(TokenKind::kLBrace)) {
    const int64_t k = static_cast<int64_t>(outcomes.size()) / num_players + 1;
    if (k * num_players > kMaxPayoffEntries) {
      return Error(tok_, "more than 16777216 outcome payoffs", "at most 2^24 = 16777216");
    }
    const std::string outcome = "outcome " + std::to_string(k);
    PARLEY_RETURN_IF_ERROR(Advance());
    if (!Is(TokenKind::kString)) return Expected("the name of " + outcome + " (a quoted string)");
    PARLEY_RETURN_IF_ERROR(Advance());
    for (int p = 0; p < num_players; ++p) {
      if (Is(TokenKind::kRBrace)) {
        return Error(tok_, "'}' after " + std::to_string(p) + " of the payoffs of " + outcome,
                     per_outcome);
      }
      double v = 0;
      PARLEY_RETURN_IF_ERROR(ReadNumber(
          "payoff " + std::to_string(p + 1) + " of " + outcome + " (" + kPayoff + ")", &v));
      outcomes.push_back(v);
      PARLEY_RETURN_IF_ERROR(Advance());
      if (Is(TokenKind::kComma)) PARLEY_RETURN_IF_ERROR(Advance());
    }
    if (Is(TokenKind::kWord)) {
      return Error(tok_, Describe(tok_) + ", a payoff beyond the " + per_outcome + " of " + outcome,
                   "'}' closing " + outcome);
    }
    if (!Is(TokenKind::kRBrace)) return Expected("'}' closing " + outcome);
    PARLEY_RETURN_IF_ERROR(Advance());
  }
  if (!Is(TokenKind::kRBrace)) return Expected("'{' opening an outcome, or '}'");
  PARLEY_RETURN_IF_ERROR(Advance());

  const int64_t num_outcomes = static_cast<int64_t>(outcomes.size()) / num_players;
  const std::string range = "an outcome index from 0 to " + std::to_string(num_outcomes) +
                            " (0 is the null outcome, whose payoffs are all zero)";
  const std::string total =
      std::to_string(profiles) + " outcome indices (one per strategy profile)";
  for (int64_t i = 0; i < profiles; ++i) {
    if (Is(TokenKind::kEnd)) {
      return Error(tok_, "the end of the file after " + std::to_string(i) + " outcome indices",
                   total);
    }
    if (!Is(TokenKind::kWord) || !AllDigits(tok_.text)) return Expected(range);
    int64_t index = 0;
    const auto [ptr, ec] =
        std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), index);
    if (ec != std::errc() || index > num_outcomes) {
      return Error(tok_, "outcome index '" + Clip(tok_.text) + "'", range);
    }
    for (int p = 0; p < num_players; ++p) {
      payoffs->push_back(index == 0 ? 0.0 : outcomes[(index - 1) * num_players + p]);
    }
    PARLEY_RETURN_IF_ERROR(Advance());
  }
  if (!Is(TokenKind::kEnd)) {
    return Error(tok_, Describe(tok_) + " after the last of " + total, "the end of the file");
  }
  return OkStatus();
}

}  // namespace

StatusOr<NfgDocument> ReadNfgString(std::string_view text, const std::string& display_name) {
  return NfgParser(text, display_name).Parse();
}

StatusOr<NfgDocument> ReadNfgFile(const std::string& path) {
  auto text = ReadTextFile(path, kMaxNfgFileBytes, ".nfg game file");
  if (!text.ok()) return text.status();
  return ReadNfgString(*text, path);
}

std::string WriteNfg(const NfgDocument& doc) {
  const NormalFormGame& g = doc.game;
  std::string out = "NFG 1 R ";
  AppendQuoted(&out, doc.title);
  out += " {";
  for (const auto& p : g.players) {
    out += ' ';
    AppendQuoted(&out, p);
  }
  out += " }\n\n{\n";
  for (const auto& list : g.strategies) {
    out += '{';
    for (const auto& s : list) {
      out += ' ';
      AppendQuoted(&out, s);
    }
    out += " }\n";
  }
  out += "}\n";
  AppendQuoted(&out, doc.comment);
  out += "\n\n";
  const size_t n = g.players.size();
  char buffer[32];
  for (size_t i = 0; i < g.payoffs.size(); ++i) {
    assert(std::isfinite(g.payoffs[i]) && "WriteNfg needs finite payoffs");
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, g.payoffs[i]);
    assert(ec == std::errc());
    out.append(buffer, ptr);
    out += (i + 1) % n == 0 ? '\n' : ' ';
  }
  return out;
}

}  // namespace parley
