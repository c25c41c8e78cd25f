#include "sim/solve/selection.h"

#include <cmath>

namespace parley {
namespace {

// True when every player gets at least as much at `a` as at `b`, and someone
// strictly more.
bool ParetoDominates(const GameView& game, int64_t a, int64_t b) {
  bool strictly = false;
  for (int p = 0; p < game.space->num_players(); ++p) {
    const double pa = game.Payoff(a, p), pb = game.Payoff(b, p);
    const double tol = 1e-9 * (1.0 + std::abs(pb));
    if (pa < pb - tol) return false;
    if (pa > pb + tol) strictly = true;
  }
  return strictly;
}

int64_t PickUniform(std::span<const int64_t> v, SampleRng& rng) {
  if (v.size() == 1) return v[0];
  const auto i = static_cast<size_t>(rng.Uniform() * static_cast<double>(v.size()));
  return v[i < v.size() ? i : v.size() - 1];
}

}  // namespace

StatusOr<Selection> SelectionFromName(std::string_view name) {
  if (name == "uniform") return Selection::kUniform;
  if (name == "payoff-dominant") return Selection::kPayoffDominant;
  return NotFound("unknown selection rule '" + std::string(name) + "'");
}

std::string_view SelectionName(Selection s) {
  return s == Selection::kUniform ? "uniform" : "payoff-dominant";
}

const std::vector<std::string_view>& SelectionNames() {
  static const std::vector<std::string_view> kNames = {"uniform", "payoff-dominant"};
  return kNames;
}

int64_t SelectEquilibrium(const GameView& game, std::span<const int64_t> equilibria, Selection rule,
                          SampleRng& rng, std::vector<int64_t>& scratch) {
  if (equilibria.size() == 1 || rule == Selection::kUniform) {
    return PickUniform(equilibria, rng);
  }
  scratch.clear();
  for (int64_t a : equilibria) {
    bool dominated = false;
    for (int64_t b : equilibria) {
      if (b != a && ParetoDominates(game, b, a)) {
        dominated = true;
        break;
      }
    }
    if (!dominated) scratch.push_back(a);
  }
  return PickUniform(scratch, rng);
}

}  // namespace parley
