#include "sim/scenario/copula.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "sim/core/distribution.h"

namespace parley {
namespace {

// Rounding slack when checking a correlation matrix (its entries are given
// to a few digits, so real inconsistencies are far larger).
constexpr double kTolerance = 1e-9;
// Forced events less likely than this are refused: rejection would need
// about 1 / p draws per sample.
constexpr double kMinForcedProbability = 1e-3;
constexpr int kPilotDraws = 100000;
// A safety stop for the rejection loop; with p >= 1e-3 it is never reached
// (the chance is below 1e-400).
constexpr int kMaxAttempts = 1 << 22;

std::string Fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// Where a pair's latent correlation comes from, for messages.
struct PairOrigin {
  std::string what;  // "`correlations`" or "factor f" or "factors f, g"
  SourceLoc loc;
};

double MinEigenvalue(const Eigen::MatrixXd& m) {
  if (m.rows() == 0) return 1.0;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(m, Eigen::EigenvaluesOnly);
  return solver.eigenvalues().minCoeff();
}

// The Cholesky factor of a positive semi-definite R: Eigen's LLT, or where R
// is singular (a loading of 1, a correlation of +-1) the same recurrence
// with zero pivots skipped.
Eigen::MatrixXd CholeskyFactor(const Eigen::MatrixXd& r) {
  Eigen::LLT<Eigen::MatrixXd> llt(r);
  if (llt.info() == Eigen::Success) return llt.matrixL();
  const Eigen::Index n = r.rows();
  Eigen::MatrixXd l = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    const double d = r(j, j) - l.row(j).head(j).squaredNorm();
    if (d <= 1e-10) continue;  // this latent is a combination of earlier ones
    l(j, j) = std::sqrt(d);
    for (Eigen::Index i = j + 1; i < n; ++i) {
      l(i, j) = (r(i, j) - l.row(i).head(j).dot(l.row(j).head(j))) / l(j, j);
    }
  }
  return l;
}

}  // namespace

StatusOr<ArgumentCopula> BuildArgumentCopula(const ScenarioSpec& spec) {
  ArgumentCopula out;
  if (!spec.correlated()) return out;
  const int n = static_cast<int>(spec.arguments.size());
  auto id = [&](int g) { return spec.arguments[g].id; };
  // Each argument's loadings: their squares are the share of its latent's
  // variance the factors explain, at most 1.
  std::vector<double> explained(n, 0.0);
  std::vector<std::vector<std::string>> loading_text(n);
  std::vector<SourceLoc> last_loading(n);
  for (const FactorSpec& f : spec.factors) {
    for (size_t k = 0; k < f.loadings.size(); ++k) {
      const auto [g, lambda] = f.loadings[k];
      explained[g] += lambda * lambda;
      loading_text[g].push_back(f.id + " " + Fmt(lambda));
      last_loading[g] = f.loading_locs[k];
    }
  }
  for (int g = 0; g < n; ++g) {
    if (explained[g] > 1.0 + kTolerance) {
      std::string list;
      for (const auto& t : loading_text[g]) list += (list.empty() ? "" : ", ") + t;
      return InvalidArgument(last_loading[g].ToString() + ": error: the loadings of argument " +
                             id(g) + " (" + list + ") have squares summing to " +
                             Fmt(explained[g]) +
                             ", over 1: the factors would explain more than all of its "
                             "latent variance; make them smaller");
    }
  }
  // The full matrix, then its rows and columns of correlated arguments.
  Eigen::MatrixXd full = Eigen::MatrixXd::Identity(n, n);
  std::map<std::pair<int, int>, PairOrigin> origin;
  for (const FactorSpec& f : spec.factors) {
    for (size_t a = 0; a < f.loadings.size(); ++a) {
      for (size_t b = a + 1; b < f.loadings.size(); ++b) {
        int i = f.loadings[a].first, j = f.loadings[b].first;
        const double c = f.loadings[a].second * f.loadings[b].second;
        full(i, j) += c;
        full(j, i) += c;
        if (i > j) std::swap(i, j);
        PairOrigin& o = origin[{i, j}];
        o.what += (o.what.empty() ? "factor " : ", ") + f.id;
        o.loc = f.loading_locs[b];
      }
    }
  }
  for (const CorrelationSpec& c : spec.correlations) {
    full(c.first, c.second) = full(c.second, c.first) = c.rho;
    origin[{c.first, c.second}] = {"`correlations`", c.loc};
  }
  for (int g = 0; g < n; ++g) {
    for (int h = 0; h < n; ++h) {
      if (g != h && full(g, h) != 0.0) {
        out.members.push_back(g);
        break;
      }
    }
  }
  const int m = static_cast<int>(out.members.size());
  out.correlation.resize(m, m);
  for (int a = 0; a < m; ++a) {
    for (int b = 0; b < m; ++b) out.correlation(a, b) = full(out.members[a], out.members[b]);
  }
  if (MinEigenvalue(out.correlation) < -kTolerance) {
    // Name a smallest inconsistent set: three arguments whose correlations
    // cannot hold together, else the first argument (in file order) whose
    // row makes the leading block inconsistent.
    std::vector<int> culprits;
    for (int a = 0; a < m && culprits.empty(); ++a) {
      for (int b = a + 1; b < m && culprits.empty(); ++b) {
        for (int c = b + 1; c < m && culprits.empty(); ++c) {
          const double x = out.correlation(a, b), y = out.correlation(a, c),
                       z = out.correlation(b, c);
          if (1 + 2 * x * y * z - x * x - y * y - z * z < -kTolerance) culprits = {a, b, c};
        }
      }
    }
    if (culprits.empty()) {
      for (int j = 1; j < m && culprits.empty(); ++j) {
        if (MinEigenvalue(out.correlation.topLeftCorner(j + 1, j + 1)) < -kTolerance) {
          for (int i = 0; i <= j; ++i) culprits.push_back(i);
        }
      }
    }
    Eigen::MatrixXd sub(culprits.size(), culprits.size());
    std::string names, entries;
    SourceLoc where;
    for (size_t a = 0; a < culprits.size(); ++a) {
      const int ga = out.members[culprits[a]];
      names += (a == 0 ? "" : a + 1 == culprits.size() ? " and " : ", ") + id(ga);
      for (size_t b = 0; b < culprits.size(); ++b) {
        sub(a, b) = out.correlation(culprits[a], culprits[b]);
        const int gb = out.members[culprits[b]];
        if (b <= a || sub(a, b) == 0.0) continue;
        const PairOrigin& o = origin[{std::min(ga, gb), std::max(ga, gb)}];
        entries += std::string(entries.empty() ? "" : "; ") + id(ga) + "~" + id(gb) + " " +
                   Fmt(sub(a, b)) + " (" + o.what + ", " + o.loc.ToString() + ")";
        if (o.loc.line > where.line || where.file.empty()) where = o.loc;
      }
    }
    return InvalidArgument(where.ToString() + ": error: the correlations of arguments " + names +
                           " cannot hold together: their correlation matrix is not positive "
                           "semi-definite (smallest eigenvalue " +
                           Fmt(MinEigenvalue(sub)) + "): " + entries +
                           ". Weaken one of them (for three arguments with correlations x, y, "
                           "z: 1 + 2xyz - x^2 - y^2 - z^2 must be at least 0)");
  }
  out.factor = CholeskyFactor(out.correlation);
  return out;
}

