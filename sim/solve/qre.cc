#include "sim/solve/qre.h"

#include <Eigen/QR>
#include <cmath>
#include <limits>

namespace parley {
namespace {

// Each player's expected payoff u[p](s) for each pure strategy against the
// others' mixtures and, when `pairs`, v[p][r](s, t): p's expected payoff when
// p plays s and r plays t while the others mix.
struct Values {
  std::vector<Eigen::VectorXd> u;
  std::vector<std::vector<Eigen::MatrixXd>> v;
};

// Fills `out` (reusing its storage between calls on the same game).
void ComputeValues(const GameView& game, const MixedProfile& sigma, bool pairs, Values& out) {
  const ProfileSpace& space = *game.space;
  const int n = space.num_players();
  out.u.resize(n);
  for (int p = 0; p < n; ++p) out.u[p].setZero(space.num_strategies(p));
  if (pairs) {
    out.v.resize(n);
    for (int p = 0; p < n; ++p) {
      out.v[p].resize(n);
      for (int r = 0; r < n; ++r) {
        if (r != p) out.v[p][r].setZero(space.num_strategies(p), space.num_strategies(r));
      }
    }
  }
  // Per profile: the product of everyone's probabilities except one player
  // (prefix x suffix), or except two (prefix x middle x suffix), so the cost
  // is O(n^2) per profile, and each unordered pair's weight serves both
  // players' pair values.
  std::vector<int> s(n, 0);
  std::vector<double> w(n), prefix(n + 1), suffix(n + 1), payoff(n);
  for (int64_t q = 0; q < space.num_profiles(); ++q) {
    prefix[0] = 1.0;
    for (int j = 0; j < n; ++j) {
      w[j] = sigma[j](s[j]);
      prefix[j + 1] = prefix[j] * w[j];
      payoff[j] = game.Payoff(q, j);
    }
    suffix[n] = 1.0;
    for (int j = n - 1; j >= 0; --j) suffix[j] = suffix[j + 1] * w[j];
    for (int p = 0; p < n; ++p) out.u[p](s[p]) += prefix[p] * suffix[p + 1] * payoff[p];
    if (pairs) {
      for (int p = 0; p < n; ++p) {
        double middle = 1.0;
        for (int r = p + 1; r < n; ++r) {
          const double rest = prefix[p] * middle * suffix[r + 1];
          out.v[p][r](s[p], s[r]) += rest * payoff[p];
          out.v[r][p](s[r], s[p]) += rest * payoff[r];
          middle *= w[r];
        }
      }
    }
    for (int p = 0; p < n && ++s[p] == space.num_strategies(p); ++p) s[p] = 0;
  }
}

// Newton's method for an exact Nash equilibrium on the support of `sigma`
// (the strategies with at least 1e-3 of the player's largest probability):
// probabilities sum to 1 and the supported strategies earn equal payoffs.
// Returns the polished profile, or an empty profile when Newton fails or the
// result is not a probability vector.
MixedProfile PolishOnSupport(const GameView& game, const MixedProfile& sigma) {
  const int n = static_cast<int>(sigma.size());
  std::vector<std::vector<int>> support(n);
  std::vector<int> first(n + 1, 0);
  for (int p = 0; p < n; ++p) {
    for (Eigen::Index s = 0; s < sigma[p].size(); ++s) {
      if (sigma[p](s) >= 1e-3 * sigma[p].maxCoeff()) support[p].push_back(static_cast<int>(s));
    }
    first[p + 1] = first[p] + static_cast<int>(support[p].size());
  }
  MixedProfile x(n);
  for (int p = 0; p < n; ++p) {
    x[p] = Eigen::VectorXd::Zero(sigma[p].size());
    for (int s : support[p]) x[p](s) = sigma[p](s);
    x[p] /= x[p].sum();
  }
  const int dim = first[n];
  Values values;
  for (int it = 0; it < 30; ++it) {
    ComputeValues(game, x, true, values);
    Eigen::VectorXd f(dim);
    Eigen::MatrixXd j = Eigen::MatrixXd::Zero(dim, dim);
    for (int p = 0; p < n; ++p) {
      const auto& sp = support[p];
      f(first[p]) = x[p].sum() - 1.0;
      for (size_t a = 0; a < sp.size(); ++a) j(first[p], first[p] + static_cast<int>(a)) = 1.0;
      for (size_t a = 1; a < sp.size(); ++a) {
        const int row = first[p] + static_cast<int>(a);
        f(row) = values.u[p](sp[a]) - values.u[p](sp[0]);
        for (int r = 0; r < n; ++r) {
          if (r == p) continue;
          for (size_t t = 0; t < support[r].size(); ++t) {
            j(row, first[r] + static_cast<int>(t)) =
                values.v[p][r](sp[a], support[r][t]) - values.v[p][r](sp[0], support[r][t]);
          }
        }
      }
    }
    if (f.lpNorm<Eigen::Infinity>() <= 1e-14 * (1.0 + values.u[0].cwiseAbs().maxCoeff())) break;
    const Eigen::VectorXd dx = j.fullPivLu().solve(-f);
    if (!dx.allFinite()) return {};
    for (int p = 0; p < n; ++p) {
      for (size_t a = 0; a < support[p].size(); ++a) {
        x[p](support[p][a]) += dx(first[p] + static_cast<int>(a));
      }
    }
  }
  for (int p = 0; p < n; ++p) {
    if (!x[p].allFinite() || x[p].minCoeff() < -1e-12) return {};
    x[p] = x[p].cwiseMax(0.0);
    const double total = x[p].sum();
    if (!(total > 0.5 && total < 1.5)) return {};
    x[p] /= total;
  }
  return x;
}

// The homotopy H(x, lambda) = 0 in log-probabilities x (one block of k_p
// entries per player): for each player, sum_s exp(x_s) = 1, and for each
// strategy s > 0, x_s - x_0 = lambda (u_s - u_0).
class LogitHomotopy {
 public:
  explicit LogitHomotopy(const GameView& game) : game_(game), space_(*game.space) {
    const int n = space_.num_players();
    first_.resize(n + 1, 0);
    for (int p = 0; p < n; ++p) first_[p + 1] = first_[p] + space_.num_strategies(p);
    for (int p = 0; p < n; ++p) {
      for (int64_t q = 0; q < space_.num_profiles(); ++q) {
        scale_ = std::max(scale_, std::abs(game.Payoff(q, p)));
      }
    }
  }

