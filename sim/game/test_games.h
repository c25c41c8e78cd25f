// Small games built by hand, for tests.
#pragma once

#include <vector>

#include "sim/game/normal_form.h"

namespace parley {

// A 2x2 game from row-major (row, column) payoff pairs:
// {r00, c00, r01, c01, r10, c10, r11, c11} where r_ij is the row player's
// payoff when row plays i and column plays j. Strategies are named a, b.
inline NormalFormGame TwoByTwo(const std::vector<double>& rc) {
  std::vector<double> payoffs(8);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      const int profile = i + 2 * j;  // player 0 (row) varies fastest
      payoffs[profile * 2 + 0] = rc[(i * 2 + j) * 2 + 0];
      payoffs[profile * 2 + 1] = rc[(i * 2 + j) * 2 + 1];
    }
  }
  return *NormalFormGame::Make({"row", "col"}, {{"a", "b"}, {"a", "b"}}, payoffs);
}

}  // namespace parley
