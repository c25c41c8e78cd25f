#include "models/strategy_values.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace parley {
namespace {
constexpr int kMaxPlayers = 64;  // the scenario format allows 32 actors
}  // namespace

FlatLayout::FlatLayout(const ProfileSpace& space)
    : players(space.num_players()), offset(players + 1, 0), count(players) {
  for (int p = 0; p < players; ++p) {
    count[p] = space.num_strategies(p);
    offset[p + 1] = offset[p] + count[p];
  }
  total = offset[players];
}

bool FlatLayout::Matches(const ProfileSpace& space) const {
  if (space.num_players() != players) return false;
  for (int p = 0; p < players; ++p) {
    if (space.num_strategies(p) != count[p]) return false;
  }
  return true;
}

void FlatStrategyValues(const GameView& game, const FlatLayout& layout, const double* mix,
                        double* values) {
  const ProfileSpace& space = *game.space;
  const int n = layout.players;
  assert(n <= kMaxPlayers);
  std::fill(values, values + layout.total, 0.0);
  double prefix[kMaxPlayers + 1];
  double suffix[kMaxPlayers + 1];
  int strategy[kMaxPlayers];
  for (int64_t q = 0; q < space.num_profiles(); ++q) {
    prefix[0] = 1.0;
    for (int p = 0; p < n; ++p) {
      strategy[p] = layout.offset[p] + space.StrategyOf(q, p);
      prefix[p + 1] = prefix[p] * mix[strategy[p]];
    }
    suffix[n] = 1.0;
    for (int p = n - 1; p >= 0; --p) suffix[p] = suffix[p + 1] * mix[strategy[p]];
    for (int p = 0; p < n; ++p) {
      const double others = prefix[p] * suffix[p + 1];
      if (others != 0.0) values[strategy[p]] += others * game.Payoff(q, p);
    }
  }
}

int SplitBestResponse(const double* values, int count, double* out) {
  double best = values[0];
  for (int s = 1; s < count; ++s) best = std::max(best, values[s]);
  const double scale = 1.0 + std::abs(best);
  int ties = 0;
  for (int s = 0; s < count; ++s) {
    const bool tie = PayoffsTie(values[s], best, scale);
    out[s] = tie ? 1.0 : 0.0;
    ties += tie ? 1 : 0;
  }
  if (ties > 1) {
    for (int s = 0; s < count; ++s) out[s] /= ties;
  }
  return ties;
}

double PayoffScale(const GameView& game) {
  const ProfileSpace& space = *game.space;
  double largest = 0.0;
  for (int64_t q = 0; q < space.num_profiles(); ++q) {
    for (int p = 0; p < space.num_players(); ++p) {
      largest = std::max(largest, std::abs(game.Payoff(q, p)));
    }
  }
  return 1.0 + largest;
}

double PayoffRange(const GameView& game) {
  double low = 0.0, high = 0.0;
  for (int p = 0; p < game.space->num_players(); ++p) {
    double l = 0.0, h = 0.0;
    PayoffBounds(game, p, &l, &h);
    low = p == 0 ? l : std::min(low, l);
    high = p == 0 ? h : std::max(high, h);
  }
  return high - low;
}

void PayoffBounds(const GameView& game, int player, double* low, double* high) {
  const ProfileSpace& space = *game.space;
  *low = *high = game.Payoff(0, player);
  for (int64_t q = 1; q < space.num_profiles(); ++q) {
    const double v = game.Payoff(q, player);
    *low = std::min(*low, v);
    *high = std::max(*high, v);
  }
}

void NaivePlay(const FlatLayout& layout, const std::vector<int>& anchors, double* mix) {
  for (int p = 0; p < layout.players; ++p) {
    double* x = mix + layout.offset[p];
    const int anchor = static_cast<size_t>(p) < anchors.size() ? anchors[p] : -1;
    for (int s = 0; s < layout.count[p]; ++s) {
      x[s] = anchor >= 0 ? (s == anchor ? 1.0 : 0.0) : 1.0 / layout.count[p];
    }
  }
}

void StorePrediction(const ProfileSpace& space, const FlatLayout& layout, const double* mix,
                     Prediction& out) {
  out.num_equilibria = 1;
  int64_t profile = 0;
  bool pure = true;
  for (int p = 0; p < layout.players && pure; ++p) {
    const double* x = mix + layout.offset[p];
    pure = false;
    for (int s = 0; s < layout.count[p]; ++s) {
      if (x[s] == 1.0) {
        profile += s * space.stride(p);
        pure = true;
        break;
      }
    }
  }
  if (pure) {
    out.mixed = false;
    out.profile = profile;
    return;
  }
  out.mixed = true;
  out.profile = -1;
  out.strategies.resize(static_cast<size_t>(layout.players));
  for (int p = 0; p < layout.players; ++p) {
    Eigen::VectorXd& v = out.strategies[p];
    if (v.size() != layout.count[p]) v.resize(layout.count[p]);
    for (int s = 0; s < layout.count[p]; ++s) v(s) = mix[layout.offset[p] + s];
  }
}

double FlatRegret(const GameView& game, const FlatLayout& layout, const double* mix,
                  double* values_buffer) {
  FlatStrategyValues(game, layout, mix, values_buffer);
  double regret = 0.0;
  for (int p = 0; p < layout.players; ++p) {
    const double* v = values_buffer + layout.offset[p];
    const double* x = mix + layout.offset[p];
    double best = v[0], value = 0.0;
    for (int s = 0; s < layout.count[p]; ++s) {
      best = std::max(best, v[s]);
      value += x[s] * v[s];
    }
    regret = std::max(regret, best - value);
  }
  return regret;
}

}  // namespace parley