  int size() const { return first_.back(); }
  double payoff_scale() const { return 1.0 + scale_; }

  MixedProfile Profile(const Eigen::VectorXd& x) const {
    MixedProfile sigma;
    for (int p = 0; p + 1 < static_cast<int>(first_.size()); ++p) {
      sigma.push_back(x.segment(first_[p], first_[p + 1] - first_[p]).array().exp().matrix());
    }
    return sigma;
  }

  Eigen::VectorXd Centroid() const {
    Eigen::VectorXd x(size());
    for (int p = 0; p + 1 < static_cast<int>(first_.size()); ++p) {
      const int k = first_[p + 1] - first_[p];
      x.segment(first_[p], k).setConstant(-std::log(static_cast<double>(k)));
    }
    return x;
  }

  // H at z = (x, lambda), and when `jacobian` is given, dH/dz (K x K+1).
  Eigen::VectorXd Evaluate(const Eigen::VectorXd& z, Eigen::MatrixXd* jacobian) const {
    const int k_total = size();
    const int n = space_.num_players();
    const double lambda = z(k_total);
    const MixedProfile sigma = Profile(z.head(k_total));
    ComputeValues(game_, sigma, jacobian != nullptr, values_);
    const auto& u = values_.u;
    const auto& v = values_.v;

    Eigen::VectorXd h(k_total);
    if (jacobian) jacobian->setZero(k_total, k_total + 1);
    for (int p = 0; p < n; ++p) {
      const int base = first_[p];
      const int k = space_.num_strategies(p);
      h(base) = sigma[p].sum() - 1.0;
      for (int a = 1; a < k; ++a) {
        h(base + a) = z(base + a) - z(base) - lambda * (u[p](a) - u[p](0));
      }
      if (!jacobian) continue;
      Eigen::MatrixXd& j = *jacobian;
      for (int a = 0; a < k; ++a) j(base, base + a) = sigma[p](a);
      for (int a = 1; a < k; ++a) {
        j(base + a, base + a) = 1.0;
        j(base + a, base) = -1.0;
        j(base + a, k_total) = -(u[p](a) - u[p](0));
        for (int r = 0; r < n; ++r) {
          if (r == p) continue;
          for (int t = 0; t < space_.num_strategies(r); ++t) {
            j(base + a, first_[r] + t) = -lambda * (v[p][r](a, t) - v[p][r](0, t)) * sigma[r](t);
          }
        }
      }
    }
    return h;
  }

