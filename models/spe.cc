// spe: the subgame-perfect equilibrium of a sequential game by backward
// induction, with the scenario's selection rule at ties; with information
// sets, by subgame decomposition, each subgame with information sets solved
// through its reduced normal form in pure strategies. It predicts every
// actor's move at every decision node, including those off the equilibrium
// path, which is what threat credibility is judged on.
#include <memory>

#include "sim/model/model.h"
#include "sim/solve/backward_induction.h"

namespace parley {
namespace {

class Spe final : public Model {
 public:
  using Model::Model;
  static ModelInfo Info() {
    return {.name = "spe",
            .summary = "sequential games: subgame-perfect equilibrium by backward induction",
            .pure = true,
            .normal_form = false,
            .sequential = true,
            .unresolved = "a subgame with information sets has no pure equilibrium (a game of "
                          "perfect information always has one)"};
  }

  struct Scratch : ModelScratch {
    SubgamePerfect spe;
    // A tree with information sets: its subgame decomposition, built on
    // first use (it depends on the tree only, not on the sample).
    const GameTree* decomposed = nullptr;
    std::shared_ptr<const SubgameDecomposition> decomposition;
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView&, SampleRng&, ModelScratch&, Prediction& out) const override {
    out = Prediction{};  // not reachable: the application layer refuses spe on normal-form games
  }
  void PredictTree(const TreeView& game, SampleRng& rng, ModelScratch& scratch,
                   TreePrediction& out) const override {
    auto& s = static_cast<Scratch&>(scratch);
    if (!game.tree->perfect_information()) {
      PredictImperfect(game, rng, s, out);
      return;
    }
    SolveBackwardInduction(game, selection(), rng, s.spe);
    ComputeReach(game, s.spe);
    out.play = &s.spe;
    out.num_equilibria = s.spe.num_ties > 0 ? 2 : 1;
  }

 private:
  // Information sets: subgames solved deepest first, each with information
  // sets through its reduced normal form and its pure Nash equilibria (the
  // selection rule choosing); unresolved when one has none, or when the
  // tree's reduced forms are too large (`parley run` refuses those first).
  void PredictImperfect(const TreeView& game, SampleRng& rng, Scratch& scratch,
                        TreePrediction& out) const {
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
    subgame.selection = selection();
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
