// One battery for every registered model, with no list to maintain: a model
// that registers itself is tested here. Each model must give, on small
// textbook and degenerate games, predictions that are profiles or
// distributions of the right shape; the same prediction from a fresh scratch;
// no sample reported as not converged by a model that does not say what that
// means (ModelInfo::not_converged);
// bit-identical Monte Carlo results on 1, 2 and 8 threads; outcome
// probabilities that add up to one; and declared parameters whose defaults
// lie in their ranges and whose out-of-range values are refused by name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/status_matchers.h"
#include "sim/game/normal_form.h"
#include "sim/mc/runner.h"
#include "sim/mc/same_totals_testing.h"
#include "sim/mc/summary.h"
#include "sim/model/model.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

using ::testing::HasSubstr;

struct NamedGame {
  std::string name;
  NormalFormGame game;
};

std::vector<NamedGame> Battery() {
  std::vector<NamedGame> games;
  // One actor with three options.
  games.push_back({"one actor", *NormalFormGame::Make({"solo"}, {{"a", "b", "c"}}, {1, 3, 2})});
  // Two-player zero-sum: matching pennies (row player varies fastest).
  games.push_back(
      {"matching pennies", *NormalFormGame::Make({"row", "col"}, {{"h", "t"}, {"h", "t"}},
                                                 {1, -1, -1, 1, -1, 1, 1, -1})});
  // Rock-paper-scissors.
  {
    std::vector<double> payoffs;
    for (int c = 0; c < 3; ++c) {
      for (int r = 0; r < 3; ++r) {
        const int win = (r - c + 3) % 3 == 1 ? 1 : (r == c ? 0 : -1);
        payoffs.push_back(win);
        payoffs.push_back(-win);
      }
    }
    games.push_back(
        {"rock-paper-scissors",
         *NormalFormGame::Make({"row", "col"}, {{"r", "p", "s"}, {"r", "p", "s"}}, payoffs)});
  }
  // Degenerate: every payoff equal.
  games.push_back({"all ties", *NormalFormGame::Make({"row", "col"}, {{"a", "b"}, {"a", "b", "c"}},
                                                     std::vector<double>(12, 0.0))});
  // Four players with two options each, payoffs from a fixed formula.
  {
    std::vector<double> payoffs;
    for (int q = 0; q < 16; ++q) {
      for (int p = 0; p < 4; ++p) payoffs.push_back(((q * 7 + p * 3) % 5) - 2.0 + 0.25 * p);
    }
    games.push_back(
        {"four players",
         *NormalFormGame::Make({"a", "b", "c", "d"},
                               {{"x", "y"}, {"x", "y"}, {"x", "y"}, {"x", "y"}}, payoffs)});
  }
  return games;
}

void ExpectWellFormed(const Model& model, const NormalFormGame& game, const Prediction& p,
                      const std::string& where) {
  const int64_t profiles = game.space.num_profiles();
  if (!p.mixed) {
    EXPECT_GE(p.profile, -1) << where;
    EXPECT_LT(p.profile, profiles) << where;
    return;
  }
  EXPECT_FALSE(model.pure()) << where << ": a pure model predicted a mixed profile";
  ASSERT_EQ(p.strategies.size(), game.players.size()) << where;
  for (size_t i = 0; i < game.players.size(); ++i) {
    ASSERT_EQ(static_cast<size_t>(p.strategies[i].size()), game.strategies[i].size()) << where;
    double sum = 0.0;
    for (Eigen::Index k = 0; k < p.strategies[i].size(); ++k) {
      EXPECT_GE(p.strategies[i](k), -1e-12) << where << " player " << i;
      EXPECT_TRUE(std::isfinite(p.strategies[i](k))) << where;
      sum += p.strategies[i](k);
    }
    EXPECT_NEAR(sum, 1.0, 1e-9) << where << " player " << i;
  }
}

bool SamePrediction(const Prediction& a, const Prediction& b) {
  if (a.profile != b.profile || a.mixed != b.mixed || a.num_equilibria != b.num_equilibria ||
      a.converged != b.converged) {
    return false;
  }
  if (a.strategies.size() != b.strategies.size()) return false;
  for (size_t i = 0; i < a.strategies.size(); ++i) {
    if (a.strategies[i].size() != b.strategies[i].size()) return false;
    for (Eigen::Index k = 0; k < a.strategies[i].size(); ++k) {
      if (a.strategies[i](k) != b.strategies[i](k)) return false;
    }
  }
  return true;
}

TEST(ModelConformance, TheRegistryHoldsTheDefaultModel) {
  // Guards against registrations dropped by the linker.
  ASSERT_FALSE(ModelRegistry::All().empty());
  EXPECT_THAT(ModelRegistry::Find("nash-pure"), IsOk());
  EXPECT_THAT(ModelRegistry::Find("no-such-model"),
              StatusIs(StatusCode::kNotFound, HasSubstr("nash-pure")));
}

TEST(ModelConformance, PredictionsAreProfilesOrDistributions) {
  const std::vector<NamedGame> games = Battery();
  for (const ModelInfo* info : ModelRegistry::All()) {
    if (!info->normal_form) continue;
    for (const Selection selection : {Selection::kUniform, Selection::kPayoffDominant}) {
      auto model = ModelRegistry::Make({info->name, {}, selection});
      ASSERT_THAT(model, IsOk());
      for (const NamedGame& g : games) {
        for (uint64_t sample = 0; sample < 4; ++sample) {
          const std::string where = info->name + " on " + g.name;
          Prediction first, second;
          auto scratch = (*model)->NewScratch();
          SampleRng rng(9, sample, RngStream::kModel);
          (*model)->Predict(g.game.view(), rng, *scratch, first);
          ExpectWellFormed(**model, g.game, first, where);
          // Never silent: only a model that says what not converging means
          // may report a sample as not converged.
          if (info->not_converged.empty()) {
            EXPECT_TRUE(first.converged) << where << ": not converged, but the model's "
                                         << "ModelInfo::not_converged is empty";
          }
          // The same stream and a fresh scratch give the same prediction.
          auto fresh = (*model)->NewScratch();
          SampleRng again(9, sample, RngStream::kModel);
          (*model)->Predict(g.game.view(), again, *fresh, second);
          EXPECT_TRUE(SamePrediction(first, second)) << where;
        }
      }
    }
  }
}

