// Model: a solution concept or behavioural model that turns one sampled game
// into a prediction. This is the interface the engine (sim/mc) and the
// application layer use; the implementations live in models/, one file each,
// and register themselves by name (PARLEY_REGISTER_MODEL) with what they are
// (ModelInfo: a summary, the kinds of game they solve, their declared
// parameters) and a factory. A Model object is one configured model: its
// parameter values and selection rule are fixed when it is made, it is
// shared by every thread of a run, and each thread keeps its own scratch
// buffers, which the model makes (NewScratch) and alone reads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/status.h"
#include "sim/game/game_tree.h"
#include "sim/game/normal_form.h"
#include "sim/model/parameters.h"
#include "sim/solve/mixed.h"
#include "sim/solve/selection.h"
#include "sim/solve/subgame_perfect.h"

namespace parley {

struct Prediction {
  int64_t profile = -1;  // the predicted pure profile; -1 when none
  bool mixed = false;    // when true, `strategies` is the prediction instead
  MixedProfile strategies;
  int num_equilibria = 0;  // how many equilibria the model found in the game
  // False when an iterative model (ModelInfo::not_converged non-empty)
  // stopped without meeting its convergence test: the prediction is still
  // made (its state when it stopped), and runs count such samples.
  bool converged = true;
};

// A model's prediction for a sequential game: everyone's choice at every
// decision node (on and off the equilibrium path), each node's value and the
// probability that play reaches it. Points into the model's scratch.
struct TreePrediction {
  const SubgamePerfect* play = nullptr;  // null: unresolved
  int num_equilibria = 0;                // 1, or 2 when ties left a choice
};

// What a registered model is, for `parley models` and for checking a request
// before anything runs.
struct ModelInfo {
  std::string name;
  std::string summary;  // one line
  // True when every prediction is a pure profile (or none): outcome counts
  // are then whole numbers and get Wilson intervals.
  bool pure = true;
  // Which kinds of game the model solves: normal-form games (Predict) and
  // sequential ones (PredictTree).
  bool normal_form = true;
  bool sequential = false;
  std::vector<ParameterDecl> parameters = {};
  // What an unresolved sample means under this model (one line, for the
  // run's output): why it made no prediction there.
  std::string unresolved = {};
  // Iterative models (learning dynamics): what a sample that did not
  // converge means (one line). Non-empty means the model sets
  // Prediction::converged and every output reports the share of samples not
  // converged; empty means the model has no convergence test (it must then
  // never clear Prediction::converged).
  std::string not_converged = {};
  // False for behavioural and learning models: their prediction is not an
  // equilibrium, so outputs leave out the count of equilibria per game
  // (num_equilibria is then 1 for every prediction).
  bool equilibria = true;
  // Learning models: their prediction is where a learning process stands,
  // and PredictLearning can go on with it in another game (a negotiation's
  // next round, with `rounds: {learning: carried}`).
  bool learns = false;
};

// A configured model's settings.
struct ModelConfig {
  Selection selection = Selection::kUniform;  // for models that choose among equilibria
  ModelParameters parameters;                 // every declared parameter's value
  // Per player, the option its level-0 (naive) play is anchored on, or -1:
  // the scenario's actor `anchor` (used by level-k and cognitive-hierarchy).
  std::vector<int> anchors = {};
};

// A model's per-thread buffers; each model derives its own.
class ModelScratch {
 public:
  virtual ~ModelScratch() = default;
};

class Model {
 public:
  Model(const ModelInfo& info, ModelConfig config) : info_(&info), config_(std::move(config)) {}
  virtual ~Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const ModelInfo& info() const { return *info_; }
  std::string_view name() const { return info_->name; }
  bool pure() const { return info_->pure; }
  bool normal_form() const { return info_->normal_form; }
  bool sequential() const { return info_->sequential; }
  Selection selection() const { return config_.selection; }
  const ModelParameters& parameters() const { return config_.parameters; }
  // The scenario's level-0 anchors, one per player (-1: none); empty when
  // the scenario gives none.
  const std::vector<int>& anchors() const { return config_.anchors; }
  // A line about this configured model for the run's outputs, or empty:
  // what its parameters imply that a reader must know (the probability mass
  // a truncation left out, say).
  virtual std::string Note() const { return {}; }

