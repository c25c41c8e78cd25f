#include "sim/solve/pure_nash.h"

#include <algorithm>
#include <cmath>

namespace parley {

namespace {

// The payoff at or above which a strategy is a best response, given the best.
double Cutoff(double best) { return best - kPayoffTolerance * (1.0 + std::abs(best)); }

}  // namespace

void FindPureEquilibria(const GameView& game, PureNashScratch& scratch, std::vector<int64_t>& out) {
  const ProfileSpace& space = *game.space;
  const int64_t profiles = space.num_profiles();
  const int players = space.num_players();
  auto& candidates = scratch.candidates;
  candidates.clear();

  // Player 0 (stride 1): scan each group of its strategies once.
  const int k0 = space.num_strategies(0);
  for (int64_t base = 0; base < profiles; base += k0) {
    double best = game.Payoff(base, 0);
    for (int s = 1; s < k0; ++s) best = std::max(best, game.Payoff(base + s, 0));
    const double cutoff = Cutoff(best);
    for (int s = 0; s < k0; ++s) {
      if (game.Payoff(base + s, 0) >= cutoff) candidates.push_back(base + s);
    }
  }
  // Other players: filter the survivors.
  for (int p = 1; p < players && !candidates.empty(); ++p) {
    const int64_t stride = space.stride(p);
    const int k = space.num_strategies(p);
    size_t kept = 0;
    for (const int64_t q : candidates) {
      const int64_t base = q - space.StrategyOf(q, p) * stride;
      double best = game.Payoff(base, p);
      for (int s = 1; s < k; ++s) best = std::max(best, game.Payoff(base + s * stride, p));
      if (game.Payoff(q, p) >= Cutoff(best)) candidates[kept++] = q;
    }
    candidates.resize(kept);
  }
  out.assign(candidates.begin(), candidates.end());
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
