// Reading and writing Gambit's strategic-game (.nfg) text format, so games can
// be exchanged with Gambit and other tools that speak it.
//
// The reader accepts both versions of the format:
//   payoff version:   NFG 1 R "title" { "P1" "P2" } { 3 2 } ["comment"] <payoffs>
//                     (or strategy names instead of counts: { { "a" "b" "c" } { "x" "y" } })
//   outcome version:  the same prologue, then { { "name" 1, 2 } ... } and one outcome
//                     index per strategy profile, 0 being the null outcome (all zero).
// Profiles are listed with player 1's strategy varying fastest, which is the
// order NormalFormGame stores them in. Numbers may be integers, decimals with an
// optional exponent, or rationals such as -3/4; each is read as the nearest double.
#pragma once

#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/game/normal_form.h"

namespace parley {

struct NfgDocument {
  std::string title;
  std::string comment;  // the optional comment string, empty if none
  NormalFormGame game;  // player and strategy names; unnamed strategies get "1", "2", ...
};

// Parses .nfg text. Every error is InvalidArgument with the message
// "DISPLAY_NAME:LINE:COL: error: found <what was found>, expected <what>".
// Games with more than 2^24 payoff entries (profiles x players) are refused
// before anything of that size is allocated.
StatusOr<NfgDocument> ReadNfgString(std::string_view text, const std::string& display_name);

// Reads a .nfg file: NotFound if it does not exist or cannot be read,
// InvalidArgument if it is not a regular file, is larger than 64 MiB, or does
// not parse.
StatusOr<NfgDocument> ReadNfgFile(const std::string& path);

// Writes the strategy-name payoff version. Payoffs are written in the shortest
// form that reads back as the identical double; quotes and backslashes in
// names are escaped as \" and \\. The payoffs must be finite.
std::string WriteNfg(const NfgDocument& doc);

}  // namespace parley
