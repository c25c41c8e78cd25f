#include "sim/solve/pure_nash.h"

#include <algorithm>
#include <cmath>

namespace parley {

void FindPureEquilibria(const GameView& game, PureNashScratch& scratch,
                        std::vector<int64_t>& out) {
  out.clear();
  const ProfileSpace& space = *game.space;
  const int64_t profiles = space.num_profiles();
  const int players = space.num_players();
  auto& count = scratch.best_response_count;
  count.assign(profiles, 0);

  for (int p = 0; p < players; ++p) {
    const int64_t stride = space.stride(p);
    const int k = space.num_strategies(p);
    const int64_t span = stride * k;
    for (int64_t outer = 0; outer < profiles; outer += span) {
      for (int64_t base = outer; base < outer + stride; ++base) {
        double best = game.Payoff(base, p);
        for (int s = 1; s < k; ++s) best = std::max(best, game.Payoff(base + s * stride, p));
        const double cutoff = best - kPayoffTolerance * (1.0 + std::abs(best));
        for (int s = 0; s < k; ++s) {
          const int64_t q = base + s * stride;
          if (game.Payoff(q, p) >= cutoff) ++count[q];
        }
      }
    }
  }
  for (int64_t q = 0; q < profiles; ++q) {
    if (count[q] == players) out.push_back(q);
  }
}

double MaxRegret(const GameView& game, int64_t profile) {
  const ProfileSpace& space = *game.space;
  double regret = 0.0;
  for (int p = 0; p < space.num_players(); ++p) {
    const double current = game.Payoff(profile, p);
    for (int s = 0; s < space.num_strategies(p); ++s) {
      regret = std::max(regret, game.Payoff(space.Deviate(profile, p, s), p) - current);
    }
  }
  return regret;
}

}  // namespace parley
