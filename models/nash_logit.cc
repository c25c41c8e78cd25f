// nash-logit: the Nash equilibrium selected by the logit path (the limit of
// the principal branch of logit QRE as lambda grows), for any number of players.
#include "sim/model/model.h"
#include "sim/solve/qre.h"

namespace parley {
namespace {

class NashLogit final : public Model {
 public:
  using Model::Model;
  static ModelInfo Info() {
    return {.name = "nash-logit",
            .summary = "the Nash equilibrium the logit path selects (limiting logit equilibrium)",
            .pure = false,
            .unresolved = "the logit path stopped short of a Nash equilibrium"};
  }
  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& /*scratch*/,
               Prediction& out) const override {
    out.profile = -1;
    auto r = LogitLimit(game);
    // A path that stopped short of a Nash equilibrium leaves the sample unresolved.
    out.mixed = r.ok() && r->converged;
    out.num_equilibria = out.mixed ? 1 : 0;
    if (out.mixed) out.strategies = std::move(r->profile.strategies);
  }
};

}  // namespace

PARLEY_REGISTER_MODEL(NashLogit);

}  // namespace parley
