// The text and JSON of `parley solve`: one game's Solution (from the solver
// registry, sim/solve/solver.h) with every equilibrium, its payoffs and its
// regret; for trees, the equilibrium path and the choice (or behaviour) at
// every decision node (or information set). docs/reference/cli.md shows them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/core/status.h"
#include "sim/game/game_tree.h"
#include "sim/game/normal_form.h"
#include "sim/solve/solver.h"

namespace parley {

// Which game was solved, for the heading and the JSON's "game".
struct GameLabel {
  std::string name;    // the scenario's name, or the Gambit file's title
  std::string source;  // "mean payoffs", "sample 12 (seed 1)", "nfg file", "efg file"
  std::string file;    // as given on the command line
};

// A solution of a normal-form game.
std::string SolutionText(const NormalFormGame& game, const GameLabel& label, const Solution& s);
nlohmann::ordered_json SolutionJson(const NormalFormGame& game, const GameLabel& label,
                                    const Solution& s);

// A solution of a tree, with or without information sets.
std::string SolutionText(const ExtensiveFormGame& game, const GameLabel& label, const Solution& s);
nlohmann::ordered_json SolutionJson(const ExtensiveFormGame& game, const GameLabel& label,
                                    const Solution& s);

// The most `parley solve --json` writes: the size `parley report` and
// most JSON tools read in one piece. The size is estimated from the game and
// the solution before the document is built, so that an oversized result
// (a deep chain names each node by its whole history: nodes x depth) is
// refused in bounded memory instead of exhausting it.
inline constexpr uint64_t kMaxSolutionJsonBytes = uint64_t{256} << 20;
uint64_t EstimateSolutionJsonBytes(const NormalFormGame& game, const Solution& s);
uint64_t EstimateSolutionJsonBytes(const ExtensiveFormGame& game, const Solution& s);
// ResourceExhausted, with the estimate and the limit, above kMaxSolutionJsonBytes.
Status CheckSolutionJsonSize(uint64_t estimated_bytes);

// Why a logit path stopped short of its goal (the text shows it; with the
// JSON on stdout, it goes to stderr); empty when it met its goal.
std::string SolutionWarning(const Solution& s);

}  // namespace parley
