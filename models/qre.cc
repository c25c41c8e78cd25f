// qre: players make noisy best responses: the logit quantal response
// equilibrium at precision lambda (`--lambda`), on the principal branch.
#include "sim/solve/qre.h"

#include "models/model.h"

namespace parley {
namespace {

class Qre final : public Model {
 public:
  std::string_view name() const override { return "qre"; }
  std::string_view summary() const override {
    return "logit quantal response equilibrium at --lambda (0 = uniform play)";
  }
  bool pure() const override { return false; }
  void Predict(const GameView& game, const ModelOptions& options, SampleRng& /*rng*/,
               ModelScratch& /*scratch*/, Prediction& out) const override {
    out.profile = -1;
    auto r = LogitQre(game, options.lambda);
    // A path that stopped short of lambda (max steps) has a QRE at a smaller
    // lambda: the sample is unresolved rather than predicted at the wrong one.
    out.mixed = r.ok() && r->converged;
    out.num_equilibria = out.mixed ? 1 : 0;
    if (out.mixed) out.strategies = std::move(r->profile.strategies);
  }
};

}  // namespace

PARLEY_REGISTER_MODEL(Qre);

}  // namespace parley
