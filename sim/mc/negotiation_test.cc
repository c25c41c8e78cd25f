// Multi-round negotiations against closed forms: constant per-round
// probabilities, the gambler's ruin, a one-round negotiation equal to a plain
// run bit for bit, and results independent of the thread count.
#include "sim/mc/negotiation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/core/status_matchers.h"
#include "sim/mc/non_finite.h"
#include "sim/mc/runner.h"
#include "sim/mc/same_totals_testing.h"
#include "sim/mc/summary.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

std::string Source(const std::string& relative) {
  return std::string(PARLEY_SOURCE_DIR) + "/" + relative;
}

struct RoundsRun {
  ScenarioSpec spec;
  RunResult result;
};

RoundsRun RunFile(const ScenarioSpec& spec, const std::string& model_name, int64_t samples,
                  int threads, uint64_t seed = 1) {
  auto game = GameModel::Compile(spec);
  EXPECT_TRUE(game.ok()) << game.status().message();
  auto model = MakeModel(model_name);
  EXPECT_TRUE(model.ok());
  RunOptions options;
  options.samples = samples;
  options.threads = threads;
  options.seed = seed;
  auto result = RunMonteCarlo(*game, **model, options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return {spec, std::move(*result)};
}

TEST(Negotiation, ConstantProbabilitiesFollowTheClosedForm) {
  auto spec = LoadScenarioFile(Source("tests/data/rounds/constant-hazard.yaml"));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const RoundsRun ran = RunFile(*spec, "spe", 50, 2);
  const RunSummary s = Summarize(ran.spec, {}, ran.result.totals, false);
  ASSERT_TRUE(s.rounds.has_value());
  const RoundsSummary& r = *s.rounds;
  const double p = 0.1, q = 0.05;
  ASSERT_EQ(r.rounds.size(), 10u);
  ASSERT_EQ(r.ending, (std::vector<std::string>{"deal", "breakdown", "unresolved"}));
  double mean_rounds = 0.0;
  for (int t = 1; t <= 10; ++t) {
    const RoundEstimate& e = r.rounds[t - 1];
    const double going = std::pow(1.0 - p - q, t);
    EXPECT_NEAR(e.ended_by[0], p / (p + q) * (1.0 - going), 1e-12) << "round " << t;
    EXPECT_NEAR(e.ended_by[1], q / (p + q) * (1.0 - going), 1e-12) << "round " << t;
    EXPECT_NEAR(e.negotiating, std::pow(1.0 - p - q, t - 1), 1e-12);
    EXPECT_NEAR(*e.hazard, t < 10 ? p + q : p + q, 1e-12);
    mean_rounds += std::pow(1.0 - p - q, t - 1);
  }
  EXPECT_NEAR(r.mean_rounds, mean_rounds, 1e-12);
  // At the limit the rest is still talking.
  EXPECT_NEAR(s.outcomes[2].probability, std::pow(1.0 - p - q, 10), 1e-12);
  // The Markov chain without a limit.
  ASSERT_TRUE(r.markov);
  EXPECT_EQ(r.markov_samples, 50);
  EXPECT_NEAR(r.eventual[0], p / (p + q), 1e-12);
  EXPECT_NEAR(r.eventual[1], q / (p + q), 1e-12);
  EXPECT_NEAR(*r.markov_mean_rounds, 1.0 / (p + q), 1e-9);
}

TEST(Negotiation, GamblersRuinEndsAtTheUpperBoundWithProbabilityXOverN) {
  auto spec = LoadScenarioFile(Source("tests/data/rounds/gamblers-ruin.yaml"));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const RoundsRun ran = RunFile(*spec, "spe", 20000, 2, 7);
  const RunSummary s = Summarize(ran.spec, {}, ran.result.totals, false);
  // From x = 2 between 0 and 5: P(win) = 2/5, mean rounds 2 * 3 = 6.
  const OutcomeEstimate& win = s.outcomes[2];
  ASSERT_EQ(win.id, "win");
  EXPECT_LE(win.ci95.low, 0.4);
  EXPECT_GE(win.ci95.high, 0.4);
  EXPECT_NEAR(win.probability, 0.4, 0.02);
  EXPECT_NEAR(s.outcomes[3].probability, 0.6, 0.02);
  EXPECT_LE(s.rounds->mean_rounds_ci95.low, 6.0);
  EXPECT_GE(s.rounds->mean_rounds_ci95.high, 6.0);
  // Every walk from 2 ends by round 1000; the state moves by one a round.
  EXPECT_EQ(s.rounds->rounds.back().negotiating, 0.0);
  // After round 1, x is 1 or 3, each with probability 1/2: mean 2, sd 1.
  EXPECT_NEAR(s.rounds->rounds[1].state_mean[0], 2.0, 0.03);
  EXPECT_NEAR(s.rounds->rounds[1].state_sd[0], 1.0, 0.01);
}

TEST(Negotiation, OneRoundEqualsAPlainRunBitForBit) {
  auto plain = LoadScenarioFile(Source("scenarios/istanbul-2025.yaml"));
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  ScenarioSpec one = *plain;
  one.rounds.emplace();
  one.rounds->max_rounds = 1;
  one.rounds->continues.assign(one.outcomes.size(), false);
  one.rounds->continues[one.FindOutcome("talks_without_ceasefire")] = true;
  one.rounds->discount.assign(one.actors.size(), 0.9);
  for (const char* model : {"nash-pure", "qre", "cognitive-hierarchy"}) {
    for (const Foresight foresight : {Foresight::kMyopic, Foresight::kForwardLooking}) {
      one.rounds->foresight = foresight;
      const RoundsRun a = RunFile(*plain, model, 1000, 2);
      const RoundsRun b = RunFile(one, model, 1000, 2);
      Accumulator without_rounds = b.result.totals;
      without_rounds.rounds = RoundTotals{};
      testing::ExpectSameTotals(a.result.totals, without_rounds, model);
    }
  }
}

TEST(Negotiation, ResultsDoNotDependOnTheThreadCount) {
  auto spec = LoadScenarioFile(Source("scenarios/istanbul-2025-rounds.yaml"));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  for (const Foresight foresight : {Foresight::kMyopic, Foresight::kForwardLooking}) {
    ScenarioSpec s = *spec;
    s.rounds->foresight = foresight;
    s.rounds->max_rounds = 5;
    const RoundsRun one = RunFile(s, "nash-pure", 5000, 1);
    const RoundsRun three = RunFile(s, "nash-pure", 5000, 3);
    testing::ExpectSameTotals(one.result.totals, three.result.totals, "istanbul rounds");
    EXPECT_FALSE(one.result.totals.rounds.alive.empty());
  }
}

TEST(Negotiation, ForwardLookingActorsValueTheRoundsToCome) {
  // A talks round worth 1 a round against a one-off deal worth 3: myopic
  // actors keep talking, forward-looking ones with a long horizon take the
  // deal when the talks' discounted stream is worth less than 3.
  const std::string yaml = R"(
name: Talk or settle
actors:
  - {id: a, options: [talk, settle]}
outcomes:
  - {id: deal, when: {a: settle}}
  - {id: talks, otherwise: true}
payoffs:
  deal: {a: 3}
  talks: {a: 1}
rounds: {max: 10, continue: [talks], discount: 0.5, foresight: forward-looking}
)";
  auto spec = LoadScenarioString(yaml, "talk.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  // Forward-looking: round 10 has no future (talk 1 < 3: settle); round 9:
  // talk = 1 + 0.5 * 3 = 2.5 < 3: settle; ... every round settles.
  const RoundsRun forward = RunFile(*spec, "nash-pure", 10, 1);
  EXPECT_EQ(forward.result.totals.outcome_mass[0], 10.0);
  // With discount 0.9: round 9's talk is 1 + 0.9 * 3 = 3.7 > 3, so the
  // actor talks until the last round and settles there.
  spec->rounds->discount = {0.9};
  const RoundsRun patient = RunFile(*spec, "nash-pure", 10, 1);
  EXPECT_EQ(patient.result.totals.outcome_mass[0], 10.0);
  const RunSummary s = Summarize(patient.spec, {}, patient.result.totals, true);
  EXPECT_EQ(s.rounds->mean_rounds, 10.0);
  // Myopic: 1 < 3 in every round, so it settles at once.
  spec->rounds->foresight = Foresight::kMyopic;
  const RoundsRun myopic = RunFile(*spec, "nash-pure", 10, 1);
  const RunSummary m = Summarize(myopic.spec, {}, myopic.result.totals, true);
  EXPECT_EQ(m.rounds->mean_rounds, 1.0);
}

TEST(Negotiation, AWarOfAttritionPlaysItsStationaryEquilibriumInEveryRound) {
  // V = 2, c = 1: each side concedes with q = c / (V + c) = 1/3 in every
  // round, whatever the horizon (scenarios/rounds/war-of-attrition.yaml).
  auto spec = LoadScenarioFile(Source("scenarios/rounds/war-of-attrition.yaml"));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const double q = 1.0 / 3.0, going = (1.0 - q) * (1.0 - q);
  for (const int horizon : {1, 2, 6, 20}) {
    ScenarioSpec s = *spec;
    s.rounds->max_rounds = horizon;
    const RoundsRun ran = RunFile(s, "nash-logit", 20, 2);
    const RunSummary summary = Summarize(ran.spec, {}, ran.result.totals, false);
    const RoundsSummary& r = *summary.rounds;
    for (int t = 1; t <= horizon; ++t) {
      const RoundEstimate& e = r.rounds[t - 1];
      EXPECT_NEAR(*e.hazard, 1.0 - going, 1e-6) << "horizon " << horizon << ", round " << t;
      // a wins by round t: q (1 - q) in each round it is still going.
      EXPECT_NEAR(e.ended_by[0], q * (1.0 - q) * (1.0 - std::pow(going, t)) / (1.0 - going), 1e-6);
    }
    // The war is worth 0 to both sides in this equilibrium.
    EXPECT_NEAR(summary.payoffs[0].mean, 0.0, 1e-6) << horizon;
  }
}

TEST(Negotiation, RisingPressureRaisesTheHazardOfADealRoundByRound) {
  // scenarios/rounds/concessions-deadline.yaml: the impasse costs more each
  // round, so forward-looking sides concede more readily as it goes on.
  auto spec = LoadScenarioFile(Source("scenarios/rounds/concessions-deadline.yaml"));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const RoundsRun ran = RunFile(*spec, "nash-logit", 20, 2);
  const RunSummary s = Summarize(ran.spec, {}, ran.result.totals, false);
  const RoundsSummary& r = *s.rounds;
  ASSERT_EQ(r.rounds.size(), 8u);
  // With no pressure yet and the future to come, nobody concedes at once.
  EXPECT_NEAR(*r.rounds[0].hazard, 0.0, 1e-6);
  for (size_t t = 1; t < r.rounds.size(); ++t) {
    EXPECT_GT(*r.rounds[t].hazard, *r.rounds[t - 1].hazard + 0.01) << "round " << t + 1;
    EXPECT_NEAR(r.rounds[t].state_mean[0], 0.5 * static_cast<double>(t), 1e-12);
    EXPECT_EQ(r.rounds[t].state_sd[0], 0.0);
  }
  // Myopic sides see no future: round 1 is a one-shot game with three
  // outcomes that settle and none that costs, so they settle at once in
  // three cases of four (each concedes with probability 1/2).
  ScenarioSpec myopic = *spec;
  myopic.rounds->foresight = Foresight::kMyopic;
  const RoundsRun m = RunFile(myopic, "nash-logit", 20, 2);
  const RunSummary ms = Summarize(m.spec, {}, m.result.totals, false);
  EXPECT_NEAR(*ms.rounds->rounds[0].hazard, 0.75, 1e-6);
}

TEST(Negotiation, DesignedPointsPlayTheSameNegotiationsAsTheRunner) {
  // PredictPoints (sensitivity designs) and the runner build each sample's
  // tables differently; the negotiation each plays must be the same.
  auto spec = LoadScenarioFile(Source("scenarios/istanbul-2025-rounds.yaml"));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  for (const Foresight foresight : {Foresight::kMyopic, Foresight::kForwardLooking}) {
    ScenarioSpec s = *spec;
    s.rounds->foresight = foresight;
    s.rounds->max_rounds = 6;
    auto game = GameModel::Compile(s);
    ASSERT_TRUE(game.ok());
    auto model = MakeModel("nash-pure");
    ASSERT_TRUE(model.ok());
    const int64_t n = 300;
    const int slots = game->num_outcomes() + 1;
    RunOptions options;
    options.samples = n;
    options.seed = 11;
    std::vector<double> run_slots(static_cast<size_t>(n) * slots);
    RunControl control;
    control.sample_slots = run_slots.data();
    ASSERT_TRUE(RunMonteCarlo(*game, **model, options, control).ok());
    Eigen::MatrixXd thetas(n, game->num_draws());
    std::vector<uint8_t> holds(std::max(game->num_arguments(), 1));
    std::vector<uint64_t> keys(n);
    for (int64_t i = 0; i < n; ++i) {
      SampleRng rng(options.seed, static_cast<uint64_t>(i), RngStream::kScenario);
      game->DrawSample(rng, thetas.data() + i, n, holds.data());
      keys[i] = static_cast<uint64_t>(i);
    }
    std::vector<double> point_slots(static_cast<size_t>(n) * slots);
    std::vector<double> payoffs(static_cast<size_t>(n) * game->num_players());
    NonFinite non_finite;
    PredictPoints(*game, **model, options.seed, thetas, keys.data(), n, point_slots.data(),
                  payoffs.data(), non_finite);
    EXPECT_FALSE(non_finite.found());
    EXPECT_EQ(run_slots, point_slots);
  }
}

TEST(Negotiation, BadRoundsAreRefusedWithTheirPlace) {
  const std::string yaml = R"(
name: Bad
actors:
  - {id: a, options: [x, y]}
outcomes:
  - {id: deal, when: {a: x}}
  - {id: talks, otherwise: true}
payoffs:
  deal: {a: 1}
  talks: {a: 0}
rounds:
  max: 3
  continue: [tlaks]
)";
  auto spec = LoadScenarioString(yaml, "bad.yaml");
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("bad.yaml:13:14: error: `rounds.continue`: unknown "
                                         "outcome 'tlaks'; did you mean 'talks'?"),
            std::string::npos)
      << spec.status().message();
  std::string zero = yaml;
  zero.replace(zero.find("max: 3"), 6, "max: 0");
  auto refused = LoadScenarioString(zero, "bad.yaml");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("bad.yaml:12:8: error: `rounds.max`"),
            std::string::npos)
      << refused.status().message();
}

