#include "sim/solve/qre.h"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

namespace parley {
namespace {

// Each player's expected payoff u[p](s) for each pure strategy against the
// others' mixtures and, when `pairs`, v[p][r](s, t): p's expected payoff when
// p plays s and r plays t while the others mix. Flat arrays, sized once per
// game: U(p, s) and V(p, r, s, t). When `relative`, a player's own options
// are measured against option 0, which is all that the homotopy uses:
// U(p, s) = u[p](s + 1) - u[p](0) and V(p, r, s, t) = v[p][r](s + 1, t) -
// v[p][r](0, t) for s < k_p - 1, at (k_p - 1) / k_p of the work.
//
// Computed by contracting each player's dense payoff tensor (differences of
// payoffs when `relative`) with the others' mixtures one player at a time,
// sharing the partial sums between the pair values and u: about 3 *
// profiles multiply-adds per player for k = 3, instead of a weight product
// per profile and pair with scattered updates. Player p's tensor has p's
// own options fastest, then the others in increasing order, and the
// slowest remaining player is contracted first, so each contraction is a
// few long runs of multiply-adds.
class Values {
 public:
  Values(const GameView& game, bool relative) {
    const ProfileSpace& space = *game.space;
    n_ = space.num_players();
    const int64_t profiles = space.num_profiles();
    k_.resize(n_);
    own_.resize(n_);
    order_.resize(static_cast<size_t>(n_) * n_);
    stride_.resize(static_cast<size_t>(n_) * n_);
    tensor_.resize(n_);
    u_off_.assign(n_, 0);
    v_off_.assign(static_cast<size_t>(n_) * n_, 0);
    for (int p = 0; p < n_; ++p) {
      k_[p] = space.num_strategies(p);
      own_[p] = relative ? k_[p] - 1 : k_[p];
    }
    int u_size = 0, v_size = 0;
    int64_t tensor_size = 0;
    for (int p = 0; p < n_; ++p) {
      u_off_[p] = u_size;
      u_size += own_[p];
      for (int r = 0; r < n_; ++r) {
        if (r == p) continue;
        v_off_[p * n_ + r] = v_size;
        v_size += own_[p] * k_[r];
      }
      // Level l of p's tensor is player order_[p * n + l], with stride
      // stride_[p * n + l]: level 0 is p.
      int* const order = &order_[p * n_];
      int64_t* const stride = &stride_[p * n_];
      order[0] = p;
      stride[0] = 1;
      int64_t size = own_[p];
      for (int j = 0, l = 1; j < n_; ++j) {
        if (j == p) continue;
        order[l] = j;
        stride[l++] = size;
        size *= k_[j];
      }
      tensor_[p] = tensor_size;
      tensor_size += size;
    }
    u_.resize(u_size);
    v_.resize(v_size);
    payoff_.resize(tensor_size);
    // One pass over the profiles with a mixed-radix counter (no divisions):
    // strategy[j] is player j's option in profile q, and at[p] the entry of
    // q in p's tensor before p's own option is added.
    std::vector<int> strategy(n_, 0);
    std::vector<int64_t> at(n_, 0);
    for (int64_t q = 0; q < profiles; ++q) {
      for (int p = 0; p < n_; ++p) {
        const int s = strategy[p];
        if (relative && s == 0) continue;
        const double payoff = game.Payoff(q, p);
        payoff_[tensor_[p] + at[p] + (relative ? s - 1 : s)] =
            relative ? payoff - game.Payoff(q - s * space.stride(p), p) : payoff;
      }
      // Next profile: player j's option moves by one (the lower ones wrap
      // to 0), which moves p's entry by the stride of j's level there.
      for (int j = 0; j < n_; ++j) {
        const bool wrap = ++strategy[j] == k_[j];
        for (int p = 0; p < n_; ++p) {
          if (p == j) continue;
          const int64_t step = stride_[p * n_ + (j < p ? j + 1 : j)];
          at[p] += wrap ? -step * (k_[j] - 1) : step;
        }
        if (!wrap) break;
        strategy[j] = 0;
      }
    }
    scratch_.resize(static_cast<size_t>(n_) * profiles);
    scratch_level_ = profiles;
  }

