#include "sim/solve/qre.h"

#include <Eigen/QR>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

namespace parley {
namespace {

// Each player's expected payoff u[p](s) for each pure strategy against the
// others' mixtures and, when `pairs`, v[p][r](s, t): p's expected payoff when
// p plays s and r plays t while the others mix. Flat arrays (no allocation
// once sized for a game): U(p, s) and V(p, r, s, t).
struct Values {
  int n = 0;
  std::vector<int> k;      // strategies per player
  std::vector<int> u_off;  // u_off[p] + s
  std::vector<int> v_off;  // v_off[p * n + r] + s * k[r] + t
  std::vector<double> u, v;

  double U(int p, int s) const { return u[u_off[p] + s]; }
  double V(int p, int r, int s, int t) const { return v[v_off[p * n + r] + s * k[r] + t]; }
};

// The sums of ComputeValues. Per profile: the product of everyone's
// probabilities except one player (prefix x suffix), or except two (prefix x
// middle x suffix), so the cost is O(n^2) per profile, and each unordered
// pair's weight serves both players' pair values. N > 0: exactly N players,
// in local arrays so that the loops over players unroll; N = 0: any number.
template <int N>
void AccumulateValues(const GameView& game, const MixedProfile& sigma, bool pairs, Values& out) {
  const ProfileSpace& space = *game.space;
  const int n = N > 0 ? N : space.num_players();
  double* const u = out.u.data();
  double* const v = out.v.data();
  constexpr int kSize = N > 0 ? N : 1;
  std::array<int, kSize> s_fixed{}, k_fixed{}, u_off_fixed{};
  std::array<int, kSize * kSize> v_off_fixed{};
  std::array<double, kSize> w_fixed{}, payoff_fixed{};
  std::array<double, kSize + 1> prefix_fixed{}, suffix_fixed{};
  std::array<const double*, kSize> sig_fixed{};
  std::vector<int> s_any, k_any, u_off_any, v_off_any;
  std::vector<double> w_any, payoff_any, prefix_any, suffix_any;
  std::vector<const double*> sig_any;
  auto pick = [](auto& fixed, auto& any, size_t size) {
    if (N > 0) return fixed.data();
    any.resize(size);
    return any.data();
  };
  int* const s = pick(s_fixed, s_any, n);
  int* const k = pick(k_fixed, k_any, n);
  int* const u_off = pick(u_off_fixed, u_off_any, n);
  int* const v_off = pick(v_off_fixed, v_off_any, static_cast<size_t>(n) * n);
  double* const w = pick(w_fixed, w_any, n);
  double* const payoff = pick(payoff_fixed, payoff_any, n);
  double* const prefix = pick(prefix_fixed, prefix_any, n + 1);
  double* const suffix = pick(suffix_fixed, suffix_any, n + 1);
  const double** const sig = pick(sig_fixed, sig_any, n);
  for (int j = 0; j < n; ++j) {
    s[j] = 0;
    k[j] = out.k[j];
    u_off[j] = out.u_off[j];
    sig[j] = sigma[j].data();
    for (int r = 0; r < n; ++r) v_off[j * n + r] = out.v_off[j * n + r];
  }
  const double* const table = game.table;
  const int32_t* offset = game.offset;
  for (int64_t q = 0; q < space.num_profiles(); ++q, offset += n) {
    prefix[0] = 1.0;
    for (int j = 0; j < n; ++j) {
      w[j] = sig[j][s[j]];
      prefix[j + 1] = prefix[j] * w[j];
      payoff[j] = table[offset[j]];
    }
    suffix[n] = 1.0;
    for (int j = n - 1; j >= 0; --j) suffix[j] = suffix[j + 1] * w[j];
    for (int p = 0; p < n; ++p) u[u_off[p] + s[p]] += prefix[p] * suffix[p + 1] * payoff[p];
    if (pairs) {
      for (int p = 0; p < n; ++p) {
        double middle = 1.0;
        for (int r = p + 1; r < n; ++r) {
          const double rest = prefix[p] * middle * suffix[r + 1];
          v[v_off[p * n + r] + s[p] * k[r] + s[r]] += rest * payoff[p];
          v[v_off[r * n + p] + s[r] * k[p] + s[p]] += rest * payoff[r];
          middle *= w[r];
        }
      }
    }
    for (int p = 0; p < n && ++s[p] == k[p]; ++p) s[p] = 0;
  }
}

// Fills `out` (reusing its storage between calls on the same game).
void ComputeValues(const GameView& game, const MixedProfile& sigma, bool pairs, Values& out) {
  const ProfileSpace& space = *game.space;
  const int n = space.num_players();
  if (out.n != n || static_cast<int>(out.k.size()) != n) {
    out.n = n;
    out.k.resize(n);
    out.u_off.assign(n, 0);
    out.v_off.assign(static_cast<size_t>(n) * n, 0);
    int u_size = 0, v_size = 0;
    for (int p = 0; p < n; ++p) {
      out.k[p] = space.num_strategies(p);
      out.u_off[p] = u_size;
      u_size += out.k[p];
    }
    for (int p = 0; p < n; ++p) {
      for (int r = 0; r < n; ++r) {
        if (r == p) continue;
        out.v_off[p * n + r] = v_size;
        v_size += out.k[p] * out.k[r];
      }
    }
    out.u.resize(u_size);
    out.v.resize(v_size);
  }
  std::fill(out.u.begin(), out.u.end(), 0.0);
  if (pairs) std::fill(out.v.begin(), out.v.end(), 0.0);
  switch (n) {  // the common sizes with the loops over players unrolled
    case 2:
      AccumulateValues<2>(game, sigma, pairs, out);
      break;
    case 3:
      AccumulateValues<3>(game, sigma, pairs, out);
      break;
    case 4:
      AccumulateValues<4>(game, sigma, pairs, out);
      break;
    case 5:
      AccumulateValues<5>(game, sigma, pairs, out);
      break;
    default:
      AccumulateValues<0>(game, sigma, pairs, out);
  }
}

// Each player's options with at least `threshold` times the player's largest
// probability: the support on which PolishOnSupport solves.
std::vector<std::vector<int>> SupportOf(const MixedProfile& sigma, double threshold) {
  std::vector<std::vector<int>> support(sigma.size());
  for (size_t p = 0; p < sigma.size(); ++p) {
    const double largest = sigma[p].maxCoeff();
    for (Eigen::Index s = 0; s < sigma[p].size(); ++s) {
      if (sigma[p](s) >= threshold * largest) support[p].push_back(static_cast<int>(s));
    }
  }
  return support;
}

double MaxAbsDifference(const MixedProfile& a, const MixedProfile& b) {
  double d = 0.0;
  for (size_t p = 0; p < a.size(); ++p) d = std::max(d, (a[p] - b[p]).lpNorm<Eigen::Infinity>());
  return d;
}

// Newton's method for an exact Nash equilibrium on `support`, started from
// `sigma` restricted to it: probabilities sum to 1 and the supported
// strategies earn equal payoffs. Returns the polished profile, or an empty
// profile when Newton fails or the result is not a probability vector.
MixedProfile PolishOnSupport(const GameView& game, const MixedProfile& sigma,
                             const std::vector<std::vector<int>>& support) {
  const int n = static_cast<int>(sigma.size());
  std::vector<int> first(n + 1, 0);
  for (int p = 0; p < n; ++p) first[p + 1] = first[p] + static_cast<int>(support[p].size());
  MixedProfile x(n);
  for (int p = 0; p < n; ++p) {
    x[p] = Eigen::VectorXd::Zero(sigma[p].size());
    for (int s : support[p]) x[p](s) = sigma[p](s);
    x[p] /= x[p].sum();
  }
  const int dim = first[n];
  Values values;
  double previous_norm = std::numeric_limits<double>::infinity();
  for (int it = 0; it < 30; ++it) {
    ComputeValues(game, x, true, values);
    Eigen::VectorXd f(dim);
    Eigen::MatrixXd j = Eigen::MatrixXd::Zero(dim, dim);
    double scale = 1.0;
    for (int p = 0; p < n; ++p) {
      const auto& sp = support[p];
      for (int a = 0; a < values.k[p]; ++a) scale = std::max(scale, std::abs(values.U(p, a)));
      f(first[p]) = x[p].sum() - 1.0;
      for (size_t a = 0; a < sp.size(); ++a) j(first[p], first[p] + static_cast<int>(a)) = 1.0;
      for (size_t a = 1; a < sp.size(); ++a) {
        const int row = first[p] + static_cast<int>(a);
        f(row) = values.U(p, sp[a]) - values.U(p, sp[0]);
        for (int r = 0; r < n; ++r) {
          if (r == p) continue;
          for (size_t t = 0; t < support[r].size(); ++t) {
            j(row, first[r] + static_cast<int>(t)) =
                values.V(p, r, sp[a], support[r][t]) - values.V(p, r, sp[0], support[r][t]);
          }
        }
      }
    }
    const double norm = f.lpNorm<Eigen::Infinity>();
    if (norm <= 1e-14 * scale) break;
    // Newton from a nearby start converges fast; one that stalls has reached
    // rounding, or is on a singular system (a degenerate game) or far from a
    // solution: the caller's regret check tells which.
    if (it >= 2 && norm > 0.5 * previous_norm) break;
    previous_norm = norm;
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
  // The result is scratch of this object, valid until the next call.
  const Eigen::VectorXd& Evaluate(const Eigen::VectorXd& z, Eigen::MatrixXd* jacobian) const {
    const int k_total = size();
    const int n = space_.num_players();
    const double lambda = z(k_total);
    sigma_.resize(n);
    for (int p = 0; p < n; ++p) {
      sigma_[p] = z.segment(first_[p], first_[p + 1] - first_[p]).array().exp().matrix();
    }
    const MixedProfile& sigma = sigma_;
    ComputeValues(game_, sigma, jacobian != nullptr, values_);
    const Values& values = values_;

    Eigen::VectorXd& h = h_;
    h.resize(k_total);
    if (jacobian) jacobian->setZero(k_total, k_total + 1);
    for (int p = 0; p < n; ++p) {
      const int base = first_[p];
      const int k = space_.num_strategies(p);
      h(base) = sigma[p].sum() - 1.0;
      for (int a = 1; a < k; ++a) {
        h(base + a) = z(base + a) - z(base) - lambda * (values.U(p, a) - values.U(p, 0));
      }
      if (!jacobian) continue;
      Eigen::MatrixXd& j = *jacobian;
      for (int a = 0; a < k; ++a) j(base, base + a) = sigma[p](a);
      for (int a = 1; a < k; ++a) {
        j(base + a, base + a) = 1.0;
        j(base + a, base) = -1.0;
        j(base + a, k_total) = -(values.U(p, a) - values.U(p, 0));
        for (int r = 0; r < n; ++r) {
          if (r == p) continue;
          for (int t = 0; t < space_.num_strategies(r); ++t) {
            j(base + a, first_[r] + t) =
                -lambda * (values.V(p, r, a, t) - values.V(p, r, 0, t)) * sigma[r](t);
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
  // Scratch reused by Evaluate: no allocation per call.
  mutable Values values_;
  mutable MixedProfile sigma_;
  mutable Eigen::VectorXd h_;
};

// The residual |H| that rounding allows at z: H's rows subtract terms of
// size |x| and lambda * |payoff|, so the corrector's absolute tolerance is
// relaxed in proportion once those terms are large (very large lambda).
double Tolerance(const LogitHomotopy& h, const Eigen::VectorXd& z, double tolerance) {
  const int k = h.size();
  const double magnitude = z.head(k).lpNorm<Eigen::Infinity>() + z(k) * h.payoff_scale();
  return std::max(tolerance, 32 * std::numeric_limits<double>::epsilon() * magnitude);
}

// Newton's method on x with lambda fixed.
bool CorrectAtLambda(const LogitHomotopy& h, Eigen::VectorXd& z, double tolerance) {
  const int k = h.size();
  Eigen::MatrixXd jac;
  for (int it = 0; it < 50; ++it) {
    const Eigen::VectorXd& r = h.Evaluate(z, &jac);
    if (r.lpNorm<Eigen::Infinity>() <= Tolerance(h, z, tolerance)) return true;
    const Eigen::VectorXd dx = jac.leftCols(k).fullPivLu().solve(-r);
    if (!dx.allFinite()) return false;
    z.head(k) += dx;
  }
  return h.Evaluate(z, nullptr).lpNorm<Eigen::Infinity>() <= Tolerance(h, z, tolerance);
}

// The sign of det [jac; tangent^T] (see kFlipStep).
double OrientationOf(const Eigen::MatrixXd& jac, const Eigen::VectorXd& tangent) {
  const Eigen::Index k = jac.rows();
  Eigen::MatrixXd augmented(k + 1, k + 1);
  augmented.topRows(k) = jac;
  augmented.row(k) = tangent.transpose();
  return augmented.partialPivLu().determinant() >= 0 ? 1.0 : -1.0;
}

// The unit tangent of the path where dH/dz = `jac` (K x K+1): the null vector
// of the Jacobian, from the QR factorisation of its transpose, oriented to
// continue in the direction of `previous`. (Orienting it by the sign of
// det [jac; tangent^T] would fail at the symmetry-breaking bifurcations of
// symmetric games, where that sign changes and the branch goes straight on.)
Eigen::VectorXd Tangent(const Eigen::MatrixXd& jac, const Eigen::VectorXd& previous) {
  const Eigen::Index k = jac.rows();
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(jac.transpose());
  Eigen::VectorXd tangent = qr.householderQ() * Eigen::VectorXd::Unit(k + 1, k);
  if (tangent.dot(previous) < 0) tangent = -tangent;
  return tangent;
}

// How far a correction dz at z moves the profile and lambda: the largest
// change of a log-probability weighted by its probability (so that options
// that are hardly played, whose log-probabilities run off to -infinity in
// proportion to lambda, do not count), or of lambda relative to 1 + lambda.
double Moved(const Eigen::VectorXd& z, const Eigen::VectorXd& dz) {
  const Eigen::Index k = z.size() - 1;
  double moved = std::abs(dz(k)) / (1.0 + std::abs(z(k)));
  for (Eigen::Index i = 0; i < k; ++i) {
    moved = std::max(moved, std::abs(dz(i)) * std::min(1.0, std::exp(z(i))));
  }
  return moved;
}

// Step control of the predictor-corrector (after Allgower and Georg): a step
// is accepted only if Newton's first correction is at most
// kMaxRelativeCorrection times the step long and moves the profile by at most
// kMaxCorrection (Moved), each correction is at most kMaxContraction of the
// one before, and the tangent turns by less than acos(kMinCosine); otherwise
// the step is halved.
constexpr double kMaxRelativeCorrection = 0.5;
constexpr double kMaxCorrection = 0.5;
constexpr double kMaxContraction = 0.6;
constexpr double kMinCosine = 0.7;
// The sign of det [J; tangent^T] is the same all along a path, through
// turning points in lambda too. Where the principal branch turns sharply
// because another branch passes close by (near a bifurcation), a step can
// land on that other branch, which has the opposite sign: such a step is
// retried shorter. Only a step shorter than kFlipStep may change the sign, as
// the path must at a true bifurcation (in symmetric games such as Battle of
// the Sexes, where the principal branch goes straight on).
constexpr double kFlipStep = 1e-6;

// The logit limit: a profile polished on the path's support is accepted only
// if it lies within kPolishDistance (and within kPolishRelative times the
// smallest probability the path point gives an option of that support) of
// the path point, and the polish at the next path point finds the same
// profile, closer. Otherwise Newton on the support may land on another
// equilibrium with that support than the one the path converges to.
constexpr double kPolishDistance = 1e-2;
constexpr double kPolishRelative = 0.1;
constexpr double kPolishAgreement = 1e-8;

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
  auto finish = [&](const Eigen::VectorXd& at, std::string termination, bool converged) {
    result.lambda = at(k);
    result.profile = Evaluate(game, h.Profile(at.head(k)));
    result.path = result.profile.strategies;
    result.termination = std::move(termination);
    result.converged = converged;
    return result;
  };
  if (goal == Goal::kLambda && target == 0.0) return finish(z, "reached lambda", true);

  const double nash_target = options.nash_tolerance * h.payoff_scale();
  Eigen::MatrixXd jac;
  h.Evaluate(z, &jac);
  // At the centroid the path leaves towards larger lambda.
  Eigen::VectorXd tangent = Tangent(jac, Eigen::VectorXd::Unit(k + 1, k));
  double orientation = OrientationOf(jac, tangent);

  // The last polished candidate for the limit (see kPolishDistance).
  std::vector<std::vector<int>> candidate_support;
  MixedProfile candidate;
  double candidate_distance = 0.0;

  double step = options.initial_step;
  Eigen::MatrixXd jn;
  Eigen::MatrixXd augmented(k + 1, k + 1);
  Eigen::VectorXd rhs(k + 1);
  Eigen::PartialPivLU<Eigen::MatrixXd> lu(k + 1);  // reused: no allocation per solve
  for (result.steps = 0; result.steps < options.max_steps; ++result.steps) {
    // Predictor-corrector with step control.
    Eigen::VectorXd next, next_tangent;
    bool accepted = false;
    while (!accepted) {
      if (step < 1e-12) return Internal("the logit path could not be followed (step too small)");
      next = z + step * tangent;
      bool converged = false;
      double previous_norm = 0.0;
      for (int it = 0; it < 10; ++it) {
        const Eigen::VectorXd& r = h.Evaluate(next, &jn);
        if (!r.allFinite()) break;
        if (r.lpNorm<Eigen::Infinity>() <= Tolerance(h, next, options.corrector_tolerance)) {
          converged = true;
          break;
        }
        // Newton correction orthogonal to the tangent: [J; t^T] dz = [-r; 0].
        augmented.topRows(k) = jn;
        augmented.row(k) = tangent.transpose();
        rhs << -r, 0.0;
        lu.compute(augmented);
        const Eigen::VectorXd dz = lu.solve(rhs);
        const double norm = dz.norm();
        if (!dz.allFinite() || norm > kMaxRelativeCorrection * step + 1e-6 ||
            Moved(next, dz) > kMaxCorrection ||
            (it > 0 && norm > kMaxContraction * previous_norm)) {
          break;
        }
        previous_norm = norm;
        next += dz;
      }
      if (converged && next(k) >= 0.0) {
        next_tangent = Tangent(jn, tangent);
        accepted = next_tangent.dot(tangent) >= kMinCosine;
        if (accepted) {
          const double next_orientation = OrientationOf(jn, next_tangent);
          if (next_orientation != orientation) {
            if (step > kFlipStep) {
              accepted = false;
            } else {
              orientation = next_orientation;
            }
          }
        }
      }
      if (!accepted) step *= 0.5;
    }
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
      return finish(at, "reached lambda", true);
    }
    z = next;
    tangent = next_tangent;
    if (goal == Goal::kNash) {
      const MixedEquilibrium e = Evaluate(game, h.Profile(z.head(k)));
      if (e.regret <= nash_target) return finish(z, "nash tolerance", true);
      // Near the limit, solve for the exact equilibrium on the path's
      // support; accept it once it is close to the path point and confirmed
      // by the next one (kPolishDistance).
      bool keep = false;
      if (e.regret <= 1e-2 * h.payoff_scale()) {
        // On the path, ln(s(a) / s(best)) = -lambda * (payoff gap of a): an
        // option the limit does not use has a gap that stays positive, so its
        // probability falls exponentially in lambda; one it uses keeps a
        // bounded ratio, which may be small. The support is taken as the
        // options above 1e-3 of the best, and failing that, above a threshold
        // that shrinks with lambda. (The first leaves out options that a
        // degenerate game keeps tied with the best, whose probability falls
        // only like 1 / lambda; the second catches small probabilities.)
        std::vector<std::vector<int>> tried;
        for (const double threshold : {1e-3, 1e-3 / (1.0 + z(k) * h.payoff_scale())}) {
          std::vector<std::vector<int>> support = SupportOf(e.strategies, threshold);
          if (!tried.empty() && support == tried) break;
          tried = support;
          MixedProfile polished = PolishOnSupport(game, e.strategies, support);
          if (polished.empty()) continue;
          MixedEquilibrium exact = Evaluate(game, polished);
          double smallest = 1.0;
          for (size_t p = 0; p < support.size(); ++p) {
            for (int s : support[p]) smallest = std::min(smallest, e.strategies[p](s));
          }
          const double distance = MaxAbsDifference(polished, e.strategies);
          if (!(exact.regret <= nash_target && distance <= kPolishDistance &&
                distance <= kPolishRelative * smallest)) {
            continue;
          }
          if (!candidate.empty() && support == candidate_support &&
              MaxAbsDifference(polished, candidate) <= kPolishAgreement &&
              distance < candidate_distance) {
            result.lambda = z(k);
            result.profile = std::move(exact);
            result.path = e.strategies;
            result.termination = "nash tolerance (polished on the support)";
            result.converged = true;
            return result;
          }
          candidate_support = std::move(support);
          candidate = std::move(polished);
          candidate_distance = distance;
          keep = true;
          break;
        }
      }
      if (!keep) candidate.clear();
      if (z(k) >= options.max_lambda) return finish(z, "max lambda", false);
    }
    // Far out the path is nearly a straight ray (log-probabilities linear in
    // lambda), so the steps may grow with the distance from the origin.
    step = std::min(step * 1.6, std::max(options.max_step, 0.25 * z.lpNorm<Eigen::Infinity>()));
  }
  return finish(z, "max steps", false);
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
  if (lambda > options.max_lambda) {
    // Beyond it, lambda times a payoff difference loses the information that
    // the profile depends on, in double precision.
    char text[160];
    std::snprintf(text, sizeof text,
                  "lambda must be at most %g (for the Nash equilibrium that a large lambda "
                  "approaches, use the logit limit)",
                  options.max_lambda);
    return InvalidArgument(text);
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
