#include "sim/solve/solver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "sim/core/status_matchers.h"
#include "sim/game/efg.h"
#include "sim/solve/qre.h"

namespace parley {
namespace {

using ::testing::HasSubstr;

// Battle of the Sexes: both prefer meeting; row prefers opera, column
// football. Equilibria: (opera, opera), (football, football), and row opera
// 2/3 with column opera 1/3.
constexpr double kRow[2][2] = {{2, 0}, {0, 1}};  // [row strategy][column strategy]
constexpr double kColumn[2][2] = {{1, 0}, {0, 2}};

NormalFormGame BattleOfTheSexes() {
  std::vector<double> payoffs(8);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      payoffs[(i + 2 * j) * 2 + 0] = kRow[i][j];  // the row player's strategy varies fastest
      payoffs[(i + 2 * j) * 2 + 1] = kColumn[i][j];
    }
  }
  return *NormalFormGame::Make({"row", "column"}, {{"opera", "football"}, {"opera", "football"}},
                               payoffs);
}

// The same game as a tree: column does not see row's choice.
constexpr const char* kBattleTree = R"(EFG 2 R "bos" { "row" "column" } ""
p "" 1 1 "row" { "opera" "football" } 0
p "" 2 1 "column" { "opera" "football" } 0
t "" 1 "" { 2 1 }
t "" 2 "" { 0 0 }
p "" 2 1 0
t "" 3 "" { 0 0 }
t "" 4 "" { 1 2 }
)";

// Entry deterrence: the threat to fight is not credible; the entrant enters
// and the incumbent accommodates.
constexpr const char* kEntry = R"(EFG 2 R "entry" { "entrant" "incumbent" } ""
p "" 1 1 "entrant" { "out" "in" } 0
t "" 1 "" { 0 2 }
p "" 2 1 "incumbent" { "fight" "accommodate" } 0
t "" 2 "" { -1 -1 }
t "" 3 "" { 1 1 }
)";

// Matching pennies as a tree: no equilibrium in pure strategies.
constexpr const char* kPenniesTree = R"(EFG 2 R "pennies" { "matcher" "mismatcher" } ""
p "" 1 1 "" { "heads" "tails" } 0
p "" 2 1 "guess" { "heads" "tails" } 0
t "" 1 "" { 1 -1 }
t "" 2 "" { -1 1 }
p "" 2 1 0
t "" 2
t "" 1
)";

// Player A forgets its first move at its second information set.
constexpr const char* kForgetful = R"(EFG 2 R "forgetful" { "A" "B" } ""
p "" 1 1 "first" { "L" "R" } 0
p "" 1 2 "second" { "l" "r" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 0 }
p "" 1 2 0
t "" 3 "" { 0 0 }
t "" 4 "" { 1 0 }
)";

// Three players, the second not seeing the first; the third never moves.
constexpr const char* kThreePlayerTree = R"(EFG 2 R "three" { "A" "B" "C" } ""
p "" 1 1 "" { "x" "y" } 0
p "" 2 1 "" { "x" "y" } 0
t "" 1 "" { 1 1 1 }
t "" 2 "" { 0 0 0 }
p "" 2 1 0
t "" 3 "" { 0 0 0 }
t "" 4 "" { 1 1 1 }
)";

ExtensiveFormGame Tree(const char* text) {
  auto game = ParseEfg(text, "test.efg");
  EXPECT_THAT(game, IsOk());
  return std::move(*game);
}

NormalFormGame ThreePlayers() {
  std::vector<double> payoffs(8 * 3);
  for (size_t i = 0; i < payoffs.size(); ++i) payoffs[i] = static_cast<double>(i % 5);
  return *NormalFormGame::Make({"a", "b", "c"}, {{"x", "y"}, {"x", "y"}, {"x", "y"}}, payoffs);
}

