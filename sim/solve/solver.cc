#include "sim/solve/solver.h"

#include <fmt/format.h>

#include <cmath>

#include "sim/game/reduced_normal_form.h"

namespace parley {
namespace {

// "a, b or c".
std::string JoinOr(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
  }
  return out;
}

// The refusal of a method that does not solve games of `form` (or does not
// exist), each form with its own advice.
Status Refusal(std::string_view name, GameForm form) {
  switch (form) {
    case GameForm::kNormalForm:
      return InvalidArgument(fmt::format("--method: unknown method '{}' (methods: {})", name,
                                         SolverRegistry::Names(GameForm::kNormalForm)));
    case GameForm::kPerfectInformationTree:
      return InvalidArgument(fmt::format(
          "--method: '{}' solves normal-form games and trees with information sets; a "
          "perfect-information game is solved with --method spe (backward induction); for the "
          "Nash equilibria of its normal form, export it with --format nfg and solve that",
          name));
    case GameForm::kTreeWithInformationSets:
      return InvalidArgument(fmt::format(
          "--method: '{}' does not solve trees; a tree with information sets is solved with spe "
          "(pure equilibria of each subgame), vertex, support, lemke-howson or logit (two-player "
          "trees)",
          name));
  }
  return Internal("unknown game form");
}

// Options given that `solver` (null: no method of that name solves the
// game) does not declare: "--lambda applies to --method qre only", naming
// every method that declares it.
Status CheckDeclared(const Solver* solver, const SolverOptionValues& given) {
  for (const auto& [option, value] : given) {
    bool declared = false;
    if (solver) {
      for (const SolverOption& o : solver->options()) declared |= o.name == option;
    }
    if (declared) continue;
    std::vector<std::string> methods;
    for (const Solver* s : SolverRegistry::All()) {
      for (const SolverOption& o : s->options()) {
        if (o.name == option) methods.emplace_back(s->name());
      }
    }
    return InvalidArgument(fmt::format("--{} applies to --method {} only", option,
                                       methods.empty() ? "(none)" : JoinOr(methods)));
  }
  return OkStatus();
}

// Every declared option with a value in its range, defaults filled in.
StatusOr<SolverOptionValues> CheckValues(const Solver& solver, const SolverOptionValues& given) {
  SolverOptionValues values;
  for (const SolverOption& o : solver.options()) {
    const auto it = given.find(o.name);
    if (it == given.end()) {
      if (!o.default_value) {
        return InvalidArgument(
            fmt::format("--method {} needs --{} {}", solver.name(), o.name, o.value_name));
      }
      values.emplace(o.name, *o.default_value);
      continue;
    }
    const double x = it->second;
    if (!(std::isfinite(x) && x >= o.min)) {
      return InvalidArgument(
          fmt::format("--{} must be a finite number >= {:g}, got {}", o.name, o.min, x));
    }
    if (x > o.max) {
      return InvalidArgument(
          fmt::format("--{} must be at most {:g} {}", o.name, o.max, o.above_max));
    }
    values.emplace(o.name, x);
  }
  return values;
}

// The checks every request passes, in the order of the header's comment.
StatusOr<std::pair<const Solver*, SolverOptionValues>> Resolve(const GameShape& shape,
                                                               const SolveRequest& request) {
  const std::string name(request.method.value_or(
      std::string(SolverRegistry::DefaultMethod(shape.form, shape.players))));
  auto found = SolverRegistry::Find(name, shape.form);
  if (shape.form == GameForm::kPerfectInformationTree && !found.ok()) return found.status();
  PARLEY_RETURN_IF_ERROR(CheckDeclared(found.ok() ? *found : nullptr, request.options));
  PARLEY_ASSIGN_OR_RETURN(const Solver* solver, std::move(found));
  PARLEY_ASSIGN_OR_RETURN(SolverOptionValues values, CheckValues(*solver, request.options));
  PARLEY_RETURN_IF_ERROR(solver->CheckGame(shape));
  return std::pair{solver, std::move(values)};
}

}  // namespace

GameForm FormOf(const ExtensiveFormGame& game) {
  return game.tree.perfect_information() ? GameForm::kPerfectInformationTree
                                         : GameForm::kTreeWithInformationSets;
}

GameShape ShapeOf(const NormalFormGame& game) {
  GameShape shape;
  shape.form = GameForm::kNormalForm;
  shape.players = game.space.num_players();
  for (int p = 0; p < shape.players; ++p) shape.strategies.push_back(game.space.num_strategies(p));
  return shape;
}

