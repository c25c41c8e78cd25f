// The Monte Carlo layer on several ranks (sim/core/ranks.h), run as threads
// of one process (sim/core/ranks_testing.h): every rank ends holding, bit
// for bit, what one process computes, whatever the number of ranks and
// threads; the partial results they exchange survive their encoding.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sim/core/bytes.h"
#include "sim/core/ranks_testing.h"
#include "sim/mc/accumulator.h"
#include "sim/mc/attribution.h"
#include "sim/mc/runner.h"
#include "sim/mc/same_totals_testing.h"
#include "sim/mc/test_scenarios.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

// Under AddressSanitizer (about 8x slower) the runs are cut to two batches:
// still one per rank, and an idle rank in a wave of three.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

GameModel Compile(const StatusOr<ScenarioSpec>& spec) {
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  EXPECT_TRUE(game.ok()) << game.status().message();
  return std::move(*game);
}

GameModel FromFile(const std::string& relative) {
  return Compile(LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/" + relative));
}

Accumulator RunTotals(const GameModel& game, const char* model_name, RunOptions options,
                      const RunControl& control = {}) {
  auto model = MakeModel(model_name);
  EXPECT_TRUE(model.ok());
  auto run = RunMonteCarlo(game, **model, options, control);
  EXPECT_TRUE(run.ok()) << run.status().message();
  return run.ok() ? run->totals : Accumulator();
}

Accumulator RoundTrip(const Accumulator& a) {
  ByteWriter out;
  a.Save(out);
  ByteReader in(out.bytes());
  Accumulator b;
  EXPECT_TRUE(b.Load(in));
  EXPECT_TRUE(in.done());
  return b;
}

TEST(Ranks, AccumulatorsSurviveTheirEncodingBitForBit) {
  RunOptions options;
  options.samples = 3000;
  options.threads = 2;
  // Pure counts and payoff moments; mixed option and profile mass; a
  // negotiation's rounds and state; a sequential game's paths and threats.
  const GameModel istanbul = FromFile("scenarios/istanbul-2025.yaml");
  const GameModel rounds = FromFile("scenarios/istanbul-2025-rounds.yaml");
  const GameModel weather = Compile(LoadScenarioString(testing::WeatherScenario(R"(threats:
  - {id: stay-in-rain, stage: walker, if: {weather: rain}, then: stay}
)"),
                                                       "weather.yaml"));
  const Accumulator cases[] = {RunTotals(istanbul, "nash-pure", options),
                               RunTotals(istanbul, "cognitive-hierarchy", options),
                               RunTotals(rounds, "nash-pure", options),
                               RunTotals(weather, "spe", options)};
  for (const Accumulator& a : cases) EXPECT_TRUE(RoundTrip(a) == a);
  EXPECT_FALSE(cases[1].option_mass.empty());
  EXPECT_FALSE(cases[2].rounds.alive.empty());
  EXPECT_FALSE(cases[3].paths.empty());
  // == sees a difference in a nested field.
  Accumulator changed = cases[2];
  changed.rounds.state_sum.back() += 1.0;
  EXPECT_FALSE(RoundTrip(changed) == cases[2]);

  // Cut short, the bytes are refused rather than read past their end.
  ByteWriter out;
  cases[0].Save(out);
  const std::string whole = out.Take();
  ByteReader cut(std::string_view(whole).substr(0, whole.size() / 2));
  Accumulator partial;
  EXPECT_FALSE(partial.Load(cut));
}

// Runs `run(rank)` on K ranks and checks that every rank got `expected`.
template <typename Run>
void ExpectEveryRankGets(const Accumulator& expected, int ranks, const Run& run,
                         const std::string& where) {
  std::vector<Accumulator> got(static_cast<size_t>(ranks));
  testing::RunOnRanks(ranks, [&](int rank) { got[static_cast<size_t>(rank)] = run(rank); });
  for (int r = 0; r < ranks; ++r) {
    testing::ExpectSameTotals(
        got[static_cast<size_t>(r)], expected,
        where + ", rank " + std::to_string(r) + " of " + std::to_string(ranks));
    EXPECT_TRUE(got[static_cast<size_t>(r)] == expected) << where;
  }
}

TEST(Ranks, RunsOnSeveralRanksEqualOneProcess) {
  const GameModel threshold = Compile(LoadScenarioString(testing::ThresholdScenario(), "t.yaml"));
  const GameModel weather = Compile(LoadScenarioString(testing::WeatherScenario(""), "w.yaml"));
  const GameModel rounds = FromFile("tests/data/rounds/constant-hazard.yaml");
  struct Case {
    const GameModel* game;
    const char* model;
    Sampler sampler;
    const char* name;
  };
  for (const Case& c : {Case{&threshold, "nash-pure", Sampler::kPhilox, "normal form"},
                        Case{&threshold, "qre", Sampler::kSobol, "sobol replicates"},
                        Case{&weather, "spe", Sampler::kPhilox, "sequential"},
                        Case{&rounds, "spe", Sampler::kPhilox, "rounds"}}) {
    RunOptions options;
    // Four batches: with three ranks the second wave is partial (two under
    // the sanitizers: the third rank has none).
    options.samples = (kSanitized ? 1 : 3) * BatchSizeFor(*c.game) + 17;
    options.sampler = c.sampler;
    options.seed = 11;
    options.threads = 1;
    const Accumulator alone = RunTotals(*c.game, c.model, options);
    for (int k : {2, 3}) {
      options.threads = k == 2 ? 2 : 1;
      ExpectEveryRankGets(
          alone, k, [&](int) { return RunTotals(*c.game, c.model, options); }, c.name);
    }
  }
}

TEST(Ranks, StoppingAndPerSampleDataAgreeWithOneProcess) {
  const GameModel game = Compile(LoadScenarioString(testing::ThresholdScenario(), "t.yaml"));
  RunOptions options;
  options.samples = 5 * BatchSizeFor(game);
  options.threads = 1;
  // Stop once 2 batches are in (as --precision does): every rank stops there.
  RunControl control;
  control.stop = [&](const Accumulator& t) { return t.samples >= 2 * BatchSizeFor(game); };
  const Accumulator alone = RunTotals(game, "nash-pure", options, control);
  EXPECT_EQ(alone.samples, 2 * BatchSizeFor(game));
  ExpectEveryRankGets(
      alone, 3, [&](int) { return RunTotals(game, "nash-pure", options, control); }, "stopped");

  // Each rank's sink sees every sample, in order, as one process's does.
  auto records = [&](std::vector<double>* slots) {
    RunControl c;
    int64_t next = 0;
    c.per_sample = [&, slots](const SampleBatch& b) {
      EXPECT_EQ(b.first, next);
      next += b.count;
      slots->insert(slots->end(), b.slots.begin(), b.slots.begin() + b.count * b.num_slots);
      for (int64_t i = 0; i < b.count * b.num_draws; ++i) slots->push_back(b.draws[i]);
      return OkStatus();
    };
    RunOptions o = options;
    o.samples = 2 * BatchSizeFor(game) + 5;
    RunTotals(game, "nash-pure", o, c);
    EXPECT_EQ(next, o.samples);
  };
  std::vector<double> one;
  records(&one);
  std::vector<std::vector<double>> per_rank(2);
  testing::RunOnRanks(2, [&](int rank) { records(&per_rank[static_cast<size_t>(rank)]); });
  EXPECT_EQ(per_rank[0], one);
  EXPECT_EQ(per_rank[1], one);
}

TEST(Ranks, PairedSlotsOfModelsSharingTheDrawsAgreeWithOneProcess) {
  const GameModel game = Compile(LoadScenarioString(testing::ThresholdScenario(), "t.yaml"));
  auto pure = *MakeModel("nash-pure");
  auto qre = *MakeModel("qre");
  RunOptions options;
  options.samples = (kSanitized ? 1 : 2) * BatchSizeFor(game) + 3;
  options.threads = 1;
  const size_t size = static_cast<size_t>(options.samples) * (game.num_outcomes() + 1);
  auto run = [&](std::vector<std::vector<double>>* slots) {
    slots->assign(2, std::vector<double>(size, -1.0));
    auto r = RunMonteCarloModels(game, {pure.get(), qre.get()}, options,
                                 {(*slots)[0].data(), (*slots)[1].data()});
    EXPECT_TRUE(r.ok());
  };
  std::vector<std::vector<double>> one;
  run(&one);
  std::vector<std::vector<std::vector<double>>> per_rank(3);
  testing::RunOnRanks(3, [&](int rank) { run(&per_rank[static_cast<size_t>(rank)]); });
  for (const auto& slots : per_rank) EXPECT_EQ(slots, one);
}

TEST(Ranks, ShapleyAttributionOnSeveralRanksEqualsOneProcess) {
  auto spec = LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/scenarios/istanbul-2025.yaml");
  ASSERT_TRUE(spec.ok());
  auto model = *MakeModel("nash-pure");
  AttributionOptions options;
  options.samples = kSanitized ? 1100 : 3000;  // several batches of attribution blocks
  options.threads = 1;
  options.exact_max_arguments = 0;  // sampled permutations: means and variances to fold
  auto alone = ShapleyAttribution(*spec, {}, *model, options);
  ASSERT_TRUE(alone.ok()) << alone.status().message();
  for (int k : {2, 3}) {
    std::vector<AttributionResult> got(static_cast<size_t>(k));
    testing::RunOnRanks(k, [&](int rank) {
      auto r = ShapleyAttribution(*spec, {}, *model, options);
      EXPECT_TRUE(r.ok());
      if (r.ok()) got[static_cast<size_t>(rank)] = *r;
    });
    for (const AttributionResult& r : got) {
      EXPECT_EQ(r.shapley, alone->shapley) << k << " ranks";
      EXPECT_EQ(r.all_hold, alone->all_hold) << k << " ranks";
      ASSERT_EQ(r.ci95.size(), alone->ci95.size());
      for (size_t i = 0; i < r.ci95.size(); ++i) {
        for (size_t o = 0; o < r.ci95[i].size(); ++o) {
          EXPECT_EQ(r.ci95[i][o].low, alone->ci95[i][o].low);
          EXPECT_EQ(r.ci95[i][o].high, alone->ci95[i][o].high);
        }
      }
    }
  }
}

TEST(Ranks, ANonFiniteSampleOnAnyRankFailsEveryRankAlike) {
  const GameModel game = Compile(LoadScenarioString(testing::ThresholdScenario(), "t.yaml"));
  RunOptions options;
  options.samples = 2 * BatchSizeFor(game);
  options.threads = 1;
  std::vector<std::string> messages(2);
  testing::RunOnRanks(2, [&](int rank) {
    auto r = RunMonteCarlo(game, testing::NanModel(), options);
    messages[static_cast<size_t>(rank)] = r.ok() ? "ok" : std::string(r.status().message());
  });
  EXPECT_NE(messages[0].find("for sample 0 (seed 1)"), std::string::npos) << messages[0];
  EXPECT_EQ(messages[1], messages[0]);
}

}  // namespace
}  // namespace parley
