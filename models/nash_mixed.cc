// nash-mixed: a Nash equilibrium in mixed strategies for every sampled game.
// Two players: all extreme equilibria by vertex enumeration, one picked by
// the selection rule. More players: the equilibrium the logit path selects.
#include "sim/model/model.h"
#include "sim/solve/qre.h"

namespace parley {
namespace {

// Pareto dominance between two equilibria's payoff vectors.
bool Dominates(const MixedEquilibrium& a, const MixedEquilibrium& b) {
  bool strictly = false;
  for (size_t p = 0; p < a.payoffs.size(); ++p) {
    const double tol = 1e-9 * (1.0 + std::abs(b.payoffs[p]));
    if (a.payoffs[p] < b.payoffs[p] - tol) return false;
    if (a.payoffs[p] > b.payoffs[p] + tol) strictly = true;
  }
  return strictly;
}

class NashMixed final : public Model {
 public:
  using Model::Model;
  static ModelInfo Info() {
    return {.name = "nash-mixed",
            .summary = "a mixed Nash equilibrium: 2 players all (vertex enumeration) + selection "
                       "rule; more players the logit-selected one",
            .pure = false,
            .unresolved = "no equilibrium was found: the game has more than two players and the "
                          "logit path did not reach a Nash equilibrium, or it is too large to "
                          "enumerate"};
  }
  void Predict(const GameView& game, SampleRng& rng, ModelScratch& /*scratch*/,
               Prediction& out) const override {
    out.mixed = true;
    out.profile = -1;
    std::vector<MixedEquilibrium> found;
    if (game.space->num_players() == 2) {
      auto r = EnumerateVertices(*ToBimatrix(game));
      if (r.ok()) found = std::move(r->equilibria);
    }
    if (found.empty()) {  // more players, or a game too large to enumerate
      auto limit = LogitLimit(game);
      if (limit.ok() && (limit->reason == Termination::kNashTolerance ||
                         limit->reason == Termination::kPolishedOnSupport)) {
        found.push_back(std::move(limit->profile));
      }
    }
    out.num_equilibria = static_cast<int>(found.size());
    if (found.empty()) {
      out.mixed = false;  // unresolved
      return;
    }
    std::vector<size_t> candidates;
    for (size_t i = 0; i < found.size(); ++i) {
      bool dominated = false;
      if (selection() == Selection::kPayoffDominant) {
        for (size_t j = 0; j < found.size() && !dominated; ++j) {
          dominated = j != i && Dominates(found[j], found[i]);
        }
      }
      if (!dominated) candidates.push_back(i);
    }
    size_t pick = candidates[0];
    if (candidates.size() > 1) {
      const auto i = static_cast<size_t>(rng.Uniform() * static_cast<double>(candidates.size()));
      pick = candidates[std::min(i, candidates.size() - 1)];
    }
    out.strategies = std::move(found[pick].strategies);
  }
};

}  // namespace

PARLEY_REGISTER_MODEL(NashMixed);

}  // namespace parley
