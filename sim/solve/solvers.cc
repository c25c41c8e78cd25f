// The entries of the solver registry (sim/solve/solver.h), one class per
// method, and at the end the table that lists them: `parley solve --method`
// accepts exactly these, in this order in its messages and help.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "sim/solve/mixed.h"
#include "sim/solve/pure_nash.h"
#include "sim/solve/qre.h"
#include "sim/solve/solver.h"

namespace parley {
namespace {

// A pure profile as a mixed one, with its regret from the definition: the
// numbers Evaluate gives, from the profile's unilateral deviations alone.
// (Evaluate sums over every profile, which made a game with an equilibrium
// in every profile quadratic in its size.) Each strategy's value is the one
// term Evaluate adds to zero (0.0 + x, so -0 becomes 0, as there).
MixedEquilibrium PureAsMixed(const NormalFormGame& g, int64_t profile) {
  const GameView view = g.view();
  MixedEquilibrium e;
  for (int p = 0; p < g.space.num_players(); ++p) {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(g.space.num_strategies(p));
    x(g.space.StrategyOf(profile, p)) = 1.0;
    e.strategies.push_back(std::move(x));
  }
  for (int p = 0; p < g.space.num_players(); ++p) {
    const int k = g.space.num_strategies(p);
    Eigen::VectorXd values(k);
    for (int s = 0; s < k; ++s) values(s) = 0.0 + view.Payoff(g.space.Deviate(profile, p, s), p);
    const double u = e.strategies[p].dot(values);
    e.payoffs.push_back(u);
    const double gain = values.maxCoeff() - u;
    e.regret = std::isfinite(gain) && e.strategies[p].allFinite()
                   ? std::max(e.regret, gain)
                   : std::numeric_limits<double>::infinity();
  }
  return e;
}

Solution NormalFormSolution(std::string_view method) {
  Solution s;
  s.method = method;
  s.form = GameForm::kNormalForm;
  return s;
}

// Mixed plans are behaviour strategies only with perfect recall (Kuhn).
Status CheckPerfectRecall(std::string_view method, const GameShape& game) {
  if (game.form != GameForm::kTreeWithInformationSets || game.perfect_recall) return OkStatus();
  return InvalidArgument(fmt::format(
      "--method {}: a player in this game forgets what it saw or did (imperfect recall), so mixed "
      "plans are not behaviour strategies (Kuhn's theorem needs perfect recall); use --method spe",
      method));
}

// An equilibrium list as the mixed profiles of a reduced normal form.
MixedList AsMixedList(const std::vector<MixedEquilibrium>& found) {
  MixedList out;
  for (const MixedEquilibrium& e : found) {
    std::vector<std::vector<double>> mixed;
    for (const Eigen::VectorXd& x : e.strategies) mixed.emplace_back(x.begin(), x.end());
    out.push_back(std::move(mixed));
  }
  return out;
}

// pure: every pure Nash equilibrium, any number of players.
class PureMethod final : public Solver {
 public:
  using Solver::Solve;
  std::string_view name() const override { return "pure"; }
  std::string_view help() const override { return "pure"; }
  bool Solves(GameForm form) const override { return form == GameForm::kNormalForm; }
  StatusOr<Solution> Solve(const NormalFormGame& g, const SolverOptionValues&) const override {
    Solution s = NormalFormSolution(name());
    PureNashScratch scratch;
    std::vector<int64_t> profiles;
    FindPureEquilibria(g.view(), scratch, profiles);
    for (const int64_t q : profiles) s.equilibria.push_back(PureAsMixed(g, q));
    return s;
  }
};

// The two-player methods: normal-form games, and trees with information sets
// (each subgame's reduced normal form).
class TwoPlayerMethod : public Solver {
 public:
  bool Solves(GameForm form) const override { return form != GameForm::kPerfectInformationTree; }
  Status CheckGame(const GameShape& game) const override {
    if (game.players != 2) {
      const bool tree = game.form != GameForm::kNormalForm;
      return InvalidArgument(fmt::format(
          "--method {} needs a two-player game; this {} has {} players (use --method {})", name(),
          tree ? "tree" : "game", game.players, tree ? "spe or logit" : "pure"));
    }
    return CheckPerfectRecall(name(), game);
  }
  StatusOr<Solution> Solve(const NormalFormGame& g, const SolverOptionValues&) const override {
    Solution s = NormalFormSolution(name());
    PARLEY_ASSIGN_OR_RETURN(const Bimatrix bimatrix, ToBimatrix(g.view()));
    PARLEY_ASSIGN_OR_RETURN(s.equilibria, Find(bimatrix, &s.degenerate));
    // Every reported profile carries its regret, recomputed from the definition.
    for (MixedEquilibrium& e : s.equilibria) e = Evaluate(g.view(), e.strategies);
    return s;
  }
  StatusOr<Solution> Solve(const ExtensiveFormGame& game, const SolverOptionValues&,
                           const TreeSettings& settings) const override {
    bool degenerate = false;
    auto solver = [this, &degenerate](const GameView& subgame) -> StatusOr<MixedList> {
      PARLEY_ASSIGN_OR_RETURN(const Bimatrix bimatrix, ToBimatrix(subgame));
      PARLEY_ASSIGN_OR_RETURN(const std::vector<MixedEquilibrium> found,
                              Find(bimatrix, &degenerate));
      return AsMixedList(found);
    };
    PARLEY_ASSIGN_OR_RETURN(Solution s, SolveBySubgames(game, settings, solver));
    s.method = name();
    s.degenerate = degenerate;
    return s;
  }

