// The classic two-player teaching games in scenarios/classic/: each file must
// encode the textbook payoff matrix, the pure-equilibrium solver must find
// exactly the textbook equilibria (checked independently by MaxRegret), and a
// Monte Carlo run with the nash-pure model must report the matching outcome
// frequencies.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/core/status_matchers.h"
#include "sim/model/model.h"
#include "sim/mc/runner.h"
#include "sim/mc/summary.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/pure_nash.h"
#include "sim/solve/selection.h"

namespace parley {
namespace {

// One cell of a 2x2 game: the row and column players' options, the outcome
// the file names for that profile, and the textbook payoffs.
struct Cell {
  std::string row, column, outcome;
  double row_payoff, column_payoff;
};

struct ClassicCase {
  std::string file;  // under scenarios/classic/
  std::vector<std::string> row_options, column_options;
  std::vector<Cell> cells;
  std::set<std::string> equilibria;  // outcome ids of the pure equilibria
};

std::vector<ClassicCase> Cases() {
  return {
      {"prisoners-dilemma.yaml",
       {"cooperate", "defect"},
       {"cooperate", "defect"},
       {{"cooperate", "cooperate", "both_cooperate", 3, 3},
        {"defect", "cooperate", "row_defects", 5, 0},
        {"cooperate", "defect", "column_defects", 0, 5},
        {"defect", "defect", "both_defect", 1, 1}},
       {"both_defect"}},
      {"chicken.yaml",
       {"swerve", "straight"},
       {"swerve", "straight"},
       {{"swerve", "swerve", "both_swerve", 0, 0},
        {"swerve", "straight", "row_swerves", -1, 1},
        {"straight", "swerve", "column_swerves", 1, -1},
        {"straight", "straight", "crash", -10, -10}},
       {"row_swerves", "column_swerves"}},
      {"battle-of-the-sexes.yaml",
       {"opera", "football"},
       {"opera", "football"},
       {{"opera", "opera", "both_opera", 2, 1},
        {"football", "football", "both_football", 1, 2},
        {"opera", "football", "mismatch_opera_football", 0, 0},
        {"football", "opera", "mismatch_football_opera", 0, 0}},
       {"both_opera", "both_football"}},
      {"stag-hunt.yaml",
       {"stag", "hare"},
       {"stag", "hare"},
       {{"stag", "stag", "both_stag", 4, 4},
        {"stag", "hare", "row_stag_alone", 0, 3},
        {"hare", "stag", "column_stag_alone", 3, 0},
        {"hare", "hare", "both_hare", 2, 2}},
       {"both_stag", "both_hare"}},
      {"matching-pennies.yaml",
       {"heads", "tails"},
       {"heads", "tails"},
       {{"heads", "heads", "match_heads", 1, -1},
        {"tails", "tails", "match_tails", 1, -1},
        {"heads", "tails", "mismatch_heads_tails", -1, 1},
        {"tails", "heads", "mismatch_tails_heads", -1, 1}},
       {}},
  };
}

const ClassicCase& CaseFor(const std::string& file) {
  static const std::vector<ClassicCase> cases = Cases();
  for (const ClassicCase& c : cases) {
    if (c.file == file) return c;
  }
  ADD_FAILURE() << "no case for " << file;
  return cases.front();
}

std::string PathOf(const std::string& file) {
  return std::string(PARLEY_SOURCE_DIR) + "/scenarios/classic/" + file;
}

// A classic game loaded, compiled and evaluated for one sample. The payoffs
// are constants, so any sample gives the same table.
class Solved {
 public:
  explicit Solved(const std::string& file) {
    auto spec = LoadScenarioFile(PathOf(file));
    if (!spec.ok()) {
      ADD_FAILURE() << spec.status().message();
      return;
    }
    spec_ = std::move(*spec);
    auto game = GameModel::Compile(spec_);
    if (!game.ok()) {
      ADD_FAILURE() << game.status().message();
      return;
    }
    game_.emplace(std::move(*game));
    SampleRng rng(spec_.simulation.seed, 0);
    thetas_.setZero(1, game_->num_draws());
    std::vector<uint8_t> holds(std::max(game_->num_arguments(), 1));
    game_->DrawSample(rng, thetas_.data(), 1, holds.data());
    game_->EvaluatePayoffs(thetas_, tables_);
    offsets_ = game_->EntryOffsets(tables_.rows());
  }