namespace {
// Uniform() can give exactly 0; the clamp keeps the latent finite.
double ClampUniform(double u) { return std::clamp(u, 0x1.0p-60, 1.0 - 0x1.0p-53); }
}  // namespace

// Distribution::Quantile of normal(0, 1), 0 + 1 x, without the steps that
// change no bit (x is never -0 here).
double HoldsCopula::Latent(double u) { return StandardNormalQuantile(ClampUniform(u)); }

void HoldsCopula::Latents(double* z, int n) {
  for (int i = 0; i < n; ++i) z[i] = ClampUniform(z[i]);
  StandardNormalQuantiles(z, z, n);
}

StatusOr<HoldsCopula> HoldsCopula::Make(const ScenarioSpec& spec, ArgumentCopula copula,
                                        const std::vector<ArgumentMode>& modes) {
  HoldsCopula h;
  h.copula_ = std::move(copula);
  h.member_of_.assign(spec.arguments.size(), -1);
  const int m = h.num_members();
  if (m == 0) return h;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::string> forced;
  for (int i = 0; i < m; ++i) {
    const int g = h.copula_.members[i];
    h.member_of_[g] = i;
    const double c = spec.arguments[g].credence;
    h.threshold_.push_back(c <= 0.0 ? -inf : c >= 1.0 ? inf : Latent(c));
    h.credence_.push_back(c);
    const ArgumentMode mode = g < static_cast<int>(modes.size()) ? modes[g] : ArgumentMode::kDrawn;
    h.mode_.push_back(mode);
    h.hold_probability_.push_back(mode == ArgumentMode::kForcedOn    ? 1.0
                                  : mode == ArgumentMode::kForcedOff ? 0.0
                                                                     : c);
    if (mode != ArgumentMode::kDrawn) {
      h.conditioned_ = true;
      forced.push_back((mode == ArgumentMode::kForcedOn ? "--with " : "--without ") +
                       spec.arguments[g].id);
    }
  }
  // An input matters when it moves the latent of a drawn member whose
  // credence is strictly between 0 and 1.
  h.input_matters_.assign(m, false);
  for (int j = 0; j < m; ++j) {
    for (int i = 0; i < m; ++i) {
      const double c = spec.arguments[h.copula_.members[i]].credence;
      if (h.mode_[i] == ArgumentMode::kDrawn && c > 0.0 && c < 1.0 &&
          h.copula_.factor(i, j) != 0.0) {
        h.input_matters_[j] = true;
      }
    }
  }
  if (!h.conditioned_) return h;
  if (forced.size() == 1) {
    // Given x_a, the others are Gaussian with mean R_ia x_a and covariance
    // R - R_a R_a^T (row and column a zero: x_a is known).
    for (int i = 0; i < m; ++i) {
      if (h.mode_[i] != ArgumentMode::kDrawn) h.single_forced_ = i;
    }
    const int a = h.single_forced_;
    h.conditional_mean_ = h.copula_.correlation.col(a);
    Eigen::MatrixXd s =
        h.copula_.correlation - h.conditional_mean_ * h.conditional_mean_.transpose();
    s.row(a).setZero();
    s.col(a).setZero();
    h.conditional_factor_ = CholeskyFactor(s);
  }
  // Pilot draws from a fixed stream: how likely the forced event is (with
  // several forced, refused when rejection would be slow) and each member's
  // conditional hold probability (for the mean game).
  SampleRng rng(0x636f70756c61ULL, 0, RngStream::kCopula);
  std::vector<double> z(m), x(m);
  std::vector<int64_t> holds(m, 0);
  int64_t accepted = 0;
  for (int t = 0; t < kPilotDraws; ++t) {
    if (h.single_forced_ >= 0) {
      h.DrawConditional(rng, z.data(), x.data());
    } else {
      for (int i = 0; i < m; ++i) z[i] = rng.Normal();
      h.Correlate(z.data(), x.data());
      if (!h.Accepts(x.data())) continue;
    }
    ++accepted;
    for (int i = 0; i < m; ++i) holds[i] += x[i] < h.threshold_[i];
  }
  const double p = static_cast<double>(accepted) / kPilotDraws;
  if (p < kMinForcedProbability) {
    std::string list;
    for (const auto& f : forced) list += (list.empty() ? "" : ", ") + f;
    return InvalidArgument(
        "forcing " + list + ": under the scenario's correlated credences this happens in " +
        std::to_string(accepted) + " of " + std::to_string(kPilotDraws) +
        " draws (under 1 in 1000); a run conditioned on it would be all rejections. Force fewer "
        "arguments, or ones the correlations make less unlikely together");
  }
  for (int i = 0; i < m; ++i) {
    if (h.mode_[i] == ArgumentMode::kDrawn) {
      h.hold_probability_[i] = static_cast<double>(holds[i]) / static_cast<double>(accepted);
    }
  }
  return h;
}

