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
    FlatLayout layout;
    std::vector<double> level, cumulative, belief, values;
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch,
               Prediction& out) const override {
    auto& s = static_cast<Scratch&>(scratch);
    if (!s.layout.Matches(*game.space)) {
      s.layout = FlatLayout(*game.space);
      for (auto* v : {&s.level, &s.cumulative, &s.belief, &s.values}) v->resize(s.layout.total);
    }
    const FlatLayout& l = s.layout;
    const int n = l.total;
    NaivePlay(l, anchors(), s.level.data());
    // cumulative = sum over computed levels h of f(h) L_h; below = sum of f(h).
    double below = weights_[0];
    for (int i = 0; i < n; ++i) s.cumulative[i] = weights_[0] * s.level[i];
    for (int j = 1; j <= max_level_; ++j) {
      if (weights_[j] == 0.0) break;  // tau = 0, or underflow: no mass left to compute
      for (int i = 0; i < n; ++i) s.belief[i] = s.cumulative[i] / below;
      FlatStrategyValues(game, l, s.belief.data(), s.values.data());
      for (int p = 0; p < l.players; ++p) {
        SplitBestResponse(s.values.data() + l.offset[p], l.count[p], s.level.data() + l.offset[p]);
      }
      for (int i = 0; i < n; ++i) s.cumulative[i] += weights_[j] * s.level[i];
      below += weights_[j];
    }
    for (int i = 0; i < n; ++i) s.belief[i] = s.cumulative[i] / below;
    StorePrediction(*game.space, l, s.belief.data(), out);
    out.converged = true;
  }

 private:
  double tau_;
  int max_level_;
  std::vector<double> weights_;  // f(0..max_level)
  double kept_mass_ = 1.0;
};

}  // namespace

PARLEY_REGISTER_MODEL(CognitiveHierarchy);

}  // namespace parley
