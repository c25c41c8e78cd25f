// fictitious-play: learning by best-responding to the past (Brown 1951;
// Robinson 1951). Each actor starts from one fictitious observation of
// uniform play, then, round after round, plays a best response (ties split
// evenly) to the empirical distribution of the others' past play, and the
// prediction is the empirical frequency of each actor's own play.
//
// - simultaneous updates: every actor revises each round against the
//   rounds before it;
// - alternating updates: the actors revise one at a time, in scenario
//   order, each against every state recorded so far (a state is recorded
//   after each revision); `iterations` counts rounds of revisions.
//
// With more than two actors, an actor's belief is the empirical joint
// distribution of the others' play (Fudenberg & Levine 1998, ch. 2); with two
// it is the classic process. A sample converged when the regret of the
// empirical profile (the most any actor gains by deviating from its own
// frequency against the others' frequencies) is at most `tolerance` times
// the game's payoff range. Fictitious play converges in zero-sum games
// (Robinson 1951) and in 2 x 2 games (Miyasawa 1961), but not in general:
// in Shapley's (1964) 3 x 3 game play cycles with growing periods and the
// frequencies never settle; such samples are reported as not converged.
//
// In a negotiation with `learning: carried`, each round's fictitious play
// goes on from the last round's: the same counts of past play, valued in
// the new round's payoffs (PredictLearning).
#include <algorithm>
#include <vector>

#include "models/strategy_values.h"
#include "sim/model/model.h"

namespace parley {
namespace {

class FictitiousPlay final : public Model {
 public:
  static ModelInfo Info() {
    return {.name = "fictitious-play",
            .summary =
                "fictitious play: best responses to the empirical play of the others; "
                "predicts the empirical frequencies",
            .pure = false,
            .parameters =
                {ParameterDecl::Integer("iterations", 1000, 1, 1000000,
                                        "rounds of play (each actor revises once per round)"),
                 ParameterDecl::Choice("updates", "simultaneous", {"simultaneous", "alternating"},
                                       "whether the actors revise together each round or one "
                                       "after the other"),
                 ParameterDecl::Number("tolerance", 0.02, 0.0, 1.0,
                                       "converged when the regret of the empirical frequencies is "
                                       "at most this share of the game's payoff range")},
            .unresolved = "never: fictitious play predicts every game",
            .not_converged =
                "after the last round the empirical frequencies still left an "
                "actor more than the tolerance to gain by deviating (play was "
                "cycling or still moving)",
            .equilibria = false,
            .learns = true};
  }
  FictitiousPlay(const ModelInfo& info, ModelConfig config)
      : Model(info, std::move(config)),
        iterations_(parameters().Integer("iterations")),
        alternating_(parameters().Choice("updates") == "alternating"),
        tolerance_(parameters().Number("tolerance")) {}

  struct Scratch : ModelScratch {
    FlatLayout layout;
    PayoffTensor game_values;
    std::vector<double> belief_values;  // per strategy: payoff summed over the others' past play
    std::vector<double> play;           // the current (or this round's) play, flat
    std::vector<double> frequency;      // the summed play, flat
    std::vector<double> shares;         // the frequencies normalised: the prediction
    std::vector<double> values;         // the regret's buffer
    std::vector<int> support;           // per player: strategies in the play's support
    std::vector<int> support_offset;
    std::vector<int> odometer;
    // Learning carried into another game (PredictLearning): the past play
    // as weights per profile, fictitious first observation included, so
    // that the beliefs can be valued in the new game's payoffs.
    bool keep_history = false;
    bool history_kept = false;
    std::vector<double> history;
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch,
               Prediction& out) const override {
    Learn(game, static_cast<Scratch&>(scratch), /*keep=*/false, /*resume=*/false, out);
  }
  void PredictLearning(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch, bool resume,
                       Prediction& out) const override {
    Learn(game, static_cast<Scratch&>(scratch), /*keep=*/true, resume, out);
  }