// The largest gain from a pure deviation in Battle of the Sexes when row
// plays opera with probability x and column with probability y, from the
// payoff matrices alone (no library code).
double BattleRegret(double x, double y) {
  const double row[2] = {kRow[0][0] * y + kRow[0][1] * (1 - y),
                         kRow[1][0] * y + kRow[1][1] * (1 - y)};
  const double column[2] = {kColumn[0][0] * x + kColumn[1][0] * (1 - x),
                            kColumn[0][1] * x + kColumn[1][1] * (1 - x)};
  const double row_now = x * row[0] + (1 - x) * row[1];
  const double column_now = y * column[0] + (1 - y) * column[1];
  return std::max(
      {row[0] - row_now, row[1] - row_now, column[0] - column_now, column[1] - column_now, 0.0});
}

bool IsBattleEquilibrium(double x, double y) {
  auto near = [](double a, double b) { return std::abs(a - b) < 1e-9; };
  return (near(x, 1) && near(y, 1)) || (near(x, 0) && near(y, 0)) ||
         (near(x, 2.0 / 3.0) && near(y, 1.0 / 3.0));
}

// A value in each declared option's range: its default, or the minimum plus one.
SolverOptionValues SomeOptions(const Solver& solver) {
  SolverOptionValues values;
  for (const SolverOption& o : solver.options()) {
    values.emplace(o.name, o.default_value.value_or(std::min(o.min + 1.0, o.max)));
  }
  return values;
}

SolveRequest Request(std::optional<std::string> method, SolverOptionValues options = {}) {
  SolveRequest r;
  r.method = std::move(method);
  r.options = std::move(options);
  return r;
}

TEST(SolverRegistryTest, ListsEveryMethodOnceInOrder) {
  std::vector<std::string> names;
  for (const Solver* s : SolverRegistry::All()) names.emplace_back(s->name());
  EXPECT_THAT(names, ::testing::ElementsAre("pure", "vertex", "support", "lemke-howson", "logit",
                                            "qre", "spe"));
  EXPECT_EQ(SolverRegistry::Names(GameForm::kNormalForm),
            "pure, vertex, support, lemke-howson, logit, qre");
  EXPECT_EQ(SolverRegistry::Names(GameForm::kPerfectInformationTree), "spe");
  EXPECT_EQ(SolverRegistry::Names(GameForm::kTreeWithInformationSets),
            "vertex, support, lemke-howson, logit, spe");
  EXPECT_EQ(SolverRegistry::Help(),
            "pure, vertex, support, lemke-howson (two players), logit (the limiting logit "
            "equilibrium) or qre (default: vertex for two players, pure otherwise); spe for "
            "sequential games (the default there)");
}

// The refusal for trees with information sets names its methods by hand:
// they must be the registry's.
TEST(SolverRegistryTest, TheTreeRefusalNamesTheMethodsThatSolveTrees) {
  const Status refusal = SolverRegistry::Find("pure", GameForm::kTreeWithInformationSets).status();
  for (const Solver* s : SolverRegistry::For(GameForm::kTreeWithInformationSets)) {
    EXPECT_THAT(refusal.message(), HasSubstr(std::string(s->name()))) << s->name();
  }
}

TEST(SolverRegistryTest, UnknownMethodsAreRefusedWithTheList) {
  EXPECT_THAT(SolveGame(BattleOfTheSexes(), Request("simplex")),
              StatusIs(StatusCode::kInvalidArgument,
                       "--method: unknown method 'simplex' (methods: pure, vertex, support, "
                       "lemke-howson, logit, qre)"));
  // spe solves trees only.
  EXPECT_THAT(SolveGame(BattleOfTheSexes(), Request("spe")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown method 'spe'")));
  EXPECT_THAT(SolveGame(Tree(kEntry), Request("vertex")),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("--method: 'vertex' solves normal-form games and trees with "
                                 "information sets; a perfect-information game is solved with "
                                 "--method spe")));
  EXPECT_THAT(
      SolveGame(Tree(kBattleTree), Request("qre")),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("--method: 'qre' does not solve trees")));
}

