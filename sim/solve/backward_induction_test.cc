#include "sim/solve/backward_induction.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>

namespace parley {
namespace {

// Entry deterrence: out -> (0, 2); in, fight -> (-1, -1); in, accommodate -> (1, 1).
ExtensiveFormGame EntryDeterrence() {
  ExtensiveFormGame g;
  g.tree = GameTree({"entrant", "incumbent"});
  const int h0 = g.tree.AddInfoSet(0, "entry", {"out", "in"});
  const int h1 = g.tree.AddInfoSet(1, "response", {"fight", "accommodate"});
  const int root = g.tree.AddNode(-1, 0, NodeKind::kDecision, h0);
  g.tree.AddNode(root, 0, NodeKind::kTerminal);
  const int in = g.tree.AddNode(root, 1, NodeKind::kDecision, h1);
  g.tree.AddNode(in, 0, NodeKind::kTerminal);
  g.tree.AddNode(in, 1, NodeKind::kTerminal);
  EXPECT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs({0, 2, -1, -1, 1, 1});
  return g;
}

TEST(BackwardInductionTest, EntryDeterrenceThreatIsNotCarriedOut) {
  const ExtensiveFormGame g = EntryDeterrence();
  SampleRng rng(1, 0, RngStream::kModel);
  SubgamePerfect spe;
  SolveBackwardInduction(g.view(), Selection::kUniform, rng, spe);
  EXPECT_EQ(spe.choice[0], 1);  // in
  EXPECT_EQ(spe.choice[2], 1);  // accommodate
  EXPECT_EQ(spe.value[0], 1.0);
  EXPECT_EQ(spe.value[1], 1.0);
  EXPECT_EQ(spe.num_ties, 0);
  ComputeReach(g.view(), spe);
  EXPECT_EQ(spe.reach[1], 0.0);
  EXPECT_EQ(spe.reach[4], 1.0);
  EXPECT_EQ(MaxSubgameRegret(g.view(), spe.choice), 0.0);
  // The Nash equilibrium (out, fight) is not subgame perfect.
  EXPECT_EQ(MaxSubgameRegret(g.view(), {0, -1, 0, -1, -1}), 2.0);
}

// A centipede of `moves` moves: at move k the mover takes (ending the game)
// or passes; the pot grows, and taking always beats passing for the mover
// when the other takes next.
ExtensiveFormGame Centipede(int moves) {
  ExtensiveFormGame g;
  g.tree = GameTree({"a", "b"});
  std::vector<double> payoffs;
  int parent = -1;
  for (int k = 0; k < moves; ++k) {
    const int h = g.tree.AddInfoSet(k % 2, "", {"take", "pass"});
    const int v = g.tree.AddNode(parent, 1, NodeKind::kDecision, h);
    g.tree.AddNode(v, 0, NodeKind::kTerminal);
    // Taking at move k: the mover gets k + 2, the other k.
    payoffs.push_back(k % 2 == 0 ? k + 2 : k);
    payoffs.push_back(k % 2 == 0 ? k : k + 2);
    parent = v;
  }
  g.tree.AddNode(parent, 1, NodeKind::kTerminal);
  // Passing at the last move gives both `moves`: less than taking there.
  payoffs.push_back(moves);
  payoffs.push_back(moves);
  EXPECT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs(payoffs);
  return g;
}

TEST(BackwardInductionTest, CentipedeEndsAtTheFirstMove) {
  const ExtensiveFormGame g = Centipede(10);
  SampleRng rng(1, 0, RngStream::kModel);
  SubgamePerfect spe;
  SolveBackwardInduction(g.view(), Selection::kUniform, rng, spe);
  for (int v = 0; v < g.tree.num_nodes(); ++v) {
    if (g.tree.node(v).kind == NodeKind::kDecision) {
      EXPECT_EQ(spe.choice[v], 0) << v;
    }
  }
  EXPECT_EQ(spe.value[0], 2.0);
  EXPECT_EQ(spe.value[1], 0.0);
}

TEST(BackwardInductionTest, ChanceNodesAverage) {
  // Nature: rain (0.25) or sun; then the player chooses stay (1) or go (rain: 0, sun: 4).
  ExtensiveFormGame g;
  g.tree = GameTree({"walker"});
  const int c = g.tree.AddChanceSet("weather", {"rain", "sun"}, {0.25, 0.75});
  const int root = g.tree.AddNode(-1, 0, NodeKind::kChance, c);
  std::vector<double> payoffs;
  for (int w = 0; w < 2; ++w) {
    const int h = g.tree.AddInfoSet(0, "", {"stay", "go"});
    const int v = g.tree.AddNode(root, w, NodeKind::kDecision, h);
    g.tree.AddNode(v, 0, NodeKind::kTerminal);
    g.tree.AddNode(v, 1, NodeKind::kTerminal);
    payoffs.push_back(1.0);
    payoffs.push_back(w == 0 ? 0.0 : 4.0);
  }
  ASSERT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs(payoffs);
  SampleRng rng(1, 0, RngStream::kModel);
  SubgamePerfect spe;
  SolveBackwardInduction(g.view(), Selection::kUniform, rng, spe);
  EXPECT_DOUBLE_EQ(spe.value[0], 0.25 * 1.0 + 0.75 * 4.0);
  ComputeReach(g.view(), spe);
  EXPECT_DOUBLE_EQ(spe.reach[1], 0.25);
  // Nodes: 0 weather, 1 rain, 2 rain-stay, 3 rain-go, 4 sun, 5 sun-stay, 6 sun-go.
  EXPECT_DOUBLE_EQ(spe.reach[2], 0.25);
  EXPECT_DOUBLE_EQ(spe.reach[3], 0.0);
  EXPECT_DOUBLE_EQ(spe.reach[6], 0.75);
}

TEST(BackwardInductionTest, TiesFollowTheSelectionRule) {
  // One mover, three actions: (1, 0), (1, 5), (0, 9). Actions 0 and 1 tie for
  // the mover; payoff dominance keeps action 1 only.
  ExtensiveFormGame g;
  g.tree = GameTree({"a", "b"});
  const int h = g.tree.AddInfoSet(0, "", {"x", "y", "z"});
  const int root = g.tree.AddNode(-1, 0, NodeKind::kDecision, h);
  for (int a = 0; a < 3; ++a) g.tree.AddNode(root, a, NodeKind::kTerminal);
  ASSERT_TRUE(g.tree.Finalize().ok());
  g.SetPayoffs({1, 0, 1, 5, 0, 9});
  SubgamePerfect spe;
  int counts[3] = {0, 0, 0};
  for (uint64_t i = 0; i < 400; ++i) {
    SampleRng rng(7, i, RngStream::kModel);
    SolveBackwardInduction(g.view(), Selection::kUniform, rng, spe);
    ++counts[spe.choice[0]];
    EXPECT_EQ(spe.tied[0], 1);
    SampleRng rng2(7, i, RngStream::kModel);
    SolveBackwardInduction(g.view(), Selection::kPayoffDominant, rng2, spe);
    EXPECT_EQ(spe.choice[0], 1);
  }
  EXPECT_EQ(counts[2], 0);
  EXPECT_GT(counts[0], 150);
  EXPECT_GT(counts[1], 150);
}

// Random perfect-information trees with chance nodes: the solution is a best
// response in every subgame (checked independently), and the root value is
// what following the choices yields.
TEST(BackwardInductionTest, RandomTreesAreSubgamePerfect) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SampleRng rng(seed, 0, RngStream::kScenario);
    ExtensiveFormGame g;
    const int players = 1 + static_cast<int>(rng.Uniform() * 3);
    std::vector<std::string> names;
    for (int p = 0; p < players; ++p) names.push_back("p" + std::to_string(p));
    g.tree = GameTree(names);
    std::vector<double> payoffs;
    std::function<void(int, int, int)> grow = [&](int parent, int action, int depth) {
      const double u = rng.Uniform();
      if (depth >= 5 || u < 0.25) {
        g.tree.AddNode(parent, action, NodeKind::kTerminal);
        // Small integers make ties common.
        for (int p = 0; p < players; ++p) payoffs.push_back(std::floor(rng.Uniform() * 5));
        return;
      }
      const int k = 2 + static_cast<int>(rng.Uniform() * 2);
      std::vector<std::string> actions;
      for (int a = 0; a < k; ++a) actions.push_back("a" + std::to_string(a));
      int v;
      if (u < 0.35) {
        std::vector<double> pr(k, 1.0 / k);
        v = g.tree.AddNode(parent, action, NodeKind::kChance, g.tree.AddChanceSet("", actions, pr));
      } else {
        const int mover = static_cast<int>(rng.Uniform() * players);
        v = g.tree.AddNode(parent, action, NodeKind::kDecision,
                           g.tree.AddInfoSet(mover, "", actions));
      }
      for (int a = 0; a < k; ++a) grow(v, a, depth + 1);
    };
    grow(-1, 0, 0);
    ASSERT_TRUE(g.tree.Finalize().ok());
    g.SetPayoffs(payoffs);
    for (Selection sel : {Selection::kUniform, Selection::kPayoffDominant}) {
      SampleRng model_rng(seed, 1, RngStream::kModel);
      SubgamePerfect spe;
      SolveBackwardInduction(g.view(), sel, model_rng, spe);
      EXPECT_LE(MaxSubgameRegret(g.view(), spe.choice), 1e-12) << "seed " << seed;
      ComputeReach(g.view(), spe);
      double root = 0.0;
      for (int t = 0; t < g.tree.num_terminals(); ++t) {
        root += spe.reach[g.tree.terminal_node(t)] * g.view().Payoff(t, 0);
      }
      EXPECT_NEAR(root, spe.value[0], 1e-12) << "seed " << seed;
    }
  }
}