 private:
  // Plays `iterations` rounds of fictitious play in `game`: from the
  // fictitious uniform observation, or (resume) on from the play, counts
  // and history a kept call left in `s`, the beliefs revalued in `game`.
  // So rounds carried over equal one long run on the same game (but for
  // the order of the beliefs' sums).
  void Learn(const GameView& game, Scratch& s, bool keep, bool resume, Prediction& out) const {
    const ProfileSpace& space = *game.space;
    if (!s.layout.Matches(space)) {
      s.layout = FlatLayout(space);
      for (auto* v : {&s.belief_values, &s.play, &s.frequency, &s.shares, &s.values}) {
        v->resize(s.layout.total);
      }
      s.support.resize(s.layout.total);
      s.support_offset.resize(s.layout.players + 1);
      s.odometer.resize(s.layout.players);
      s.history_kept = false;
    }
    resume =
        resume && s.history_kept && static_cast<int64_t>(s.history.size()) == space.num_profiles();
    const FlatLayout& l = s.layout;
    s.game_values.Load(game);
    s.keep_history = keep;
    if (resume) {
      std::fill(s.belief_values.begin(), s.belief_values.end(), 0.0);
      for (int64_t q = 0; q < space.num_profiles(); ++q) {
        if (s.history[q] != 0.0) Observe(game, l, q, s.history[q], s);
      }
    } else {
      // The fictitious first observation: uniform play.
      NaivePlay(l, {}, s.play.data());
      s.game_values.Compute(s.play.data(), s.belief_values.data());
      std::fill(s.frequency.begin(), s.frequency.end(), 0.0);
      if (keep) s.history.assign(space.num_profiles(), 1.0 / space.num_profiles());
    }
    if (alternating_) {
      if (!resume) {
        for (int p = 0; p < l.players; ++p) Revise(l, p, s);
        Record(game, l, s);
      }
      for (int64_t t = 0; t < iterations_; ++t) {
        for (int p = 0; p < l.players; ++p) {
          Revise(l, p, s);
          Record(game, l, s);
        }
      }
    } else {
      for (int64_t t = 0; t < iterations_; ++t) {
        for (int p = 0; p < l.players; ++p) Revise(l, p, s);
        Record(game, l, s);
      }
    }
    s.history_kept = keep;
    // The empirical frequencies: each player's summed play over the records.
    for (int p = 0; p < l.players; ++p) {
      double total = 0.0;
      for (int k = l.offset[p]; k < l.offset[p + 1]; ++k) total += s.frequency[k];
      for (int k = l.offset[p]; k < l.offset[p + 1]; ++k) s.shares[k] = s.frequency[k] / total;
    }
    const double regret = s.game_values.Regret(s.shares.data(), s.values.data());
    StorePrediction(space, l, s.shares.data(), out);
    out.converged = regret <= tolerance_ * s.game_values.Range();
  }

  // Player p's play becomes its best response to its beliefs.
  static void Revise(const FlatLayout& l, int p, Scratch& s) {
    SplitBestResponse(s.belief_values.data() + l.offset[p], l.count[p],
                      s.play.data() + l.offset[p]);
  }

  // Adds profile q, observed with `weight`, to every player's beliefs: the
  // payoff each of its strategies would have earned against the others'
  // part of q.
  static void Observe(const GameView& game, const FlatLayout& l, int64_t q, double weight,
                      Scratch& s) {
    const ProfileSpace& space = *game.space;
    for (int p = 0; p < l.players; ++p) {
      double* v = s.belief_values.data() + l.offset[p];
      const int own = space.StrategyOf(q, p);
      const int64_t base = q - own * space.stride(p);
      for (int k = 0; k < l.count[p]; ++k) {
        v[k] += weight * game.Payoff(base + k * space.stride(p), p);
      }
    }
  }

  // Counts the current play (a product of each player's split best
  // response; nearly always one profile) into the frequencies and into
  // every player's beliefs.
  static void Record(const GameView& game, const FlatLayout& l, Scratch& s) {
    const ProfileSpace& space = *game.space;
    for (int k = 0; k < l.total; ++k) s.frequency[k] += s.play[k];
    int next = 0;
    for (int p = 0; p < l.players; ++p) {
      s.support_offset[p] = next;
      for (int k = 0; k < l.count[p]; ++k) {
        if (s.play[l.offset[p] + k] > 0.0) s.support[next++] = k;
      }
      s.odometer[p] = s.support_offset[p];
    }
    s.support_offset[l.players] = next;
    for (;;) {
      int64_t q = 0;
      double weight = 1.0;
      for (int p = 0; p < l.players; ++p) {
        const int k = s.support[s.odometer[p]];
        q += k * space.stride(p);
        weight *= s.play[l.offset[p] + k];
      }
      Observe(game, l, q, weight, s);
      if (s.keep_history) s.history[q] += weight;
      int p = 0;  // the next profile of the support product
      while (p < l.players && ++s.odometer[p] == s.support_offset[p + 1]) {
        s.odometer[p] = s.support_offset[p];
        ++p;
      }
      if (p == l.players) break;
    }
  }

  int64_t iterations_;
  bool alternating_;
  double tolerance_;
};

}  // namespace

PARLEY_REGISTER_MODEL(FictitiousPlay);

}  // namespace parley
