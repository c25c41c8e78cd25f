#include "sim/mc/scenario_sensitivity.h"

#include <algorithm>

#include "sim/core/ranks.h"
#include "sim/mc/runner.h"

namespace parley {

ScenarioFunction::ScenarioFunction(const ScenarioSpec& spec, const GameModel& game,
                                   const Model& model, uint64_t seed)
    : game_(&game), model_(&model), seed_(seed), steps_(UncertainSteps(game)) {
  for (const int k : steps_) input_names_.push_back(game.uniform_names()[k]);
  for (const auto& o : spec.outcomes) output_names_.push_back("P(" + o.id + ")");
  output_names_.push_back("P(unresolved)");
  for (const auto& a : spec.actors) output_names_.push_back("E[" + a.id + "]");
}

void ScenarioFunction::operator()(const double* points, const uint64_t* keys, int64_t count,
                                  double* out) const {
  const GameModel& game = *game_;
  const int k = num_inputs(), m = num_outputs();
  const int slots = game.num_outcomes() + 1, players = game.num_players();
  const int args = std::max(game.num_arguments(), 1);
  // Chunks of the runner's block size bound the payoff tables' memory.
  const int64_t chunk = std::min(count, BlockSizeFor(game));
  Eigen::MatrixXd thetas = Eigen::MatrixXd::Zero(chunk, game.num_draws());
  std::vector<uint8_t> holds(static_cast<size_t>(chunk * args));
  std::vector<double> u(static_cast<size_t>(game.num_uniforms()), 0.5);
  std::vector<double> slot_values(static_cast<size_t>(chunk * slots));
  std::vector<double> payoffs(static_cast<size_t>(chunk * players));
  for (int64_t first = 0; first < count; first += chunk) {
    const int64_t n = std::min(chunk, count - first);
    for (int64_t i = 0; i < n; ++i) {
      for (int j = 0; j < k; ++j) u[steps_[j]] = points[(first + i) * k + j];
      game.DrawFromUniforms(u.data(), thetas.data() + i, chunk, holds.data() + i * args);
    }
    PredictPoints(game, *model_, seed_, thetas, keys + first, n, slot_values.data(), payoffs.data(),
                  non_finite_);
    for (int64_t i = 0; i < n; ++i) {
      double* row = out + (first + i) * m;
      std::copy_n(&slot_values[i * slots], slots, row);
      std::copy_n(&payoffs[i * players], players, row + slots);
    }
  }
}

Status ScenarioFunction::CheckFinite() const {
  const int64_t first = AllMin(WorldRanks(), non_finite_.first.load());
  if (first != NonFinite::kNone)
    non_finite_.Note(first / 2, static_cast<NonFinite::Kind>(first % 2));
  return NonFiniteError(non_finite_, model_->name(), seed_, "design row");
}

}  // namespace parley
