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
    out.mixed = false;
    FindPureEquilibria(game, scratch.pure, scratch.equilibria);
    out.num_equilibria = static_cast<int>(scratch.equilibria.size());
    out.profile = scratch.equilibria.empty()
                      ? -1
                      : SelectEquilibrium(game, scratch.equilibria, options.selection, rng,
                                          scratch.selection);
  }
};

}  // namespace

PARLEY_REGISTER_MODEL(NashPure);

}  // namespace parley
