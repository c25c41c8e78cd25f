// A sample negotiation of a multi-round scenario, round by round, for
// `parley explain`: the scenario's own model plays the game that the
// request picked (the mean game or one sample) from its initial state.
#pragma once

#include "sim/app/game_input.h"
#include "sim/core/status.h"
#include "sim/report/negotiation_report.h"

namespace parley {

// Requires input.spec with `rounds` (and its compiled model and draws).
StatusOr<NegotiationWalkText> WalkNegotiation(const GameInput& input);

}  // namespace parley