  int k(int p) const { return k_[p]; }
  double U(int p, int s) const { return u_[u_off_[p] + s]; }
  double V(int p, int r, int s, int t) const { return v_[v_off_[p * n_ + r] + t * own_[p] + s]; }
  // V(p, r, s, t) at Pairs(p, r)[t * (own options of p) + s].
  const double* Pairs(int p, int r) const { return v_.data() + v_off_[p * n_ + r]; }

  // sigma[p][s]: player p's probability of s.
  void Compute(const double* const* sigma, bool pairs) {
    sigma_ = sigma;
    pairs_ = pairs;
    for (int p = 0; p < n_; ++p) Reduce(p, n_ - 1, payoff_.data() + tensor_[p], 1, -1);
  }

 private:
  // `in` holds `blocks` blocks of p's tensor's levels 0..l, with the levels
  // above l contracted except (r >= 0) player r, whose strategy indexes the
  // blocks. Each level's player is either contracted or, when no r is kept
  // yet and pairs are wanted, kept as r (a branch that shares the
  // contractions above l). Level 0's result, [r's strategy][p's], is V(p, r)
  // or (no r) U(p): the last contraction writes it there.
  void Reduce(int p, int l, const double* in, int64_t blocks, int r) {
    double* const result = r < 0 ? u_.data() + u_off_[p] : v_.data() + v_off_[p * n_ + r];
    if (l == 0) {
      if (in != result) std::copy(in, in + blocks * own_[p], result);
      return;
    }
    const int d = order_[p * n_ + l];
    if (pairs_ && r < 0) Reduce(p, l - 1, in, blocks * k_[d], d);
    // out[b, i] = sum_s sigma_d(s) in[b, s, i]. The scratch of level l is
    // free: `in` is the payoff tensor or a level above l.
    const int k = k_[d];
    const int64_t m = stride_[p * n_ + l];
    const double* const w = sigma_[d];
    double* const out = l == 1 ? result : scratch_.data() + l * scratch_level_;
    for (int64_t b = 0; b < blocks; ++b) {
      const double* const src = in + b * k * m;
      double* const dst = out + b * m;
      for (int64_t i = 0; i < m; ++i) dst[i] = w[0] * src[i];
      for (int s = 1; s < k; ++s) {
        for (int64_t i = 0; i < m; ++i) dst[i] += w[s] * src[s * m + i];
      }
    }
    Reduce(p, l - 1, out, blocks, r);
  }