// The scenarios each kind of model runs on: normal form and sequential.
const std::vector<std::string>& NormalFormScenarios() {
  static const std::vector<std::string> files = {
      "classic/prisoners-dilemma.yaml", "classic/matching-pennies.yaml", "istanbul-2025.yaml"};
  return files;
}
const std::vector<std::string>& SequentialScenarios() {
  static const std::vector<std::string> files = {"sequential/entry-deterrence.yaml",
                                                 "sequential/beer-quiche.yaml",
                                                 "istanbul-2025-sequential.yaml"};
  return files;
}

TEST(ModelConformance, RunsAreIdenticalOnAnyThreadCountAndAddUpToOne) {
  for (const ModelInfo* info : ModelRegistry::All()) {
    auto model = MakeModel(info->name);
    ASSERT_THAT(model, IsOk());
    std::vector<std::string> files;
    if (info->normal_form) files = NormalFormScenarios();
    if (info->sequential) {
      files.insert(files.end(), SequentialScenarios().begin(), SequentialScenarios().end());
    }
    ASSERT_FALSE(files.empty()) << info->name << " solves no kind of game";
    for (const std::string& file : files) {
      const std::string where = info->name + " on " + file;
      auto spec = LoadScenarioFile(std::string(PARLEY_SOURCE_DIR) + "/scenarios/" + file);
      ASSERT_THAT(spec, IsOk()) << where;
      auto game = GameModel::Compile(*spec);
      ASSERT_THAT(game, IsOk()) << where;
      RunOptions options;
      options.samples = 300;
      options.seed = 17;
      std::vector<RunResult> runs;
      for (const int threads : {1, 2, 8}) {
        options.threads = threads;
        auto run = RunMonteCarlo(*game, **model, options);
        ASSERT_THAT(run, IsOk()) << where;
        runs.push_back(std::move(*run));
      }
      for (size_t r = 1; r < runs.size(); ++r) {
        testing::ExpectSameTotals(runs[0].totals, runs[r].totals, where);
      }
      const RunSummary summary = Summarize(*spec, {}, runs[0].totals, (*model)->pure(), &*game);
      double total = summary.unresolved.probability;
      for (const auto& o : summary.outcomes) {
        EXPECT_GE(o.probability, 0.0) << where;
        total += o.probability;
      }
      EXPECT_NEAR(total, 1.0, 1e-9) << where;
    }
  }
}

TEST(ModelConformance, DeclaredParametersHaveValidDefaultsAndRefuseBadValues) {
  for (const ModelInfo* info : ModelRegistry::All()) {
    // Defaults resolve, and each is reported as its declared default.
    auto defaults = ResolveParameters(info->name, info->parameters, {});
    ASSERT_THAT(defaults, IsOk()) << info->name;
    for (size_t i = 0; i < info->parameters.size(); ++i) {
      const ParameterDecl& d = info->parameters[i];
      EXPECT_FALSE(d.doc.empty()) << info->name << "." << d.name << " has no documentation";
      EXPECT_EQ(defaults->Text(i), d.DefaultText()) << info->name << "." << d.name;
      if (d.kind == ParameterDecl::Kind::kChoice) {
        EXPECT_THAT(d.choices, ::testing::Contains(d.default_choice)) << info->name;
      } else {
        EXPECT_GE(d.default_number, d.min) << info->name << "." << d.name;
        EXPECT_LE(d.default_number, d.max) << info->name << "." << d.name;
      }
      // A value outside the range is refused, naming the parameter and range.
      std::string bad = "not-a-value";
      if (d.kind != ParameterDecl::Kind::kChoice && std::isfinite(d.min)) {
        bad = ShortestText(d.min - 1.0);
      }
      auto refused = ResolveParameters(info->name, info->parameters, {{d.name, bad, "--model"}});
      EXPECT_THAT(refused, StatusIs(StatusCode::kInvalidArgument,
                                    ::testing::AllOf(HasSubstr("--model"), HasSubstr(d.name),
                                                     HasSubstr(d.RangeText()))))
          << info->name;
      // The model is made with the default given explicitly, too.
      EXPECT_THAT(ModelRegistry::Make({info->name, {{d.name, d.DefaultText(), "test"}}, {}}),
                  IsOk());
    }
    EXPECT_THAT(ResolveParameters(info->name, info->parameters, {{"no_such", "1", "--model"}}),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("has no parameter 'no_such'")));
  }
}

TEST(ModelConformance, EveryModelIsDocumented) {
  // Adding a model is one file, its test and one line of docs: the table
  // in docs/explanation/model.md.
  std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/docs/explanation/model.md");
  std::stringstream text;
  text << in.rdbuf();
  for (const ModelInfo* info : ModelRegistry::All()) {
    EXPECT_THAT(text.str(), HasSubstr("| `" + info->name + "` |"))
        << info->name << " is not in the model table of docs/explanation/model.md";
  }
}

}  // namespace
}  // namespace parley
