// Scenarios shared by the Monte Carlo tests.
#pragma once

#include <string>

namespace parley::testing {

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

}  // namespace parley::testing
