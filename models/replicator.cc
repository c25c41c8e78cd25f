// replicator: multi-population replicator dynamics (Taylor & Jonker 1978;
// Hofbauer & Sigmund 1998). Each actor is a population whose share of each
// option grows in proportion to how much better it does than the
// population's average against the other actors' current shares:
//
//   dx_ps/dt = x_ps (u_p(s, x_-p) - u_p(x)) / R_p
//
// where R_p is actor p's payoff range in the sampled game (the largest
// payoff minus the smallest), so that time runs in the same units whatever
// the payoff scale (a positive affine change of an actor's payoffs only
// rescales its time; this makes it leave the dynamics unchanged). From the
// uniform interior point, the state is integrated with the classic
// fourth-order Runge-Kutta method (fixed `step`) up to time `horizon`, and
// the prediction is the state there. A sample converged when the state is
// at rest there: no share moves faster than `tolerance` per unit of time.
// Integration stops early once the state is at rest to 1e-12 (it then stays
// put up to that rounding). Shares that rounding drives below zero are set
// to zero and each actor's shares renormalised after every step.
#include <algorithm>
#include <cmath>
#include <vector>

#include "models/strategy_values.h"
#include "sim/model/model.h"

namespace parley {
namespace {

class Replicator final : public Model {
 public:
  static ModelInfo Info() {
    return {.name = "replicator",
            .summary =
                "multi-population replicator dynamics from the uniform point (RK4); "
                "predicts the state at the horizon",
            .pure = false,
            .parameters =
                {ParameterDecl::Number("horizon", 30.0, 0.0, 1e6,
                                       "time to integrate to, in units of the actors' payoff "
                                       "ranges"),
                 ParameterDecl::Number("step", 0.25, 1e-4, 1.0,
                                       "Runge-Kutta (RK4) step; the last step is shortened to "
                                       "end at the horizon"),
                 ParameterDecl::Number("tolerance", 1e-3, 0.0, 1.0,
                                       "converged when no share moves faster than this per unit "
                                       "of time at the horizon")},
            .unresolved = "never: the replicator dynamics predict every game",
            .not_converged =
                "at the horizon some option's share was still moving faster than "
                "the tolerance (an orbit around an equilibrium, or a slow approach)",
            .equilibria = false};
  }
  Replicator(const ModelInfo& info, ModelConfig config)
      : Model(info, std::move(config)),
        horizon_(parameters().Number("horizon")),
        step_(parameters().Number("step")),
        tolerance_(parameters().Number("tolerance")) {}

  struct Scratch : ModelScratch {
    FlatLayout layout;
    std::vector<double> x, y, k1, k2, k3, k4, values, scale;
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch,
               Prediction& out) const override {
    auto& s = static_cast<Scratch&>(scratch);
    if (!s.layout.Matches(*game.space)) {
      s.layout = FlatLayout(*game.space);
      for (auto* v : {&s.x, &s.y, &s.k1, &s.k2, &s.k3, &s.k4, &s.values}) {
        v->resize(s.layout.total);
      }
      s.scale.resize(s.layout.players);
    }
    const FlatLayout& l = s.layout;
    const int n = l.total;
    for (int p = 0; p < l.players; ++p) {
      double low = 0.0, high = 0.0;
      PayoffBounds(game, p, &low, &high);
      s.scale[p] = high > low ? 1.0 / (high - low) : 0.0;  // an indifferent actor stays put
    }
    NaivePlay(l, {}, s.x.data());
    double speed = Field(game, s, s.x.data(), s.k1.data());
    for (double t = 0.0; t < horizon_ && speed > 1e-12;) {
      const double h = std::min(step_, horizon_ - t);
      // Classic RK4; k1 is the field at x.
      for (int i = 0; i < n; ++i) s.y[i] = s.x[i] + 0.5 * h * s.k1[i];
      Field(game, s, s.y.data(), s.k2.data());
      for (int i = 0; i < n; ++i) s.y[i] = s.x[i] + 0.5 * h * s.k2[i];
      Field(game, s, s.y.data(), s.k3.data());
      for (int i = 0; i < n; ++i) s.y[i] = s.x[i] + h * s.k3[i];
      Field(game, s, s.y.data(), s.k4.data());
      for (int i = 0; i < n; ++i) {
        s.x[i] += h / 6.0 * (s.k1[i] + 2.0 * s.k2[i] + 2.0 * s.k3[i] + s.k4[i]);
      }
      Renormalise(l, s.x.data());
      t = h < step_ ? horizon_ : t + h;
      speed = Field(game, s, s.x.data(), s.k1.data());
    }
    StorePrediction(*game.space, l, s.x.data(), out);
    out.converged = speed <= tolerance_;
  }

 private:
  // The replicator field at `x` into `dx`; returns its largest magnitude.
  static double Field(const GameView& game, Scratch& s, const double* x, double* dx) {
    const FlatLayout& l = s.layout;
    FlatStrategyValues(game, l, x, s.values.data());
    double speed = 0.0;
    for (int p = 0; p < l.players; ++p) {
      const int o = l.offset[p];
      double average = 0.0;
      for (int k = 0; k < l.count[p]; ++k) average += x[o + k] * s.values[o + k];
      for (int k = 0; k < l.count[p]; ++k) {
        dx[o + k] = x[o + k] * (s.values[o + k] - average) * s.scale[p];
        speed = std::max(speed, std::abs(dx[o + k]));
      }
    }
    return speed;
  }

  static void Renormalise(const FlatLayout& l, double* x) {
    for (int p = 0; p < l.players; ++p) {
      double total = 0.0;
      for (int k = l.offset[p]; k < l.offset[p + 1]; ++k) {
        x[k] = std::max(x[k], 0.0);
        total += x[k];
      }
      if (total > 0.0) {
        for (int k = l.offset[p]; k < l.offset[p + 1]; ++k) x[k] /= total;
      }
    }
  }

  double horizon_;
  double step_;
  double tolerance_;
};

}  // namespace

PARLEY_REGISTER_MODEL(Replicator);

}  // namespace parley
