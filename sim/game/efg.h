// Reading and writing Gambit's extensive-game (.efg) text format, version
// "EFG 2 R", so game trees can be exchanged with Gambit:
//
//   EFG 2 R "title" { "Player 1" "Player 2" }
//   "optional comment"
//
//   p "node name" 1 1 "infoset name" { "action 1" "action 2" } 0
//   c "" 1 "chance infoset" { "H" 1/2 "T" 1/2 } 0
//   t "" 1 "outcome name" { 1, -1 }
//
// Nodes are listed in preorder. A decision node gives its name, player
// number, information set number, then (at the information set's first
// node; optionally again, identically, later) the set's name and action
// names, then an outcome number and (at its first use) the outcome's name and
// one payoff per player. Chance nodes are the same without the player, and
// give a probability after each action name; terminal nodes give only a name
// and an outcome. Outcome 0 is the null outcome (no payoffs). Outcomes on
// decision and chance nodes add to the payoffs of every terminal below them.
// Numbers may be integers, decimals with an optional exponent, or rationals
// such as -3/4; each is read as the nearest double. docs/reference/efg-format.md
// describes what is read and written, and the limits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/game/game_tree.h"

namespace parley {

// Bounds on what a file may make the reader build. The defaults are what
// ParseEfg and ReadEfgFile use; tests lower them.
struct EfgLimits {
  int64_t max_nodes = int64_t{1} << 22;
  // Payoffs kept at once: terminals x players, outcome definitions x players,
  // and the running sums of outcomes along one path (x players), each.
  int64_t max_payoff_entries = int64_t{1} << 24;
};

// Parses .efg text. Every error is InvalidArgument with the message
// "FILE:LINE:COL: error: found <what was found>, expected <what>". The tree
// is read without recursion, so its depth is bounded only by max_nodes. Node
// names become TreeNode labels; each (player, information set number) becomes
// one InfoSet, each chance information set one chance InfoSet with its
// probabilities, in order of first appearance. Outcome names are not kept;
// each terminal's payoffs are the sum of the outcomes on its path.
StatusOr<ExtensiveFormGame> ParseEfg(std::string_view text, const std::string& file,
                                     const EfgLimits& limits = {});

// Reads a .efg file: NotFound if it does not exist or cannot be read,
// InvalidArgument if it is not a regular file, is larger than 64 MiB, or does
// not parse.
StatusOr<ExtensiveFormGame> ReadEfgFile(const std::string& path);

// Writes the game in preorder: information sets numbered 1, 2, ... per
// player (chance too) in order of first appearance, each set's name and
// actions (with probabilities, for chance) given at its first node only; one
// outcome per terminal, numbered 1, 2, ... and named after the terminal's
// label; no outcomes on other nodes. Payoffs and probabilities come from
// game.view() and are written in the shortest form that reads back as the
// identical double; quotes and backslashes in names are escaped as \" and \\.
// Information sets without nodes are not written; a subgame shared by
// several parents is written once per parent (each copy of a decision node
// in a new information set), so the file is the expanded tree. The game's
// tree must be finalized and its table filled (SetPayoffs) with finite
// numbers.
std::string WriteEfg(const ExtensiveFormGame& game);

}  // namespace parley
