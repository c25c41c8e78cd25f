// `parley explain` of a multi-round scenario: one sampled negotiation, round
// by round (what the model predicts in each round, how likely the
// negotiation is still going, the state, and how it ends), for students
// following how talks unfold.
#pragma once

#include <string>
#include <vector>

#include "sim/mc/negotiation.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/spec.h"

namespace parley {

struct NegotiationWalkText {
  std::string model;   // the model's name
  std::string source;  // "mean payoffs" or "sample 12 (seed 1)"
  std::vector<RoundTrace> rounds;
  std::vector<double> final_slots;  // how it stood after its last round
};

std::string ExplainNegotiation(const ScenarioSpec& spec, const GameModel& game,
                               const NegotiationWalkText& walk);

}  // namespace parley
