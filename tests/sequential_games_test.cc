// Sequential scenarios end to end: the classic game trees in
// scenarios/sequential/ against their textbook answers, finite-horizon
// alternating-offers bargaining against an independent dynamic program and
// Rubinstein's limit, the sequential Istanbul scenario, and random
// sequential scenarios against a brute-force evaluation over histories.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/model/model.h"
#include "sim/report/report.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/backward_induction.h"
#include "sim/solve/selection.h"
#include "sim/solve/subgame_perfect.h"

namespace parley {
namespace {

std::string SourcePath(const std::string& relative) {
  return std::string(PARLEY_SOURCE_DIR) + "/" + relative;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A loaded and compiled scenario with its mean game solved by backward
// induction (the scenario's selection rule at ties).
struct Solved {
  ScenarioSpec spec;
  GameModel game;
  std::vector<double> table;
  std::vector<int32_t> offsets;
  SubgamePerfect spe;

  TreeView view() const { return game.Tree(table.data(), offsets); }
  // The root's value for actor `a`.
  double value(int a) const { return spe.value[static_cast<size_t>(a)]; }
  // The option the mover chooses at the root.
  int root_choice() const { return spe.choice[0]; }
};

Solved Solve(StatusOr<ScenarioSpec> spec) {
  Solved s;
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  if (!spec.ok()) return s;
  s.spec = std::move(*spec);
  auto game = GameModel::Compile(s.spec);
  EXPECT_TRUE(game.ok()) << game.status().message();
  if (!game.ok()) return s;
  s.game = std::move(*game);
  s.table = s.game.MeanTable();
  s.offsets = s.game.EntryOffsets(1);
  const auto selection = SelectionFromName(s.spec.simulation.selection);
  EXPECT_TRUE(selection.ok());
  SampleRng rng(1, 0, RngStream::kModel);
  SolveBackwardInduction(s.view(), *selection, rng, s.spe);
  ComputeReach(s.view(), s.spe);
  EXPECT_LE(MaxSubgameRegret(s.view(), s.spe.choice), 1e-9);
  return s;
}

Solved SolveFile(const std::string& relative) {
  return Solve(LoadScenarioFile(SourcePath(relative)));
}

// The option ids chosen along equilibrium play from the root, following
// decision nodes until a chance node or a terminal.
std::vector<std::string> PurePath(const Solved& s) {
  std::vector<std::string> moves;
  const GameTree& tree = s.game.tree();
  int v = 0;
  while (tree.node(v).kind == NodeKind::kDecision) {
    const StageSpec& stage = s.spec.stages[s.game.stage_of_node()[v]];
    moves.push_back(stage.id + ": " + stage.options[s.spe.choice[v]]);
    v = tree.children(v)[s.spe.choice[v]];
  }
  return moves;
}

// The probability that equilibrium play ends in each outcome.
std::vector<double> OutcomeProbabilities(const Solved& s) {
  std::vector<double> p(s.spec.outcomes.size(), 0.0);
  const GameTree& tree = s.game.tree();
  for (int v = 0; v < tree.num_nodes(); ++v) {
    if (tree.node(v).kind == NodeKind::kTerminal) {
      p[s.game.outcome_of(tree.node(v).terminal)] += s.spe.reach[v];
    }
  }
  return p;
}

struct McRun {
  RunResult result;
  RunSummary summary;
};

McRun RunSpe(const Solved& s, int64_t samples, int threads, const char* selection = nullptr) {
  RunOptions options;
  options.samples = samples;
  options.seed = s.spec.simulation.seed;
  options.threads = threads;
  auto model = MakeModel(
      "spe", *SelectionFromName(selection != nullptr ? selection : s.spec.simulation.selection));
  EXPECT_TRUE(model.ok());
  auto result = RunMonteCarlo(s.game, **model, options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  McRun run{*result, {}};
  run.summary = Summarize(s.spec, {}, run.result.totals, (*model)->pure(), &s.game);
  run.summary.model = "spe";
  run.summary.selection = selection != nullptr ? selection : s.spec.simulation.selection;
  return run;
}

const ThreatEstimate& Threat(const RunSummary& s, const std::string& id) {
  for (const auto& t : s.threats) {
    if (t.id == id) return t;
  }
  ADD_FAILURE() << "no threat " << id;
  static const ThreatEstimate none;
  return none;
}

double OutcomeP(const RunSummary& s, const std::string& id) {
  for (const auto& o : s.outcomes) {
    if (o.id == id) return o.probability;
  }
  ADD_FAILURE() << "no outcome " << id;
  return -1.0;
}

// ---------------------------------------------------------------------------
// Classic trees.

TEST(EntryDeterrence, SubgamePerfectPlayIsInThenAccommodate) {
  const Solved s = SolveFile("scenarios/sequential/entry-deterrence.yaml");
  EXPECT_EQ(PurePath(s), (std::vector<std::string>{"entrant: in", "incumbent: accommodate"}));
  EXPECT_EQ(s.value(0), 1.0);
  EXPECT_EQ(s.value(1), 1.0);
  EXPECT_EQ(s.spe.num_ties, 0);
}

TEST(EntryDeterrence, TheFightThreatIsNotCredible) {
  const Solved s = SolveFile("scenarios/sequential/entry-deterrence.yaml");
  const McRun run = RunSpe(s, 1000, 2);
  const ThreatEstimate& fight = Threat(run.summary, "fight-entry");
  EXPECT_EQ(fight.applies_at, 1);
  EXPECT_EQ(fight.credible, 0.0);
  EXPECT_EQ(fight.carried_out, 0.0);
  EXPECT_EQ(OutcomeP(run.summary, "shared_market"), 1.0);
  ASSERT_EQ(run.summary.paths.size(), 1u);
  EXPECT_EQ(run.summary.paths[0].branches,
            (std::vector<std::vector<std::string>>{{"entrant: in", "incumbent: accommodate"}}));
}

TEST(Centipede, EveryMoverTakesAtOnce) {
  const Solved s = SolveFile("scenarios/sequential/centipede.yaml");
  ASSERT_EQ(s.spec.stages.size(), 8u);
  EXPECT_EQ(PurePath(s), (std::vector<std::string>{"move1: take"}));
  EXPECT_EQ(s.value(0), 2.0);
  EXPECT_EQ(s.value(1), 0.0);
  // Taking is chosen at every move, reached or not.
  const GameTree& tree = s.game.tree();
  int decisions = 0;
  for (int v = 0; v < tree.num_nodes(); ++v) {
    if (tree.node(v).kind != NodeKind::kDecision) continue;
    ++decisions;
    EXPECT_EQ(s.spe.choice[v], 0) << "node " << v;
  }
  EXPECT_EQ(decisions, 8);
  // Both would be better off if everyone passed: the outcome is inefficient.
  const McRun run = RunSpe(s, 500, 2);
  EXPECT_EQ(OutcomeP(run.summary, "take1"), 1.0);
  EXPECT_EQ(Threat(run.summary, "bob-takes-at-move2").credible, 1.0);
  EXPECT_EQ(Threat(run.summary, "bob-passes-at-move8").credible, 0.0);
}

TEST(Ultimatum, ProposerOffersTheMinimumAndItIsAccepted) {
  const Solved s = SolveFile("scenarios/sequential/ultimatum.yaml");
  ASSERT_EQ(s.spec.simulation.selection, "payoff-dominant");
  EXPECT_EQ(PurePath(s), (std::vector<std::string>{"proposer: give0", "responder: accept"}));
  EXPECT_EQ(s.value(0), 10.0);
  EXPECT_EQ(s.value(1), 0.0);
  // The responder accepts every offer, the positive ones strictly.
  const GameTree& tree = s.game.tree();
  for (const int32_t v : tree.children(0)) {
    ASSERT_EQ(tree.node(v).kind, NodeKind::kDecision);
    EXPECT_EQ(s.spe.choice[v], 0) << "node " << v;
  }
  EXPECT_EQ(s.spe.num_ties, 1);  // only at the zero offer
  const McRun run = RunSpe(s, 1000, 2);
  EXPECT_EQ(OutcomeP(run.summary, "agreement"), 1.0);
  EXPECT_EQ(Threat(run.summary, "reject-low-offers").credible, 0.0);
}

TEST(Ultimatum, UniformSelectionRejectsTheZeroOfferHalfTheTime) {
  // At the zero offer the responder is indifferent; a uniform tie-break
  // rejects it in half the samples, and the proposer, anticipating that,
  // offers one coin instead.
  const Solved s = SolveFile("scenarios/sequential/ultimatum.yaml");
  const McRun run = RunSpe(s, 4000, 2, "uniform");
  EXPECT_EQ(OutcomeP(run.summary, "agreement"), 1.0);
  ASSERT_EQ(run.summary.paths.size(), 2u);
  for (const auto& path : run.summary.paths) {
    ASSERT_EQ(path.branches.size(), 1u);
    const std::string offer = path.branches[0][0];
    EXPECT_TRUE(offer == "proposer: give0" || offer == "proposer: give1") << offer;
    EXPECT_LE(path.ci95.low, 0.5);
    EXPECT_GE(path.ci95.high, 0.5);
  }
}

// ---------------------------------------------------------------------------
// Alternating-offers bargaining.

std::string Number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

// What scripts/generate-bargaining.py writes, byte for byte.
std::string BargainingYaml(int rounds, int grid, double d1, double d2) {
  const std::string command = "scripts/generate-bargaining.py " + std::to_string(rounds) + " " +
                              std::to_string(grid) + " " + Number(d1) + " " + Number(d2);
  const std::string g = std::to_string(grid);
  std::string y;
  y += "# Finite-horizon alternating-offers bargaining (Stahl 1972; Rubinstein 1982).\n";
  y += "#\n";
  y += "# Generated by: " + command + "\n";
  y += "# Do not edit by hand; regenerate instead.\n";
  y += "#\n";
  y += "# Round K: the proposer (p1 in odd rounds, p2 in even ones) offers a split;\n";
  y += "# option sJ means the proposer keeps J/" + g + " of the pie. The responder accepts\n";
  y += "# (each gets its share times its discount factor to the power K-1) or\n";
  y += "# rejects (next round; no deal after round " + std::to_string(rounds) + ": both get 0).\n";
  y += "# Subgame-perfect play: p1's first offer is accepted at once; as the\n";
  y += "# horizon grows p1's share approaches Rubinstein's (1 - d2) / (1 - d1 d2).\n";
  y += "name: Alternating offers, " + std::to_string(rounds) + " rounds, grid " + g +
       ", d1 = " + Number(d1) + ", d2 = " + Number(d2) + "\n";
  y += "actors:\n";
  std::string offers;
  for (int j = 0; j <= grid; ++j) offers += (j ? ", s" : "s") + std::to_string(j);
  y += "  - {id: p1, options: [" + offers + "]}\n";
  y += "  - {id: p2, options: [" + offers + "]}\n";
  y += "sequence:\n";
  for (int k = 1; k <= rounds; ++k) {
    const std::string proposer = k % 2 == 1 ? "p1" : "p2", responder = k % 2 == 1 ? "p2" : "p1";
    const std::string when = k == 1 ? "" : ", when: {respond" + std::to_string(k - 1) + ": reject}";
    const std::string ks = std::to_string(k);
    y += "  - {id: offer" + ks + ", actor: " + proposer + when + "}\n";
    y += "  - {id: respond" + ks + ", actor: " + responder + ", options: [accept, reject]" + when +
         "}\n";
  }
  y += "outcomes:\n";
  for (int k = 1; k <= rounds; ++k) {
    const std::string ks = std::to_string(k);
    y += "  - {id: agree" + ks + ", when: {respond" + ks + ": accept}}\n";
  }
  y += "  - {id: no_deal, otherwise: true}\n";
  y += "payoffs:\n";
  for (int k = 1; k <= rounds; ++k) y += "  agree" + std::to_string(k) + ": {p1: 0, p2: 0}\n";
  y += "  no_deal: {p1: 0, p2: 0}\n";
  y += "modifiers:\n";
  double disc1 = 1.0, disc2 = 1.0;
  for (int k = 1; k <= rounds; ++k) {
    const std::string ks = std::to_string(k);
    for (int j = 0; j <= grid; ++j) {
      const double keep = static_cast<double>(j) / grid;
      const double give = static_cast<double>(grid - j) / grid;
      const double p1 = k % 2 == 1 ? keep : give, p2 = k % 2 == 1 ? give : keep;
      y += "  - {when: {offer" + ks + ": s" + std::to_string(j) + ", respond" + ks +
           ": accept}, add: {p1: " + Number(disc1 * p1) + ", p2: " + Number(disc2 * p2) + "}}\n";
    }
    disc1 *= d1;
    disc2 *= d2;
  }
  y += "simulation: {samples: 100, seed: 1, selection: payoff-dominant}\n";
  return y;
}

// An independent solution of the same grid game: backward over rounds, with
// the payoffs the scenario file holds (the printed numbers read back), the
// responder accepting when indifferent unless that is worse for the proposer
// (payoff dominance, as the scenario's selection rule), and the proposer
// keeping the most it can. Returns both players' values and p1's first
// offer; `ambiguous` is set if a tie remains that the selection rule could
// break either way (the engine would then choose at random).
struct Bargain {
  double p1 = 0.0, p2 = 0.0;
  int first_offer = -1;
  bool ambiguous = false;
};

Bargain BargainingDp(int rounds, int grid, double d1, double d2) {
  using Row = std::array<double, 2>;
  auto dominates = [](const Row& a, const Row& b) {  // a Pareto-dominates b
    bool strictly = false;
    for (int p = 0; p < 2; ++p) {
      if (a[p] < b[p] && !Ties(a[p], b[p])) return false;
      if (a[p] > b[p] && !Ties(a[p], b[p])) strictly = true;
    }
    return strictly;
  };
  std::vector<std::array<double, 2>> disc(rounds);
  double disc1 = 1.0, disc2 = 1.0;
  for (int k = 0; k < rounds; ++k) {
    disc[k] = {disc1, disc2};
    disc1 *= d1;
    disc2 *= d2;
  }
  Bargain out;
  Row next = {0.0, 0.0};  // after the last round: no deal
  int offer = -1;
  for (int k = rounds; k >= 1; --k) {
    const int proposer = k % 2 == 1 ? 0 : 1, responder = 1 - proposer;
    // The value of each offer: accepted or rejected as the responder prefers.
    std::vector<Row> value(grid + 1);
    for (int j = 0; j <= grid; ++j) {
      const double keep = static_cast<double>(j) / grid;
      const double give = static_cast<double>(grid - j) / grid;
      Row accept;
      accept[proposer] = std::strtod(Number(disc[k - 1][proposer] * keep).c_str(), nullptr);
      accept[responder] = std::strtod(Number(disc[k - 1][responder] * give).c_str(), nullptr);
      if (Ties(accept[responder], next[responder])) {
        const bool a = dominates(accept, next), r = dominates(next, accept);
        if (!a && !r && (!Ties(accept[0], next[0]) || !Ties(accept[1], next[1]))) {
          out.ambiguous = true;
        }
        value[j] = r ? next : accept;
      } else {
        value[j] = accept[responder] > next[responder] ? accept : next;
      }
    }
    int best = 0;
    for (int j = 1; j <= grid; ++j) {
      if (value[j][proposer] > value[best][proposer]) best = j;
    }
    std::vector<int> tied;
    for (int j = 0; j <= grid; ++j) {
      if (Ties(value[j][proposer], value[best][proposer])) tied.push_back(j);
    }
    std::vector<int> kept;
    for (int a : tied) {
      bool dominated = false;
      for (int b : tied) dominated = dominated || dominates(value[b], value[a]);
      if (!dominated) kept.push_back(a);
    }
    for (int a : kept) {
      if (!Ties(value[a][0], value[kept[0]][0]) || !Ties(value[a][1], value[kept[0]][1])) {
        out.ambiguous = true;
      }
    }
    offer = kept[0];
    next = value[offer];
  }
  out.p1 = next[0];
  out.p2 = next[1];
  out.first_offer = offer;
  return out;
}

// Without a grid, p1's share in round 1 of a T-round game: the proposer in
// round k keeps x_k = 1 - d_r x_{k+1} (d_r: the responder's factor), x_T = 1.
double ContinuousShare(int rounds, double d1, double d2) {
  double x = 1.0;
  for (int k = rounds - 1; k >= 1; --k) x = 1.0 - (k % 2 == 1 ? d2 : d1) * x;
  return x;
}

double Rubinstein(double d1, double d2) { return (1.0 - d2) / (1.0 - d1 * d2); }

// How far the grid game's first-mover share can be from the continuous one.
// Write y_k, x_k for the proposer's share in round k with and without the
// grid. The proposer keeps the largest grid share the responder accepts, so
// y_k = 1 - d_r y_{k+1} - u_k with 0 <= u_k < 1/N, and e_k = y_k - x_k obeys
// e_k = -d_r e_{k+1} - u_k, e_T = 0. Two rounds at a time, e_k =
// d1 d2 e_{k+2} + d_r u_{k+1} - u_k, whose last terms lie in (-1/N, 1/N);
// so |e_1| <= 1 / (N (1 - d1 d2)). (Grid 100: 0.0526 for d1 = d2 = 0.9 and
// 0.0357 for 0.9, 0.8. The proposer always prefers agreement here, as
// y_k > d_p (1 - y_{k+1}) with a margin of 1 - d_p - 1/N > 0.)
double GridBound(int grid, double d1, double d2) { return 1.0 / (grid * (1.0 - d1 * d2)) + 1e-12; }

struct Discounts {
  double d1, d2;
  const char* file;  // the shipped 40-round, grid-100 scenario
};

const Discounts kDiscounts[] = {
    {0.9, 0.9, "scenarios/sequential/bargaining-40-d90-d90.yaml"},
    {0.9, 0.8, "scenarios/sequential/bargaining-40-d90-d80.yaml"},
};

TEST(Bargaining, ShippedFilesAreWhatTheGeneratorWrites) {
  for (const Discounts& d : kDiscounts) {
    EXPECT_EQ(ReadFile(SourcePath(d.file)), BargainingYaml(40, 100, d.d1, d.d2))
        << d.file << " differs from scripts/generate-bargaining.py 40 100 " << d.d1 << " " << d.d2;
  }
}

// Checks one horizon: the scenario's SPE against the dynamic program,
// exactly, and against the continuous game within the grid bound.
void CheckHorizon(const Solved& s, int rounds, int grid, double d1, double d2) {
  const std::string where = std::to_string(rounds) + " rounds, grid " + std::to_string(grid) +
                            ", d = " + Number(d1) + ", " + Number(d2);
  const Bargain dp = BargainingDp(rounds, grid, d1, d2);
  ASSERT_FALSE(dp.ambiguous) << where;
  EXPECT_NEAR(s.value(0), dp.p1, 1e-9) << where;
  EXPECT_NEAR(s.value(1), dp.p2, 1e-9) << where;
  EXPECT_EQ(s.root_choice(), dp.first_offer) << where;
  // Agreement in the first round: p1 keeps its offer.
  EXPECT_NEAR(s.value(0), static_cast<double>(dp.first_offer) / grid, 1e-12) << where;
  std::vector<double> p = OutcomeProbabilities(s);
  EXPECT_EQ(p[0], 1.0) << where << ": agree1";
  EXPECT_NEAR(s.value(0), ContinuousShare(rounds, d1, d2), GridBound(grid, d1, d2)) << where;
}

TEST(Bargaining, EveryHorizonMatchesTheDynamicProgram) {
  // Horizons 1..40 on a grid of 20 (the compile time of a T-round game grows
  // like T^3 x grid^2), and a few on the shipped grid of 100.
  for (const Discounts& d : kDiscounts) {
    for (int rounds = 1; rounds <= 40; ++rounds) {
      const Solved s = Solve(LoadScenarioString(BargainingYaml(rounds, 20, d.d1, d.d2), "b.yaml"));
      CheckHorizon(s, rounds, 20, d.d1, d.d2);
    }
    for (int rounds : {1, 2, 3, 4, 7, 12}) {
      const Solved s = Solve(LoadScenarioString(BargainingYaml(rounds, 100, d.d1, d.d2), "b.yaml"));
      CheckHorizon(s, rounds, 100, d.d1, d.d2);
    }
  }
}

TEST(Bargaining, ShippedGamesApproachRubinstein) {
  for (const Discounts& d : kDiscounts) {
    const Solved s = SolveFile(d.file);
    CheckHorizon(s, 40, 100, d.d1, d.d2);
    // |x_1(T) - R| shrinks by d1 d2 every two rounds from at most 1, so
    // after 40 rounds it is at most (d1 d2)^19: 0.0182 and 0.0019.
    const double horizon = std::pow(d.d1 * d.d2, 19);
    EXPECT_NEAR(ContinuousShare(40, d.d1, d.d2), Rubinstein(d.d1, d.d2), horizon);
    EXPECT_NEAR(s.value(0), Rubinstein(d.d1, d.d2), horizon + GridBound(100, d.d1, d.d2));
    // A Monte Carlo run agrees (the game has no random payoffs).
    const McRun run = RunSpe(s, 20, 2);
    EXPECT_EQ(OutcomeP(run.summary, "agree1"), 1.0);
    EXPECT_EQ(run.summary.payoffs[0].mean, s.value(0));
    // Subgame sharing: a few nodes per offer and round, not one per history.
    EXPECT_LT(s.game.tree().num_nodes(), 40 * 2 * 103);
  }
  EXPECT_NEAR(Rubinstein(0.9, 0.9), 0.526316, 1e-6);
  EXPECT_NEAR(Rubinstein(0.9, 0.8), 0.714286, 1e-6);
}

TEST(Bargaining, ContinuousRecursionIsTheClosedForm) {
  // Equal factors: x_1(T) = (1 - (-d)^T) / (1 + d).
  for (int t = 1; t <= 40; ++t) {
    EXPECT_NEAR(ContinuousShare(t, 0.9, 0.9), (1.0 - std::pow(-0.9, t)) / 1.9, 1e-12) << t;
  }
  // Small horizons by hand: T = 2: 1 - d2; T = 3: 1 - d2 (1 - d1).
  EXPECT_NEAR(ContinuousShare(2, 0.9, 0.8), 0.2, 1e-12);
  EXPECT_NEAR(ContinuousShare(3, 0.9, 0.8), 1.0 - 0.8 * 0.1, 1e-12);
}

// The same bargaining as a negotiation of rounds (scenarios/rounds/
// alternating-offers-deadline.yaml): each round is one offer by p1 and a
// counter-offer by p2 (discounted once inside the round), the impasse after
// both continues, and forward-looking actors discount a round by d^2. Backward
// induction over the rounds must give the one-tree game of 2 x ROUNDS offers.
std::string AlternatingRoundsYaml(int rounds, int grid, double d1, double d2) {
  std::string offers;
  for (int j = 0; j <= grid; ++j) offers += (j ? ", s" : "s") + std::to_string(j);
  std::string y = "name: alternating offers in rounds\nactors:\n";
  y += "  - {id: a, options: [" + offers + "]}\n";
  y += "  - {id: b, options: [" + offers + "]}\n";
  y += "sequence:\n";
  y += "  - {id: a_offers, actor: a}\n";
  y += "  - {id: b_answers, actor: b, options: [accept, reject]}\n";
  y += "  - {id: b_offers, actor: b, when: {b_answers: reject}}\n";
  y += "  - {id: a_answers, actor: a, options: [accept, reject], when: {b_answers: reject}}\n";
  y += "outcomes:\n";
  y += "  - {id: a_terms, when: {b_answers: accept}}\n";
  y += "  - {id: b_terms, when: {a_answers: accept}}\n";
  y += "  - {id: impasse, otherwise: true}\n";
  y += "payoffs:\n  a_terms: {a: 0, b: 0}\n  b_terms: {a: 0, b: 0}\n  impasse: {a: 0, b: 0}\n";
  y += "modifiers:\n";
  for (int j = 0; j <= grid; ++j) {
    const double keep = static_cast<double>(j) / grid, give = static_cast<double>(grid - j) / grid;
    y += "  - {when: {a_offers: s" + std::to_string(j) +
         ", b_answers: accept}, add: {a: " + Number(keep) + ", b: " + Number(give) + "}}\n";
    y += "  - {when: {b_offers: s" + std::to_string(j) +
         ", a_answers: accept}, add: {a: " + Number(d1 * give) + ", b: " + Number(d2 * keep) +
         "}}\n";
  }
  y += "rounds:\n  max: " + std::to_string(rounds) +
       "\n  continue: [impasse]\n  foresight: forward-looking\n";
  y += "  discount: {a: " + Number(d1 * d1) + ", b: " + Number(d2 * d2) + "}\n";
  y += "simulation: {samples: 4, seed: 1, model: spe, selection: payoff-dominant}\n";
  return y;
}

// A negotiation's first-round deal: p1's offer accepted at once in every
// sample, each side's value as the dynamic program of 2 x ROUNDS offers says.
void CheckRoundsAgainstDp(const Solved& s, int rounds, int grid, double d1, double d2) {
  const std::string where = std::to_string(rounds) + " rounds, grid " + std::to_string(grid) +
                            ", d = " + Number(d1) + ", " + Number(d2);
  const Bargain dp = BargainingDp(2 * rounds, grid, d1, d2);
  ASSERT_FALSE(dp.ambiguous) << where;
  const McRun run = RunSpe(s, 4, 2);
  ASSERT_TRUE(run.summary.rounds.has_value()) << where;
  EXPECT_EQ(OutcomeP(run.summary, "a_terms"), 1.0) << where;
  EXPECT_EQ(run.summary.rounds->mean_rounds, 1.0) << where;
  EXPECT_NEAR(run.summary.payoffs[0].mean, dp.p1, 1e-9) << where;
  EXPECT_NEAR(run.summary.payoffs[1].mean, dp.p2, 1e-9) << where;
  EXPECT_NEAR(dp.p1, static_cast<double>(dp.first_offer) / grid, 1e-12) << where;
}

TEST(Bargaining, RoundsOfOfferAndCounterOfferMatchTheDynamicProgram) {
  for (const Discounts& d : kDiscounts) {
    for (int rounds = 1; rounds <= 20; ++rounds) {
      CheckRoundsAgainstDp(
          Solve(LoadScenarioString(AlternatingRoundsYaml(rounds, 20, d.d1, d.d2), "r.yaml")),
          rounds, 20, d.d1, d.d2);
    }
  }
}

TEST(Bargaining, RoundsOfTwentyEqualTheShippedFortyOfferTrees) {
  for (const Discounts& d : kDiscounts) {
    const Solved tree = SolveFile(d.file);
    const Solved rounds =
        Solve(LoadScenarioString(AlternatingRoundsYaml(20, 100, d.d1, d.d2), "r.yaml"));
    CheckRoundsAgainstDp(rounds, 20, 100, d.d1, d.d2);
    const McRun run = RunSpe(rounds, 4, 2);
    EXPECT_NEAR(run.summary.payoffs[0].mean, tree.value(0), 1e-9) << d.file;
    EXPECT_NEAR(run.summary.payoffs[1].mean, tree.value(1), 1e-9) << d.file;
  }
}

TEST(Bargaining, ShippedDeadlineScenarioMovesTheTermsWithTheDeadline) {
  // scenarios/rounds/alternating-offers-deadline.yaml: grid 10, d = 0.9, 0.8.
  auto spec = LoadScenarioFile(SourcePath("scenarios/rounds/alternating-offers-deadline.yaml"));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->rounds->max_rounds, 5);
  std::vector<double> share;
  for (int rounds = 1; rounds <= 10; ++rounds) {
    ScenarioSpec s = *spec;
    s.rounds->max_rounds = rounds;
    const Solved solved = Solve(s);
    CheckRoundsAgainstDp(solved, rounds, 10, 0.9, 0.8);
    share.push_back(RunSpe(solved, 4, 1).summary.payoffs[0].mean);
  }
  // What its header says: B, the last to offer, takes 0.8 with one round;
  // A's share grows with the deadline to 0.6 from 5 rounds on.
  EXPECT_NEAR(share[0], 0.2, 1e-12);
  for (int r = 1; r < 10; ++r) EXPECT_GE(share[r], share[r - 1] - 1e-12) << r + 1;
  for (int r = 4; r < 10; ++r) EXPECT_NEAR(share[r], 0.6, 1e-12) << r + 1;
}

// ---------------------------------------------------------------------------
// The sequential Istanbul scenario.

TEST(IstanbulSequential, LoadsAndSolvesTheMeanGame) {
  const Solved s = SolveFile("scenarios/istanbul-2025-sequential.yaml");
  EXPECT_EQ(s.spec.actors.size(), 4u);
  EXPECT_EQ(s.spec.stages.size(), 5u);
  EXPECT_EQ(s.spec.threats.size(), 3u);
  EXPECT_EQ(s.spec.simulation.model, "spe");
  // The same actors, parameters and arguments as the normal-form file.
  auto normal = LoadScenarioFile(SourcePath("scenarios/istanbul-2025.yaml"));
  ASSERT_TRUE(normal.ok());
  ASSERT_EQ(s.spec.actors.size(), normal->actors.size());
  for (size_t a = 0; a < s.spec.actors.size(); ++a) {
    EXPECT_EQ(s.spec.actors[a].id, normal->actors[a].id);
  }
  ASSERT_EQ(s.spec.arguments.size(), normal->arguments.size());
  for (size_t g = 0; g < s.spec.arguments.size(); ++g) {
    EXPECT_EQ(s.spec.arguments[g].id, normal->arguments[g].id);
    EXPECT_EQ(s.spec.arguments[g].credence, normal->arguments[g].credence);
  }
  // Every parameter of the normal form; the sequential file adds what a US
  // exit costs Kyiv, which only a reaction after Kyiv's move can weigh.
  auto has = [&](const std::string& id) {
    return std::any_of(s.spec.parameters.begin(), s.spec.parameters.end(),
                       [&](const auto& p) { return p.id == id; });
  };
  for (const auto& parameter : normal->parameters) EXPECT_TRUE(has(parameter.id)) << parameter.id;
  EXPECT_TRUE(has("us_exit_cost_to_ukraine"));
  const std::vector<double> p = OutcomeProbabilities(s);
  double total = 0.0;
  for (double x : p) total += x;
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(IstanbulSequential, RunIsDeterministicAndConsistent) {
  const Solved s = SolveFile("scenarios/istanbul-2025-sequential.yaml");
  const McRun one = RunSpe(s, 20000, 1);
  const McRun four = RunSpe(s, 20000, 4);
  auto json = [](const RunSummary& summary) {
    nlohmann::ordered_json j = ToJson(summary);
    EXPECT_TRUE(j.contains("run"));
    j.erase("run");
    return j.dump();
  };
  EXPECT_EQ(json(one.summary), json(four.summary));

  const RunSummary& r = one.summary;
  EXPECT_EQ(r.samples, 20000);
  double total = r.unresolved.probability;
  for (const auto& o : r.outcomes) {
    EXPECT_GE(o.probability, 0.0) << o.id;
    total += o.probability;
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_EQ(r.unresolved.probability, 0.0);  // perfect information: always solved
  ASSERT_EQ(r.threats.size(), 3u);
  for (const auto& t : r.threats) {
    EXPECT_GE(t.credible, 0.0) << t.id;
    EXPECT_LE(t.credible, 1.0) << t.id;
    EXPECT_GE(t.carried_out, 0.0) << t.id;
    EXPECT_LE(t.carried_out, t.credible + 1e-12) << t.id << ": carried out but not credible";
    EXPECT_GE(t.applies_at, 1) << t.id;
  }
  EXPECT_GE(r.distinct_paths, 1);
  double path_total = 0.0;
  for (const auto& path : r.paths) path_total += path.probability;
  EXPECT_LE(path_total, 1.0 + 1e-12);
}

// ---------------------------------------------------------------------------
// The tree-size limit counts the nodes the rules make distinct.

TEST(TreeLimit, OutcomesThatSplitSharedHistoriesCountAgainstTheLimit) {
  // The stages alone make a chain of 7 nodes (every history shares one node
  // per stage); an outcome that tells every move apart, without
  // `otherwise`, makes 4^5 + ... distinct histories. The coverage check must
  // see them all, or refuse the file.
  std::string yaml = "name: T\nactors:\n  - {id: a, options: [o0, o1, o2, o3]}\nsequence:\n";
  std::string conditions, without_o3;
  for (int k = 0; k < 6; ++k) {
    yaml += "  - {id: s" + std::to_string(k) + ", actor: a}\n";
    for (int o = 0; o < 4; ++o) {
      const std::string c = "{s" + std::to_string(k) + ": o" + std::to_string(o) + "}";
      conditions += (conditions.empty() ? "" : ", ") + c;
      if (o != 3) without_o3 += (without_o3.empty() ? "" : ", ") + c;
    }
  }
  const std::string head = yaml;
  yaml += "outcomes:\n  - {id: marked, when_any: [" + conditions + "]}\n";
  yaml += "payoffs:\n  marked: {a: 1}\n";
  auto fits = LoadScenarioString(yaml, "t.yaml");
  ASSERT_TRUE(fits.ok()) << fits.status().message();
  LoadOptions small;
  small.max_profiles = 1000;  // 4^5 = 1024 histories before the last stage
  auto refused = LoadScenarioString(yaml, "t.yaml", small);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("the game tree is too large"), std::string::npos)
      << refused.status().message();
  // An uncovered history deep in such a tree is still found.
  // Only the history that plays o3 at every stage is left out.
  const std::string uncovered = head + "outcomes:\n  - {id: marked, when_any: [" + without_o3 +
                                "]}\npayoffs:\n  marked: {a: 1}\n";
  auto missing = LoadScenarioString(uncovered, "t.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(
                "{s0: o3, s1: o3, s2: o3, s3: o3, s4: o3, s5: o3} is not covered"),
            std::string::npos)
      << missing.status().message();
}

// ---------------------------------------------------------------------------
// Random sequential scenarios against a brute-force walk over histories.

// A random scenario, kept in the test's own terms and written out as YAML.
struct RCondition {
  std::vector<std::pair<int, std::vector<int>>> allowed;  // stage -> options
  bool Matches(const std::vector<int>& h) const {
    for (const auto& [stage, options] : allowed) {
      if (h[stage] < 0 || std::find(options.begin(), options.end(), h[stage]) == options.end()) {
        return false;
      }
    }
    return true;
  }
};

bool AnyMatches(const std::vector<RCondition>& any, const std::vector<int>& h) {
  return std::any_of(any.begin(), any.end(), [&](const RCondition& c) { return c.Matches(h); });
}

struct RStage {
  int actor = -1;  // -1: chance
  int options = 2;
  std::vector<std::string> probability_text;  // chance: as written
  std::vector<double> probability;            // chance: the mean
  std::vector<RCondition> when;               // empty: always played
};

struct RRule {
  std::vector<RCondition> any_of;
  bool otherwise = false;
  std::vector<double> values;  // per actor: payoff or shift
};

struct RScenario {
  int actors = 1;
  std::vector<RStage> stages;
  std::vector<RRule> outcomes;
  std::vector<RRule> modifiers;
};

class RandomScenarios {
 public:
  explicit RandomScenarios(uint64_t seed) : rng_(seed) {}

  RScenario Next() {
    RScenario r;
    r.actors = Int(1, 3);
    const int stages = Int(1, 6);
    for (int k = 0; k < stages; ++k) {
      RStage st;
      if (k > 0 && Int(0, 3) == 0) {
        st.options = Int(2, 3);
        // Probabilities: fixed decimals (possibly 0), one drawn uniform, and
        // the last option taking the rest.
        double used = 0.0;
        for (int o = 0; o + 1 < st.options; ++o) {
          const int choice = Int(0, 4);
          if (choice == 0) {
            st.probability_text.push_back("0");
            st.probability.push_back(0.0);
          } else if (choice == 1) {
            st.probability_text.push_back("{uniform: [0.1, 0.3]}");
            st.probability.push_back(0.2);
          } else {
            const double p = 0.05 * Int(1, 6);
            st.probability_text.push_back(Number(p));
            st.probability.push_back(p);
          }
          used += st.probability.back();
        }
        st.probability_text.push_back("rest");
        double rest = 1.0;
        for (double p : st.probability) rest -= p;
        st.probability.push_back(rest);
        (void)used;
      } else {
        st.actor = Int(0, r.actors - 1);
        st.options = Int(1, 3);
      }
      if (k > 0 && Int(0, 1) == 0) st.when = Conditions(r, k, Int(1, 2));
      r.stages.push_back(std::move(st));
    }
    const int outcomes = Int(1, 4);
    for (int o = 0; o < outcomes; ++o) {
      RRule rule;
      rule.any_of = Conditions(r, stages, Int(1, 2));
      rule.values = Values(r.actors);
      r.outcomes.push_back(std::move(rule));
    }
    if (Int(0, 9) < 8) {
      RRule rule;
      rule.otherwise = true;
      rule.values = Values(r.actors);
      r.outcomes.push_back(std::move(rule));
    }
    const int modifiers = Int(0, 3);
    for (int m = 0; m < modifiers; ++m) {
      RRule rule;
      rule.any_of = Conditions(r, stages, Int(1, 2));
      rule.values = Values(r.actors);
      r.modifiers.push_back(std::move(rule));
    }
    return r;
  }

 private:
  // From the engine's bits alone (std distributions differ between
  // standard libraries; the engines' outputs do not). The modulo bias is
  // irrelevant for these small ranges.
  int Int(int lo, int hi) {
    return lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }

  // Payoffs with three decimals, never zero: different payoff classes
  // almost never tie, so equilibrium play does not depend on tie-breaking.
  std::vector<double> Values(int actors) {
    std::vector<double> v;
    for (int a = 0; a < actors; ++a) {
      int x = 0;
      while (x == 0) x = Int(-9999, 9999);
      v.push_back(x / 1000.0);
    }
    return v;
  }

  // `count` conditions over the first `stages` stages, each naming one or
  // two stages with a non-empty subset of their options.
  std::vector<RCondition> Conditions(const RScenario& r, int stages, int count) {
    std::vector<RCondition> out;
    for (int c = 0; c < count; ++c) {
      RCondition cond;
      const int named = std::min(stages, Int(1, 2));
      std::vector<int> pool(stages);
      for (int k = 0; k < stages; ++k) pool[k] = k;
      std::shuffle(pool.begin(), pool.end(), rng_);
      for (int i = 0; i < named; ++i) {
        const int k = pool[i];
        std::vector<int> options;
        for (int o = 0; o < r.stages[k].options; ++o) {
          if (Int(0, 1) == 0) options.push_back(o);
        }
        if (options.empty()) options.push_back(Int(0, r.stages[k].options - 1));
        cond.allowed.emplace_back(k, options);
      }
      out.push_back(std::move(cond));
    }
    return out;
  }

  std::mt19937_64 rng_;
};

std::string ConditionYaml(const RCondition& c) {
  std::string s = "{";
  for (size_t i = 0; i < c.allowed.size(); ++i) {
    s += (i ? ", s" : "s") + std::to_string(c.allowed[i].first) + ": [";
    for (size_t j = 0; j < c.allowed[i].second.size(); ++j) {
      s += (j ? ", o" : "o") + std::to_string(c.allowed[i].second[j]);
    }
    s += "]";
  }
  return s + "}";
}

std::string RuleYaml(const std::vector<RCondition>& any) {
  if (any.size() == 1) return "when: " + ConditionYaml(any[0]);
  std::string s = "when_any: [";
  for (size_t i = 0; i < any.size(); ++i) s += (i ? ", " : "") + ConditionYaml(any[i]);
  return s + "]";
}

std::string ValuesYaml(const std::vector<double>& v) {
  std::string s = "{";
  for (size_t a = 0; a < v.size(); ++a) {
    s += (a ? ", a" : "a") + std::to_string(a) + ": " + Number(v[a]);
  }
  return s + "}";
}

std::string ToYaml(const RScenario& r) {
  std::string y = "name: Random\nactors:\n";
  for (int a = 0; a < r.actors; ++a) y += "  - {id: a" + std::to_string(a) + "}\n";
  y += "sequence:\n";
  for (size_t k = 0; k < r.stages.size(); ++k) {
    const RStage& st = r.stages[k];
    y += "  - {id: s" + std::to_string(k);
    if (st.actor >= 0) {
      y += ", actor: a" + std::to_string(st.actor) + ", options: [";
      for (int o = 0; o < st.options; ++o) y += (o ? ", o" : "o") + std::to_string(o);
      y += "]";
    } else {
      y += ", chance: {";
      for (int o = 0; o < st.options; ++o) {
        y += (o ? ", o" : "o") + std::to_string(o) + ": " + st.probability_text[o];
      }
      y += "}";
    }
    if (!st.when.empty()) y += ", " + RuleYaml(st.when);
    y += "}\n";
  }
  y += "outcomes:\n";
  for (size_t o = 0; o < r.outcomes.size(); ++o) {
    y += "  - {id: out" + std::to_string(o) + ", " +
         (r.outcomes[o].otherwise ? std::string("otherwise: true")
                                  : RuleYaml(r.outcomes[o].any_of)) +
         "}\n";
  }
  y += "payoffs:\n";
  for (size_t o = 0; o < r.outcomes.size(); ++o) {
    y += "  out" + std::to_string(o) + ": " + ValuesYaml(r.outcomes[o].values) + "\n";
  }
  if (!r.modifiers.empty()) {
    y += "modifiers:\n";
    for (const RRule& m : r.modifiers) {
      y += "  - {" + RuleYaml(m.any_of) + ", add: " + ValuesYaml(m.values) + "}\n";
    }
  }
  return y;
}

// Subgame-perfect play over every history, one by one (no sharing).
struct BruteForce {
  const RScenario& r;
  std::vector<int> history;
  int64_t nodes = 0;
  bool uncovered = false;  // a terminal history no outcome takes
  bool tie = false;        // a mover indifferent between different continuations

  struct Value {
    std::vector<double> payoff;   // per actor
    std::vector<double> outcome;  // probability of each outcome
  };

  Value Terminal() {
    Value v{std::vector<double>(r.actors, 0.0), std::vector<double>(r.outcomes.size(), 0.0)};
    int outcome = -1;
    for (size_t o = 0; o < r.outcomes.size() && outcome < 0; ++o) {
      if (r.outcomes[o].otherwise || AnyMatches(r.outcomes[o].any_of, history)) outcome = o;
    }
    if (outcome < 0) {
      uncovered = true;
      return v;
    }
    v.outcome[outcome] = 1.0;
    v.payoff = r.outcomes[outcome].values;
    for (const RRule& m : r.modifiers) {
      if (!AnyMatches(m.any_of, history)) continue;
      for (int a = 0; a < r.actors; ++a) v.payoff[a] += m.values[a];
    }
    return v;
  }

  Value Solve(size_t k) {
    while (k < r.stages.size() && !r.stages[k].when.empty() &&
           !AnyMatches(r.stages[k].when, history)) {
      ++k;
    }
    ++nodes;
    if (k == r.stages.size()) return Terminal();
    const RStage& st = r.stages[k];
    std::vector<Value> kids;
    for (int o = 0; o < st.options; ++o) {
      history[k] = o;
      kids.push_back(Solve(k + 1));
    }
    history[k] = -1;
    if (st.actor < 0) {
      Value v{std::vector<double>(r.actors, 0.0), std::vector<double>(r.outcomes.size(), 0.0)};
      for (int o = 0; o < st.options; ++o) {
        for (int a = 0; a < r.actors; ++a) v.payoff[a] += st.probability[o] * kids[o].payoff[a];
        for (size_t i = 0; i < v.outcome.size(); ++i) {
          v.outcome[i] += st.probability[o] * kids[o].outcome[i];
        }
      }
      return v;
    }
    int best = 0;
    for (int o = 1; o < st.options; ++o) {
      if (kids[o].payoff[st.actor] > kids[best].payoff[st.actor]) best = o;
    }
    for (int o = 0; o < st.options; ++o) {
      if (o == best || !Ties(kids[o].payoff[st.actor], kids[best].payoff[st.actor])) continue;
      for (int a = 0; a < r.actors; ++a) {
        if (!Ties(kids[o].payoff[a], kids[best].payoff[a])) tie = true;
      }
    }
    return kids[best];
  }
};

TEST(RandomSequentialScenarios, SharedTreeSolvesLikeTheFullTree) {
  RandomScenarios gen(20250515);
  int solved = 0, refused = 0, tied = 0, shared = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const RScenario r = gen.Next();
    const std::string yaml = ToYaml(r);
    BruteForce brute{r, std::vector<int>(r.stages.size(), -1)};
    const BruteForce::Value expected = brute.Solve(0);
    auto spec = LoadScenarioString(yaml, "random.yaml");
    if (brute.uncovered) {
      // The loader must refuse a terminal history that no outcome takes.
      ASSERT_FALSE(spec.ok()) << yaml;
      EXPECT_NE(spec.status().message().find("is not covered by any outcome"), std::string::npos)
          << spec.status().message();
      ++refused;
      continue;
    }
    ASSERT_TRUE(spec.ok()) << spec.status().message() << "\n" << yaml;
    if (brute.tie) {
      ++tied;
      continue;
    }
    const Solved s = Solve(std::move(spec));
    ASSERT_FALSE(s.spe.value.empty()) << yaml;
    EXPECT_LE(MaxSubgameRegret(s.view(), s.spe.choice), 1e-9) << yaml;
    for (int a = 0; a < r.actors; ++a) {
      EXPECT_NEAR(s.value(a), expected.payoff[a], 1e-9) << "actor a" << a << "\n" << yaml;
    }
    const std::vector<double> p = OutcomeProbabilities(s);
    for (size_t o = 0; o < p.size(); ++o) {
      EXPECT_NEAR(p[o], expected.outcome[o], 1e-9) << "outcome out" << o << "\n" << yaml;
    }
    EXPECT_LE(s.game.tree().num_nodes(), brute.nodes) << yaml;
    shared += s.game.tree().num_nodes() < brute.nodes;
    ++solved;
    if (::testing::Test::HasFailure()) break;
  }
  // The generator must exercise every branch.
  EXPECT_GE(solved, 250);
  EXPECT_GE(refused, 5);
  EXPECT_GE(shared, 50);
  EXPECT_LE(tied, 20);
}

// ---------------------------------------------------------------------------
// Information sets: beer or quiche, a signalling game whose receiver does not
// see the chance move, solved through its reduced normal form.

struct SignallingSolution {
  ScenarioSpec spec;
  GameModel game;
  std::vector<double> table;
  std::vector<int32_t> offsets;
  SubgameDecomposition decomposition;
  TreeView view() const { return game.Tree(table.data(), offsets); }
  // The behaviour at the information set of `stage` whose nodes follow `moves`
  // (option ids of earlier stages, "" where unseen).
  int Choice(const SubgameSolution& s, const std::string& stage,
             const std::vector<std::string>& moves) const {
    const GameTree& tree = game.tree();
    for (int v = 0; v < tree.num_nodes(); ++v) {
      if (tree.node(v).kind != NodeKind::kDecision) continue;
      if (spec.stages[game.stage_of_node()[v]].id != stage) continue;
      bool match = true;
      int u = v;
      for (int k = static_cast<int>(moves.size()) - 1; k >= 0; --k) {
        const int a = tree.action_to(u);
        u = tree.parent(u);
        const StageSpec& st = spec.stages[game.stage_of_node()[u]];
        if (!moves[k].empty() && st.options[a] != moves[k]) match = false;
      }
      if (!match) continue;
      const auto& b = s.behaviour.probabilities[tree.node(v).infoset];
      return static_cast<int>(std::max_element(b.begin(), b.end()) - b.begin());
    }
    ADD_FAILURE() << "no node of " << stage;
    return -1;
  }
};

SignallingSolution LoadSignalling() {
  auto spec = LoadScenarioFile(SourcePath("scenarios/sequential/beer-quiche.yaml"));
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  EXPECT_TRUE(game.ok()) << game.status().message();
  auto d = SubgameDecomposition::Make(game->tree());
  EXPECT_TRUE(d.ok()) << d.status().message();
  SignallingSolution s{std::move(*spec), std::move(*game), {}, {}, std::move(*d)};
  s.table = s.game.MeanTable();
  s.offsets = s.game.EntryOffsets(1);
  return s;
}

TEST(BeerQuiche, ReducedNormalFormIsFourByFour) {
  const SignallingSolution s = LoadSignalling();
  EXPECT_FALSE(s.game.tree().perfect_information());
  ASSERT_EQ(s.decomposition.units.size(), 1u);  // no proper subgame but the game
  const ReducedStrategies& r = s.decomposition.units[0].strategies;
  EXPECT_EQ(r.num_strategies(0), 4);  // beer/quiche for each type
  EXPECT_EQ(r.num_strategies(1), 4);  // duel/leave after each breakfast
}

TEST(BeerQuiche, PayoffDominanceSelectsTheBeerPoolingEquilibrium) {
  const SignallingSolution s = LoadSignalling();
  SubgameOptions options;
  options.selection = Selection::kPayoffDominant;
  SampleRng rng(1, 0, RngStream::kModel);
  auto solved = SolveSubgamePerfect(s.view(), s.decomposition, options, rng);
  ASSERT_TRUE(solved.ok()) << solved.status().message();
  const SubgameSolution& e = solved->front();
  EXPECT_EQ(e.equilibria_found, std::vector<int32_t>{2});  // the two pooling equilibria
  const int beer = 0, duel = 0, leave = 1;
  EXPECT_EQ(s.Choice(e, "sender", {"strong"}), beer);
  EXPECT_EQ(s.Choice(e, "sender", {"weak"}), beer);
  EXPECT_EQ(s.Choice(e, "receiver", {"", "beer"}), leave);
  EXPECT_EQ(s.Choice(e, "receiver", {"", "quiche"}), duel);  // off the path: deters the weak
  EXPECT_NEAR(e.value[0], 0.9 * 3 + 0.1 * 2, 1e-12);
  EXPECT_NEAR(e.value[1], 0.9, 1e-12);
  EXPECT_LT(MaxInfosetRegret(s.view(), e.behaviour), 1e-12);
}

TEST(BeerQuiche, UniformSelectionFindsBothPoolingEquilibriaAndNothingElse) {
  const SignallingSolution s = LoadSignalling();
  std::set<std::pair<double, double>> values;
  for (uint64_t i = 0; i < 50; ++i) {
    SampleRng rng(1, i, RngStream::kModel);
    auto solved = SolveSubgamePerfect(s.view(), s.decomposition, {}, rng);
    ASSERT_TRUE(solved.ok());
    const SubgameSolution& e = solved->front();
    EXPECT_LT(MaxInfosetRegret(s.view(), e.behaviour), 1e-12);
    const int sender = s.Choice(e, "sender", {"strong"});
    EXPECT_EQ(s.Choice(e, "sender", {"weak"}), sender);  // pooling
    values.insert({std::round(e.value[0] * 1e9) / 1e9, std::round(e.value[1] * 1e9) / 1e9});
  }
  EXPECT_EQ(values, (std::set<std::pair<double, double>>{{2.1, 0.9}, {2.9, 0.9}}));
}

TEST(BeerQuiche, MonteCarloRunReportsTheBeerEquilibrium) {
  const SignallingSolution s = LoadSignalling();
  RunOptions options;
  options.samples = 200;
  options.seed = 1;
  options.threads = 2;
  auto model = MakeModel("spe", Selection::kPayoffDominant);
  ASSERT_TRUE(model.ok());
  auto result = RunMonteCarlo(s.game, **model, options);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const RunSummary summary = Summarize(s.spec, {}, result->totals, (*model)->pure(), &s.game);
  EXPECT_NEAR(OutcomeP(summary, "strong_beer_leave"), 0.9, 1e-12);
  EXPECT_NEAR(OutcomeP(summary, "weak_beer_leave"), 0.1, 1e-12);
}

}  // namespace
}  // namespace parley