TEST(SolverRegistryTest, DefaultMethods) {
  EXPECT_EQ(SolverRegistry::DefaultMethod(GameForm::kNormalForm, 2), "vertex");
  EXPECT_EQ(SolverRegistry::DefaultMethod(GameForm::kNormalForm, 1), "pure");
  EXPECT_EQ(SolverRegistry::DefaultMethod(GameForm::kNormalForm, 3), "pure");
  EXPECT_EQ(SolverRegistry::DefaultMethod(GameForm::kPerfectInformationTree, 2), "spe");
  EXPECT_EQ(SolverRegistry::DefaultMethod(GameForm::kTreeWithInformationSets, 2), "spe");

  auto two = SolveGame(BattleOfTheSexes(), Request(std::nullopt));
  ASSERT_THAT(two, IsOk());
  EXPECT_EQ(two->method, "vertex");
  auto three = SolveGame(ThreePlayers(), Request(std::nullopt));
  ASSERT_THAT(three, IsOk());
  EXPECT_EQ(three->method, "pure");
  for (const char* tree : {kEntry, kBattleTree}) {
    auto s = SolveGame(Tree(tree), Request(std::nullopt));
    ASSERT_THAT(s, IsOk());
    EXPECT_EQ(s->method, "spe");
  }
}

TEST(SolverRegistryTest, OptionsAreCheckedAgainstTheirDeclaration) {
  const NormalFormGame g = BattleOfTheSexes();
  EXPECT_THAT(SolveGame(g, Request("qre")),
              StatusIs(StatusCode::kInvalidArgument, "--method qre needs --lambda L"));
  EXPECT_THAT(
      SolveGame(g, Request("qre", {{"lambda", -1.0}})),
      StatusIs(StatusCode::kInvalidArgument, "--lambda must be a finite number >= 0, got -1"));
  EXPECT_THAT(SolveGame(g, Request("qre", {{"lambda", 1e13}})),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("--lambda must be at most 1e+12 (double precision")));
  EXPECT_THAT(SolveGame(g, Request("logit", {{"lambda", 1.0}})),
              StatusIs(StatusCode::kInvalidArgument, "--lambda applies to --method qre only"));
  // Unknown methods too: the option is named first.
  EXPECT_THAT(SolveGame(g, Request("simplex", {{"lambda", 1.0}})),
              StatusIs(StatusCode::kInvalidArgument, "--lambda applies to --method qre only"));
  EXPECT_THAT(SolveGame(Tree(kBattleTree), Request("qre", {{"lambda", 1.0}})),
              StatusIs(StatusCode::kInvalidArgument, "--lambda applies to --method qre only"));
  // Perfect-information trees name the method first.
  EXPECT_THAT(SolveGame(Tree(kEntry), Request("qre", {{"lambda", 1.0}})),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("--method: 'qre' solves")));
  EXPECT_THAT(SolveGame(Tree(kEntry), Request(std::nullopt, {{"lambda", 1.0}})),
              StatusIs(StatusCode::kInvalidArgument, "--lambda applies to --method qre only"));
}

TEST(SolverRegistryTest, EntriesRefuseGamesTheyCannotSolve) {
  EXPECT_THAT(SolveGame(ThreePlayers(), Request("vertex")),
              StatusIs(StatusCode::kInvalidArgument,
                       "--method vertex needs a two-player game; this game has 3 players (use "
                       "--method pure)"));
  EXPECT_THAT(SolveGame(Tree(kThreePlayerTree), Request("lemke-howson")),
              StatusIs(StatusCode::kInvalidArgument,
                       "--method lemke-howson needs a two-player game; this tree has 3 players "
                       "(use --method spe or logit)"));
  EXPECT_THAT(SolveGame(Tree(kThreePlayerTree), Request("logit")), IsOk());
  for (const char* method : {"vertex", "support", "lemke-howson", "logit"}) {
    EXPECT_THAT(SolveGame(Tree(kForgetful), Request(method)),
                StatusIs(StatusCode::kInvalidArgument,
                         HasSubstr("(imperfect recall), so mixed plans are not behaviour")))
        << method;
  }
  auto spe = SolveGame(Tree(kForgetful), Request("spe"));
  ASSERT_THAT(spe, IsOk());
  // No regret check without perfect recall.
  EXPECT_FALSE(spe->tree_equilibria.front().regret.has_value());

  std::vector<double> big(15 * 15 * 2);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<double>(i % 7);
  std::vector<std::string> fifteen;
  for (int i = 0; i < 15; ++i) fifteen.push_back(std::to_string(i));
  const NormalFormGame large = *NormalFormGame::Make({"r", "c"}, {fifteen, fifteen}, big);
  EXPECT_THAT(SolveGame(large, Request("support")),
              StatusIs(StatusCode::kResourceExhausted,
                       "support enumeration would try 155117519 support pairs for a 15x15 game; "
                       "use lemke-howson (or vertex) instead"));
}

