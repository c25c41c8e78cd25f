#include "sim/solve/mixed.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/solve/tableau.h"

namespace parley {
namespace {

// The equilibrium record for (x, y) in a bimatrix game, regret included.
MixedEquilibrium EvaluateBimatrix(const Bimatrix& g, const Eigen::VectorXd& x,
                                  const Eigen::VectorXd& y) {
  const Eigen::VectorXd row_values = g.a * y;
  const Eigen::VectorXd col_values = g.b.transpose() * x;
  const double u = x.dot(row_values), v = y.dot(col_values);
  MixedEquilibrium e;
  e.strategies = {x, y};
  e.payoffs = {u, v};
  e.regret = std::max({0.0, row_values.maxCoeff() - u, col_values.maxCoeff() - v});
  return e;
}

void AddIfNew(std::vector<MixedEquilibrium>& found, MixedEquilibrium e, double tolerance) {
  for (const auto& f : found) {
    if (SameProfile(f.strategies, e.strategies, tolerance)) return;
  }
  found.push_back(std::move(e));
}

double Binomial(int n, int k) {
  double r = 1.0;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

// Advances `idx` (k increasing indices below n) to the next combination.
bool NextCombination(std::vector<int>& idx, int n) {
  const int k = static_cast<int>(idx.size());
  int i = k - 1;
  while (i >= 0 && idx[i] == n - k + i) --i;
  if (i < 0) return false;
  ++idx[i];
  for (int j = i + 1; j < k; ++j) idx[j] = idx[j - 1] + 1;
  return true;
}

// Solves for the mixture `p` on `support` that makes the opponent (whose
// payoffs are m(opponent strategy, own strategy) over `opp_support`)
// indifferent: m[opp, support] p = w 1, sum p = 1. Returns false if singular.
bool Indifference(const Eigen::MatrixXd& m, const std::vector<int>& opp_support,
                  const std::vector<int>& support, Eigen::VectorXd* p) {
  const int k = static_cast<int>(support.size());
  Eigen::MatrixXd system = Eigen::MatrixXd::Zero(k + 1, k + 1);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(k + 1);
  for (int r = 0; r < k; ++r) {
    for (int c = 0; c < k; ++c) system(r, c) = m(opp_support[r], support[c]);
    system(r, k) = -1.0;
  }
  for (int c = 0; c < k; ++c) system(k, c) = 1.0;
  rhs(k) = 1.0;
  Eigen::FullPivLU<Eigen::MatrixXd> lu(system);
  if (!lu.isInvertible()) return false;
  const Eigen::VectorXd sol = lu.solve(rhs);
  *p = sol.head(k);
  return true;
}

}  // namespace

std::vector<Eigen::VectorXd> StrategyValues(const GameView& game, const MixedProfile& profile) {
  const ProfileSpace& space = *game.space;
  const int n = space.num_players();
  std::vector<Eigen::VectorXd> values(n);
  for (int p = 0; p < n; ++p) values[p] = Eigen::VectorXd::Zero(space.num_strategies(p));
  std::vector<int> s(n, 0);
  std::vector<double> prefix(n + 1), suffix(n + 1);
  for (int64_t q = 0; q < space.num_profiles(); ++q) {
    prefix[0] = 1.0;
    for (int p = 0; p < n; ++p) prefix[p + 1] = prefix[p] * profile[p](s[p]);
    suffix[n] = 1.0;
    for (int p = n - 1; p >= 0; --p) suffix[p] = suffix[p + 1] * profile[p](s[p]);
    for (int p = 0; p < n; ++p) {
      const double others = prefix[p] * suffix[p + 1];
      if (others != 0.0) values[p](s[p]) += others * game.Payoff(q, p);
    }
    for (int p = 0; p < n && ++s[p] == space.num_strategies(p); ++p) s[p] = 0;
  }
  return values;
}

MixedEquilibrium Evaluate(const GameView& game, const MixedProfile& profile) {
  const std::vector<Eigen::VectorXd> values = StrategyValues(game, profile);
  MixedEquilibrium e;
  e.strategies = profile;
  for (size_t p = 0; p < values.size(); ++p) {
    const double u = profile[p].dot(values[p]);
    e.payoffs.push_back(u);
    const double gain = values[p].maxCoeff() - u;
    // A profile with NaN or infinite entries is no equilibrium of anything.
    e.regret = std::isfinite(gain) && profile[p].allFinite()
                   ? std::max(e.regret, gain)
                   : std::numeric_limits<double>::infinity();
  }
  return e;
}

StatusOr<Bimatrix> ToBimatrix(const GameView& game) {
  const ProfileSpace& space = *game.space;
  if (space.num_players() != 2) {
    return InvalidArgument("this method needs a two-player game; the game has " +
                           std::to_string(space.num_players()) + " players");
  }
  const int m = space.num_strategies(0), n = space.num_strategies(1);
  Bimatrix g{Eigen::MatrixXd(m, n), Eigen::MatrixXd(m, n)};
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      const int64_t q = space.Encode({i, j});
      g.a(i, j) = game.Payoff(q, 0);
      g.b(i, j) = game.Payoff(q, 1);
    }
  }
  return g;
}

bool SameProfile(const MixedProfile& x, const MixedProfile& y, double tolerance) {
  if (x.size() != y.size()) return false;
  for (size_t p = 0; p < x.size(); ++p) {
    if (x[p].size() != y[p].size() || (x[p] - y[p]).lpNorm<Eigen::Infinity>() > tolerance) {
      return false;
    }
  }
  return true;
}

