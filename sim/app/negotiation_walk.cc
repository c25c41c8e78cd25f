#include "sim/app/negotiation_walk.h"

#include "sim/app/sampling.h"
#include "sim/mc/negotiation.h"

namespace parley {

StatusOr<NegotiationWalkText> WalkNegotiation(const GameInput& input) {
  if (!input.spec || !input.spec->rounds || !input.model) {
    return InvalidArgument("not a multi-round scenario");
  }
  const ScenarioSpec& spec = *input.spec;
  const GameModel& game = *input.model;
  PARLEY_RETURN_IF_ERROR(CheckRoundsPlayable(game));
  PARLEY_ASSIGN_OR_RETURN(const Selection selection, SelectionFromName(spec.simulation.selection));
  PARLEY_ASSIGN_OR_RETURN(const std::unique_ptr<Model> model, ModelForScenario(spec, selection));
  if (game.sequential() ? !model->sequential() : !model->normal_form()) {
    return InvalidArgument("model '" + std::string(model->name()) + "' does not solve " +
                           (game.sequential() ? "sequential" : "normal-form") + " games");
  }
  NegotiationWalkText walk;
  walk.model = std::string(model->name());
  walk.source = input.source;
  NegotiationPlayer player(game, *model, input.tree_settings.seed, 1);
  player.set_trace(&walk.rounds);
  player.PlayTable(input.tree_settings.index, input.table.data(), 1, input.draws.data(), 1);
  walk.final_slots = player.final_slots();
  return walk;
}

}  // namespace parley