TEST(SolverRegistryTest, SpeAdvisesMixedMethodsWhenASubgameHasNoPureEquilibrium) {
  EXPECT_THAT(SolveGame(Tree(kPenniesTree), Request("spe")),
              StatusIs(StatusCode::kNotFound,
                       "the subgame at node 0 has no equilibrium in pure strategies (its reduced "
                       "normal form has 4 profiles); for mixed equilibria use --method vertex, "
                       "lemke-howson or logit"));
  // The entry itself leaves the advice to the caller.
  auto spe = SolverRegistry::Find("spe", GameForm::kTreeWithInformationSets);
  ASSERT_THAT(spe, IsOk());
  EXPECT_THAT((*spe)->Solve(Tree(kPenniesTree), {}, {}),
              StatusIs(StatusCode::kNotFound, HasSubstr("has 4 profiles)")));
  auto vertex = SolveGame(Tree(kPenniesTree), Request("vertex"));
  ASSERT_THAT(vertex, IsOk());
  EXPECT_EQ(vertex->tree_equilibria.size(), 1u);
}

// Every registered solver of normal-form games on Battle of the Sexes: each
// reported regret is the independent one, and what a Nash method reports is
// one of the three equilibria.
TEST(SolverRegistryTest, EveryNormalFormSolverOnBattleOfTheSexes) {
  const NormalFormGame g = BattleOfTheSexes();
  for (const Solver* solver : SolverRegistry::For(GameForm::kNormalForm)) {
    SCOPED_TRACE(solver->name());
    auto s = SolveGame(g, Request(std::string(solver->name()), SomeOptions(*solver)));
    ASSERT_THAT(s, IsOk());
    EXPECT_EQ(s->method, solver->name());
    EXPECT_EQ(s->form, GameForm::kNormalForm);
    EXPECT_TRUE(s->converged()) << TerminationName(s->termination);
    EXPECT_FALSE(s->last_point.has_value());
    ASSERT_FALSE(s->equilibria.empty());
    for (const MixedEquilibrium& e : s->equilibria) {
      const double x = e.strategies[0](0), y = e.strategies[1](0);
      EXPECT_NEAR(e.regret, BattleRegret(x, y), 1e-10);
      if (s->termination == Termination::kReachedLambda) {
        EXPECT_LT(QreResidual(g.view(), e.strategies, *s->requested_lambda), 1e-8);
      } else {
        EXPECT_LE(BattleRegret(x, y), 1e-9);
        EXPECT_TRUE(IsBattleEquilibrium(x, y)) << x << " " << y;
      }
    }
  }
}

TEST(SolverRegistryTest, BattleOfTheSexesCounts) {
  const NormalFormGame g = BattleOfTheSexes();
  auto count = [&](const char* method) {
    auto s = SolveGame(g, Request(method));
    EXPECT_THAT(s, IsOk());
    return s.ok() ? s->equilibria.size() : 0u;
  };
  EXPECT_EQ(count("pure"), 2u);
  EXPECT_EQ(count("vertex"), 3u);
  EXPECT_EQ(count("support"), 3u);
  EXPECT_GE(count("lemke-howson"), 1u);
  EXPECT_EQ(count("logit"), 1u);
  auto qre = SolveGame(g, Request("qre", {{"lambda", 2.0}}));
  ASSERT_THAT(qre, IsOk());
  EXPECT_EQ(qre->termination, Termination::kReachedLambda);
  EXPECT_EQ(qre->lambda, 2.0);
  EXPECT_EQ(qre->requested_lambda, 2.0);
}

