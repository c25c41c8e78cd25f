// Model: a solution concept or behavioural model that turns one sampled game
// into a prediction. Models register themselves by name (PARLEY_REGISTER_MODEL)
// in the ModelRegistry, which the CLI lists with `parley models`.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/status.h"
#include "sim/game/game_tree.h"
#include "sim/game/normal_form.h"
#include "sim/solve/backward_induction.h"
#include "sim/solve/mixed.h"
#include "sim/solve/pure_nash.h"
#include "sim/solve/selection.h"
#include "sim/solve/subgame_perfect.h"

namespace parley {

struct Prediction {
  int64_t profile = -1;  // the predicted pure profile; -1 when none
  bool mixed = false;    // when true, `strategies` is the prediction instead
  MixedProfile strategies;
  int num_equilibria = 0;  // how many equilibria the model found in the game
};

// A model's prediction for a sequential game: everyone's choice at every
// decision node (on and off the equilibrium path), each node's value and the
// probability that play reaches it. Points into the model's scratch.
struct TreePrediction {
  const SubgamePerfect* play = nullptr;  // null: unresolved
  int num_equilibria = 0;                // 1, or 2 when ties left a choice
};

// What a run passes to every model.
struct ModelOptions {
  Selection selection = Selection::kUniform;
  double lambda = 1.0;  // logit precision, for the qre model
};

// Per-thread buffers that let Predict run without allocating.
struct ModelScratch {
  PureNashScratch pure;
  std::vector<int64_t> equilibria;
  std::vector<int64_t> chunk_equilibria[kSideBySideWidth];  // PredictChunk
  std::vector<int64_t> selection;
  SubgamePerfect spe;
  // spe on a tree with information sets: its subgame decomposition, built
  // on first use (it depends on the tree only, not on the sample).
  const GameTree* decomposed = nullptr;
  std::shared_ptr<const SubgameDecomposition> decomposition;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string_view name() const = 0;
  // One line for `parley models`.
  virtual std::string_view summary() const = 0;
  // True when every prediction is a pure profile (or none): outcome counts are
  // then whole numbers and get Wilson intervals.
  virtual bool pure() const = 0;
  // Predicts the play of `game`. Model randomness (equilibrium selection)
  // comes only from `rng`, the sample's model stream.
  virtual void Predict(const GameView& game, const ModelOptions& options, SampleRng& rng,
                       ModelScratch& scratch, Prediction& out) const = 0;

  // Predicts every game of a chunk (out[i] for chunk.game(i), with the
  // model stream rngs[i]), exactly as Predict would one at a time; models
  // that can solve games side by side override it.
  virtual void PredictChunk(const ChunkView& chunk, const ModelOptions& options, SampleRng* rngs,
                            ModelScratch& scratch, Prediction* out) const {
    for (int i = 0; i < chunk.count; ++i) Predict(chunk.game(i), options, rngs[i], scratch, out[i]);
  }

  // Which kinds of game the model solves: normal-form games (Predict) and
  // sequential ones (PredictTree).
  virtual bool normal_form() const { return true; }
  virtual bool sequential() const { return false; }
  virtual void PredictTree(const TreeView& game, const ModelOptions& options, SampleRng& rng,
                           ModelScratch& scratch, TreePrediction& out) const {
    (void)game, (void)options, (void)rng, (void)scratch;
    out.play = nullptr;
    out.num_equilibria = 0;
  }
};

class ModelRegistry {
 public:
  // Returns true so that registration can initialise a static.
  static bool Register(std::unique_ptr<Model> model);
  static StatusOr<const Model*> Find(std::string_view name);
  // Every registered model, sorted by name.
  static std::vector<const Model*> All();
};

}  // namespace parley

#define PARLEY_REGISTER_MODEL(Type)                             \
  [[maybe_unused]] static const bool parley_registered_##Type = \
      ::parley::ModelRegistry::Register(std::make_unique<Type>())