// Backward induction straight from the definition, on the tree's
// accessors: every node in decreasing order, every action's exact tie test,
// the same tie-breaking draws. The reference for the solver's shortcuts.
void ReferenceSolve(const TreeView& game, Selection selection, SampleRng& rng,
                    SubgamePerfect& out) {
  const GameTree& tree = *game.tree;
  const int n = tree.num_players();
  out.value.assign(static_cast<size_t>(tree.num_nodes()) * n, 0.0);
  out.choice.assign(tree.num_nodes(), -1);
  out.tied.assign(tree.num_nodes(), 0);
  out.num_ties = 0;
  auto row = [&](int v) { return out.value.data() + static_cast<size_t>(v) * n; };
  for (int v = tree.num_nodes() - 1; v >= 0; --v) {
    const auto kids = tree.children(v);
    if (tree.kind(v) == NodeKind::kTerminal) {
      for (int p = 0; p < n; ++p) row(v)[p] = game.Payoff(tree.node(v).terminal, p);
    } else if (tree.kind(v) == NodeKind::kChance) {
      for (size_t a = 0; a < kids.size(); ++a) {
        const double pr = game.Probability(tree.terminal_or_offset(v) + static_cast<int>(a));
        if (pr == 0.0) continue;
        for (int p = 0; p < n; ++p) row(v)[p] += pr * row(kids[a])[p];
      }
    } else {
      const int mover = tree.mover(v);
      int best = 0;
      for (size_t a = 1; a < kids.size(); ++a) {
        if (row(kids[a])[mover] > row(kids[best])[mover]) best = static_cast<int>(a);
      }
      const double best_payoff = row(kids[best])[mover];
      std::vector<int> ties;
      for (size_t a = 0; a < kids.size(); ++a) {
        if (Ties(row(kids[a])[mover], best_payoff)) ties.push_back(static_cast<int>(a));
      }
      if (ties.size() > 1) {
        out.tied[v] = 1;
        ++out.num_ties;
        if (selection == Selection::kPayoffDominant) {
          std::vector<int> kept;
          for (int a : ties) {
            bool dominated = false;
            for (int b : ties) {
              bool weakly = a != b, strictly = false;
              for (int p = 0; p < n && weakly; ++p) {
                const double x = row(kids[a])[p], y = row(kids[b])[p];
                if (y < x && !Ties(y, x)) weakly = false;
                if (y > x && !Ties(y, x)) strictly = true;
              }
              dominated = dominated || (weakly && strictly);
            }
            if (!dominated) kept.push_back(a);
          }
          ties = kept;
        }
        best = ties.size() == 1
                   ? ties[0]
                   : ties[static_cast<size_t>(rng.Uniform() * static_cast<double>(ties.size()))];
      }
      out.choice[v] = best;
      std::copy_n(row(kids[best]), n, row(v));
    }
  }
}