// A 2 x 2 game of talks: a deal when the sides coordinate on the same
// option, another round of talks otherwise. A learning model's play moves
// from round to round only when it carries what it learned.
const char kLearningYaml[] = R"(
name: Learning over rounds
actors:
  - {id: a, options: [x, y]}
  - {id: b, options: [x, y]}
outcomes:
  - {id: deal_x, when: {a: x, b: x}}
  - {id: deal_y, when: {a: y, b: y}}
  - {id: talks, otherwise: true}
payoffs:
  deal_x: {a: 3, b: 2}
  deal_y: {a: 1, b: 2}
  talks: {a: 0, b: 0}
modifiers:
  - {when: {a: x, b: y}, add: {a: 0, b: 2.5}}
rounds:
  max: 6
  continue: [talks]
  learning: carried
)";

// Plays one negotiation of the mean game with `model_text` and returns each
// round's prediction.
std::vector<Prediction> PlayRounds(const ScenarioSpec& spec, const std::string& model_text) {
  auto game = GameModel::Compile(spec);
  EXPECT_TRUE(game.ok()) << game.status().message();
  auto request = ParseModelRequest(model_text, "test");
  EXPECT_TRUE(request.ok());
  auto model = ModelRegistry::Make(*request);
  EXPECT_TRUE(model.ok());
  NegotiationPlayer player(*game, **model, 1, 1);
  std::vector<RoundTrace> trace;
  player.set_trace(&trace);
  const std::vector<double> table = game->MeanTable();
  std::vector<double> draws(std::max(game->num_draws(), 1), 0.0);
  player.PlayTable(0, table.data(), 1, draws.data(), 1);
  std::vector<Prediction> out;
  for (const RoundTrace& t : trace) out.push_back(t.prediction);
  return out;
}

