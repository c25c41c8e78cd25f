// A scenario as a function of uniforms, for the sensitivity library: the
// inputs are the scenario's uncertain draw steps (GameModel::uniform_names,
// constants left out), the outputs each outcome's probability, the
// probability that the model finds no prediction ("unresolved"), and each
// actor's payoff under the prediction. One point is one sampled game, solved
// by the model through the runner's prediction path (PredictPoints).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/mc/non_finite.h"
#include "sim/model/model.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

class ScenarioFunction {
 public:
  ScenarioFunction(const ScenarioSpec& spec, const GameModel& game, const Model& model,
                   uint64_t seed);

  int num_inputs() const { return static_cast<int>(input_names_.size()); }
  int num_outputs() const { return static_cast<int>(output_names_.size()); }
  // param.<id>, payoff.<outcome>.<actor>, ..., argument.<id>.
  const std::vector<std::string>& input_names() const { return input_names_; }
  // P(<outcome>) per outcome, P(unresolved), then E[<actor>] per actor: an
  // actor's payoff where the model resolves the game, NaN where it does not.
  const std::vector<std::string>& output_names() const { return output_names_; }

  // The BatchFunction of sim/mc/sensitivity.h: keys are the model streams'
  // sample indices, so the points of one base row share equilibrium
  // selection's random numbers.
  void operator()(const double* points, const uint64_t* keys, int64_t count, double* out) const;

  // After the evaluations: Internal (exit 1) when a point's draws or its
  // prediction were not finite numbers (a NaN output would otherwise be
  // left out of the statistics as undefined, silently), naming the first
  // design row by its key, whichever rank of a distributed run evaluated it
  // (a collective there: every rank calls it).
  Status CheckFinite() const;

 private:
  const GameModel* game_;
  const Model* model_;
  uint64_t seed_;
  std::vector<int> steps_;  // the draw step of each input
  std::vector<std::string> input_names_, output_names_;
  mutable NonFinite non_finite_;  // noted from every thread that evaluates
};

}  // namespace parley