GameShape ShapeOf(const ExtensiveFormGame& game) {
  GameShape shape;
  shape.form = FormOf(game);
  shape.players = game.tree.num_players();
  if (shape.form == GameForm::kTreeWithInformationSets) {
    shape.perfect_recall = HasPerfectRecall(game.tree);
  }
  return shape;
}

StatusOr<Solution> Solver::Solve(const NormalFormGame& /*game*/,
                                 const SolverOptionValues& /*options*/) const {
  return Internal("method " + std::string(name()) + " does not solve normal-form games");
}

StatusOr<Solution> Solver::Solve(const ExtensiveFormGame& /*game*/,
                                 const SolverOptionValues& /*options*/,
                                 const TreeSettings& /*settings*/) const {
  return Internal("method " + std::string(name()) + " does not solve trees");
}

std::vector<const Solver*> SolverRegistry::For(GameForm form) {
  std::vector<const Solver*> out;
  for (const Solver* s : All()) {
    if (s->Solves(form)) out.push_back(s);
  }
  return out;
}

StatusOr<const Solver*> SolverRegistry::Find(std::string_view name, GameForm form) {
  for (const Solver* s : All()) {
    if (s->name() == name && s->Solves(form)) return s;
  }
  return Refusal(name, form);
}

std::string_view SolverRegistry::DefaultMethod(GameForm form, int players) {
  if (form != GameForm::kNormalForm) return "spe";
  return players == 2 ? "vertex" : "pure";
}

std::string SolverRegistry::Names(GameForm form) {
  std::string out;
  for (const Solver* s : For(form)) out += (out.empty() ? "" : ", ") + std::string(s->name());
  return out;
}

std::string SolverRegistry::Help() {
  // The normal-form methods, then those that solve trees only.
  std::vector<std::string> normal_form, trees_only;
  for (const Solver* s : All()) {
    (s->Solves(GameForm::kNormalForm) ? normal_form : trees_only).emplace_back(s->help());
  }
  std::string out = JoinOr(normal_form) + " (default: vertex for two players, pure otherwise)";
  for (const std::string& h : trees_only) out += "; " + h;
  return out;
}

StatusOr<Solution> SolveGame(const NormalFormGame& game, const SolveRequest& request) {
  PARLEY_ASSIGN_OR_RETURN(auto resolved, Resolve(ShapeOf(game), request));
  return resolved.first->Solve(game, resolved.second);
}

StatusOr<Solution> SolveGame(const ExtensiveFormGame& game, const SolveRequest& request) {
  PARLEY_ASSIGN_OR_RETURN(auto resolved, Resolve(ShapeOf(game), request));
  const Solver& solver = *resolved.first;
  auto solved = solver.Solve(game, resolved.second, request.tree);
  if (!solved.ok() && solved.status().code() == StatusCode::kNotFound &&
      !solver.no_equilibrium_advice().empty()) {
    return NotFound(solved.status().message() + "; " + std::string(solver.no_equilibrium_advice()));
  }
  return solved;
}

StatusOr<Solution> SolveBySubgames(const ExtensiveFormGame& game, const TreeSettings& settings,
                                   const ReducedFormSolver& solver) {
  const GameTree& tree = game.tree;
  Solution s;
  s.form = FormOf(game);
  s.selection = settings.selection;
  s.pure_equilibria = !solver;
  if (settings.decomposition) {
    s.decomposition = *settings.decomposition;
  } else {
    PARLEY_ASSIGN_OR_RETURN(s.decomposition, SubgameDecomposition::Make(tree));
  }
  SubgameOptions options;
  options.selection = settings.selection;
  if (solver) {
    options.solver = solver;
    options.all_root_equilibria = true;
  }
  const TreeView view = game.view();
  SampleRng rng(settings.seed, settings.index, RngStream::kModel);
  PARLEY_ASSIGN_OR_RETURN(std::vector<SubgameSolution> solved,
                          SolveSubgamePerfect(view, s.decomposition, options, rng));
  const bool check =
      settings.check_regret && tree.num_nodes() <= kMaxRegretCheckNodes && HasPerfectRecall(tree);
  for (SubgameSolution& e : solved) {
    TreeEquilibrium t;
    if (check) t.regret = MaxInfosetRegret(view, e.behaviour);
    t.solution = std::move(e);
    s.tree_equilibria.push_back(std::move(t));
  }
  if (!solver) ToSubgamePerfect(view, s.tree_equilibria.front().solution, s.play);
  return s;
}

}  // namespace parley
