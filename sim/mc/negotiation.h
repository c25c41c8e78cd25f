// A multi-round negotiation (GameModel::rounds()): one sampled game played
// round after round until an outcome that ends it, a state bound, or the
// round limit.
//
// Each round's stage game is the sample's table with the state variables
// at their current values (a unit change of a state variable moves the
// entries its parameter appears in by their coefficients). The negotiation
// is followed exactly as a probability: the mass still negotiating, times
// the round's predicted outcome distribution, ends in each ending outcome,
// and the continuing mass goes on. A random draw decides only which
// continuing outcome a round ended in, when the model's prediction is mixed
// and those outcomes change the state differently (stream kRoundsPlay).
// State changes are drawn round by round from stream kRounds, in the
// order: round, variable, change as written.
//
// Each round's prediction uses the sample's model stream from its start,
// so a model that chooses among equilibria chooses the same way when a
// round's game is the same (no state): selection is a convention that
// persists. Then every round plays the same game, and the negotiation is an
// absorbing Markov chain, solved exactly with its fundamental matrix
// (NegotiationPath::eventual, expected_rounds).
//
// Learning carried (rounds.learning, with a learning model): each round's
// prediction goes on from where the last round's learning stopped
// (Model::PredictLearning), so every round is solved, even without state,
// and there is no Markov chain.
//
// Foresight: myopic actors play each round's game as it stands;
// forward-looking ones add to every continuing outcome's payoff their
// discounted value of the rounds to come, found by backward induction from
// the last round (over the state path the continuing rounds lead to; state
// changes are drawn before play, as part of the sampled negotiation).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/status.h"
#include "sim/mc/accumulator.h"
#include "sim/mc/stage_outcome.h"
#include "sim/model/model.h"
#include "sim/scenario/game_model.h"

namespace parley {

// Whether `game`'s rounds can be played with its foresight: a
// forward-looking negotiation needs continuing outcomes that change the
// state alike and no state bounds (its value of the rounds to come follows
// one state path).
Status CheckRoundsPlayable(const GameModel& game);

// One round as a negotiation played it (NegotiationPlayer::set_trace), for
// explanations.
struct RoundTrace {
  int round = 0;              // from 1
  double negotiating = 0.0;   // P(still negotiating at its start)
  std::vector<double> state;  // each state variable at its start
  std::vector<double> slots;  // the round's predicted outcome distribution
  // Each player's expected payoff in the round's game; forward-looking, with
  // the value of the rounds to come.
  std::vector<double> payoffs;
  // Forward-looking: what each player's continuing outcomes carry from the
  // rounds to come (discounted); empty otherwise and in the last round.
  std::vector<double> continuation;
  Prediction prediction;  // normal-form games: the model's prediction
  int continued_in = -1;  // the continuing outcome drawn for the state, or -1
  int bound = -1;         // the outcome a state bound ended it in, or -1
};

class NegotiationPlayer {
 public:
  // `width`: the stride of the runner's value buffers (PayoffProgram).
  NegotiationPlayer(const GameModel& game, const Model& model, uint64_t seed, int width);

  // Plays sample `index`, whose draws and round-1 table are in the runner's
  // value buffer at `values` (sample-minor, stride `width`). `first`: round
  // 1's outcome distribution and payoffs when the caller has solved it
  // (myopic actors), else null.
  void Play(uint64_t index, const double* values, const StageBuffers* first);
  // The same from a table laid out as EvaluatePayoffs writes it (entry e at
  // table[e * table_stride]) and the sample's draws (draw k at
  // draws[k * draw_stride]): for the analyses that make their own tables
  // (sensitivity designs, attribution's coalitions). Round 1 is solved here.
  void PlayTable(uint64_t index, const double* table, int64_t table_stride, const double* draws,
                 int64_t draw_stride);

  const NegotiationPath& path() const { return path_; }
  // Records every round of the next negotiations played into `trace`
  // (cleared by each Play); null stops recording.
  void set_trace(std::vector<RoundTrace>* trace) { trace_ = trace; }
  // How the negotiation ended, by the round limit (outcome slots, the last
  // unresolved; the continuing outcomes hold the mass still negotiating).
  const std::vector<double>& final_slots() const { return final_; }
  // The slot holding the whole sample, or -1 when the mass is split.
  int pure_slot() const { return pure_slot_; }
  // Each player's expected discounted payoff over the rounds played; null
  // when part of the negotiation is unresolved.
  const double* value() const { return value_ok_ ? value_.data() : nullptr; }
  // Counts the negotiation: its ending into the outcome slots, its course
  // into acc.rounds.
  void AddTo(Accumulator& acc, int num_equilibria, const uint8_t* holds) const;

  // Forward-looking negotiations (Play with first == null): round 1 as the
  // actors saw it (for the actions counted): its prediction and game.
  const Prediction& first_prediction() const { return first_prediction_; }
  const TreePrediction& first_tree() const { return first_tree_; }
  GameView first_view() const { return game_.View(first_table_.data(), offsets_); }

 private:
  // Plays from base_ and initial_, filled by the caller.
  void PlayBase(uint64_t index, const StageBuffers* first);
  // The round's table into table_: the base with the state moved from its
  // initial values, and (forward-looking) the continuation values added.
  void BuildTable(const double* state, const double* continuation);
  // Solves table_ with the model into stage_ (slot_probabilities, payoffs);
  // `resume`: carried learning goes on from the last round's.
  void Solve(uint64_t index, Prediction& prediction, TreePrediction& tree, bool resume = false);
  void PlayMyopic(uint64_t index, const StageBuffers* first);
  void PlayForwardLooking(uint64_t index);
  void SolveMarkov(const std::vector<double>& q);
  // Books round r's endings (the mass negotiating, m, times the round's
  // distribution q) into the path and the final distribution, and at the
  // round limit or when nothing continues the continuing mass too. Returns
  // the probability of going on, or -1 when the negotiation is over.
  double SettleRound(int r, double m, const std::vector<double>& q);
  // The state changes of one round (changes_[v * outcomes + o]).
  void DrawChanges(SampleRng& rng);
  // Applies the changes of continuing outcome `o`; returns the slot of the
  // bound reached, or -1.
  int MoveState(int o, std::vector<double>& state) const;

  const GameModel& game_;
  const CompiledRounds& rounds_;
  const Model& model_;
  uint64_t seed_;
  int width_;
  int slots_, players_, variables_;
  bool carry_;                    // learning carried from round to round
  std::vector<int32_t> gather_;   // table entry -> slot of the value buffer (times width)
  std::vector<int32_t> offsets_;  // EntryOffsets(1)
  std::vector<int32_t> continuing_classes_;
  std::unique_ptr<ModelScratch> scratch_;
  StageBuffers stage_;
  Prediction prediction_, first_prediction_;
  TreePrediction tree_, first_tree_;
  std::vector<double> base_, table_, first_table_;
  std::vector<double> initial_, state_, changes_;
  std::vector<double> value_, final_, discount_power_;
  std::vector<std::vector<double>> round_slots_;  // forward-looking: each round's distribution
  std::vector<std::vector<double>> round_state_;
  bool value_ok_ = true;
  std::vector<RoundTrace>* trace_ = nullptr;
  std::vector<Prediction> round_predictions_;  // forward-looking, when tracing
  std::vector<std::vector<double>> round_payoffs_, round_continuation_;
  int pure_slot_ = -1;
  NegotiationPath path_;
};

}  // namespace parley