StatusOr<std::vector<MixedEquilibrium>> SupportEnumeration(const Bimatrix& g,
                                                           const SolveOptions& options) {
  const int m = static_cast<int>(g.a.rows()), n = static_cast<int>(g.a.cols());
  double pairs = 0.0;
  for (int k = 1; k <= std::min(m, n); ++k) pairs += Binomial(m, k) * Binomial(n, k);
  if (pairs > options.max_support_pairs) {
    return ResourceExhausted("support enumeration would try " + std::to_string(pairs) +
                             " support pairs for a " + std::to_string(m) + "x" + std::to_string(n) +
                             " game; use lemke-howson (or vertex) instead");
  }
  const double tol = options.tolerance;
  std::vector<MixedEquilibrium> found;
  for (int k = 1; k <= std::min(m, n); ++k) {
    std::vector<int> rows(k);
    for (int i = 0; i < k; ++i) rows[i] = i;
    do {
      std::vector<int> cols(k);
      for (int j = 0; j < k; ++j) cols[j] = j;
      do {
        // y on `cols` makes the row player indifferent over `rows`, x on
        // `rows` makes the column player indifferent over `cols`.
        Eigen::VectorXd ys, xs;
        if (!Indifference(g.a, rows, cols, &ys)) continue;
        const Eigen::MatrixXd bt = g.b.transpose();
        if (!Indifference(bt, cols, rows, &xs)) continue;
        if (ys.minCoeff() <= tol || xs.minCoeff() <= tol) continue;
        Eigen::VectorXd x = Eigen::VectorXd::Zero(m), y = Eigen::VectorXd::Zero(n);
        for (int i = 0; i < k; ++i) x(rows[i]) = xs(i);
        for (int j = 0; j < k; ++j) y(cols[j]) = ys(j);
        MixedEquilibrium e = EvaluateBimatrix(g, x, y);
        const double scale = 1.0 + std::max(g.a.cwiseAbs().maxCoeff(), g.b.cwiseAbs().maxCoeff());
        if (e.regret <= tol * scale) AddIfNew(found, std::move(e), 1e-7);
      } while (NextCombination(cols, n));
    } while (NextCombination(rows, m));
  }
  return found;
}

MixedEquilibrium LemkeHowson(const Bimatrix& g, int label) {
  const int m = static_cast<int>(g.a.rows()), n = static_cast<int>(g.a.cols());
  // Shift payoffs to be positive; equilibria do not change.
  const Eigen::MatrixXd a = g.a.array() - g.a.minCoeff() + 1.0;
  const Eigen::MatrixXd b = g.b.array() - g.b.minCoeff() + 1.0;

  // Q = {y >= 0 : A y <= 1}: rows are the row player's strategies; slack
  // r_i has label i, y_j has label m + j.
  LexTableau q;
  q.t = Eigen::MatrixXd::Zero(m, m + n + 1);
  q.t.block(0, 0, m, m).setIdentity();
  q.t.block(0, m, m, n) = a;
  q.t.col(m + n).setOnes();
  for (int i = 0; i < m; ++i) q.basis.push_back(i), q.lex.push_back(i);

  // P = {x >= 0 : B^T x <= 1}: x_i has label i, slack s_j has label m + j.
  LexTableau p;
  p.t = Eigen::MatrixXd::Zero(n, m + n + 1);
  p.t.block(0, 0, n, m) = b.transpose();
  p.t.block(0, m, n, n).setIdentity();
  p.t.col(m + n).setOnes();
  for (int j = 0; j < n; ++j) p.basis.push_back(m + j), p.lex.push_back(m + j);

  LexTableau* current = label < m ? &p : &q;
  int enter = label;
  // Each pivot visits a new vertex pair; the path is finite. The cap only
  // guards against numerical trouble.
  for (int step = 0; step < 100000; ++step) {
    const int row = current->LeavingRow(enter);
    if (row < 0) break;
    const int leave = current->basis[row];
    current->Pivot(row, enter);
    if (leave == label) break;
    enter = leave;
    current = current == &p ? &q : &p;
  }
  Eigen::VectorXd x = Eigen::VectorXd::Zero(m), y = Eigen::VectorXd::Zero(n);
  for (int r = 0; r < n; ++r) {
    if (p.basis[r] < m) x(p.basis[r]) = std::max(0.0, p.t(r, m + n));
  }
  for (int r = 0; r < m; ++r) {
    if (q.basis[r] >= m) y(q.basis[r] - m) = std::max(0.0, q.t(r, m + n));
  }
  if (x.sum() > 0) x /= x.sum();
  if (y.sum() > 0) y /= y.sum();
  return EvaluateBimatrix(g, x, y);
}

std::vector<MixedEquilibrium> LemkeHowsonAll(const Bimatrix& g, const SolveOptions& options) {
  const int labels = static_cast<int>(g.a.rows() + g.a.cols());
  const double scale = 1.0 + std::max(g.a.cwiseAbs().maxCoeff(), g.b.cwiseAbs().maxCoeff());
  std::vector<MixedEquilibrium> found;
  for (int label = 0; label < labels; ++label) {
    MixedEquilibrium e = LemkeHowson(g, label);
    if (e.regret <= 1e3 * options.tolerance * scale) AddIfNew(found, std::move(e), 1e-7);
  }
  return found;
}

}  // namespace parley
