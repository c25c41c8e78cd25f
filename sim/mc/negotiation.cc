#include "sim/mc/negotiation.h"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace parley {

Status CheckRoundsPlayable(const GameModel& game) {
  const CompiledRounds* rounds = game.rounds();
  if (rounds == nullptr || !rounds->forward_looking) return OkStatus();
  if (rounds->carry_learning) return InvalidArgument(std::string(kCarriedNeedsMyopic));
  if (rounds->changes_differ) {
    return InvalidArgument(
        "forward-looking actors need the continuing outcomes to change the state alike (their "
        "value of the rounds to come follows one state path); this scenario's continuing "
        "outcomes change it differently: use foresight myopic");
  }
  for (const auto& s : rounds->state) {
    if (!s.bounds.empty()) {
      return InvalidArgument(
          "forward-looking actors cannot value rounds that a state bound may end; this "
          "scenario's state variables have `end` bounds: use foresight myopic");
    }
  }
  return OkStatus();
}

NegotiationPlayer::NegotiationPlayer(const GameModel& game, const Model& model, uint64_t seed,
                                     int width)
    : game_(game),
      rounds_(*game.rounds()),
      model_(model),
      seed_(seed),
      width_(width),
      slots_(game.num_outcomes() + 1),
      players_(game.num_players()),
      variables_(static_cast<int>(game.rounds()->state.size())),
      carry_(game.rounds()->carry_learning && model.info().learns && !game.sequential()),
      offsets_(game.EntryOffsets(1)),
      scratch_(model.NewScratch()) {
  const PayoffProgram& program = game.payoff_program();
  const int64_t entries = static_cast<int64_t>(game.num_classes()) * players_ +
                          (game.sequential() ? game.tree().num_probabilities() : 0);
  gather_.resize(static_cast<size_t>(entries));
  for (int64_t e = 0; e < entries; ++e) gather_[e] = program.row_slot(e) * width;
  std::set<int32_t> classes;
  for (int64_t cell = 0; cell < game.num_cells(); ++cell) {
    if (rounds_.continues[game.outcome_of(cell)]) classes.insert(game.class_of()[cell]);
  }
  continuing_classes_.assign(classes.begin(), classes.end());
  stage_.slot_probabilities.resize(slots_);
  stage_.payoffs.resize(players_);
  base_.resize(gather_.size());
  initial_.resize(variables_);
  changes_.resize(static_cast<size_t>(variables_) * game.num_outcomes());
  value_.resize(players_);
  final_.resize(slots_);
  discount_power_.resize(players_);
  round_slots_.assign(rounds_.max_rounds, std::vector<double>(slots_));
  round_state_.assign(rounds_.max_rounds, std::vector<double>(variables_));
}

void NegotiationPlayer::BuildTable(const double* state, const double* continuation) {
  table_ = base_;
  for (int v = 0; v < variables_; ++v) {
    const double d = state[v] - initial_[v];
    if (d == 0.0) continue;
    for (const auto& [e, c] : rounds_.state[v].entries) table_[e] += d * c;
  }
  if (continuation != nullptr) {
    for (const int32_t k : continuing_classes_) {
      for (int p = 0; p < players_; ++p) {
        table_[static_cast<size_t>(k) * players_ + p] += rounds_.discount[p] * continuation[p];
      }
    }
  }
}

void NegotiationPlayer::Solve(uint64_t index, Prediction& prediction, TreePrediction& tree,
                              bool resume) {
  SampleRng rng(seed_, index, RngStream::kModel);
  if (game_.sequential()) {
    model_.PredictTree(game_.Tree(table_.data(), offsets_), rng, *scratch_, tree);
    TreePredictionOutcome(game_, tree, stage_);
    return;
  }
  const GameView view = game_.View(table_.data(), offsets_);
  if (carry_) {
    model_.PredictLearning(view, rng, *scratch_, resume, prediction);
  } else {
    model_.Predict(view, rng, *scratch_, prediction);
  }
  PredictionOutcome(game_, view, prediction, stage_);
}

