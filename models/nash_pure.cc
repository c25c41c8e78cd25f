// nash-pure: all pure-strategy Nash equilibria of the sampled game; the
// scenario's selection rule picks one when there are several, and a game with
// none is unresolved.
#include "models/model.h"

namespace parley {
namespace {

class NashPure final : public Model {
 public:
  std::string_view name() const override { return "nash-pure"; }
  std::string_view summary() const override {
    return "all pure Nash equilibria; the selection rule picks one; none = unresolved";
  }
  bool pure() const override { return true; }
  void Predict(const GameView& game, const ModelOptions& options, SampleRng& rng,
               ModelScratch& scratch, Prediction& out) const override {
    FindPureEquilibria(game, scratch.pure, scratch.equilibria);
    Select(game, scratch.equilibria, options, rng, scratch, out);
  }
  void PredictChunk(const ChunkView& chunk, const ModelOptions& options, SampleRng* rngs,
                    ModelScratch& scratch, Prediction* out) const override {
    if (!SideBySideApplies(chunk)) return Model::PredictChunk(chunk, options, rngs, scratch, out);
    FindPureEquilibriaSideBySide(chunk, scratch.pure, scratch.chunk_equilibria);
    for (int i = 0; i < chunk.count; ++i) {
      Select(chunk.game(i), scratch.chunk_equilibria[i], options, rngs[i], scratch, out[i]);
    }
  }

 private:
  static void Select(const GameView& game, const std::vector<int64_t>& equilibria,
                     const ModelOptions& options, SampleRng& rng, ModelScratch& scratch,
                     Prediction& out) {
    out.mixed = false;
    out.num_equilibria = static_cast<int>(equilibria.size());
    out.profile = equilibria.empty() ? -1
                                     : SelectEquilibrium(game, equilibria, options.selection, rng,
                                                         scratch.selection);
  }
};

}  // namespace

PARLEY_REGISTER_MODEL(NashPure);

}  // namespace parley
