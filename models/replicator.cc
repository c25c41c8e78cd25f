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
// uniform interior point, the state is integrated up to time `horizon` by
// the Dormand-Prince 5(4) pair (Dormand & Prince 1980; Hairer, Norsett &
// Wanner, Solving ODEs I, II.5) with adaptive steps: a step is accepted
// when the difference between its fifth- and fourth-order estimates is at
// most `accuracy` in every share, and the next step is sized by the usual
// controller (0.9 (accuracy / error)^(1/5), within x0.2 and x5), never
// longer than `step`. Near an attracting equilibrium the shares move
// slowly and smoothly and the steps grow, so long horizons cost little;
// an orbit keeps them short. The prediction is the state at the horizon.
// A sample converged when the state is at rest there (no share moves
// faster than `tolerance` per unit of time) and is an approximate
// equilibrium (no actor gains more than `tolerance` of its payoff range by
// switching): near a rest point that is not an equilibrium, such as the
// vertices a cycle passes, the state only slows down. Integration stops
// early only when the state is exactly at rest. A step that would drive a
// share below zero is rejected and retried at half the length: in the
// exact dynamics no share reaches zero, and one clamped there would never
// recover. After every accepted step each actor's shares are renormalised.
// A sample that would need more than kMaxSteps steps stops where it is.
//
// In a negotiation with `learning: carried`, each round's dynamics start
// from the state where the last round's stopped, in the new round's
// payoffs (PredictLearning), instead of from the uniform point.
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
                "multi-population replicator dynamics from the uniform point (adaptive "
                "Dormand-Prince 5(4)); predicts the state at the horizon",
            .pure = false,
            .parameters =
                {ParameterDecl::Number("horizon", 300.0, 0.0, 1e6,
                                       "time to integrate to, in units of the actors' payoff "
                                       "ranges"),
                 ParameterDecl::Number("step", 8.0, 1e-4, 100.0,
                                       "the longest step the adaptive integrator may take (the "
                                       "first step is this or shorter)"),
                 ParameterDecl::Number("accuracy", 1e-7, 1e-12, 1e-2,
                                       "largest local error per step in any share (the "
                                       "difference of the fifth- and fourth-order estimates)"),
                 ParameterDecl::Number("tolerance", 1e-3, 0.0, 1.0,
                                       "converged when at the horizon no share moves faster than "
                                       "this per unit of time and no actor gains more than this "
                                       "share of its payoff range by switching")},
            .unresolved = "never: the replicator dynamics predict every game",
            .not_converged =
                "at the horizon some option's share was still moving faster than "
                "the tolerance, or some actor could still gain more than the tolerance "
                "(an orbit or cycle, or a slow approach)",
            .equilibria = false,
            .learns = true};
  }
  Replicator(const ModelInfo& info, ModelConfig config)
      : Model(info, std::move(config)),
        horizon_(parameters().Number("horizon")),
        max_step_(parameters().Number("step")),
        accuracy_(parameters().Number("accuracy")),
        tolerance_(parameters().Number("tolerance")) {}

  static constexpr int kStages = 7;
  // A bound on the work of one sample: an orbit integrated at a tight
  // accuracy to a long horizon stops here (and says it did not converge).
  static constexpr int kMaxSteps = 100000;

  struct Scratch : ModelScratch {
    PayoffTensor game_values;
    std::vector<double> x, y, error, values, scale;
    std::vector<double> k[kStages];
    bool state_kept = false;  // x is where a PredictLearning call stopped
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch,
               Prediction& out) const override {
    Integrate(game, static_cast<Scratch&>(scratch), /*keep=*/false, /*resume=*/false, out);
  }
  void PredictLearning(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch, bool resume,
                       Prediction& out) const override {
    Integrate(game, static_cast<Scratch&>(scratch), /*keep=*/true, resume, out);
  }

 private:
  // Integrates the dynamics of `game` to the horizon: from the uniform
  // point, or (resume) from the state a kept call stopped at.
  void Integrate(const GameView& game, Scratch& s, bool keep, bool resume, Prediction& out) const {
    s.game_values.Load(game);
    const FlatLayout& l = s.game_values.layout();
    const int n = l.total;
    resume = resume && s.state_kept && static_cast<int>(s.x.size()) == n;
    for (auto* v : {&s.x, &s.y, &s.error, &s.values}) v->resize(n);
    for (auto& k : s.k) k.resize(n);
    s.scale.resize(l.players);
    for (int p = 0; p < l.players; ++p) {
      double low = 0.0, high = 0.0;
      s.game_values.Bounds(p, &low, &high);
      s.scale[p] = high > low ? 1.0 / (high - low) : 0.0;  // an indifferent actor stays put
    }
    if (!resume) NaivePlay(l, {}, s.x.data());
    s.state_kept = keep;
    // Dormand-Prince 5(4): nodes c, matrix a, fifth-order weights b (the
    // last row of a: the new state's field is the next step's first stage)
    // and the error weights e = b - b* (b* the fourth-order ones).
    static constexpr double a[kStages][kStages - 1] = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    static constexpr double e[kStages] = {71.0 / 57600,      0.0,        -71.0 / 16695, 71.0 / 1920,
                                          -17253.0 / 339200, 22.0 / 525, -1.0 / 40};
    double speed = Field(s, s.x.data(), s.k[0].data());
    double t = 0.0;
    double h = std::min(max_step_, horizon_);
    for (int steps = 0; t < horizon_ && speed > 0.0 && steps < kMaxSteps; ++steps) {
      const bool last = h >= horizon_ - t;
      if (last) h = horizon_ - t;
      for (int stage = 1; stage < kStages; ++stage) {
        for (int i = 0; i < n; ++i) {
          double sum = 0.0;
          for (int j = 0; j < stage; ++j) sum += a[stage][j] * s.k[j][i];
          s.y[i] = s.x[i] + h * sum;
        }
        Field(s, s.y.data(), s.k[stage].data());
      }
      double error = 0.0, lowest = 0.0;
      for (int i = 0; i < n; ++i) {
        double sum = 0.0;
        for (int j = 0; j < kStages; ++j) sum += e[j] * s.k[j][i];
        error = std::max(error, std::abs(h * sum));
        lowest = std::min(lowest, s.y[i]);
      }
      if (lowest < 0.0) {
        // A share overshot below zero: the step was too long for the error
        // estimate to be trusted, and a share clamped to zero would never
        // recover (in the exact dynamics no share reaches zero).
        h *= 0.5;
        continue;
      }
      if (!(error <= accuracy_) && !std::isnan(error)) {
        h *= std::max(0.2, 0.9 * std::pow(accuracy_ / error, 0.2));  // rejected: retry shorter
        continue;
      }
      if (std::isnan(error)) break;  // a non-finite field: stop where the state is
      // Accepted: y (the last stage's point) is the fifth-order state.
      s.x.swap(s.y);
      Renormalise(l, s.x.data());
      t = last ? horizon_ : t + h;
      speed = Field(s, s.x.data(), s.k[0].data());
      const double growth = error == 0.0 ? 5.0 : 0.9 * std::pow(accuracy_ / error, 0.2);
      h = std::min(max_step_, h * std::clamp(growth, 0.2, 5.0));
    }
    StorePrediction(*game.space, l, s.x.data(), out);
    out.converged = speed <= tolerance_ && ScaledRegret(s) <= tolerance_;
  }

  // The replicator field at `x` into `dx`; returns its largest magnitude.
  static double Field(Scratch& s, const double* x, double* dx) {
    const FlatLayout& l = s.game_values.layout();
    s.game_values.Compute(x, s.values.data());
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

  // The largest gain any actor could make at the state s.x by switching to
  // its best option, in units of its payoff range. A state at rest with a
  // large regret is passing a rest point that is not an equilibrium (a
  // vertex of a cycle such as Shapley's game's), not converging.
  static double ScaledRegret(Scratch& s) {
    const FlatLayout& l = s.game_values.layout();
    s.game_values.Compute(s.x.data(), s.values.data());
    double regret = 0.0;
    for (int p = 0; p < l.players; ++p) {
      const int o = l.offset[p];
      double best = s.values[o], average = 0.0;
      for (int k = 0; k < l.count[p]; ++k) {
        best = std::max(best, s.values[o + k]);
        average += s.x[o + k] * s.values[o + k];
      }
      regret = std::max(regret, (best - average) * s.scale[p]);
    }
    return regret;
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
  double max_step_;
  double accuracy_;
  double tolerance_;
};

}  // namespace

PARLEY_REGISTER_MODEL(Replicator);

}  // namespace parley