void NegotiationPlayer::DrawChanges(SampleRng& rng) {
  std::fill(changes_.begin(), changes_.end(), 0.0);
  const int outcomes = game_.num_outcomes();
  for (int v = 0; v < variables_; ++v) {
    for (const auto& [o, d] : rounds_.state[v].changes) {
      changes_[static_cast<size_t>(v) * outcomes + o] = d.Sample(rng);
    }
  }
}

int NegotiationPlayer::MoveState(int o, std::vector<double>& state) const {
  const int outcomes = game_.num_outcomes();
  for (int v = 0; v < variables_; ++v) state[v] += changes_[static_cast<size_t>(v) * outcomes + o];
  for (int v = 0; v < variables_; ++v) {
    for (const auto& b : rounds_.state[v].bounds) {
      if (b.upper ? state[v] >= b.value : state[v] <= b.value) return b.outcome;
    }
  }
  return -1;
}

void NegotiationPlayer::Play(uint64_t index, const double* values, const StageBuffers* first) {
  for (size_t e = 0; e < gather_.size(); ++e) base_[e] = values[gather_[e]];
  for (int v = 0; v < variables_; ++v) {
    const CompiledRounds::State& s = rounds_.state[v];
    double x = s.constant;
    for (const auto& [atom, c] : s.draws) x += c * values[static_cast<size_t>(atom) * width_];
    initial_[v] = x;
  }
  PlayBase(index, first);
}

void NegotiationPlayer::PlayTable(uint64_t index, const double* table, int64_t table_stride,
                                  const double* draws, int64_t draw_stride) {
  for (size_t e = 0; e < base_.size(); ++e)
    base_[e] = table[static_cast<int64_t>(e) * table_stride];
  for (int v = 0; v < variables_; ++v) {
    const CompiledRounds::State& s = rounds_.state[v];
    double x = s.constant;
    for (const auto& [atom, c] : s.draws) x += c * draws[static_cast<int64_t>(atom) * draw_stride];
    initial_[v] = x;
  }
  PlayBase(index, nullptr);
}

void NegotiationPlayer::PlayBase(uint64_t index, const StageBuffers* first) {
  path_.Reset(rounds_.max_rounds, slots_, variables_);
  std::fill(final_.begin(), final_.end(), 0.0);
  std::fill(value_.begin(), value_.end(), 0.0);
  value_ok_ = true;
  if (trace_ != nullptr) trace_->clear();
  if (rounds_.forward_looking) {
    PlayForwardLooking(index);
  } else {
    PlayMyopic(index, first);
  }
  pure_slot_ = -1;
  for (int k = 0; k < slots_; ++k) {
    if (final_[k] == 1.0) pure_slot_ = k;
  }
  if (pure_slot_ >= 0) {
    for (int k = 0; k < slots_; ++k) {
      if (k != pure_slot_ && final_[k] != 0.0) pure_slot_ = -1;
    }
  }
}

double NegotiationPlayer::SettleRound(int r, double m, const std::vector<double>& q) {
  double c = 0.0;
  for (int k = 0; k < slots_; ++k) {
    if (rounds_.continues[k]) {
      c += q[k];
    } else {
      path_.ended[static_cast<size_t>(r) * slots_ + k] += m * q[k];
      final_[k] += m * q[k];
    }
  }
  if (r == rounds_.max_rounds - 1 || c == 0.0) {
    for (int k = 0; k < slots_; ++k) {
      if (rounds_.continues[k]) final_[k] += m * q[k];
    }
    return -1.0;
  }
  return c;
}