  bool ok() const { return game_.has_value(); }
  const ScenarioSpec& spec() const { return spec_; }
  const GameModel& game() const { return *game_; }
  GameView view() const { return game_->View(tables_.data(), offsets_); }

  const std::string& OutcomeOf(int64_t profile) const {
    return spec_.outcomes[game_->outcome_of(profile)].id;
  }
  int OutcomeIndex(const std::string& id) const { return spec_.FindOutcome(id); }

  // The profile where the row player plays `row` and the column player `column`.
  int64_t Profile(const std::string& row, const std::string& column) const {
    auto index = [](const ActorSpec& a, const std::string& option) {
      auto it = std::find(a.options.begin(), a.options.end(), option);
      EXPECT_NE(it, a.options.end()) << a.id << " has no option " << option;
      return static_cast<int>(it - a.options.begin());
    };
    return game_->space().Encode({index(spec_.actors[0], row), index(spec_.actors[1], column)});
  }

  std::vector<int64_t> Equilibria() const {
    PureNashScratch scratch;
    std::vector<int64_t> out;
    FindPureEquilibria(view(), scratch, out);
    return out;
  }

 private:
  ScenarioSpec spec_;
  std::optional<GameModel> game_;
  Eigen::MatrixXd thetas_, tables_;
  std::vector<int32_t> offsets_;
};

RunResult RunNashPure(const Solved& s, Selection selection = Selection::kUniform) {
  auto model = MakeModel("nash-pure", selection);
  EXPECT_THAT(model, IsOk());
  RunOptions options;
  options.samples = s.spec().simulation.samples;
  options.seed = s.spec().simulation.seed;
  options.threads = 2;
  auto result = RunMonteCarlo(s.game(), **model, options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? *result : RunResult{};
}

// Whether `count` successes in `n` trials are within the two-sided 99.9%
// normal band of a binomial with probability `p`.
bool WithinBinomialBand(int64_t count, int64_t n, double p) {
  constexpr double kZ999 = 3.2905;
  const double mean = static_cast<double>(n) * p;
  const double sd = std::sqrt(static_cast<double>(n) * p * (1.0 - p));
  return std::abs(static_cast<double>(count) - mean) <= kZ999 * sd;
}

class ClassicGame : public ::testing::TestWithParam<std::string> {};

TEST_P(ClassicGame, FileIsTheTextbookMatrixWithOneOutcomePerProfile) {
  const ClassicCase& c = CaseFor(GetParam());
  const Solved s(GetParam());
  ASSERT_TRUE(s.ok());
  const ScenarioSpec& spec = s.spec();
  ASSERT_EQ(spec.actors.size(), 2u);
  EXPECT_EQ(spec.actors[0].options, c.row_options);
  EXPECT_EQ(spec.actors[1].options, c.column_options);
  EXPECT_TRUE(spec.parameters.empty());
  EXPECT_TRUE(spec.modifiers.empty());
  EXPECT_TRUE(spec.arguments.empty());
  EXPECT_EQ(spec.simulation.samples, 1000);
  EXPECT_EQ(spec.simulation.seed, 1u);
  EXPECT_EQ(spec.simulation.model, "nash-pure");
  EXPECT_EQ(spec.simulation.selection, "uniform");
  EXPECT_EQ(s.game().num_draws(), 0);  // constant payoffs

  // Four outcomes, each a single `when` that fixes both actors' options.
  ASSERT_EQ(spec.outcomes.size(), 4u);
  for (const OutcomeSpec& o : spec.outcomes) {
    EXPECT_FALSE(o.rule.otherwise) << o.id;
    ASSERT_EQ(o.rule.any_of.size(), 1u) << o.id;
    const Condition& cond = o.rule.any_of[0];
    ASSERT_EQ(cond.allowed.size(), 2u) << o.id;
    for (const auto& allowed : cond.allowed) {
      EXPECT_EQ(std::count(allowed.begin(), allowed.end(), true), 1) << o.id;
    }
  }

  ASSERT_EQ(c.cells.size(), 4u);
  std::set<std::string> seen;
  for (const Cell& cell : c.cells) {
    SCOPED_TRACE(cell.row + "/" + cell.column);
    const int64_t q = s.Profile(cell.row, cell.column);
    EXPECT_EQ(s.OutcomeOf(q), cell.outcome);
    EXPECT_EQ(s.view().Payoff(q, 0), cell.row_payoff);
    EXPECT_EQ(s.view().Payoff(q, 1), cell.column_payoff);
    seen.insert(s.OutcomeOf(q));
  }
  EXPECT_EQ(seen.size(), 4u);  // one outcome per profile
}

TEST_P(ClassicGame, PureEquilibriaAreTheTextbookOnes) {
  const ClassicCase& c = CaseFor(GetParam());
  const Solved s(GetParam());
  ASSERT_TRUE(s.ok());
  const std::vector<int64_t> equilibria = s.Equilibria();
  std::set<std::string> found;
  for (int64_t q : equilibria) found.insert(s.OutcomeOf(q));
  EXPECT_EQ(found, c.equilibria);
  EXPECT_EQ(equilibria.size(), c.equilibria.size());
  EXPECT_TRUE(std::is_sorted(equilibria.begin(), equilibria.end()));

  // The independent check: no profitable deviation at an equilibrium, and
  // one at every other profile.
  for (int64_t q = 0; q < s.game().space().num_profiles(); ++q) {
    const bool is_equilibrium =
        std::find(equilibria.begin(), equilibria.end(), q) != equilibria.end();
    if (is_equilibrium) {
      EXPECT_EQ(MaxRegret(s.view(), q), 0.0) << s.OutcomeOf(q);
    } else {
      EXPECT_GT(MaxRegret(s.view(), q), 0.0) << s.OutcomeOf(q);
    }
  }
}

TEST_P(ClassicGame, NashPureRunReportsTheEquilibriumOutcomes) {
  const ClassicCase& c = CaseFor(GetParam());
  const Solved s(GetParam());
  ASSERT_TRUE(s.ok());
  const RunResult r = RunNashPure(s);
  const Accumulator& t = r.totals;
  const int64_t n = s.spec().simulation.samples;
  ASSERT_EQ(t.samples, n);
  ASSERT_EQ(t.num_outcomes, 4);
  const int64_t unresolved = t.count(t.num_outcomes);
  const auto k = static_cast<int64_t>(c.equilibria.size());

  switch (k) {
    case 0:
      EXPECT_EQ(unresolved, n);
      EXPECT_EQ(t.equilibrium_counts[Accumulator::kNone], n);
      break;
    case 1:
      EXPECT_EQ(t.equilibrium_counts[Accumulator::kUnique], n);
      break;
    default:
      EXPECT_EQ(t.equilibrium_counts[Accumulator::kMultiple], n);
      break;
  }
  for (const OutcomeSpec& o : s.spec().outcomes) {
    const int64_t count = t.count(s.OutcomeIndex(o.id));
    if (!c.equilibria.count(o.id)) {
      EXPECT_EQ(count, 0) << o.id;
    } else if (k == 1) {
      EXPECT_EQ(count, n) << o.id;
    } else {
      // Uniform selection among k equilibria.
      EXPECT_TRUE(WithinBinomialBand(count, n, 1.0 / static_cast<double>(k)))
          << o.id << ": " << count << " of " << n;
    }
  }
  if (k > 0) {
    EXPECT_EQ(unresolved, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Classic, ClassicGame,
                         ::testing::Values("prisoners-dilemma.yaml", "chicken.yaml",
                                           "battle-of-the-sexes.yaml", "stag-hunt.yaml",
                                           "matching-pennies.yaml"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(ClassicGames, PrisonersDilemmaPaysMutualDefection) {
  const Solved s("prisoners-dilemma.yaml");
  ASSERT_TRUE(s.ok());
  const RunResult r = RunNashPure(s);
  EXPECT_EQ(r.totals.count(s.OutcomeIndex("both_defect")), 1000);
  ASSERT_EQ(r.totals.payoffs.size(), 2u);
  for (const RunningStats& p : r.totals.payoffs) {
    EXPECT_EQ(p.n, 1000);
    EXPECT_EQ(p.mean, 1.0);
    EXPECT_EQ(p.Variance(), 0.0);
  }
}

TEST(ClassicGames, StagHuntPayoffDominantSelectionPicksStag) {
  const Solved s("stag-hunt.yaml");
  ASSERT_TRUE(s.ok());
  const std::vector<int64_t> equilibria = s.Equilibria();
  ASSERT_EQ(equilibria.size(), 2u);
  const int64_t stag = s.Profile("stag", "stag");
  std::vector<int64_t> scratch;
  for (uint64_t i = 0; i < 100; ++i) {
    SampleRng rng(1, i, RngStream::kModel);
    EXPECT_EQ(SelectEquilibrium(s.view(), equilibria, Selection::kPayoffDominant, rng, scratch),
              stag);
  }

  const RunResult dominant = RunNashPure(s, Selection::kPayoffDominant);
  EXPECT_EQ(dominant.totals.count(s.OutcomeIndex("both_stag")), 1000);
  EXPECT_EQ(dominant.totals.count(s.OutcomeIndex("both_hare")), 0);
  EXPECT_EQ(dominant.totals.equilibrium_counts[Accumulator::kMultiple], 1000);
}

TEST(ClassicGames, BattleOfTheSexesHasNoPayoffDominantEquilibrium) {
  // Each player prefers a different equilibrium, so payoff-dominant selection
  // still chooses between both.
  const Solved s("battle-of-the-sexes.yaml");
  ASSERT_TRUE(s.ok());
  const RunResult r = RunNashPure(s, Selection::kPayoffDominant);
  const int64_t opera = r.totals.count(s.OutcomeIndex("both_opera"));
  const int64_t football = r.totals.count(s.OutcomeIndex("both_football"));
  EXPECT_EQ(opera + football, 1000);
  EXPECT_TRUE(WithinBinomialBand(opera, 1000, 0.5)) << opera;
}

TEST(ClassicGames, ChickenNeverCrashesUnderEitherSelection) {
  const Solved s("chicken.yaml");
  ASSERT_TRUE(s.ok());
  for (Selection rule : {Selection::kUniform, Selection::kPayoffDominant}) {
    const RunResult r = RunNashPure(s, rule);
    EXPECT_EQ(r.totals.count(s.OutcomeIndex("crash")), 0);
    EXPECT_EQ(r.totals.count(s.OutcomeIndex("both_swerve")), 0);
    EXPECT_TRUE(WithinBinomialBand(r.totals.count(s.OutcomeIndex("row_swerves")), 1000, 0.5));
  }
}

// An outcome that never happens has probability 0 inside its own interval
// (rounding once left the Wilson lower bound at ~3.5e-18).
TEST(ClassicGames, NeverSeenOutcomeLiesInsideItsInterval) {
  const Solved s("prisoners-dilemma.yaml");
  ASSERT_TRUE(s.ok());
  const RunResult r = RunNashPure(s);
  const RunSummary summary = Summarize(s.spec(), {}, r.totals);
  for (const OutcomeEstimate& o : summary.outcomes) {
    EXPECT_LE(o.ci95.low, o.probability) << o.id;
    EXPECT_GE(o.ci95.high, o.probability) << o.id;
  }
  EXPECT_LE(summary.unresolved.ci95.low, summary.unresolved.probability);
}

}  // namespace
}  // namespace parley