  int n_ = 0;
  std::vector<int> k_;
  std::vector<int> own_;         // entries of p's own level in p's tensor
  std::vector<int> order_;       // order_[p * n + l]: the player of level l of p's tensor
  std::vector<int64_t> stride_;  // stride_[p * n + l]: of level l in p's tensor
  std::vector<int64_t> tensor_;  // p's tensor at payoff_[tensor_[p]]
  std::vector<int> u_off_;       // u_off_[p] + s
  std::vector<int> v_off_;       // v_off_[p * n + r] + t * own[p] + s
  std::vector<double> u_, v_;
  std::vector<double> payoff_;
  std::vector<double> scratch_;  // level l at l * scratch_level_
  int64_t scratch_level_ = 0;
  const double* const* sigma_ = nullptr;
  bool pairs_ = false;
};

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
  Values values(game, /*relative=*/false);
  std::vector<const double*> x_data(n);
  for (int p = 0; p < n; ++p) x_data[p] = x[p].data();
  double previous_norm = std::numeric_limits<double>::infinity();
  for (int it = 0; it < 30; ++it) {
    values.Compute(x_data.data(), true);
    Eigen::VectorXd f(dim);
    Eigen::MatrixXd j = Eigen::MatrixXd::Zero(dim, dim);
    double scale = 1.0;
    for (int p = 0; p < n; ++p) {
      const auto& sp = support[p];
      for (int a = 0; a < values.k(p); ++a) scale = std::max(scale, std::abs(values.U(p, a)));
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

// LU factorisation with partial pivoting of a small dense square matrix,
// row-major, its storage reused between factorisations: the path follower
// factors one (K+1) x (K+1) matrix per Newton step, a size at which Eigen's
// dynamic-size LU spends more time on bookkeeping than on arithmetic. The
// pivoting (the first largest |entry| of the column) and the elimination's
// arithmetic are Eigen's PartialPivLU's.
class SmallLu {
 public:
  explicit SmallLu(int n) : n_(n), a_(static_cast<size_t>(n) * n), perm_(n) {}

  int size() const { return n_; }
  // Row i of the matrix to factor (n entries); overwritten by Factor.
  double* Row(int i) { return &a_[static_cast<size_t>(i) * n_]; }

  void Factor() {
    negative_ = false;
    for (int c = 0; c < n_; ++c) {
      int pivot = c;
      double largest = std::abs(At(c, c));
      for (int i = c + 1; i < n_; ++i) {
        if (std::abs(At(i, c)) > largest) {
          largest = std::abs(At(i, c));
          pivot = i;
        }
      }
      perm_[c] = pivot;
      if (pivot != c) {
        std::swap_ranges(Row(c), Row(c) + n_, Row(pivot));
        negative_ = !negative_;
      }
      const double d = At(c, c);
      if (d < 0) negative_ = !negative_;
      // A zero pivot (a singular matrix) is left for Solve to turn into
      // non-finite values, which the callers check.
      if (d == 0) continue;
      const double* const row_c = Row(c);
      for (int i = c + 1; i < n_; ++i) {
        double* const row_i = Row(i);
        const double l = row_i[c] / d;
        row_i[c] = l;
        for (int j = c + 1; j < n_; ++j) row_i[j] -= l * row_c[j];
      }
    }
  }

  // b := A^-1 b, for the A last factored.
  void Solve(double* b) const {
    for (int c = 0; c < n_; ++c) std::swap(b[c], b[perm_[c]]);
    for (int i = 1; i < n_; ++i) {
      const double* const row = &a_[static_cast<size_t>(i) * n_];
      double total = b[i];
      for (int j = 0; j < i; ++j) total -= row[j] * b[j];
      b[i] = total;
    }
    for (int i = n_ - 1; i >= 0; --i) {
      const double* const row = &a_[static_cast<size_t>(i) * n_];
      double total = b[i];
      for (int j = i + 1; j < n_; ++j) total -= row[j] * b[j];
      b[i] = total / row[i];
    }
  }

  // Whether the determinant of the A last factored is negative (meaningful
  // for a nonsingular A).
  bool NegativeDeterminant() const { return negative_; }

 private:
  double& At(int i, int j) { return a_[static_cast<size_t>(i) * n_ + j]; }

  int n_;
  std::vector<double> a_;
  std::vector<int> perm_;  // row c was swapped with row perm_[c] (c <= perm_[c])
  bool negative_ = false;
};

// Solves [J; c^T] dz = b for the path's Jacobian J = dH/dz (K x K+1) and a
// row c (the tangent). Player p's row first[p] of J, the derivative of
// sum_s exp(x_s) - 1, is p's probabilities in p's own columns and zero
// elsewhere, so each player's column of its most probable option is
// eliminated with that row directly (the multipliers sigma_s / sigma_max
// are at most 1: entries grow at most twofold), leaving an LU of size
// K+1-n, a third of the arithmetic of the full one at 4 players x 3
// options. The solution is that of the full system up to rounding.
class PathSystem {
 public:
  explicit PathSystem(const std::vector<int>& first)
      : first_(first),
        n_(static_cast<int>(first.size()) - 1),
        columns_(first.back() + 1),
        full_(static_cast<size_t>(columns_) * columns_),
        pivot_(n_),
        column_of_(columns_ - n_),
        row_of_(columns_ - n_),
        ratio_(columns_),
        pivot_of_(columns_ - n_),
        reduced_ratio_(columns_ - n_),
        reduced_b_(columns_ - n_),
        sum_b_(n_),
        scaled_b_(n_),
        lu_(columns_ - n_) {
    int i = 0;
    for (int row = 0, p = 0; row < columns_; ++row) {
      if (p < n_ && row == first_[p]) {
        ++p;
      } else {
        row_of_[i++] = row;
      }
    }
  }

  int size() const { return columns_; }
  // Row i of [J; c^T] (K+1 entries): J's rows 0..K-1, c's row K. Factor and
  // Solve leave the rows as they are.
  double* Row(int i) { return &full_[static_cast<size_t>(i) * columns_]; }

  void Factor() {
    bool odd = false;  // det [J; c^T] = (-1)^(sum of pivots) prod(sigma_max) det(reduced)
    for (int p = 0; p < n_; ++p) {
      const double* const sigma = Row(first_[p]) + first_[p];
      const int k = first_[p + 1] - first_[p];
      int m = 0;
      for (int a = 1; a < k; ++a) {
        if (sigma[a] > sigma[m]) m = a;
      }
      pivot_[p] = first_[p] + m;
      odd ^= (m & 1) != 0;
      for (int a = 0; a < k; ++a) ratio_[first_[p] + a] = sigma[a] / sigma[m];
    }
    odd_ = odd;
    // The reduced columns: J's x columns but the pivots, each with its
    // player's pivot column and ratio, then lambda's.
    int j = 0;
    for (int p = 0; p < n_; ++p) {
      for (int column = first_[p]; column < first_[p + 1]; ++column) {
        if (column == pivot_[p]) continue;
        column_of_[j] = column;
        pivot_of_[j] = pivot_[p];
        reduced_ratio_[j] = ratio_[column];
        ++j;
      }
    }
    column_of_[j] = columns_ - 1;
    const int reduced = columns_ - n_;
    for (int i = 0; i < reduced; ++i) {
      const double* const in = Row(row_of_[i]);
      double* const out = lu_.Row(i);
      for (int j = 0; j + 1 < reduced; ++j) {
        out[j] = in[column_of_[j]] - in[pivot_of_[j]] * reduced_ratio_[j];
      }
      out[reduced - 1] = in[columns_ - 1];
    }
    lu_.Factor();
  }

  // b := [J; c^T]^-1 b (K+1 entries), for the matrix last factored.
  void Solve(double* b) {
    const int reduced = columns_ - n_;
    for (int p = 0; p < n_; ++p) {
      sum_b_[p] = b[first_[p]];
      scaled_b_[p] = sum_b_[p] / Row(first_[p])[pivot_[p]];
    }
    for (int i = 0; i < reduced; ++i) {
      const double* const in = Row(row_of_[i]);
      double total = b[row_of_[i]];
      for (int p = 0; p < n_; ++p) total -= in[pivot_[p]] * scaled_b_[p];
      reduced_b_[i] = total;
    }
    lu_.Solve(reduced_b_.data());
    for (int j = 0; j < reduced; ++j) b[column_of_[j]] = reduced_b_[j];
    // Each player's sum row gives the entry of its eliminated column.
    for (int p = 0; p < n_; ++p) {
      const double* const sigma = Row(first_[p]);
      double total = sum_b_[p];
      for (int column = first_[p]; column < first_[p + 1]; ++column) {
        if (column != pivot_[p]) total -= sigma[column] * b[column];
      }
      b[pivot_[p]] = total / sigma[pivot_[p]];
    }
  }

  // Whether det [J; c^T] of the matrix last factored is negative
  // (meaningful where it is nonsingular).
  bool NegativeDeterminant() const { return lu_.NegativeDeterminant() != odd_; }

 private:
  std::vector<int> first_;
  int n_;
  int columns_;                          // K+1
  std::vector<double> full_;             // [J; c^T], row-major
  std::vector<int> pivot_;               // per player: the eliminated column
  std::vector<int> column_of_, row_of_;  // the reduced system's columns and rows in the full one
  std::vector<double> ratio_;            // sigma_s / sigma_max per column of J's x part
  std::vector<int> pivot_of_;            // per reduced column: its player's pivot column
  std::vector<double> reduced_ratio_;    // per reduced column: its ratio
  std::vector<double> reduced_b_, sum_b_, scaled_b_;  // Solve's scratch
  SmallLu lu_;
  bool odd_ = false;
};

// The homotopy H(x, lambda) = 0 in log-probabilities x (one block of k_p
// entries per player): for each player, sum_s exp(x_s) = 1, and for each
// strategy s > 0, x_s - x_0 = lambda (u_s - u_0).
class LogitHomotopy {
 public:
  explicit LogitHomotopy(const GameView& game)
      : space_(*game.space), values_(game, /*relative=*/true), sigma_data_(space_.num_players()) {
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
  // Player p's entries of x: first()[p] to first()[p + 1] - 1.
  const std::vector<int>& first() const { return first_; }
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

  // H at z = (x, lambda), and when `jacobian` is given, dH/dz into it: K
  // rows of K+1 entries, row-major and contiguous. The result is scratch of
  // this object, valid until the next call.
  const Eigen::VectorXd& Evaluate(const Eigen::VectorXd& z, double* jacobian) const {
    const int k_total = size();
    const int n = space_.num_players();
    const double lambda = z(k_total);
    sigma_ = z.head(k_total).array().exp();
    const double* const sigma = sigma_.data();
    for (int p = 0; p < n; ++p) sigma_data_[p] = sigma + first_[p];
    values_.Compute(sigma_data_.data(), jacobian != nullptr);
    const Values& values = values_;

    Eigen::VectorXd& h = h_;
    h.resize(k_total);
    const int columns = k_total + 1;
    if (jacobian) std::fill(jacobian, jacobian + static_cast<size_t>(k_total) * columns, 0.0);
    for (int p = 0; p < n; ++p) {
      const int base = first_[p];
      const int k = space_.num_strategies(p);
      h(base) = sigma_.segment(base, k).sum() - 1.0;
      for (int a = 1; a < k; ++a) {
        h(base + a) = z(base + a) - z(base) - lambda * values.U(p, a - 1);
      }
      if (!jacobian) continue;
      double* const sum_row = jacobian + static_cast<size_t>(base) * columns;
      for (int a = 0; a < k; ++a) sum_row[base + a] = sigma[base + a];
      double* const rows = sum_row + columns;  // option a + 1's row at rows + a * columns
      for (int a = 0; a + 1 < k; ++a) {
        double* const row = rows + static_cast<size_t>(a) * columns;
        row[base + a + 1] = 1.0;
        row[base] = -1.0;
        row[k_total] = -values.U(p, a);
      }
      for (int r = 0; r < n; ++r) {
        if (r == p) continue;
        const double* pair = values.Pairs(p, r);
        for (int t = first_[r]; t < first_[r + 1]; ++t, pair += k - 1) {
          for (int a = 0; a + 1 < k; ++a) {
            rows[static_cast<size_t>(a) * columns + t] = -lambda * pair[a] * sigma[t];
          }
        }
      }
    }
    return h;
  }

  // The probabilities exp(x) of the point last evaluated.
  const Eigen::VectorXd& probabilities() const { return sigma_; }

 private:
  const ProfileSpace& space_;
  std::vector<int> first_;
  double scale_ = 0.0;
  // Scratch reused by Evaluate: no allocation per call.
  mutable Values values_;          // relative to each player's option 0
  mutable Eigen::VectorXd sigma_;  // all players' probabilities, player blocks as in x
  mutable std::vector<const double*> sigma_data_;
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

// Newton's method on x with lambda fixed: J_x dx = -r, solved as
// [J_x J_lambda; e_lambda^T] (dx, dlambda) = (-r, 0) by PathSystem, or with
// Eigen's full-pivoting LU where that system is singular (then it keeps to
// the part of the step that the rank allows).
bool CorrectAtLambda(const LogitHomotopy& h, PathSystem& system, Eigen::VectorXd& z,
                     double tolerance) {
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const int k = h.size();
  Eigen::VectorXd dz(k + 1);
  for (int it = 0; it < 50; ++it) {
    const Eigen::VectorXd& r = h.Evaluate(z, system.Row(0));
    if (r.lpNorm<Eigen::Infinity>() <= Tolerance(h, z, tolerance)) return true;
    std::fill(system.Row(k), system.Row(k) + k, 0.0);
    system.Row(k)[k] = 1.0;
    system.Factor();
    dz << -r, 0.0;
    system.Solve(dz.data());
    if (!dz.allFinite()) {
      // J is still in the system's first rows: Factor and Solve keep them.
      const RowMajor jac = Eigen::Map<const RowMajor>(system.Row(0), k, k + 1).leftCols(k);
      dz.head(k) = jac.fullPivLu().solve(-r);
    }
    if (!dz.head(k).allFinite()) return false;
    z.head(k) += dz.head(k);
  }
  return h.Evaluate(z, nullptr).lpNorm<Eigen::Infinity>() <= Tolerance(h, z, tolerance);
}

// The unit tangent of the path at the point whose Jacobian dH/dz (K x K+1)
// fills the first K rows of `lu`, oriented to continue in the direction of
// `previous`: v solves [J; previous^T] v = e_{K+1}, so J v = 0 and
// previous . v = 1 > 0. Returns false where that matrix is singular
// (previous orthogonal to the path, or J rank deficient). `orientation`:
// the sign of det [J; tangent^T] (see kFlipStep), which is that of
// det [J; previous^T] when previous . tangent > 0 (the determinant is linear
// in the last row, and the part of `previous` orthogonal to the tangent lies
// in J's row space). (Orienting the tangent by that sign would fail at the
// symmetry-breaking bifurcations of symmetric games, where it changes and
// the branch goes straight on.)
bool Tangent(PathSystem& lu, const Eigen::VectorXd& previous, Eigen::VectorXd& tangent,
             double& orientation) {
  const int k = lu.size() - 1;
  std::copy(previous.data(), previous.data() + k + 1, lu.Row(k));
  lu.Factor();
  tangent = Eigen::VectorXd::Unit(k + 1, k);
  lu.Solve(tangent.data());
  if (!tangent.allFinite()) return false;
  tangent.normalize();
  orientation = lu.NegativeDeterminant() ? -1.0 : 1.0;
  return true;
}

// How far a correction dz at z moves the profile and lambda: the largest
// change of a log-probability weighted by its probability (so that options
// that are hardly played, whose log-probabilities run off to -infinity in
// proportion to lambda, do not count), or of lambda relative to 1 + lambda.
// `probability`: exp of z's log-probabilities.
double Moved(const Eigen::VectorXd& z, const Eigen::VectorXd& probability,
             const Eigen::VectorXd& dz) {
  const Eigen::Index k = z.size() - 1;
  double moved = std::abs(dz(k)) / (1.0 + std::abs(z(k)));
  for (Eigen::Index i = 0; i < k; ++i) {
    moved = std::max(moved, std::abs(dz(i)) * std::min(1.0, probability(i)));
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
  auto end = [&result](Termination reason) {
    result.reason = reason;
    result.termination = TerminationName(reason);
    result.converged = Converged(reason);
  };
  auto finish = [&](const Eigen::VectorXd& at, Termination reason) {
    result.lambda = at(k);
    result.profile = Evaluate(game, h.Profile(at.head(k)));
    result.path = result.profile.strategies;
    end(reason);
    return result;
  };
  if (goal == Goal::kLambda && target == 0.0) return finish(z, Termination::kReachedLambda);

  const double nash_target = options.nash_tolerance * h.payoff_scale();
  // [J; tangent^T] for the corrector and the tangent, J written in place by
  // Evaluate; it and the vectors below are reused: no allocation per step.
  PathSystem lu(h.first());
  h.Evaluate(z, lu.Row(0));
  // At the centroid the path leaves towards larger lambda.
  Eigen::VectorXd tangent(k + 1);
  double orientation = 1.0;
  if (!Tangent(lu, Eigen::VectorXd::Unit(k + 1, k), tangent, orientation)) {
    return Internal("the logit path could not be started at the centroid");
  }

  // The last polished candidate for the limit (see kPolishDistance).
  std::vector<std::vector<int>> candidate_support;
  MixedProfile candidate;
  double candidate_distance = 0.0;

  double step = options.initial_step;
  Eigen::VectorXd next(k + 1), next_tangent(k + 1), dz(k + 1);
  for (result.steps = 0; result.steps < options.max_steps; ++result.steps) {
    // Predictor-corrector with step control.
    bool accepted = false;
    while (!accepted) {
      if (step < 1e-12) return Internal("the logit path could not be followed (step too small)");
      next = z + step * tangent;
      bool converged = false;
      double previous_norm = 0.0;
      for (int it = 0; it < 10; ++it) {
        const Eigen::VectorXd& r = h.Evaluate(next, lu.Row(0));
        if (!r.allFinite()) break;
        if (r.lpNorm<Eigen::Infinity>() <= Tolerance(h, next, options.corrector_tolerance)) {
          converged = true;
          break;
        }
        // Newton correction orthogonal to the tangent: [J; t^T] dz = [-r; 0].
        std::copy(tangent.data(), tangent.data() + k + 1, lu.Row(k));
        lu.Factor();
        dz << -r, 0.0;
        lu.Solve(dz.data());
        const double norm = dz.norm();
        if (!dz.allFinite() || norm > kMaxRelativeCorrection * step + 1e-6 ||
            Moved(next, h.probabilities(), dz) > kMaxCorrection ||
            (it > 0 && norm > kMaxContraction * previous_norm)) {
          break;
        }
        previous_norm = norm;
        next += dz;
      }
      if (converged && next(k) >= 0.0) {
        // The Jacobian at `next` is still in lu's first K rows.
        double next_orientation = 0.0;
        accepted = Tangent(lu, tangent, next_tangent, next_orientation) &&
                   next_tangent.dot(tangent) >= kMinCosine;
        if (accepted && next_orientation != orientation) {
          if (step > kFlipStep) {
            accepted = false;
          } else {
            orientation = next_orientation;
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
      if (!CorrectAtLambda(h, lu, at, options.corrector_tolerance)) {
        return Internal("the logit path could not be followed to lambda = " +
                        std::to_string(target));
      }
      ++result.steps;
      return finish(at, Termination::kReachedLambda);
    }
    z = next;
    tangent = next_tangent;
    if (goal == Goal::kNash) {
      const MixedEquilibrium e = Evaluate(game, h.Profile(z.head(k)));
      if (e.regret <= nash_target) return finish(z, Termination::kNashTolerance);
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
            end(Termination::kPolishedOnSupport);
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
      if (z(k) >= options.max_lambda) return finish(z, Termination::kMaxLambda);
    }
    // Far out the path is nearly a straight ray (log-probabilities linear in
    // lambda), so the steps may grow with the distance from the origin.
    step = std::min(step * 1.6, std::max(options.max_step, 0.25 * z.lpNorm<Eigen::Infinity>()));
  }
  return finish(z, Termination::kMaxSteps);
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