void NegotiationPlayer::PlayMyopic(uint64_t index, const StageBuffers* first) {
  const int rounds = rounds_.max_rounds;
  SampleRng change_rng(seed_, index, RngStream::kRounds);
  SampleRng play_rng(seed_, index, RngStream::kRoundsPlay);
  state_ = initial_;
  std::fill(discount_power_.begin(), discount_power_.end(), 1.0);
  std::vector<double>& q = round_slots_[0];
  std::vector<double> u(players_);
  double m = 1.0;
  int first_continuing = 0;
  while (!rounds_.continues[first_continuing]) ++first_continuing;
  for (int r = 0; r < rounds; ++r) {
    path_.alive[r] = m;
    std::copy(state_.begin(), state_.end(),
              path_.state.begin() + static_cast<size_t>(r) * variables_);
    // Without state (or carried learning) every round plays the same game:
    // round 1's prediction.
    if (r == 0 || variables_ > 0 || carry_) {
      if (r == 0 && first != nullptr && !carry_) {
        q = first->slot_probabilities;
        u = first->payoffs;
      } else {
        BuildTable(state_.data(), nullptr);
        Solve(index, prediction_, tree_, /*resume=*/r > 0);
        q = stage_.slot_probabilities;
        u = stage_.payoffs;
      }
      if (r == 0 && variables_ == 0 && !carry_) SolveMarkov(q);
    }
    if (trace_ != nullptr) {
      RoundTrace t;
      t.round = r + 1;
      t.negotiating = m;
      t.state = state_;
      t.slots = q;
      t.payoffs = u;
      t.prediction = prediction_;
      trace_->push_back(std::move(t));
    }
    if (q[slots_ - 1] > 0.0) value_ok_ = false;
    for (int p = 0; p < players_ && value_ok_; ++p) {
      if (r == 0) {
        value_[p] = m * u[p];
      } else {
        value_[p] += discount_power_[p] * m * u[p];
      }
      discount_power_[p] *= rounds_.discount[p];
    }
    const double c = SettleRound(r, m, q);
    if (c < 0.0) return;
    if (variables_ > 0) {
      DrawChanges(change_rng);
      // Which continuing outcome the round ended in matters only when they
      // change the state differently.
      int o = first_continuing;
      if (rounds_.changes_differ) {
        double x = play_rng.Uniform() * c;
        int last = -1;
        for (int k = 0; k < slots_; ++k) {
          if (!rounds_.continues[k] || q[k] <= 0.0) continue;
          last = k;
          if (x < q[k]) break;
          x -= q[k];
        }
        o = last;
        if (trace_ != nullptr) trace_->back().continued_in = o;
      }
      const int bound = MoveState(o, state_);
      if (trace_ != nullptr) trace_->back().bound = bound;
      if (bound >= 0) {
        path_.ended[static_cast<size_t>(r) * slots_ + bound] += m * c;
        final_[bound] += m * c;
        return;
      }
    }
    m *= c;
  }
}