// Every registered solver of trees with information sets on Battle of the
// Sexes as a tree: each equilibrium's behaviour is one of the three, with the
// independent regret.
TEST(SolverRegistryTest, EveryTreeSolverOnBattleOfTheSexesAsATree) {
  const ExtensiveFormGame g = Tree(kBattleTree);
  const GameTree& tree = g.tree;
  int row = -1, column = -1;
  for (size_t h = 0; h < tree.infosets().size(); ++h) {
    if (tree.infosets()[h].player == 0) row = static_cast<int>(h);
    if (tree.infosets()[h].player == 1) column = static_cast<int>(h);
  }
  ASSERT_GE(row, 0);
  ASSERT_GE(column, 0);
  for (const Solver* solver : SolverRegistry::For(GameForm::kTreeWithInformationSets)) {
    SCOPED_TRACE(solver->name());
    auto s = SolveGame(g, Request(std::string(solver->name()), SomeOptions(*solver)));
    ASSERT_THAT(s, IsOk());
    EXPECT_EQ(s->form, GameForm::kTreeWithInformationSets);
    EXPECT_EQ(s->decomposition.num_normal_form_subgames(), 1);
    ASSERT_FALSE(s->tree_equilibria.empty());
    for (const TreeEquilibrium& e : s->tree_equilibria) {
      const double x = e.solution.behaviour.probabilities[row][0];
      const double y = e.solution.behaviour.probabilities[column][0];
      EXPECT_TRUE(IsBattleEquilibrium(x, y)) << x << " " << y;
      ASSERT_TRUE(e.regret.has_value());
      EXPECT_NEAR(*e.regret, BattleRegret(x, y), 1e-9);
    }
  }
  auto vertex = SolveGame(g, Request("vertex"));
  ASSERT_THAT(vertex, IsOk());
  EXPECT_EQ(vertex->tree_equilibria.size(), 3u);
  auto spe = SolveGame(g, Request("spe"));
  ASSERT_THAT(spe, IsOk());
  EXPECT_EQ(spe->tree_equilibria.size(), 1u);  // one pure equilibrium, chosen by the rule
  // Its choices as the pure play explain shows.
  const double opera = spe->tree_equilibria[0].solution.behaviour.probabilities[row][0];
  EXPECT_EQ(spe->play.choice[0], opera == 1.0 ? 0 : 1);
}

// Every registered solver of perfect-information trees on entry deterrence:
// the entrant enters, the incumbent accommodates, and every node's choice is
// a best response given the choices below (checked on the tree directly).
TEST(SolverRegistryTest, EveryPerfectInformationSolverOnEntryDeterrence) {
  const ExtensiveFormGame g = Tree(kEntry);
  const GameTree& tree = g.tree;
  const TreeView view = g.view();
  for (const Solver* solver : SolverRegistry::For(GameForm::kPerfectInformationTree)) {
    SCOPED_TRACE(solver->name());
    auto s = SolveGame(g, Request(std::string(solver->name()), SomeOptions(*solver)));
    ASSERT_THAT(s, IsOk());
    EXPECT_EQ(s->form, GameForm::kPerfectInformationTree);
    std::function<std::vector<double>(int)> value = [&](int v) {
      const TreeNode& node = tree.node(v);
      if (node.kind == NodeKind::kTerminal) {
        return std::vector<double>{view.Payoff(node.terminal, 0), view.Payoff(node.terminal, 1)};
      }
      return value(tree.children(v)[s->play.choice[v]]);
    };
    double regret = 0.0;
    for (int v = 0; v < tree.num_nodes(); ++v) {
      if (tree.node(v).kind != NodeKind::kDecision) continue;
      const int mover = tree.infosets()[tree.node(v).infoset].player;
      const double now = value(v)[mover];
      for (const int child : tree.children(v)) regret = std::max(regret, value(child)[mover] - now);
    }
    EXPECT_EQ(regret, 0.0);
    EXPECT_EQ(s->regret, regret);
    EXPECT_EQ(value(0), (std::vector<double>{1, 1}));
  }
}

}  // namespace
}  // namespace parley
