// spe: the subgame-perfect equilibrium of a sequential game by backward
// induction, with the scenario's selection rule at ties; with information
// sets, by subgame decomposition, each subgame with information sets solved
// through its reduced normal form in pure strategies. It predicts every
// actor's move at every decision node, including those off the equilibrium
// path, which is what threat credibility is judged on.
#include <memory>

#include "models/model.h"

namespace parley {
namespace {

class Spe final : public Model {
 public:
  std::string_view name() const override { return "spe"; }
  std::string_view summary() const override {
    return "sequential games: subgame-perfect equilibrium by backward induction";
  }
  bool pure() const override { return true; }
  bool normal_form() const override { return false; }
  bool sequential() const override { return true; }
  void Predict(const GameView&, const ModelOptions&, SampleRng&, ModelScratch&,
               Prediction& out) const override {
    out = Prediction{};  // not reachable: the CLI refuses spe on normal-form games
  }
  void PredictTree(const TreeView& game, const ModelOptions& options, SampleRng& rng,
                   ModelScratch& scratch, TreePrediction& out) const override {
    if (!game.tree->perfect_information()) {
      PredictImperfect(game, options, rng, scratch, out);
      return;
    }
    SolveBackwardInduction(game, options.selection, rng, scratch.spe);
    ComputeReach(game, scratch.spe);
    out.play = &scratch.spe;
    out.num_equilibria = scratch.spe.num_ties > 0 ? 2 : 1;
  }

 private:
  // Information sets: subgames solved deepest first, each with information
  // sets through its reduced normal form and its pure Nash equilibria (the
  // selection rule choosing); unresolved when one has none, or when the
  // tree's reduced forms are too large (`parley run` refuses those first).
  static void PredictImperfect(const TreeView& game, const ModelOptions& options, SampleRng& rng,
                               ModelScratch& scratch, TreePrediction& out) {
    out.play = nullptr;
    out.num_equilibria = 0;
    // Keyed by the tree (scratch lives within one run); the node count
    // guards against a new tree at a freed one's address.
    if (scratch.decomposed != game.tree ||
        (scratch.decomposition &&
         scratch.decomposition->is_root.size() != static_cast<size_t>(game.tree->num_nodes()))) {
      auto d = SubgameDecomposition::Make(*game.tree);
      scratch.decomposition =
          d.ok() ? std::make_shared<const SubgameDecomposition>(std::move(*d)) : nullptr;
      scratch.decomposed = game.tree;
    }
    if (!scratch.decomposition) return;
    SubgameOptions subgame;
    subgame.selection = options.selection;
    auto solved = SolveSubgamePerfect(game, *scratch.decomposition, subgame, rng);
    if (!solved.ok()) return;
    ToSubgamePerfect(game, solved->front(), scratch.spe);
    out.play = &scratch.spe;
    out.num_equilibria = scratch.spe.num_ties > 0 ? 2 : 1;
  }
};

}  // namespace

PARLEY_REGISTER_MODEL(Spe);

}  // namespace parley
