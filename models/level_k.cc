// level-k: bounded depth of reasoning (Nagel 1995; Stahl & Wilson 1995).
// Level 0 is naive: it plays uniformly at random, or the option the scenario
// names as the actor's `anchor` (its public position). Level j >= 1
// best-responds to every other actor playing level j - 1, ties split
// evenly. The prediction is every actor at level k (`--model level-k:k=K`).
// In a dominance-solvable game level k reaches the Nash equilibrium once k
// is at least the number of rounds of iterated deletion of dominated
// strategies.
#include <vector>

#include "models/strategy_values.h"
#include "sim/model/model.h"

namespace parley {
namespace {

class LevelK final : public Model {
 public:
  static ModelInfo Info() {
    return {.name = "level-k",
            .summary =
                "level-k reasoning: level 0 uniform (or the actors' anchors), level j "
                "best-responds to level j-1; predicts level k",
            .pure = false,
            .parameters = {ParameterDecl::Integer(
                "k", 2, 0, 20,
                "reasoning depth: 0 plays naively (uniform, or the anchors), j best-responds to "
                "j-1")},
            .unresolved = "never: level-k predicts every game",
            .equilibria = false};
  }
  LevelK(const ModelInfo& info, ModelConfig config)
      : Model(info, std::move(config)), k_(static_cast<int>(parameters().Integer("k"))) {}

  struct Scratch : ModelScratch {
    PayoffTensor game_values;
    std::vector<double> mix, next, values;
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch,
               Prediction& out) const override {
    auto& s = static_cast<Scratch&>(scratch);
    s.game_values.Load(game);
    const FlatLayout& l = s.game_values.layout();
    for (auto* v : {&s.mix, &s.next, &s.values}) v->resize(l.total);
    NaivePlay(l, anchors(), s.mix.data());
    for (int level = 1; level <= k_; ++level) {
      s.game_values.Compute(s.mix.data(), s.values.data());
      for (int p = 0; p < l.players; ++p) {
        SplitBestResponse(s.values.data() + l.offset[p], l.count[p], s.next.data() + l.offset[p]);
      }
      if (s.next == s.mix) break;  // a fixed point: every higher level plays the same
      s.mix.swap(s.next);
    }
    StorePrediction(*game.space, l, s.mix.data(), out);
    out.converged = true;
  }

 private:
  int k_;
};

}  // namespace

PARLEY_REGISTER_MODEL(LevelK);

}  // namespace parley
