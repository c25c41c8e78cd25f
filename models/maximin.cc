// maximin: pessimistic play (von Neumann 1928; the "pessimistic" type of
// Costa-Gomes, Crawford & Broseta 2001). Each actor plays the option whose
// worst payoff, over everything the others can do, is highest: its security
// level. Ties split evenly. It needs no beliefs about the others, so it is
// the benchmark an actor falls back on when it cannot read them; it is not
// an equilibrium (in the Prisoner's Dilemma it defects, as Nash does; in a
// game with a risky best reply it takes the safe option instead).
#include <algorithm>
#include <limits>
#include <vector>

#include "models/strategy_values.h"
#include "sim/model/model.h"

namespace parley {
namespace {

class Maximin final : public Model {
 public:
  static ModelInfo Info() {
    return {.name = "maximin",
            .summary =
                "maximin: each actor plays the option with the best worst-case payoff "
                "(ties split evenly)",
            .pure = false,
            .parameters = {},
            .unresolved = "never: maximin predicts every game",
            .not_converged = {},  // not iterative: every prediction is final
            .equilibria = false};
  }
  Maximin(const ModelInfo& info, ModelConfig config) : Model(info, std::move(config)) {}

  struct Scratch : ModelScratch {
    FlatLayout layout;
    std::vector<double> worst, mix;
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch,
               Prediction& out) const override {
    auto& s = static_cast<Scratch&>(scratch);
    const ProfileSpace& space = *game.space;
    if (!s.layout.Matches(space)) {
      s.layout = FlatLayout(space);
      s.worst.resize(s.layout.total);
      s.mix.resize(s.layout.total);
    }
    const FlatLayout& l = s.layout;
    // worst[offset[p] + k]: player p's lowest payoff over the profiles in
    // which it plays option k. One pass over the profiles.
    std::fill(s.worst.begin(), s.worst.end(), std::numeric_limits<double>::infinity());
    for (int64_t q = 0; q < space.num_profiles(); ++q) {
      for (int p = 0; p < l.players; ++p) {
        double& w = s.worst[l.offset[p] + space.StrategyOf(q, p)];
        w = std::min(w, game.Payoff(q, p));
      }
    }
    for (int p = 0; p < l.players; ++p) {
      SplitBestResponse(s.worst.data() + l.offset[p], l.count[p], s.mix.data() + l.offset[p]);
    }
    StorePrediction(space, l, s.mix.data(), out);
  }
};

}  // namespace

PARLEY_REGISTER_MODEL(Maximin);

}  // namespace parley
