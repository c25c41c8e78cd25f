// Scenarios shared by the Monte Carlo tests.
#pragma once

#include <cmath>
#include <string>

#include "sim/model/model.h"

namespace parley::testing {

// A model that predicts NaN strategies for every player of a normal-form
// game: what no result may ever count.
class NanModel final : public Model {
 public:
  static const ModelInfo& Info() {
    static const ModelInfo info = [] {
      ModelInfo i;
      i.name = "nan-test";
      i.summary = "predicts NaN";
      i.pure = false;
      return i;
    }();
    return info;
  }
  NanModel() : Model(Info(), ModelConfig{}) {}
  void Predict(const GameView& game, SampleRng& rng, ModelScratch& scratch,
               Prediction& out) const override {
    (void)rng, (void)scratch;
    out.mixed = true;
    out.num_equilibria = 1;
    out.strategies.clear();
    for (int p = 0; p < game.space->num_players(); ++p) {
      out.strategies.push_back(
          Eigen::VectorXd::Constant(game.space->num_strategies(p), std::nan("")));
    }
  }
};

// "Threshold": a two-player game whose pure equilibrium depends on one
// uniform draw d: the row player picks x (outcome xx) when its xx payoff
// exceeds d, so with the default xx payoff 0.3, P(xx) = 0.3 exactly. The
// other entries may be given as YAML values (numbers or distributions), so
// tests can add randomness that leaves P(xx) unchanged.
struct ThresholdPayoffs {
  std::string xx_a = "0.3";
  std::string yx_b = "1";
  std::string rest_b = "0";
};

inline std::string ThresholdScenario(const ThresholdPayoffs& p = {}) {
  return R"(name: Threshold
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
parameters:
  d: {uniform: [0, 1]}
outcomes:
  - {id: xx, when: {a: x, b: x}}
  - {id: yx, when: {a: y, b: x}}
  - {id: rest, otherwise: true}
payoffs:
  xx: {a: )" +
         p.xx_a +
         R"(, b: 1}
  yx: {a: d, b: )" +
         p.yx_b + R"(}
  rest: {a: -5, b: )" +
         p.rest_b + "}\n";
}

// "Weather": a sequential game with a sampled chance move: rain with
// probability beta(2, 6) (mean 0.25). The walker stays home in the rain
// (home is worth uniform[0, 1] > -1) and goes out in the sun (2 > home), so
// P(home) = 0.25, P(outing) = 0.75, P(wet) = 0. `extra` is appended (YAML
// sections such as threats or arguments).
inline std::string WeatherScenario(const std::string& extra = "") {
  return R"(name: Weather
actors:
  - {id: walker, options: [stay, go]}
  - {id: city}
sequence:
  - id: weather
    chance: {rain: {beta: [2, 6]}, sun: rest}
  - actor: walker
outcomes:
  - {id: wet, when: {weather: rain, walker: go}}
  - {id: home, when: {walker: stay}}
  - {id: outing, otherwise: true}
payoffs:
  wet: {walker: -1, city: 0}
  home: {walker: {uniform: [0, 1]}, city: 0}
  outing: {walker: 2, city: 1}
)" + extra;
}

}  // namespace parley::testing