// The prediction of `model_text` for the mean game, in one go.
Prediction PredictOnce(const ScenarioSpec& spec, const std::string& model_text) {
  auto game = GameModel::Compile(spec);
  auto model = ModelRegistry::Make(*ParseModelRequest(model_text, "test"));
  EXPECT_TRUE(model.ok());
  const std::vector<double> table = game->MeanTable();
  const std::vector<int32_t> offsets = game->EntryOffsets(1);
  auto scratch = (*model)->NewScratch();
  SampleRng rng(1, 0, RngStream::kModel);
  Prediction p;
  (*model)->Predict(game->View(table.data(), offsets), rng, *scratch, p);
  return p;
}

double MaxDifference(const Prediction& a, const Prediction& b) {
  EXPECT_TRUE(a.mixed && b.mixed);
  double d = 0.0;
  for (size_t p = 0; p < a.strategies.size(); ++p) {
    d = std::max(d, (a.strategies[p] - b.strategies[p]).cwiseAbs().maxCoeff());
  }
  return d;
}

TEST(Negotiation, CarriedFictitiousPlayIsOneLongRun) {
  auto spec = LoadScenarioString(kLearningYaml, "learning.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  for (const char* updates : {"simultaneous", "alternating"}) {
    const std::string model = std::string("fictitious-play:iterations=3,updates=") + updates;
    const std::vector<Prediction> rounds = PlayRounds(*spec, model);
    ASSERT_GE(rounds.size(), 4u) << updates;  // the talks go on
    double moved = 0.0;
    for (size_t r = 0; r < rounds.size(); ++r) {
      // Round r + 1 has played 3 (r + 1) iterations in all.
      const Prediction once =
          PredictOnce(*spec, "fictitious-play:iterations=" + std::to_string(3 * (r + 1)) +
                                 ",updates=" + updates);
      EXPECT_LT(MaxDifference(rounds[r], once), 1e-12) << updates << ", round " << r + 1;
      if (r > 0) moved = std::max(moved, MaxDifference(rounds[r], rounds[0]));
    }
    EXPECT_GT(moved, 0.05) << updates << ": carried learning must change the play";
    // Fresh: every round is round 1 again.
    ScenarioSpec fresh = *spec;
    fresh.rounds->learning = RoundsLearning::kFresh;
    for (const Prediction& p : PlayRounds(fresh, model)) {
      EXPECT_EQ(MaxDifference(p, rounds[0]), 0.0) << updates;
    }
  }
}

