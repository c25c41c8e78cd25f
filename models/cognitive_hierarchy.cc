// cognitive-hierarchy: the Poisson cognitive hierarchy model (Camerer, Ho &
// Chong 2004, QJE 119(3)). The population's levels of thinking follow a
// Poisson distribution with mean tau: f(j) = e^-tau tau^j / j!. Level 0
// plays uniformly (or the actors' anchors, as in level-k); level j >= 1
// best-responds, ties split evenly, to the others being spread over the
// lower levels 0..j-1 in proportion to f (the normalised Poisson mixture
// f(h) / (f(0) + ... + f(j-1))). The prediction is the population mixture
// over levels: sum_j f(j) L_j. Levels stop at `max_level`; the Poisson
// mass above it is left out, the rest renormalised, and the run's outputs
// state how much was left out (Note).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "models/strategy_values.h"
#include "sim/model/model.h"

namespace parley {
namespace {

class CognitiveHierarchy final : public Model {
 public:
  static ModelInfo Info() {
    return {
        .name = "cognitive-hierarchy",
        .summary =
            "Poisson cognitive hierarchy: level j best-responds to the Poisson(tau) "
            "mixture of levels below j; predicts the population mixture",
        .pure = false,
        .parameters = {ParameterDecl::Number("tau", 1.5, 0.0, 20.0,
                                             "mean number of thinking steps of the Poisson "
                                             "distribution of levels (0: everyone plays level 0)"),
                       ParameterDecl::Integer(
                           "max_level", 10, 1, 40,
                           "highest level computed; the Poisson mass above it is "
                           "left out (reported) and the rest renormalised")},
        .unresolved = "never: cognitive-hierarchy predicts every game",
        .equilibria = false};
  }
  CognitiveHierarchy(const ModelInfo& info, ModelConfig config)
      : Model(info, std::move(config)),
        tau_(parameters().Number("tau")),
        max_level_(static_cast<int>(parameters().Integer("max_level"))) {
    // f(j) by the recurrence f(j) = f(j-1) tau / j, from f(0) = e^-tau.
    weights_.resize(max_level_ + 1);
    weights_[0] = std::exp(-tau_);
    for (int j = 1; j <= max_level_; ++j) weights_[j] = weights_[j - 1] * tau_ / j;
    double kept = 0.0;
    for (double w : weights_) kept += w;
    kept_mass_ = kept;
  }

  std::string Note() const override {
    return fmt::format(
        "levels 0 to {} of Poisson(tau = {}); the mass above level {} ({:.3g}) is "
        "left out and the rest renormalised",
        max_level_, ShortestText(tau_), max_level_, std::max(0.0, 1.0 - kept_mass_));
  }

  struct Scratch : ModelScratch {
    PayoffTensor game_values;
    std::vector<double> level, cumulative, belief, values;
    std::vector<double> margin, range;  // per player
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch,
               Prediction& out) const override {
    auto& s = static_cast<Scratch&>(scratch);
    s.game_values.Load(game);
    const FlatLayout& l = s.game_values.layout();
    for (auto* v : {&s.level, &s.cumulative, &s.belief, &s.values}) v->resize(l.total);
    s.margin.resize(l.players);
    s.range.resize(l.players);
    double largest = 0.0;
    for (int p = 0; p < l.players; ++p) {
      double low = 0.0, high = 0.0;
      s.game_values.Bounds(p, &low, &high);
      s.range[p] = high - low;
      largest = std::max({largest, std::abs(low), std::abs(high)});
    }
    const double tie_guard = 2e-9 * (1.0 + largest);  // twice PayoffsTie's tolerance
    const int n = l.total;
    NaivePlay(l, anchors(), s.level.data());
    // cumulative = sum over computed levels h of f(h) L_h; below = sum of f(h).
    double below = weights_[0];
    for (int i = 0; i < n; ++i) s.cumulative[i] = weights_[0] * s.level[i];
    // The mass `below` had at the last level whose values were computed;
    // 0: none yet (level 0 is not a best response).
    double computed_below = 0.0;
    for (int j = 1; j <= max_level_; ++j) {
      if (weights_[j] == 0.0) break;  // tau = 0, or underflow: no mass left to compute
      if (!BestResponsesCertain(l, s, computed_below, below, tie_guard)) {
        for (int i = 0; i < n; ++i) s.belief[i] = s.cumulative[i] / below;
        s.game_values.Compute(s.belief.data(), s.values.data());
        for (int p = 0; p < l.players; ++p) {
          const double* v = s.values.data() + l.offset[p];
          const int ties = SplitBestResponse(v, l.count[p], s.level.data() + l.offset[p]);
          s.margin[p] = ties > 1 ? 0.0 : Margin(v, l.count[p]);
        }
        computed_below = below;
      }
      for (int i = 0; i < n; ++i) s.cumulative[i] += weights_[j] * s.level[i];
      below += weights_[j];
    }
    for (int i = 0; i < n; ++i) s.belief[i] = s.cumulative[i] / below;
    StorePrediction(*game.space, l, s.belief.data(), out);
    out.converged = true;
  }

 private:
  // Whether the best responses last computed (at belief mass
  // `computed_below`) are still every player's unique best response at
  // mass `below`, without computing the values. The belief then is the
  // old one mixed with the levels since: each other player's belief moved
  // by at most d = 1 - computed_below / below in total variation, so each
  // strategy's value by at most d x range_p per other player, and the
  // lead of the best strategy by at most twice that. A lead larger than
  // 2 (players - 1) d range_p (plus twice the tie tolerance) keeps the
  // same unique best response, in exact arithmetic and in rounding alike,
  // so skipping the pass changes no digit of the prediction. At tau 1.5
  // most samples stop computing after a few levels.
  static bool BestResponsesCertain(const FlatLayout& l, const Scratch& s, double computed_below,
                                   double below, double tie_guard) {
    if (computed_below == 0.0) return false;
    const double moved = 1.0 - computed_below / below;
    for (int p = 0; p < l.players; ++p) {
      if (s.margin[p] <= 2.0 * (l.players - 1) * moved * s.range[p] + tie_guard) return false;
    }
    return true;
  }

  // The best value minus the second best (infinity with one option).
  static double Margin(const double* values, int count) {
    double best = -std::numeric_limits<double>::infinity(), second = best;
    for (int k = 0; k < count; ++k) {
      if (values[k] > best) {
        second = best;
        best = values[k];
      } else if (values[k] > second) {
        second = values[k];
      }
    }
    return best - second;
  }

  double tau_;
  int max_level_;
  std::vector<double> weights_;  // f(0..max_level)
  double kept_mass_ = 1.0;
};

}  // namespace

PARLEY_REGISTER_MODEL(CognitiveHierarchy);

}  // namespace parley
