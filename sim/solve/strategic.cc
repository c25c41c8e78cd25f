#include "sim/solve/strategic.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/solve/pure_nash.h"

namespace parley {
namespace {

// Differences within kPayoffTolerance (relative to the payoffs) are ties.
double Slack(double a, double b) {
  return kPayoffTolerance * (1.0 + std::max(std::abs(a), std::abs(b)));
}
bool Better(double a, double b) { return a > b + Slack(a, b); }
bool NoWorse(double a, double b) { return a >= b - Slack(a, b); }

// Whether `player`'s strategy `by` dominates its strategy `s` against every
// profile of the others' strategies that `alive` keeps; `strict` asks for
// better everywhere, else no worse everywhere and better somewhere.
bool Dominates(const GameView& g, const std::vector<std::vector<uint8_t>>& alive, int player,
               int by, int s, bool strict) {
  const ProfileSpace& space = *g.space;
  bool better_somewhere = false;
  for (int64_t p = 0; p < space.num_profiles(); ++p) {
    if (space.StrategyOf(p, player) != s) continue;
    bool others_alive = true;
    for (int q = 0; q < space.num_players() && others_alive; ++q) {
      others_alive = q == player || alive[q][space.StrategyOf(p, q)];
    }
    if (!others_alive) continue;
    const double mine = g.Payoff(p, player);
    const double theirs = g.Payoff(space.Deviate(p, player, by), player);
    if (Better(theirs, mine)) {
      better_somewhere = true;
    } else if (strict || !NoWorse(theirs, mine)) {
      return false;
    }
  }
  return better_somewhere;
}

// The first live strategy of `player` that dominates `s` (strictly if
// `strict`), or -1.
int Dominator(const GameView& g, const std::vector<std::vector<uint8_t>>& alive, int player, int s,
              bool strict) {
  for (int t = 0; t < g.space->num_strategies(player); ++t) {
    if (t != s && alive[player][t] && Dominates(g, alive, player, t, s, strict)) return t;
  }
  return -1;
}

}  // namespace

StatusOr<StrategicAnalysis> AnalyzeStrategies(const NormalFormGame& game) {
  const ProfileSpace& space = game.space;
  const int64_t profiles = space.num_profiles();
  const int n = space.num_players();
  if (profiles > kMaxStrategicAnalysisProfiles) {
    return ResourceExhausted("the game has " + std::to_string(profiles) +
                             " pure-strategy profiles; the analysis by hand shows at most " +
                             std::to_string(kMaxStrategicAnalysisProfiles));
  }
  const GameView g = game.view();
  StrategicAnalysis a;

  // Best responses: the player's payoff is the best among its deviations.
  a.best_response.assign(static_cast<size_t>(profiles) * n, 0);
  for (int64_t p = 0; p < profiles; ++p) {
    bool all = true;
    for (int i = 0; i < n; ++i) {
      double best = g.Payoff(p, i);
      for (int s = 0; s < space.num_strategies(i); ++s) {
        best = std::max(best, g.Payoff(space.Deviate(p, i, s), i));
      }
      const bool br = NoWorse(g.Payoff(p, i), best);
      a.best_response[static_cast<size_t>(p) * n + i] = br;
      all = all && br;
    }
    if (all) a.pure_equilibria.push_back(p);
  }

  // Dominance in the whole game.
  std::vector<std::vector<uint8_t>> alive(n);
  for (int i = 0; i < n; ++i) alive[i].assign(space.num_strategies(i), 1);
  for (int i = 0; i < n; ++i) {
    for (int s = 0; s < space.num_strategies(i); ++s) {
      int by = Dominator(g, alive, i, s, /*strict=*/true);
      const bool strict = by >= 0;
      if (!strict) by = Dominator(g, alive, i, s, /*strict=*/false);
      if (by >= 0) a.dominated.push_back({i, s, by, strict});
    }
  }

  // Iterated elimination of strictly dominated strategies.
  for (;;) {
    std::vector<Domination> round;
    for (int i = 0; i < n; ++i) {
      for (int s = 0; s < space.num_strategies(i); ++s) {
        if (!alive[i][s]) continue;
        const int by = Dominator(g, alive, i, s, /*strict=*/true);
        if (by >= 0) round.push_back({i, s, by, true});
      }
    }
    if (round.empty()) break;
    // All at once: strict dominance is a strict order, so every player keeps
    // a strategy, and the order of removal does not change what survives.
    for (const Domination& d : round) alive[d.player][d.dominated] = 0;
    a.elimination_rounds.push_back(std::move(round));
  }
  a.survivors.resize(n);
  for (int i = 0; i < n; ++i) {
    for (int s = 0; s < space.num_strategies(i); ++s) {
      if (alive[i][s]) a.survivors[i].push_back(s);
    }
  }

  // Pareto: profiles every player likes at least as much, one strictly more.
  for (const int64_t e : a.pure_equilibria) {
    StrategicAnalysis::ParetoNote note{e, {}};
    for (int64_t q = 0; q < profiles; ++q) {
      bool no_worse = true;
      bool better = false;
      for (int i = 0; i < n && no_worse; ++i) {
        no_worse = NoWorse(g.Payoff(q, i), g.Payoff(e, i));
        better = better || Better(g.Payoff(q, i), g.Payoff(e, i));
      }
      if (no_worse && better) note.dominated_by.push_back(q);
    }
    if (!note.dominated_by.empty()) a.pareto.push_back(std::move(note));
  }
  return a;
}

}  // namespace parley