  // Buffers for one thread's calls; models that need none keep the default.
  virtual std::unique_ptr<ModelScratch> NewScratch() const {
    return std::make_unique<ModelScratch>();
  }

  // Predicts the play of `game`. Model randomness (equilibrium selection)
  // comes only from `rng`, the sample's model stream. `scratch` is one that
  // this model made.
  virtual void Predict(const GameView& game, SampleRng& rng, ModelScratch& scratch,
                       Prediction& out) const = 0;

  // Predicts every game of a chunk (out[i] for chunk.game(i), with the
  // model stream rngs[i]), exactly as Predict would one at a time; models
  // that can solve games side by side override it.
  virtual void PredictChunk(const ChunkView& chunk, SampleRng* rngs, ModelScratch& scratch,
                            Prediction* out) const {
    for (int i = 0; i < chunk.count; ++i) Predict(chunk.game(i), rngs[i], scratch, out[i]);
  }

  // Learning models (info().learns): with `resume` false, predicts as
  // Predict does and keeps in `scratch` what the learning process has
  // reached; with `resume` true, goes on from what the last such call on
  // `scratch` kept, in `game` (same actors and options, other payoffs):
  // what the actors learned in one round of a negotiation carries into
  // the next. Other models predict afresh either way.
  virtual void PredictLearning(const GameView& game, SampleRng& rng, ModelScratch& scratch,
                               bool resume, Prediction& out) const {
    (void)resume;
    Predict(game, rng, scratch, out);
  }
  // Sequential games, for models with info().sequential.
  virtual void PredictTree(const TreeView& game, SampleRng& rng, ModelScratch& scratch,
                           TreePrediction& out) const {
    (void)game, (void)rng, (void)scratch;
    out.play = nullptr;
    out.num_equilibria = 0;
  }

 private:
  const ModelInfo* info_;
  ModelConfig config_;
};

// Which model to make, and how: a model name and its parameter settings (as
// text, checked against the declarations), and the selection rule.
struct ModelRequest {
  std::string name;
  std::vector<ParameterSetting> parameters;
  Selection selection = Selection::kUniform;
  std::vector<int> anchors = {};  // ModelConfig::anchors
};

// "qre", "qre:lambda=2.5", "fictitious-play:iterations=500,updates=alternating":
// the form of `--model`. Messages start with `where`.
StatusOr<ModelRequest> ParseModelRequest(std::string_view text, std::string_view where);

class ModelRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Model>(const ModelInfo&, ModelConfig)>;
  // Returns true so that registration can initialise a static.
  static bool Register(ModelInfo info, Factory factory);
  static StatusOr<const ModelInfo*> Find(std::string_view name);
  // Every registered model, sorted by name.
  static std::vector<const ModelInfo*> All();
  // The model `request` names, with its parameters resolved (defaults
  // filled in); errors name the model or the parameter and its range.
  static StatusOr<std::unique_ptr<Model>> Make(const ModelRequest& request);
};

// A model with default parameters and `selection`, for tests and benchmarks.
StatusOr<std::unique_ptr<Model>> MakeModel(std::string_view name,
                                           Selection selection = Selection::kUniform);

}  // namespace parley

// In a model's .cc file: `Type` has `static ModelInfo Info()` and a
// constructor `Type(const ModelInfo&, ModelConfig)`.
#define PARLEY_REGISTER_MODEL(Type)                                                       \
  [[maybe_unused]] static const bool parley_registered_##Type =                           \
      ::parley::ModelRegistry::Register(Type::Info(), [](const auto& info, auto config) { \
        return std::make_unique<Type>(info, std::move(config));                           \
      })
