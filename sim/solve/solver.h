// The solver registry: every method that `parley solve --method` accepts, by
// name, each entry owning which games it applies to (the game's form, its
// number of players, perfect recall, size limits) and the messages that
// refuse the others, the options it declares (qre's lambda, with its range),
// and the rule for the default method; and the result all of them return
// (Solution: equilibria, each with its regret, and why the solver stopped).
//
// A request is checked in this order, and the first fault is the message:
// the method's name (perfect-information trees only), options the method
// does not declare, the method's name (other games), missing and
// out-of-range option values, then the entry's own checks on the game
// (Solver::CheckGame). Messages name the command-line flags (--method,
// --lambda) that carry the request.
//
// Adding a solver is one class in solvers.cc and one line in its table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/game/game_tree.h"
#include "sim/game/normal_form.h"
#include "sim/solve/backward_induction.h"
#include "sim/solve/mixed.h"
#include "sim/solve/selection.h"
#include "sim/solve/subgame_perfect.h"
#include "sim/solve/termination.h"

namespace parley {

// The kinds of game a method may solve.
enum class GameForm {
  kNormalForm,              // a strategic game: a scenario without `sequence`, a .nfg file
  kPerfectInformationTree,  // a tree (or graph of shared subgames) without information sets
  kTreeWithInformationSets  // solved subgame by subgame, through reduced normal forms
};
GameForm FormOf(const ExtensiveFormGame& game);

// What applicability checks look at.
struct GameShape {
  GameForm form = GameForm::kNormalForm;
  int players = 0;
  std::vector<int> strategies;  // normal form: each player's number of strategies
  bool perfect_recall = true;   // trees with information sets (HasPerfectRecall)
};
GameShape ShapeOf(const NormalFormGame& game);
GameShape ShapeOf(const ExtensiveFormGame& game);

// An option a method declares, given as --NAME VALUE (qre's --lambda L).
struct SolverOption {
  std::string_view name;                // "lambda"
  std::string_view value_name;          // "L", as in "--method qre needs --lambda L"
  std::string_view doc;                 // one line
  std::optional<double> default_value;  // none: the option must be given
  double min = 0.0;                     // values are finite numbers in [min, max]
  double max = 0.0;
  std::string_view above_max;  // why not more, said after "must be at most MAX"
};
// Option values by name, as given (SolveGame fills in the defaults).
using SolverOptionValues = std::map<std::string, double, std::less<>>;

// How tree solvers break ties and what they compute besides equilibria.
struct TreeSettings {
  Selection selection = Selection::kUniform;
  // Ties draw from SampleRng(seed, index, RngStream::kModel), the model
  // stream of sample `index` of a run with `seed`, as in `parley run`.
  uint64_t seed = 0, index = 0;
  // Trees with information sets: check each equilibrium's regret (skipped
  // anyway with imperfect recall or more than kMaxRegretCheckNodes nodes).
  bool check_regret = true;
  // Trees with information sets: the decomposition, when the caller has
  // made it already (SubgameDecomposition::Make); made here otherwise.
  const SubgameDecomposition* decomposition = nullptr;
};

// Trees larger than this get no regret check (it costs about nodes x
// subgames x information sets).
inline constexpr int kMaxRegretCheckNodes = 5000;

// One equilibrium of a tree with information sets.
struct TreeEquilibrium {
  SubgameSolution solution;      // behaviour at every information set, values
  std::optional<double> regret;  // MaxInfosetRegret; none where not checked
};

// What a solver found in one game. Which part is filled depends on `form`.
struct Solution {
  std::string method;
  GameForm form = GameForm::kNormalForm;
  Termination termination = Termination::kComplete;
  // Vertex enumeration met a degenerate game (or a subgame's degenerate
  // reduced normal form): a component of equilibria may hold more.
  bool degenerate = false;

  // Normal-form games: the equilibria, each with its regret recomputed from
  // the definition. A logit path that gave up at a profile that is not an
  // equilibrium lists none, and where it stopped as `last_point`.
  std::vector<MixedEquilibrium> equilibria;
  std::optional<MixedEquilibrium> last_point;
  std::optional<double> lambda;            // qre and logit: where the path stopped
  std::optional<double> requested_lambda;  // qre