 private:
  const GameView& game_;
  const ProfileSpace& space_;
  std::vector<int> first_;
  double scale_ = 0.0;
  mutable Values values_;  // scratch, reused by Evaluate
};

// Newton's method on x with lambda fixed.
bool CorrectAtLambda(const LogitHomotopy& h, Eigen::VectorXd& z, double tolerance) {
  const int k = h.size();
  Eigen::MatrixXd jac;
  for (int it = 0; it < 50; ++it) {
    const Eigen::VectorXd r = h.Evaluate(z, &jac);
    if (r.lpNorm<Eigen::Infinity>() <= tolerance) return true;
    const Eigen::VectorXd dx = jac.leftCols(k).fullPivLu().solve(-r);
    if (!dx.allFinite()) return false;
    z.head(k) += dx;
  }
  return h.Evaluate(z, nullptr).lpNorm<Eigen::Infinity>() <= tolerance;
}

enum class Goal { kLambda, kNash };

StatusOr<QreResult> Follow(const GameView& game, Goal goal, double target,
                           const QreOptions& options) {
  std::string why;
  if (!options.IsValid(&why)) return InvalidArgument(why);
  const LogitHomotopy h(game);
  const int k = h.size();
  QreResult result;
  Eigen::VectorXd z(k + 1);
  z << h.Centroid(), 0.0;
  auto finish = [&](const Eigen::VectorXd& at, std::string termination) {
    result.lambda = at(k);
    result.profile = Evaluate(game, h.Profile(at.head(k)));
    result.termination = std::move(termination);
    return result;
  };
  if (goal == Goal::kLambda && target == 0.0) return finish(z, "reached lambda");

  const double nash_target = options.nash_tolerance * h.payoff_scale();
  Eigen::MatrixXd jac;
  Eigen::VectorXd previous_tangent;
  double step = options.initial_step;
  for (result.steps = 0; result.steps < options.max_steps; ++result.steps) {
    h.Evaluate(z, &jac);
    // The tangent: the null vector of the K x (K+1) Jacobian, from the QR
    // factorisation of its transpose; oriented to continue the path.
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(jac.transpose());
    const Eigen::MatrixXd q = qr.householderQ();
    Eigen::VectorXd tangent = q.col(k);
    if (previous_tangent.size() == 0 ? tangent(k) < 0 : tangent.dot(previous_tangent) < 0) {
      tangent = -tangent;
    }
    // Predictor-corrector with step control.
    Eigen::VectorXd next;
    bool accepted = false;
    while (!accepted) {
      if (step < 1e-12) return Internal("the logit path could not be followed (step too small)");
      next = z + step * tangent;
      bool converged = false;
      for (int it = 0; it < 8; ++it) {
        Eigen::MatrixXd jn;
        const Eigen::VectorXd r = h.Evaluate(next, &jn);
        if (!r.allFinite()) break;
        if (r.lpNorm<Eigen::Infinity>() <= options.corrector_tolerance) {
          converged = true;
          break;
        }
        // Newton correction orthogonal to the tangent: [J; t^T] dz = [-r; 0].
        Eigen::MatrixXd augmented(k + 1, k + 1);
        augmented.topRows(k) = jn;
        augmented.row(k) = tangent.transpose();
        Eigen::VectorXd rhs(k + 1);
        rhs << -r, 0.0;
        const Eigen::VectorXd dz = augmented.partialPivLu().solve(rhs);
        if (!dz.allFinite() || dz.norm() > 0.5 * step + 1e-6) break;
        next += dz;
      }
      if (converged && next(k) >= 0.0) {
        accepted = true;
      } else {
        step *= 0.5;
      }
    }
    previous_tangent = tangent;
    if (goal == Goal::kLambda && next(k) >= target) {
      // Land on the target: interpolate in lambda, then correct with lambda fixed.
      const double t = (target - z(k)) / (next(k) - z(k));
      Eigen::VectorXd at = z + t * (next - z);
      at(k) = target;
      if (!CorrectAtLambda(h, at, options.corrector_tolerance)) {
        return Internal("the logit path could not be followed to lambda = " +
                        std::to_string(target));
      }
      ++result.steps;
      return finish(at, "reached lambda");
    }
    z = next;
    if (goal == Goal::kNash) {
      const MixedEquilibrium e = Evaluate(game, h.Profile(z.head(k)));
      if (e.regret <= nash_target) return finish(z, "nash tolerance");
      // Near the limit the support is settled: solve for the exact
      // equilibrium on it, and accept it if its regret is within tolerance.
      if (e.regret <= 1e-2 * h.payoff_scale()) {
        const MixedProfile polished = PolishOnSupport(game, e.strategies);
        if (!polished.empty()) {
          MixedEquilibrium exact = Evaluate(game, polished);
          if (exact.regret <= nash_target) {
            result.lambda = z(k);
            result.profile = std::move(exact);
            result.termination = "nash tolerance (polished on the support)";
            return result;
          }
        }
      }
      if (z(k) >= options.max_lambda) return finish(z, "max lambda");
    }
    step = std::min(step * 1.6, options.max_step);
  }
  return finish(z, "max steps");
}

}  // namespace

bool QreOptions::IsValid(std::string* why) const {
  if (!(initial_step > 0 && max_step >= initial_step)) {
    *why = "QRE steps must satisfy 0 < initial_step <= max_step";
    return false;
  }
  if (!(corrector_tolerance > 0 && nash_tolerance > 0 && max_lambda > 0 && max_steps > 0)) {
    *why = "QRE tolerances, max_lambda and max_steps must be positive";
    return false;
  }
  return true;
}

StatusOr<QreResult> LogitQre(const GameView& game, double lambda, const QreOptions& options) {
  if (!(lambda >= 0.0) || !std::isfinite(lambda)) {
    return InvalidArgument("lambda must be a finite number >= 0");
  }
  return Follow(game, Goal::kLambda, lambda, options);
}

StatusOr<QreResult> LogitLimit(const GameView& game, const QreOptions& options) {
  return Follow(game, Goal::kNash, 0.0, options);
}

double QreResidual(const GameView& game, const MixedProfile& profile, double lambda) {
  const std::vector<Eigen::VectorXd> u = StrategyValues(game, profile);
  double worst = 0.0;
  for (size_t p = 0; p < profile.size(); ++p) {
    for (Eigen::Index a = 0; a < profile[p].size(); ++a) {
      const double residual =
          std::log(profile[p](a)) - std::log(profile[p](0)) - lambda * (u[p](a) - u[p](0));
      worst = std::max(worst, std::abs(residual));
    }
  }
  return worst;
}

}  // namespace parley
