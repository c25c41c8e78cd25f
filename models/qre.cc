// qre: players make noisy best responses: the logit quantal response
// equilibrium at precision lambda (`--model qre:lambda=L`, or `--lambda L`),
// on the principal branch.
#include "sim/solve/qre.h"

#include <limits>

#include "sim/model/model.h"

namespace parley {
namespace {

class Qre final : public Model {
 public:
  static ModelInfo Info() {
    return {.name = "qre",
            .summary = "logit quantal response equilibrium at precision lambda (0 = uniform play)",
            .pure = false,
            .parameters = {ParameterDecl::Number(
                "lambda", 1.0, 0.0, std::numeric_limits<double>::infinity(),
                "logit precision: 0 plays uniformly, larger values approach best responses")},
            .unresolved = "the logit path stopped before reaching lambda (too many steps)"};
  }
  Qre(const ModelInfo& info, ModelConfig config)
      : Model(info, std::move(config)), lambda_(parameters().Number("lambda")) {}

  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& /*scratch*/,
               Prediction& out) const override {
    out.profile = -1;
    auto r = LogitQre(game, lambda_);
    // A path that stopped short of lambda (max steps) has a QRE at a smaller
    // lambda: the sample is unresolved rather than predicted at the wrong one.
    out.mixed = r.ok() && r->converged;
    out.num_equilibria = out.mixed ? 1 : 0;
    if (out.mixed) out.strategies = std::move(r->profile.strategies);
  }

 private:
  double lambda_;
};

}  // namespace

PARLEY_REGISTER_MODEL(Qre);

}  // namespace parley
