#include "sim/report/negotiation_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace parley {
namespace {

std::string Share(double p) { return fmt::format("{:.1f}%", 100.0 * p); }

// The outcome distribution as "ceasefire 12.0%, collapse 88.0%" (nonzero
// slots only).
std::string OutcomeShares(const ScenarioSpec& spec, const std::vector<double>& slots) {
  std::vector<std::string> parts;
  for (size_t k = 0; k < slots.size(); ++k) {
    if (slots[k] < 0.0005) continue;  // shown as 0.0%
    const std::string id = k < spec.outcomes.size() ? spec.outcomes[k].id : "unresolved";
    parts.push_back(id + " " + Share(slots[k]));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

// What the model predicts each actor does in a normal-form round.
std::string PredictedPlay(const ScenarioSpec& spec, const GameModel& game, const Prediction& p) {
  std::vector<std::string> parts;
  if (p.mixed) {
    for (size_t a = 0; a < spec.actors.size() && a < p.strategies.size(); ++a) {
      std::vector<std::string> options;
      for (Eigen::Index o = 0; o < p.strategies[a].size(); ++o) {
        if (p.strategies[a](o) > 0.0005) {
          options.push_back(spec.actors[a].options[o] + " " + Share(p.strategies[a](o)));
        }
      }
      parts.push_back(spec.actors[a].id + " " + fmt::format("({})", fmt::join(options, ", ")));
    }
  } else if (p.profile >= 0) {
    for (size_t a = 0; a < spec.actors.size(); ++a) {
      parts.push_back(
          spec.actors[a].id + " " +
          spec.actors[a].options[game.space().StrategyOf(p.profile, static_cast<int>(a))]);
    }
  } else {
    return "no prediction";
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

std::string ExplainNegotiation(const ScenarioSpec& spec, const GameModel& game,
                               const NegotiationWalkText& walk) {
  const RoundsSpec& r = *spec.rounds;
  std::string out;
  auto line = [&out](const std::string& l) { out += l + "\n"; };
  std::vector<std::string> continuing;
  for (size_t o = 0; o < spec.outcomes.size(); ++o) {
    if (r.continues[o]) continuing.push_back(spec.outcomes[o].id);
  }
  line("");
  line(fmt::format(
      "The negotiation round by round ({}; model {}, {} actors, up to {} rounds; "
      "{} continue{} it):",
      walk.source, walk.model, r.foresight == Foresight::kMyopic ? "myopic" : "forward-looking",
      r.max_rounds, fmt::join(continuing, ", "), continuing.size() == 1 ? "s" : ""));
  for (const RoundTrace& t : walk.rounds) {
    std::string state;
    for (size_t v = 0; v < t.state.size(); ++v) {
      state += fmt::format("{}{} = {:.3g}", v == 0 ? "; " : ", ", r.state[v].id, t.state[v]);
    }
    line(fmt::format("Round {}: still negotiating with probability {}{}", t.round,
                     Share(t.negotiating), state));
    if (!game.sequential()) line("  play: " + PredictedPlay(spec, game, t.prediction));
    if (!t.continuation.empty()) {
      std::vector<std::string> carry;
      for (size_t a = 0; a < spec.actors.size(); ++a) {
        carry.push_back(fmt::format("{} {:+.3g}", spec.actors[a].id, t.continuation[a]));
      }
      line(fmt::format("  the rounds to come add to every continuing outcome: {}",
                       fmt::join(carry, ", ")));
    }
    double going = 0.0;
    for (size_t k = 0; k < t.slots.size(); ++k) {
      if (k < spec.outcomes.size() && r.continues[k]) going += t.slots[k];
    }
    line(fmt::format("  outcome: {}{}", OutcomeShares(spec, t.slots),
                     going <= 0.0                  ? " (the negotiation ends)"
                     : t.round == r.max_rounds     ? " (the round limit: it ends here)"
                     : going >= 1.0 && t.bound < 0 ? " (another round follows)"
                                                   : ""));
    if (t.continued_in >= 0) {
      line(
          fmt::format("  the talks went on in {} (drawn: the continuing outcomes move the "
                      "state differently)",
                      spec.outcomes[t.continued_in].id));
    }
    if (t.bound >= 0) {
      line(fmt::format("  the state reached a bound: the negotiation ends in {}",
                       spec.outcomes[t.bound].id));
    }
  }
  line(fmt::format("How it stood after the last round: {}", OutcomeShares(spec, walk.final_slots)));
  return out;
}

}  // namespace parley
