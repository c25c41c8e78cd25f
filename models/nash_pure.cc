// nash-pure: all pure-strategy Nash equilibria of the sampled game; the
// scenario's selection rule picks one when there are several, and a game with
// none is unresolved.
#include "sim/model/model.h"
#include "sim/solve/pure_nash.h"

namespace parley {
namespace {

class NashPure final : public Model {
 public:
  using Model::Model;
  static ModelInfo Info() {
    return {.name = "nash-pure",
            .summary = "all pure Nash equilibria; the selection rule picks one; none = unresolved",
            .pure = true,
            .unresolved = "the sampled game has no pure Nash equilibrium: whatever the actors "
                          "play, one of them gains by switching (a best-response cycle)"};
  }

  struct Scratch : ModelScratch {
    PureNashScratch pure;
    std::vector<int64_t> equilibria;
    std::vector<int64_t> chunk_equilibria[kSideBySideWidth];  // PredictChunk
    std::vector<int64_t> selection;
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView& game, SampleRng& rng, ModelScratch& scratch,
               Prediction& out) const override {
    auto& s = static_cast<Scratch&>(scratch);
    FindPureEquilibria(game, s.pure, s.equilibria);
    Select(game, s.equilibria, rng, s, out);
  }
  void PredictChunk(const ChunkView& chunk, SampleRng* rngs, ModelScratch& scratch,
                    Prediction* out) const override {
    if (!SideBySideApplies(chunk)) return Model::PredictChunk(chunk, rngs, scratch, out);
    auto& s = static_cast<Scratch&>(scratch);
    FindPureEquilibriaSideBySide(chunk, s.pure, s.chunk_equilibria);
    for (int i = 0; i < chunk.count; ++i) {
      Select(chunk.game(i), s.chunk_equilibria[i], rngs[i], s, out[i]);
    }
  }

 private:
  void Select(const GameView& game, const std::vector<int64_t>& equilibria, SampleRng& rng,
              Scratch& s, Prediction& out) const {
    out.mixed = false;
    out.num_equilibria = static_cast<int>(equilibria.size());
    out.profile = equilibria.empty()
                      ? -1
                      : SelectEquilibrium(game, equilibria, selection(), rng, s.selection);
  }
};

}  // namespace

PARLEY_REGISTER_MODEL(NashPure);

}  // namespace parley
