// Models in the Monte Carlo runner: for mixed-strategy models, outcome
// probabilities are the ones the predicted mixed profiles induce, nothing is
// unresolved, and results do not depend on the thread count; nash-pure's
// side-by-side solving changes nothing.
#include <gtest/gtest.h>

#include "sim/model/model.h"
#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

struct Loaded {
  ScenarioSpec spec;
  GameModel game;
};

Loaded Load(const std::string& name) {
  auto spec = LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/scenarios/" + name);
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  auto game = GameModel::Compile(*spec);
  EXPECT_TRUE(game.ok());
  return {std::move(*spec), std::move(*game)};
}

RunResult RunModel(const Loaded& l, const char* model, int64_t samples, int threads,
                   double lambda = 1.0) {
  RunOptions options;
  options.samples = samples;
  options.threads = threads;
  ModelRequest request{model, {}, Selection::kUniform};
  if (std::string_view(model) == "qre") {
    request.parameters.push_back({"lambda", ShortestText(lambda), "test"});
  }
  auto result = RunMonteCarlo(l.game, **ModelRegistry::Make(request), options);
  EXPECT_TRUE(result.ok());
  return *result;
}

TEST(MixedModels, QreAtLambdaZeroIsUniformPlay) {
  const Loaded bos = Load("classic/battle-of-the-sexes.yaml");
  const RunResult r = RunModel(bos, "qre", 100, 2, 0.0);
  const RunSummary s = Summarize(bos.spec, {}, r.totals, false);
  for (const auto& o : s.outcomes) EXPECT_NEAR(o.probability, 0.25, 1e-12) << o.id;
  EXPECT_EQ(s.unresolved.probability, 0.0);
}

TEST(MixedModels, NashMixedOnMatchingPenniesResolvesEverySample) {
  const Loaded mp = Load("classic/matching-pennies.yaml");
  const RunResult pure = RunModel(mp, "nash-pure", 100, 1);
  EXPECT_EQ(pure.totals.count(pure.totals.num_outcomes), 100);  // all unresolved
  const RunResult mixed = RunModel(mp, "nash-mixed", 100, 1);
  const RunSummary s = Summarize(mp.spec, {}, mixed.totals, false);
  EXPECT_EQ(s.unresolved.probability, 0.0);
  for (const auto& o : s.outcomes) EXPECT_NEAR(o.probability, 0.25, 1e-12) << o.id;
  for (const auto& p : s.payoffs) EXPECT_NEAR(p.mean, 0.0, 1e-12);
}

TEST(MixedModels, BattleOfTheSexesMixesOverItsThreeEquilibria) {
  // Uniform selection over {opera, football, mixed (2/3, 1/3)}: the mixed
  // equilibrium puts 2/9 on (opera, opera), so P(both_opera) = (1 + 2/9) / 3.
  const Loaded bos = Load("classic/battle-of-the-sexes.yaml");
  const RunResult r = RunModel(bos, "nash-mixed", 20000, 2);
  const RunSummary s = Summarize(bos.spec, {}, r.totals, false);
  EXPECT_EQ(s.equilibria_multiple, 1.0);
  const double expected = (1.0 + 2.0 / 9.0) / 3.0;
  const auto& opera = s.outcomes[0];
  ASSERT_EQ(opera.id, "both_opera");
  EXPECT_LE(opera.ci95.low, expected);
  EXPECT_GE(opera.ci95.high, expected);
}

TEST(MixedModels, IdenticalOnOneAndThreeThreads) {
  const Loaded bos = Load("classic/battle-of-the-sexes.yaml");
  for (const char* model : {"nash-mixed", "qre"}) {
    const RunResult a = RunModel(bos, model, 3000, 1, 2.0);
    const RunResult b = RunModel(bos, model, 3000, 3, 2.0);
    EXPECT_EQ(a.totals.outcome_mass, b.totals.outcome_mass) << model;
    EXPECT_EQ(a.totals.outcome_mass_squares, b.totals.outcome_mass_squares) << model;
    for (size_t p = 0; p < a.totals.payoffs.size(); ++p) {
      EXPECT_EQ(a.totals.payoffs[p].mean, b.totals.payoffs[p].mean) << model;
    }
  }
}

TEST(MixedModels, NashLogitResolvesTheIstanbulScenario) {
  const Loaded istanbul = Load("istanbul-2025.yaml");
  const RunResult r = RunModel(istanbul, "nash-logit", 40, 2);
  const RunSummary s = Summarize(istanbul.spec, {}, r.totals, false);
  double total = s.unresolved.probability;
  for (const auto& o : s.outcomes) total += o.probability;
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_LE(s.unresolved.probability, 0.05);
}

// A model that solves one game at a time (Model::PredictChunk's default) by
// asking another model: what a model that solves games side by side must
// reproduce exactly.
class OneAtATime final : public Model {
 public:
  explicit OneAtATime(const Model& inner)
      : Model(inner.info(), ModelConfig{inner.selection(), inner.parameters()}), inner_(inner) {}
  std::unique_ptr<ModelScratch> NewScratch() const override { return inner_.NewScratch(); }
  void Predict(const GameView& game, SampleRng& rng, ModelScratch& scratch,
               Prediction& out) const override {
    inner_.Predict(game, rng, scratch, out);
  }

 private:
  const Model& inner_;
};

// nash-pure solves each chunk's games side by side; the run must be the
// same, bit for bit, as solving them one at a time (the Istanbul scenario
// has multiple equilibria, so selection's random numbers are checked too,
// and 1001 samples leave a partial last chunk).
TEST(NashPure, SideBySideRunEqualsOneAtATime) {
  const Loaded istanbul = Load("istanbul-2025.yaml");
  for (const Selection selection : {Selection::kUniform, Selection::kPayoffDominant}) {
    const std::unique_ptr<Model> model = *MakeModel("nash-pure", selection);
    const Model& nash_pure = *model;
    const OneAtATime reference(nash_pure);
    RunOptions options;
    options.samples = 1001;
    options.threads = 2;
    const RunResult a = *RunMonteCarlo(istanbul.game, nash_pure, options);
    const RunResult b = *RunMonteCarlo(istanbul.game, reference, options);
    EXPECT_EQ(a.totals.outcome_mass, b.totals.outcome_mass);
    EXPECT_EQ(a.totals.equilibrium_counts, b.totals.equilibrium_counts);
    EXPECT_EQ(a.totals.mass_when_holds, b.totals.mass_when_holds);
    for (size_t p = 0; p < a.totals.payoffs.size(); ++p) {
      EXPECT_EQ(a.totals.payoffs[p].mean, b.totals.payoffs[p].mean);
      EXPECT_EQ(a.totals.payoffs[p].m2, b.totals.payoffs[p].m2);
    }
    EXPECT_GT(a.totals.equilibrium_counts[Accumulator::kMultiple], 0);
  }
}

}  // namespace
}  // namespace parley