  // Trees.
  Selection selection = Selection::kUniform;  // the tie-breaking rule used
  // spe: the pure subgame-perfect equilibrium as a choice at every decision
  // node, with each node's value and the probability that play reaches it.
  SubgamePerfect play;
  double regret = 0.0;  // perfect-information trees: MaxSubgameRegret of `play`
  // Trees with information sets: the subgames, and the equilibria (one for
  // spe; for the mixed methods, one per equilibrium of the whole game when
  // it is solved through its reduced normal form).
  SubgameDecomposition decomposition;
  std::vector<TreeEquilibrium> tree_equilibria;
  // ... found as pure equilibria of each subgame, the selection rule
  // choosing among several (spe), rather than by a normal-form solver.
  bool pure_equilibria = false;

  bool converged() const { return Converged(termination); }
};

// One method. Entries are stateless and live as long as the program.
class Solver {
 public:
  virtual ~Solver() = default;
  virtual std::string_view name() const = 0;
  // How `parley solve --help` names it among its form's methods, e.g.
  // "lemke-howson (two players)".
  virtual std::string_view help() const = 0;
  virtual bool Solves(GameForm form) const = 0;
  virtual std::span<const SolverOption> options() const { return {}; }
  // Refuses a game of a form it solves that it cannot solve (players,
  // perfect recall, size), saying what to use instead.
  virtual Status CheckGame(const GameShape& /*game*/) const { return OkStatus(); }
  // The game has passed CheckGame; `options` holds every declared option.
  virtual StatusOr<Solution> Solve(const NormalFormGame& game,
                                   const SolverOptionValues& options) const;
  virtual StatusOr<Solution> Solve(const ExtensiveFormGame& game, const SolverOptionValues& options,
                                   const TreeSettings& settings) const;
  // Appended (after "; ") by SolveGame to a tree's NotFound ("a subgame has
  // no equilibrium"): which methods find what this one does not.
  virtual std::string_view no_equilibrium_advice() const { return {}; }
};

class SolverRegistry {
 public:
  // Every method, in listing order (defined with the entries, in solvers.cc).
  static const std::vector<const Solver*>& All();
  // The methods that solve `form`, in listing order.
  static std::vector<const Solver*> For(GameForm form);
  // The method of that name that solves `form`, or the form's refusal
  // (InvalidArgument), e.g. "--method: unknown method 'x' (methods: pure,
  // vertex, support, lemke-howson, logit, qre)" for a normal-form game.
  static StatusOr<const Solver*> Find(std::string_view name, GameForm form);
  // vertex for two-player normal-form games, pure for the others; spe for trees.
  static std::string_view DefaultMethod(GameForm form, int players);
  // "pure, vertex, support, lemke-howson, logit, qre": the names for `form`.
  static std::string Names(GameForm form);
  // The help of --method, listing every method and the default rule.
  static std::string Help();
};

// Checks `request` against the registry and solves `game` with its method.
struct SolveRequest {
  std::optional<std::string> method;  // none: SolverRegistry::DefaultMethod
  SolverOptionValues options;         // e.g. {"lambda", 2.0} for qre
  TreeSettings tree;                  // trees only
};
StatusOr<Solution> SolveGame(const NormalFormGame& game, const SolveRequest& request);
StatusOr<Solution> SolveGame(const ExtensiveFormGame& game, const SolveRequest& request);

// For entries: a tree with information sets solved subgame by subgame
// (SolveSubgamePerfect), the subgames with information sets through their
// reduced normal form with `solver` (empty: pure equilibria and the
// selection rule, every one a single choice per node, also set as
// Solution::play); with `solver`, one solution per equilibrium of the whole
// game when it is solved through its reduced normal form. Fills form,
// selection, decomposition, tree_equilibria (with regrets) and play.
StatusOr<Solution> SolveBySubgames(const ExtensiveFormGame& game, const TreeSettings& settings,
                                   const ReducedFormSolver& solver);

}  // namespace parley