TEST(Negotiation, CarriedReplicatorDynamicsGoOnFromWhereTheyStopped) {
  auto spec = LoadScenarioString(kLearningYaml, "learning.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const std::vector<Prediction> rounds = PlayRounds(*spec, "replicator:horizon=0.5");
  ASSERT_GE(rounds.size(), 4u);
  for (size_t r = 0; r < rounds.size(); ++r) {
    const Prediction once =
        PredictOnce(*spec, "replicator:horizon=" + std::to_string(0.5 * (r + 1)));
    // The integrator restarts its step control each round: the same
    // trajectory within its accuracy (1e-7 per step).
    EXPECT_LT(MaxDifference(rounds[r], once), 1e-5) << "round " << r + 1;
  }
  EXPECT_GT(MaxDifference(rounds[3], rounds[0]), 0.01);
}

TEST(Negotiation, CarriedLearningShowsInTheRunAndDropsTheMarkovChain) {
  auto spec = LoadScenarioString(kLearningYaml, "learning.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const RoundsRun carried = RunFile(*spec, "fictitious-play", 8, 2);
  const RunSummary c = Summarize(carried.spec, {}, carried.result.totals, false);
  EXPECT_EQ(c.rounds->learning, "carried");
  EXPECT_FALSE(c.rounds->markov);
  ScenarioSpec fresh = *spec;
  fresh.rounds->learning = RoundsLearning::kFresh;
  const RoundsRun f = RunFile(fresh, "fictitious-play", 8, 2);
  const RunSummary fs = Summarize(f.spec, {}, f.result.totals, false);
  EXPECT_EQ(fs.rounds->learning, "fresh");
  EXPECT_TRUE(fs.rounds->markov);
  // Models that do not learn play every round alike either way.
  const RoundsRun pure_carried = RunFile(*spec, "nash-pure", 8, 2);
  const RoundsRun pure_fresh = RunFile(fresh, "nash-pure", 8, 2);
  EXPECT_EQ(pure_carried.result.totals.outcome_mass, pure_fresh.result.totals.outcome_mass);
  // Threads do not change a carried run.
  const RoundsRun one = RunFile(*spec, "fictitious-play", 8, 1);
  testing::ExpectSameTotals(one.result.totals, carried.result.totals, "1 thread vs 2");
}

TEST(Negotiation, CarriedLearningRefusesForwardLookingActors) {
  std::string yaml = kLearningYaml;
  yaml.replace(yaml.find("  learning: carried"), 19,
               "  foresight: forward-looking\n  learning: carried");
  auto spec = LoadScenarioString(yaml, "learning.yaml");
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("learning.yaml:20:13: error: learning carried from "
                                         "round to round needs myopic actors"),
            std::string::npos)
      << spec.status().message();
  std::string bad = kLearningYaml;
  bad.replace(bad.find("carried"), 7, "kept");
  auto refused = LoadScenarioString(bad, "learning.yaml");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(
      refused.status().message().find(
          "learning.yaml:19:13: error: `rounds.learning` must be fresh or carried, got 'kept'"),
      std::string::npos)
      << refused.status().message();
  // Forward-looking by override: the run refuses.
  auto ok = LoadScenarioString(kLearningYaml, "learning.yaml");
  ASSERT_TRUE(ok.ok());
  ok->rounds->foresight = Foresight::kForwardLooking;
  auto game = GameModel::Compile(*ok);
  ASSERT_TRUE(game.ok());
  EXPECT_THAT(CheckRoundsPlayable(*game), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace parley