// Reach from the definition: every node in order, passing on its reach.
std::vector<double> ReferenceReach(const TreeView& game, const std::vector<int32_t>& choice) {
  const GameTree& tree = *game.tree;
  std::vector<double> reach(tree.num_nodes(), 0.0);
  reach[0] = 1.0;
  for (int v = 0; v < tree.num_nodes(); ++v) {
    const auto kids = tree.children(v);
    if (reach[v] == 0.0 || kids.empty()) continue;
    if (tree.kind(v) == NodeKind::kDecision) {
      reach[kids[choice[v]]] += reach[v];
    } else {
      for (size_t a = 0; a < kids.size(); ++a) {
        reach[kids[a]] +=
            reach[v] * game.Probability(tree.terminal_or_offset(v) + static_cast<int>(a));
      }
    }
  }
  return reach;
}

// Payoffs that probe the tie test: small integers (exact ties), pairs a
// hair inside and outside the tolerance, magnitudes on both sides of 1,
// large ones, signed zeros and, rarely, infinities and NaNs.
double ProbingPayoff(SampleRng& rng, double previous) {
  const double u = rng.Uniform();
  if (u < 0.4) return std::floor(rng.Uniform() * 5) - 2;
  if (u < 0.7) {
    const double scale = std::max(std::abs(previous), 1.0) * kTieTolerance;
    return previous - scale * (0.5 + rng.Uniform());  // within or past the tolerance
  }
  if (u < 0.8) return (rng.Uniform() - 0.5) * 4;
  if (u < 0.9) return (rng.Uniform() - 0.5) * 1e12;
  if (u < 0.94) return rng.Uniform() < 0.5 ? 0.0 : -0.0;
  if (u < 0.96) return std::numeric_limits<double>::infinity();
  if (u < 0.98) return -std::numeric_limits<double>::infinity();
  return std::numeric_limits<double>::quiet_NaN();
}