bool HoldsCopula::Accepts(const double* x) const {
  for (int i = 0; i < num_members(); ++i) {
    if (mode_[i] == ArgumentMode::kForcedOn && !(x[i] < threshold_[i])) return false;
    if (mode_[i] == ArgumentMode::kForcedOff && x[i] < threshold_[i]) return false;
  }
  return true;
}

void HoldsCopula::Correlate(const double* z, double* x) const {
  // x = L z, row by row in a fixed order (the same sums on every thread).
  const Eigen::MatrixXd& l = copula_.factor;
  for (int i = 0; i < num_members(); ++i) {
    double s = 0.0;
    for (int j = 0; j <= i; ++j) s += l(i, j) * z[j];
    x[i] = s;
  }
}

void HoldsCopula::DrawConditional(SampleRng& extra, double* z, double* x) const {
  const int m = num_members();
  if (single_forced_ < 0) {
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      for (int i = 0; i < m; ++i) z[i] = extra.Normal();
      Correlate(z, x);
      if (Accepts(x)) return;
    }
    return;
  }
  // The forced latent by the inverse CDF on its range, then the others.
  const int a = single_forced_;
  const double c = credence_[a], u = extra.UniformOpen();
  const double xa = Latent(mode_[a] == ArgumentMode::kForcedOn ? u * c : c + u * (1.0 - c));
  for (int i = 0; i < m; ++i) z[i] = extra.Normal();
  const Eigen::MatrixXd& l = conditional_factor_;
  for (int i = 0; i < m; ++i) {
    double s = conditional_mean_[i] * xa;
    for (int j = 0; j <= i; ++j) s += l(i, j) * z[j];
    x[i] = s;
  }
  x[a] = xa;
}

void HoldsCopula::Resolve(double* z, const SampleRng* rng, uint8_t* holds) const {
  const int m = num_members();
  thread_local std::vector<double> x;
  x.resize(static_cast<size_t>(m));
  Correlate(z, x.data());
  if (conditioned_ && !Accepts(x.data())) {
    SampleRng extra = rng->Substream(static_cast<uint32_t>(RngStream::kCopula));
    DrawConditional(extra, z, x.data());
  }
  for (int i = 0; i < m; ++i) {
    const int g = copula_.members[i];
    switch (mode_[i]) {
      case ArgumentMode::kDrawn:
        holds[g] = x[i] < threshold_[i];
        break;
      case ArgumentMode::kForcedOn:
        holds[g] = 1;
        break;
      case ArgumentMode::kForcedOff:
        holds[g] = 0;
        break;
    }
  }
}

}  // namespace parley
