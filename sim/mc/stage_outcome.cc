#include "sim/mc/stage_outcome.h"

#include <algorithm>

namespace parley {

// The outcome distribution and expected payoffs a mixed prediction induces,
// into s.slot_probabilities and s.payoffs; with `profiles`, also each
// profile of positive probability into s.profile_probabilities.
void MixedOutcome(const GameModel& game, const GameView& view, const Prediction& prediction,
                  StageBuffers& s, bool profiles) {
  s.profile_probabilities.clear();
  const int players = game.num_players();
  std::fill(s.slot_probabilities.begin(), s.slot_probabilities.end(), 0.0);
  std::fill(s.payoffs.begin(), s.payoffs.end(), 0.0);
  const ProfileSpace& space = game.space();
  for (int64_t q = 0; q < space.num_profiles(); ++q) {
    double probability = 1.0;
    for (int p = 0; p < players && probability != 0.0; ++p) {
      probability *= prediction.strategies[p](space.StrategyOf(q, p));
    }
    if (probability == 0.0) continue;
    if (profiles) s.profile_probabilities.emplace_back(q, probability);
    s.slot_probabilities[game.outcome_of(q)] += probability;
    for (int p = 0; p < players; ++p) s.payoffs[p] += probability * view.Payoff(q, p);
  }
}

// Equilibrium play of one sequential-game sample: its outcome distribution
// (into s.slot_probabilities), the root's value (into s.payoffs) and its path
// (into s.key). Returns the number of terminals play reaches, each counted
// once per way of reaching it (more than one only in a DAG), and, in
// `last_terminal`, the last one.
int TreeOutcome(const GameModel& game, const SubgamePerfect& play, StageBuffers& s,
                int* last_terminal) {
  const GameTree& tree = game.tree();
  const GameTree::Flat f = tree.flat();
  const int players = game.num_players();
  std::fill(s.slot_probabilities.begin(), s.slot_probabilities.end(), 0.0);
  // The path: every node equilibrium play reaches, found by following the
  // choices and the chance moves with positive reach, as (node, move)
  // pairs, the move -1 at chance nodes and -2 at terminals. Children go on
  // the stack last action first, so a tree's path comes out in preorder:
  // sorted, as the key needs.
  s.key.clear();
  s.stack.assign(1, 0);
  int terminals = 0;
  bool sorted = true;
  int32_t previous = -1;
  while (!s.stack.empty()) {
    const int v = s.stack.back();
    s.stack.pop_back();
    sorted = sorted && v > previous;
    previous = v;
    const NodeKind kind = static_cast<NodeKind>(f.kind[v]);
    if (kind == NodeKind::kTerminal) {
      s.key.insert(s.key.end(), {v, -2});
      ++terminals;
      continue;
    }
    const int32_t* kids = f.children + f.child_begin[v];
    if (kind == NodeKind::kDecision) {
      s.key.insert(s.key.end(), {v, play.choice[v]});
      s.stack.push_back(kids[play.choice[v]]);
    } else {
      s.key.insert(s.key.end(), {v, -1});
      for (int a = f.child_begin[v + 1] - f.child_begin[v] - 1; a >= 0; --a) {
        if (play.reach[kids[a]] > 0.0) s.stack.push_back(kids[a]);
      }
    }
  }
  if (!sorted) {
    // A DAG: paths may meet. Each node once, by node.
    s.pairs.clear();
    for (size_t i = 0; i < s.key.size(); i += 2) s.pairs.emplace_back(s.key[i], s.key[i + 1]);
    std::sort(s.pairs.begin(), s.pairs.end());
    s.pairs.erase(std::unique(s.pairs.begin(), s.pairs.end()), s.pairs.end());
    s.key.clear();
    for (const auto& [v, move] : s.pairs) s.key.insert(s.key.end(), {v, move});
  }
  *last_terminal = -1;
  for (size_t i = 0; i < s.key.size(); i += 2) {
    if (s.key[i + 1] != -2) continue;
    *last_terminal = f.terminal_or_offset[s.key[i]];
    s.slot_probabilities[game.outcome_of(*last_terminal)] += play.reach[s.key[i]];
  }
  for (int p = 0; p < players; ++p) s.payoffs[p] = play.value[p];  // the root's value
  return terminals;
}

void PredictionOutcome(const GameModel& game, const GameView& view, const Prediction& prediction,
                       StageBuffers& s, bool profiles) {
  if (prediction.mixed) {
    MixedOutcome(game, view, prediction, s, profiles);
    return;
  }
  std::fill(s.slot_probabilities.begin(), s.slot_probabilities.end(), 0.0);
  if (prediction.profile < 0) {
    s.slot_probabilities.back() = 1.0;
    return;
  }
  s.slot_probabilities[game.outcome_of(prediction.profile)] = 1.0;
  for (int p = 0; p < game.num_players(); ++p) s.payoffs[p] = view.Payoff(prediction.profile, p);
}

void TreePredictionOutcome(const GameModel& game, const TreePrediction& prediction,
                           StageBuffers& s) {
  if (prediction.play == nullptr) {
    std::fill(s.slot_probabilities.begin(), s.slot_probabilities.end(), 0.0);
    s.slot_probabilities.back() = 1.0;
    return;
  }
  int last_terminal = -1;
  TreeOutcome(game, *prediction.play, s, &last_terminal);
}

}  // namespace parley
