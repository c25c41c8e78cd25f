// The one game that `parley solve`, `export` and `explain` work on, from
// what the command was asked: a file and, for a scenario, which of its games
// (the mean game, or one Monte Carlo sample of a run with a seed). The game
// is a normal form (a scenario without `sequence`, a Gambit .nfg file) or a
// tree (a sequential scenario, a Gambit .efg file).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/game/game_tree.h"
#include "sim/game/normal_form.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"
#include "sim/solve/solver.h"
#include "sim/solve/subgame_perfect.h"

namespace parley {

// What the game is for; the checks, and their order, differ.
enum class GameUse {
  // `solve` and `export`: any game file. A scenario that does not load is
  // reported as a normal-form scenario would be.
  kSolveOrExport,
  // `explain`: a scenario (any file but .nfg is read as YAML) or a .nfg
  // file. A sequential scenario comes with its selection rule (overridden
  // by `selection`) and, for a tree with information sets, its subgame
  // decomposition, both checked before the sample is; a normal-form game
  // refuses `selection`.
  kExplain,
};

struct GameRequest {
  std::string file;
  std::optional<std::string> sample = {};  // --sample's text: a sample index; else the mean game
  std::optional<std::string> seed = {};    // --seed's text (with --sample); else the scenario's
  GameUse use = GameUse::kSolveOrExport;
  std::optional<std::string> selection = {};  // kExplain: --selection's text
};

struct GameInput {
  std::string file;
  std::string name;    // the scenario's name, or the Gambit file's title
  std::string source;  // "mean payoffs", "sample 12 (seed 1)", "nfg file" or "efg file"
  // Exactly one of the two.
  std::optional<NormalFormGame> normal_form;
  std::optional<ExtensiveFormGame> tree;
  // Trees: ties broken by the scenario's selection rule (uniform for .efg
  // files), drawn from the model stream of the sample as `parley run` draws
  // them (the mean game: sample 0 of the scenario's seed; .efg files: 0, 0).
  TreeSettings tree_settings;
  // Scenarios: the scenario, its compiled game and the game's table (stride
  // 1: GameModel::MeanTable or SampleTable).
  std::optional<ScenarioSpec> spec;
  std::optional<GameModel> model;
  std::vector<double> table;
  std::vector<double> draws;  // the draws `table` is made of
  // kExplain, trees with information sets: the decomposition (for
  // tree_settings.decomposition, once the input has its place).
  std::optional<SubgameDecomposition> decomposition;
};

// Loads the game, with the messages (and exit codes, by Status code) that
// the commands have always given.
StatusOr<GameInput> LoadGame(const GameRequest& request);

// Whether `file` holds a tree: a .efg file (by its extension, in any case)
// or a scenario that loads and has a `sequence`.
bool IsSequentialInput(const std::string& file);

}  // namespace parley
