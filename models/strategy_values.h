// Helpers the behavioural and learning models (level-k, cognitive-hierarchy,
// fictitious-play, replicator) share: mixed profiles stored flat (every
// player's probabilities one after another), each strategy's expected
// payoff against the others' mixtures, best responses with ties split
// evenly, and the prediction written from a flat profile. Allocation-free
// on the hot path: callers keep the buffers in their scratch.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/game/normal_form.h"
#include "sim/model/model.h"

namespace parley {

// Where each player's probabilities sit in a flat profile.
struct FlatLayout {
  int players = 0;
  int total = 0;            // strategies of all players
  std::vector<int> offset;  // offset[p]: player p's first entry; offset[players] = total
  std::vector<int> count;   // strategies per player

  explicit FlatLayout(const ProfileSpace& space);
  FlatLayout() = default;
  bool Matches(const ProfileSpace& space) const;
};

namespace strategy_values_internal {
// The options of positive weight of one player's mixture (up to 8; more
// are contracted by the general loop), found once per mixture rather than
// once per contraction.
struct Support {
  bool listed = false;  // options <= 8: `index` lists the options used
  int used = 0;
  int index[8] = {};
};
}  // namespace strategy_values_internal

// One sampled game's payoffs gathered densely, player by player, and each
// strategy's expected payoff against the others' mixtures by contracting
// the player's payoff tensor one other player at a time. Models that take
// many passes over one game (cognitive-hierarchy's levels, the replicator's
// field evaluations) gather once and then read contiguous memory: the
// chunk a GameView reads is strided and indirected, and a pass over it
// cost more than the arithmetic. Keep one in the model's scratch.
class PayoffTensor {
 public:
  // Gathers `game`'s payoffs; the layout follows the game's shape.
  void Load(const GameView& game);
  const FlatLayout& layout() const { return layout_; }

  // values[offset[p] + s] = player p's expected payoff from strategy s when
  // every other player i plays mix[offset[i] ...] independently. Contracts
  // the slowest-varying players first; options with probability 0 are
  // skipped and a pure player costs nothing, so the cost falls from
  // O(players x profiles) towards O(players x options) as mixtures become
  // pure.
  // With `keep_chain`, each contraction's result is kept (a chain of about
  // players x profiles entries, allocated on first use) for PathPolynomials.
  void Compute(const double* mix, double* values, bool keep_chain = false);

  // Player p's strategy values along the segment from the mixture `mix` of
  // the last Compute(mix, values, /*keep_chain=*/true) since Load towards
  // the pure profile `pure` (pure[q] is player q's strategy; pure[p] is
  // ignored): every other player q plays (1 - t) mix_q + t e_pure[q].
  // Values are multilinear in the others' mixtures, so each is a
  // polynomial in t of degree players - 1; out[k * count[p] + s] is the
  // coefficient of t^k of strategy s's value. The same contractions as
  // Compute's, on polynomial entries, the constant terms taken from the
  // kept chain: about players / 2 - 1/2 times Compute's cost for one
  // player. `out` holds players x count[p].
  void PathPolynomials(int player, const int* pure, double* out);

  // The regret of `mix` (max over players of the best strategy's value
  // minus the mixture's value); `values` is a buffer of layout().total.
  double Regret(const double* mix, double* values);

  // The smallest and largest payoff of `player` over every profile (found
  // while loading).
  void Bounds(int player, double* low, double* high) const {
    *low = low_[player];
    *high = high_[player];
  }
  // The largest payoff minus the smallest, over every player.
  double Range() const;

 private:
  FlatLayout layout_;
  int64_t profiles_ = 0;
  std::vector<int64_t> stride_;     // profile-index stride of each player (player 0: 1)
  std::vector<double> payoffs_;     // payoffs_[p * profiles_ + q]
  std::vector<double> work_;        // two contraction buffers of profiles_ each
  std::vector<double> low_, high_;  // per player
  // Compute's kept chain: the result of contracting player d for player p
  // at chain_step_[p * players + d] (in chain_, or a slice of the tensor
  // where d was pure), from the mixture chain_mix_.
  bool chain_valid_ = false;
  int64_t chain_size_ = 0;
  std::vector<int64_t> chain_offset_;  // where each step's result goes in chain_
  std::vector<const double*> chain_step_;
  std::vector<double> chain_, chain_mix_;
  // Each player's support in the last Compute's mixture, and in the kept
  // chain's.
  std::vector<strategy_values_internal::Support> supports_, chain_supports_;
};

// Whether two payoffs tie: within 1e-9 x `scale` (1 + the magnitude of the
// best payoff), so that payoffs equal on paper but computed in another
// order still tie.
inline bool PayoffsTie(double a, double b, double scale) {
  const double d = a > b ? a - b : b - a;
  return d <= 1e-9 * scale;
}

// The best response to `values` (count entries) with ties split evenly:
// writes the probabilities to `out`; returns how many strategies tie.
int SplitBestResponse(const double* values, int count, double* out);

// Level 0: uniform play, or each anchored player's anchor (anchors empty, or
// -1 for players without one).
void NaivePlay(const FlatLayout& layout, const std::vector<int>& anchors, double* mix);

// Writes the flat profile `mix` as the prediction: a pure profile when
// every player's mixture is a point mass (which counts the same, faster),
// else the mixed profile (its vectors reused when the shape matches).
void StorePrediction(const ProfileSpace& space, const FlatLayout& layout, const double* mix,
                     Prediction& out);

}  // namespace parley