 protected:
  // The equilibria of one bimatrix game; sets *degenerate when it is.
  virtual StatusOr<std::vector<MixedEquilibrium>> Find(const Bimatrix& game,
                                                       bool* degenerate) const = 0;
};

// vertex: every extreme equilibrium, by vertex enumeration.
class VertexMethod final : public TwoPlayerMethod {
 public:
  std::string_view name() const override { return "vertex"; }
  std::string_view help() const override { return "vertex"; }

 protected:
  StatusOr<std::vector<MixedEquilibrium>> Find(const Bimatrix& game,
                                               bool* degenerate) const override {
    PARLEY_ASSIGN_OR_RETURN(VertexEnumeration r, EnumerateVertices(game));
    *degenerate = *degenerate || r.degenerate;
    return std::move(r.equilibria);
  }
};

// support: support enumeration, refused in normal-form games with more
// support pairs than SolveOptions::max_support_pairs (counted here, so the
// refusal gives the count as a whole number).
class SupportMethod final : public TwoPlayerMethod {
 public:
  std::string_view name() const override { return "support"; }
  std::string_view help() const override { return "support"; }
  Status CheckGame(const GameShape& game) const override {
    PARLEY_RETURN_IF_ERROR(TwoPlayerMethod::CheckGame(game));
    if (game.form != GameForm::kNormalForm) return OkStatus();
    const int m = game.strategies[0], n = game.strategies[1];
    auto binomial = [](int a, int b) {
      double c = 1.0;
      for (int i = 1; i <= b; ++i) c = c * (a - b + i) / i;
      return std::round(c);
    };
    double pairs = 0.0;
    for (int k = 1; k <= std::min(m, n); ++k) pairs += binomial(m, k) * binomial(n, k);
    if (pairs <= SolveOptions{}.max_support_pairs) return OkStatus();
    const std::string count =
        pairs < 1e15 ? fmt::format("{:.0f}", pairs) : fmt::format("{:.3g}", pairs);
    return ResourceExhausted(fmt::format(
        "support enumeration would try {} support pairs for a {}x{} game; use lemke-howson (or "
        "vertex) instead",
        count, m, n));
  }

 protected:
  StatusOr<std::vector<MixedEquilibrium>> Find(const Bimatrix& game, bool*) const override {
    return SupportEnumeration(game);
  }
};

// lemke-howson: complementary pivoting from every label.
class LemkeHowsonMethod final : public TwoPlayerMethod {
 public:
  std::string_view name() const override { return "lemke-howson"; }
  std::string_view help() const override { return "lemke-howson (two players)"; }