void NegotiationPlayer::PlayForwardLooking(uint64_t index) {
  const int rounds = rounds_.max_rounds;
  // The state path of a negotiation that keeps going (the changes are the
  // same after every continuing outcome: CheckRoundsPlayable).
  int first_continuing = 0;
  while (!rounds_.continues[first_continuing]) ++first_continuing;
  round_state_[0] = initial_;
  if (variables_ > 0) {
    SampleRng change_rng(seed_, index, RngStream::kRounds);
    for (int r = 0; r + 1 < rounds; ++r) {
      DrawChanges(change_rng);
      round_state_[r + 1] = round_state_[r];
      MoveState(first_continuing, round_state_[r + 1]);
    }
  }
  // Backward induction: round r's continuing outcomes are worth their
  // payoff plus the discounted value of round r + 1.
  std::vector<double> next(players_, 0.0);
  bool unresolved = false;
  if (trace_ != nullptr) {
    round_predictions_.assign(rounds, Prediction{});
    round_payoffs_.assign(rounds, {});
    round_continuation_.assign(rounds, {});
  }
  for (int r = rounds - 1; r >= 0; --r) {
    BuildTable(round_state_[r].data(), r + 1 < rounds ? next.data() : nullptr);
    Solve(index, prediction_, tree_);
    round_slots_[r] = stage_.slot_probabilities;
    if (trace_ != nullptr) {
      round_predictions_[r] = prediction_;
      round_payoffs_[r] = stage_.payoffs;
      if (r + 1 < rounds) {
        for (int p = 0; p < players_; ++p) {
          round_continuation_[r].push_back(rounds_.discount[p] * next[p]);
        }
      }
    }
    if (stage_.slot_probabilities[slots_ - 1] > 0.0) {
      unresolved = true;  // no value for the rounds before it
      break;
    }
    next = stage_.payoffs;
  }
  if (unresolved) {
    first_prediction_ = Prediction{};
    first_tree_ = TreePrediction{};
    first_table_ = base_;
    path_.alive[0] = 1.0;
    path_.ended[slots_ - 1] = 1.0;
    final_[slots_ - 1] = 1.0;
    value_ok_ = false;
    if (trace_ != nullptr) {
      RoundTrace t;
      t.round = 1;
      t.negotiating = 1.0;
      t.state = round_state_[0];
      t.slots.assign(slots_, 0.0);
      t.slots[slots_ - 1] = 1.0;
      trace_->push_back(std::move(t));
    }
    return;
  }
  first_prediction_ = prediction_;
  first_tree_ = tree_;
  first_table_ = table_;
  value_ = next;  // round 1's value: the whole negotiation's
  double m = 1.0;
  for (int r = 0; r < rounds; ++r) {
    path_.alive[r] = m;
    std::copy(round_state_[r].begin(), round_state_[r].end(),
              path_.state.begin() + static_cast<size_t>(r) * variables_);
    const std::vector<double>& q = round_slots_[r];
    if (trace_ != nullptr) {
      RoundTrace t;
      t.round = r + 1;
      t.negotiating = m;
      t.state = round_state_[r];
      t.slots = q;
      t.payoffs = round_payoffs_[r];
      t.continuation = round_continuation_[r];
      t.prediction = round_predictions_[r];
      trace_->push_back(std::move(t));
    }
    const double c = SettleRound(r, m, q);
    if (c < 0.0) return;
    m *= c;
  }
}

void NegotiationPlayer::SolveMarkov(const std::vector<double>& q) {
  // Transient states: "before round 1" and each continuing outcome (the
  // last round ended in it); from each, the next round leads to continuing
  // outcome j with q[j] and ends in slot k with q[k]. N = (I - Q)^-1 is the
  // fundamental matrix; N R the absorption probabilities, N 1 the expected
  // rounds.
  std::vector<int> cont, ends;
  double c = 0.0;
  for (int k = 0; k < slots_; ++k) {
    if (rounds_.continues[k]) {
      cont.push_back(k);
      c += q[k];
    } else {
      ends.push_back(k);
    }
  }
  path_.markov = true;
  std::fill(path_.eventual.begin(), path_.eventual.end(), 0.0);
  if (c >= 1.0) {
    path_.expected_rounds = std::numeric_limits<double>::infinity();
    return;
  }
  const int t = static_cast<int>(cont.size()) + 1;
  Eigen::MatrixXd i_minus_q = Eigen::MatrixXd::Identity(t, t);
  Eigen::MatrixXd r(t, static_cast<Eigen::Index>(ends.size()) + 1);
  for (int i = 0; i < t; ++i) {
    for (size_t j = 0; j < cont.size(); ++j) i_minus_q(i, j + 1) -= q[cont[j]];
    for (size_t k = 0; k < ends.size(); ++k) r(i, k) = q[ends[k]];
    r(i, ends.size()) = 1.0;  // for N 1
  }
  const Eigen::MatrixXd b = i_minus_q.partialPivLu().solve(r);
  for (size_t k = 0; k < ends.size(); ++k) path_.eventual[ends[k]] = b(0, k);
  path_.expected_rounds = b(0, ends.size());
}

void NegotiationPlayer::AddTo(Accumulator& acc, int num_equilibria, const uint8_t* holds) const {
  if (pure_slot_ >= 0) {
    acc.AddPure(pure_slot_, num_equilibria, value(), holds);
  } else {
    acc.Add(final_.data(), num_equilibria, value(), holds);
  }
  acc.rounds.Add(path_);
}

}  // namespace parley