// The solver's shortcuts (terminals apart, the cheap pre-test for ties,
// reach by following play) give what the definition gives, bit for bit,
// with the same random draws.
TEST(BackwardInductionTest, MatchesTheDefinitionOnRandomTrees) {
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    SampleRng rng(seed, 0, RngStream::kScenario);
    ExtensiveFormGame g;
    const int players = 1 + static_cast<int>(rng.Uniform() * 5);
    std::vector<std::string> names;
    for (int p = 0; p < players; ++p) names.push_back("p" + std::to_string(p));
    g.tree = GameTree(names);
    std::vector<double> payoffs;
    double previous = 1.0;
    std::function<void(int, int, int)> grow = [&](int parent, int action, int depth) {
      const double u = rng.Uniform();
      if (depth >= 4 || u < 0.3) {
        g.tree.AddNode(parent, action, NodeKind::kTerminal);
        for (int p = 0; p < players; ++p) {
          previous = ProbingPayoff(rng, previous);
          payoffs.push_back(previous);
        }
        return;
      }
      const int k = 1 + static_cast<int>(rng.Uniform() * 4);
      std::vector<std::string> actions;
      for (int a = 0; a < k; ++a) actions.push_back("a" + std::to_string(a));
      int v;
      if (u < 0.4) {
        std::vector<double> pr(k, 1.0 / k);
        if (k > 1 && rng.Uniform() < 0.3) pr = std::vector<double>(k, 0.0), pr[0] = 1.0;
        v = g.tree.AddNode(parent, action, NodeKind::kChance, g.tree.AddChanceSet("", actions, pr));
      } else {
        const int mover = static_cast<int>(rng.Uniform() * players);
        v = g.tree.AddNode(parent, action, NodeKind::kDecision,
                           g.tree.AddInfoSet(mover, "", actions));
      }
      for (int a = 0; a < k; ++a) grow(v, a, depth + 1);
    };
    grow(-1, 0, 0);
    ASSERT_TRUE(g.tree.Finalize().ok());
    g.SetPayoffs(payoffs);
    for (Selection sel : {Selection::kUniform, Selection::kPayoffDominant}) {
      SampleRng mine_rng(seed, 1, RngStream::kModel), reference_rng(seed, 1, RngStream::kModel);
      SubgamePerfect mine, reference;
      // A used buffer, as across samples.
      SolveBackwardInduction(g.view(), sel, mine_rng, mine);
      mine_rng = SampleRng(seed, 1, RngStream::kModel);
      SolveBackwardInduction(g.view(), sel, mine_rng, mine);
      ReferenceSolve(g.view(), sel, reference_rng, reference);
      EXPECT_EQ(mine.choice, reference.choice) << "seed " << seed;
      EXPECT_EQ(mine.tied, reference.tied) << "seed " << seed;
      EXPECT_EQ(mine.num_ties, reference.num_ties) << "seed " << seed;
      ASSERT_EQ(mine.value.size(), reference.value.size());
      for (size_t i = 0; i < mine.value.size(); ++i) {
        // Bit for bit (signed zeros included), except that a NaN matches any
        // NaN: which sign an inf - inf or 0 * inf comes out with depends on
        // how the compiler orders the operands (the sanitizer build differs).
        if (std::isnan(mine.value[i]) && std::isnan(reference.value[i])) continue;
        ASSERT_EQ(std::bit_cast<uint64_t>(mine.value[i]),
                  std::bit_cast<uint64_t>(reference.value[i]))
            << "seed " << seed << " entry " << i;
      }
      EXPECT_EQ(mine_rng.Uniform(), reference_rng.Uniform()) << "seed " << seed;
      ComputeReach(g.view(), mine);
      EXPECT_EQ(mine.reach, ReferenceReach(g.view(), reference.choice)) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace parley