 protected:
  StatusOr<std::vector<MixedEquilibrium>> Find(const Bimatrix& game, bool*) const override {
    return LemkeHowsonAll(game);
  }
};

// The logit path's end as a solution: listed as an equilibrium when the path
// met its goal (or, for the limit, when its regret is within the Nash
// tolerance all the same), otherwise as the last point.
Solution PathSolution(std::string_view method, const NormalFormGame& g, QreResult r, bool limit) {
  Solution s = NormalFormSolution(method);
  s.lambda = r.lambda;
  s.termination = r.reason;
  const bool listed = r.converged || (limit && r.profile.regret <= QreOptions{}.nash_tolerance *
                                                                       (1.0 + g.MaxAbsPayoff()));
  if (listed) {
    s.equilibria.push_back(std::move(r.profile));
  } else {
    s.last_point = std::move(r.profile);
  }
  return s;
}

// logit: the Nash equilibrium that the logit QRE approaches as lambda grows.
class LogitMethod final : public Solver {
 public:
  std::string_view name() const override { return "logit"; }
  std::string_view help() const override { return "logit (the limiting logit equilibrium)"; }
  bool Solves(GameForm form) const override { return form != GameForm::kPerfectInformationTree; }
  Status CheckGame(const GameShape& game) const override {
    return CheckPerfectRecall(name(), game);
  }
  StatusOr<Solution> Solve(const NormalFormGame& g, const SolverOptionValues&) const override {
    PARLEY_ASSIGN_OR_RETURN(QreResult r, LogitLimit(g.view()));
    return PathSolution(name(), g, std::move(r), /*limit=*/true);
  }
  StatusOr<Solution> Solve(const ExtensiveFormGame& game, const SolverOptionValues&,
                           const TreeSettings& settings) const override {
    auto solver = [](const GameView& subgame) -> StatusOr<MixedList> {
      PARLEY_ASSIGN_OR_RETURN(const QreResult r, LogitLimit(subgame));
      if (!r.converged) {
        return NotFound("the logit path gave up (" + r.termination + ") before a Nash equilibrium");
      }
      return AsMixedList({r.profile});
    };
    PARLEY_ASSIGN_OR_RETURN(Solution s, SolveBySubgames(game, settings, solver));
    s.method = name();
    return s;
  }
};

// qre: the logit quantal response equilibrium at precision lambda.
class QreMethod final : public Solver {
 public:
  using Solver::Solve;
  std::string_view name() const override { return "qre"; }
  std::string_view help() const override { return "qre"; }
  bool Solves(GameForm form) const override { return form == GameForm::kNormalForm; }
  std::span<const SolverOption> options() const override {
    static const SolverOption kOptions[] = {{
        .name = "lambda",
        .value_name = "L",
        .doc = "Precision of the logit QRE",
        .default_value = std::nullopt,
        .min = 0.0,
        .max = QreOptions{}.max_lambda,
        .above_max = "(double precision cannot resolve a larger one); for the Nash equilibrium "
                     "that a large lambda approaches, use --method logit",
    }};
    return kOptions;
  }
  StatusOr<Solution> Solve(const NormalFormGame& g,
                           const SolverOptionValues& options) const override {
    const double lambda = options.at("lambda");
    PARLEY_ASSIGN_OR_RETURN(QreResult r, LogitQre(g.view(), lambda));
    Solution s = PathSolution(name(), g, std::move(r), /*limit=*/false);
    s.requested_lambda = lambda;
    return s;
  }
};

// spe: the subgame-perfect equilibrium in pure strategies; backward
// induction on perfect-information trees, pure equilibria of each subgame's
// reduced normal form on trees with information sets.
class SpeMethod final : public Solver {
 public:
  using Solver::Solve;
  std::string_view name() const override { return "spe"; }
  std::string_view help() const override { return "spe for sequential games (the default there)"; }
  bool Solves(GameForm form) const override { return form != GameForm::kNormalForm; }
  std::string_view no_equilibrium_advice() const override {
    return "for mixed equilibria use --method vertex, lemke-howson or logit";
  }
  StatusOr<Solution> Solve(const ExtensiveFormGame& game, const SolverOptionValues&,
                           const TreeSettings& settings) const override {
    if (!game.tree.perfect_information()) {
      PARLEY_ASSIGN_OR_RETURN(Solution s, SolveBySubgames(game, settings, {}));
      s.method = name();
      return s;
    }
    Solution s;
    s.method = name();
    s.form = GameForm::kPerfectInformationTree;
    s.selection = settings.selection;
    const TreeView view = game.view();
    SampleRng rng(settings.seed, settings.index, RngStream::kModel);
    SolveBackwardInduction(view, settings.selection, rng, s.play);
    ComputeReach(view, s.play);
    s.regret = MaxSubgameRegret(view, s.play.choice);
    return s;
  }
};

}  // namespace

const std::vector<const Solver*>& SolverRegistry::All() {
  static const PureMethod pure;
  static const VertexMethod vertex;
  static const SupportMethod support;
  static const LemkeHowsonMethod lemke_howson;
  static const LogitMethod logit;
  static const QreMethod qre;
  static const SpeMethod spe;
  static const std::vector<const Solver*> all = {&pure,  &vertex, &support, &lemke_howson,
                                                 &logit, &qre,    &spe};
  return all;
}

}  // namespace parley
