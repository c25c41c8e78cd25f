#include "sim/core/distribution.h"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <sstream>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parley {
namespace {

std::string Fmt(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

// The triangular distribution's inverse CDF at u (lo < hi). The product
// under the square root overflows for widths above about 1e154; then it is
// taken as a product of two roots (the usual form is kept wherever it is
// finite, so draws stay what they were).
double TriangularInverse(double lo, double mode, double hi, double u) {
  const double split = (mode - lo) / (hi - lo);
  if (u < split) {
    const double area = u * (hi - lo) * (mode - lo);
    if (std::isfinite(area)) return lo + std::sqrt(area);
    return std::min(hi, lo + std::sqrt(u * (hi - lo)) * std::sqrt(mode - lo));
  }
  const double area = (1.0 - u) * (hi - lo) * (hi - mode);
  if (std::isfinite(area)) return hi - std::sqrt(area);
  // (Rounding in the two roots could step past lo.)
  return std::max(lo, hi - std::sqrt((1.0 - u) * (hi - lo)) * std::sqrt(hi - mode));
}

}  // namespace

const std::vector<std::string>& Distribution::FamilyNames() {
  static const std::vector<std::string> kNames = {"normal", "uniform", "triangular", "beta",
                                                  "lognormal"};
  return kNames;
}

StatusOr<Distribution::Kind> Distribution::KindFromName(std::string_view name) {
  if (name == "normal") return Kind::kNormal;
  if (name == "uniform") return Kind::kUniform;
  if (name == "triangular") return Kind::kTriangular;
  if (name == "beta") return Kind::kBeta;
  if (name == "lognormal") return Kind::kLognormal;
  return NotFound("unknown distribution '" + std::string(name) + "'");
}

std::string_view Distribution::KindName(Kind kind) {
  switch (kind) {
    case Kind::kConstant:
      return "constant";
    case Kind::kNormal:
      return "normal";
    case Kind::kUniform:
      return "uniform";
    case Kind::kTriangular:
      return "triangular";
    case Kind::kBeta:
      return "beta";
    case Kind::kLognormal:
      return "lognormal";
  }
  return "?";
}

Distribution Distribution::Constant(double value) {
  Distribution d;
  d.kind_ = Kind::kConstant;
  d.p_[0] = value;
  d.n_params_ = 1;
  return d;
}

StatusOr<Distribution> Distribution::Make(Kind kind, const std::vector<double>& params) {
  const std::string name(KindName(kind));
  for (double x : params) {
    if (!std::isfinite(x)) return InvalidArgument(name + " parameters must be finite numbers");
    // Within this bound every draw, quantile and width (high - low) below
    // stays finite (scenario files allow far less: +-1e9).
    if (std::abs(x) > kMaxParameter) {
      return InvalidArgument(name + " parameters must be between -1e300 and 1e300, got " + Fmt(x));
    }
  }
  auto expect = [&](size_t n, const char* shape) -> Status {
    if (params.size() != n) {
      return InvalidArgument(name + " takes " + shape + ", got " + std::to_string(params.size()) +
                             " number(s)");
    }
    return OkStatus();
  };
  switch (kind) {
    case Kind::kConstant:
      PARLEY_RETURN_IF_ERROR(expect(1, "[value]"));
      break;
    case Kind::kNormal:
      PARLEY_RETURN_IF_ERROR(expect(2, "[mean, sd]"));
      if (params[1] < 0) return InvalidArgument("normal sd must be >= 0, got " + Fmt(params[1]));
      break;
    case Kind::kUniform:
      PARLEY_RETURN_IF_ERROR(expect(2, "[low, high]"));
      if (params[0] > params[1]) {
        return InvalidArgument("uniform low must be <= high, got [" + Fmt(params[0]) + ", " +
                               Fmt(params[1]) + "]");
      }
      break;
    case Kind::kTriangular:
      PARLEY_RETURN_IF_ERROR(expect(3, "[low, mode, high]"));
      if (!(params[0] <= params[1] && params[1] <= params[2])) {
        return InvalidArgument("triangular needs low <= mode <= high, got [" + Fmt(params[0]) +
                               ", " + Fmt(params[1]) + ", " + Fmt(params[2]) + "]");
      }
      break;
    case Kind::kBeta:
      if (params.size() != 2 && params.size() != 4) {
        return InvalidArgument("beta takes [alpha, beta] or [alpha, beta, low, high], got " +
                               std::to_string(params.size()) + " number(s)");
      }
      if (params[0] <= 0 || params[1] <= 0) {
        return InvalidArgument("beta shapes must be > 0, got [" + Fmt(params[0]) + ", " +
                               Fmt(params[1]) + "]");
      }
      // Below the minimum, log(u) / shape in the small-shape gamma draw
      // overflows; above the maximum, Boost's inverse CDF can take minutes.
      if (params[0] < kMinBetaShape || params[1] < kMinBetaShape || params[0] > kMaxBetaShape ||
          params[1] > kMaxBetaShape) {
        return InvalidArgument("beta shapes must be between 1e-300 and 1e9, got [" +
                               Fmt(params[0]) + ", " + Fmt(params[1]) + "]");
      }
      if (params.size() == 4 && !(params[2] < params[3])) {
        return InvalidArgument("beta low must be < high, got [" + Fmt(params[2]) + ", " +
                               Fmt(params[3]) + "]");
      }
      break;
    case Kind::kLognormal:
      PARLEY_RETURN_IF_ERROR(expect(2, "[mu, sigma]"));
      if (params[1] < 0) {
        return InvalidArgument("lognormal sigma must be >= 0, got " + Fmt(params[1]));
      }
      // exp(mu + sigma * z) must stay finite for every normal draw z.
      if (params[0] > 50 || params[1] > 10) {
        return InvalidArgument(
            "lognormal needs mu <= 50 and sigma <= 10 (larger values "
            "overflow), got [" +
            Fmt(params[0]) + ", " + Fmt(params[1]) + "]");
      }
      break;
  }
  Distribution d;
  d.kind_ = kind;
  d.n_params_ = static_cast<int>(params.size());
  for (size_t i = 0; i < params.size(); ++i) d.p_[i] = params[i];
  if (kind == Kind::kBeta && params.size() == 2) {
    d.p_[2] = 0.0;
    d.p_[3] = 1.0;
  }
  return d;
}

bool Distribution::is_random() const {
  switch (kind_) {
    case Kind::kConstant:
      return false;
    case Kind::kNormal:
      return p_[1] > 0;
    case Kind::kUniform:
      return p_[0] < p_[1];
    case Kind::kTriangular:
      return p_[0] < p_[2];
    case Kind::kBeta:
      return true;
    case Kind::kLognormal:
      return p_[1] > 0;
  }
  return false;
}

double Distribution::SupportMin() const {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  switch (kind_) {
    case Kind::kConstant:
      return p_[0];
    case Kind::kNormal:
      return p_[1] > 0 ? -kInf : p_[0];
    case Kind::kUniform:
    case Kind::kTriangular:
      return p_[0];
    case Kind::kBeta:
      return p_[2];
    case Kind::kLognormal:
      return p_[1] > 0 ? 0.0 : std::exp(p_[0]);
  }
  return -kInf;
}

double Distribution::SupportMax() const {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  switch (kind_) {
    case Kind::kConstant:
      return p_[0];
    case Kind::kNormal:
      return p_[1] > 0 ? kInf : p_[0];
    case Kind::kUniform:
      return p_[1];
    case Kind::kTriangular:
      return p_[2];
    case Kind::kBeta:
      return p_[3];
    case Kind::kLognormal:
      return p_[1] > 0 ? kInf : std::exp(p_[0]);
  }
  return kInf;
}

namespace {

// SampleGamma, and where its value underflows to 0 (shapes far below 1:
// U^(1/a) is below the smallest double), its logarithm from the same draws
// into *log_if_zero, so that a beta draw can still compare two such values.
double SampleGammaOrLog(double shape, SampleRng& rng, double* log_if_zero) {
  if (shape < 1.0) {
    // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a).
    const double u = rng.UniformOpen();
    const double g = SampleGamma(shape + 1.0, rng);
    const double x = g * std::pow(u, 1.0 / shape);
    if (x == 0.0) *log_if_zero = std::log(g) + std::log(u) / shape;
    return x;
  }
  return SampleGamma(shape, rng);  // never 0 for shapes >= 1
}

}  // namespace

double SampleGamma(double shape, SampleRng& rng) {
  if (shape < 1.0) {
    // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a).
    const double u = rng.UniformOpen();
    return SampleGamma(shape + 1.0, rng) * std::pow(u, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    double x, v;
    do {
      x = rng.Normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.UniformOpen();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double Distribution::Sample(SampleRng& rng) const {
  switch (kind_) {
    case Kind::kConstant:
      return p_[0];
    case Kind::kNormal:
      return p_[0] + p_[1] * rng.Normal();
    case Kind::kUniform:
      return p_[0] + (p_[1] - p_[0]) * rng.Uniform();
    case Kind::kTriangular:
      if (p_[0] == p_[2]) return p_[0];
      return TriangularInverse(p_[0], p_[1], p_[2], rng.Uniform());
    case Kind::kBeta: {
      double log_x = 0.0, log_y = 0.0;
      const double x = SampleGammaOrLog(p_[0], rng, &log_x);
      const double y = SampleGammaOrLog(p_[1], rng, &log_y);
      if (x + y > 0.0) return p_[2] + (p_[3] - p_[2]) * (x / (x + y));
      // Both gamma draws underflowed (tiny shapes): x / (x + y) from their
      // logarithms, 0 or 1 or between, never 0 / 0.
      return p_[2] + (p_[3] - p_[2]) * (1.0 / (1.0 + std::exp(log_y - log_x)));
    }
    case Kind::kLognormal:
      return std::exp(p_[0] + p_[1] * rng.Normal());
  }
  return 0.0;
}

namespace {

// Boost.Math errors become NaN instead of exceptions; every call below is
// given arguments inside its domain, so this only matters for bugs.
using MathPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;

// The standard normal's CDF is evaluated in double, not promoted to long
// double as Boost does by default: three times faster and still within a
// few ulps (distribution_test.cc checks it against the long double result).
using NormalPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::promote_double<false>>;

// Wichura's algorithm AS 241 (PPND16; Applied Statistics 37(3), 477-484,
// 1988): one rational function of degree 7 in each of three regions, with
// the paper's coefficients. It replaces Boost's quantile here because this
// is the hottest special function of a run (the latent of each correlated
// argument, every sample): 1.5 to 2.5 times faster than Boost's double
// evaluation (docs/benchmarks.md), at the same accuracy (within a few units
// in the last place of the long double result from 2^-1074 to 1 - 2^-53;
// distribution_test.cc checks it).
// AS 241's coefficients, lowest degree first: numerator and denominator of
// the central region (A, B), the near tail (C, D) and the far tail (E, F).
constexpr double kAs241[6][8] = {
    {3.3871328727963666080, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
     1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
     3.3430575583588128105e+4, 2.5090809287301226727e+3},
    {1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
     2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4,
     5.2264952788528545610e+3},
    {1.42343711074968357734, 4.63033784615654529590, 5.76949722146069140550, 3.64784832476320460504,
     1.27045825245236838258, 2.41780725177450611770e-1, 2.27238449892691845833e-2,
     7.74545014278341407640e-4},
    {1.0, 2.05319162663775882187, 1.67638483018380384940, 6.89767334985100004550e-1,
     1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
     1.05075007164441684324e-9},
    {6.65790464350110377720, 5.46378491116411436990, 1.78482653991729133580,
     2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
     2.71155556874348757815e-5, 2.01033439929228813265e-7},
    {1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
     7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
     2.04426310338993978564e-15}};

// Region k's rational function at r (Horner's rule, as in the paper).
inline double As241Ratio(int k, double r) {
  const double* a = kAs241[2 * k];
  const double* b = kAs241[2 * k + 1];
  double num = a[7], den = b[7];
  for (int i = 6; i >= 0; --i) {
    num = num * r + a[i];
    den = den * r + b[i];
  }
  return num / den;
}

}  // namespace

double StandardNormalQuantile(double u) {
  if (!(u > 0.0 && u < 1.0)) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    return u == 0.0 ? -kInf : u == 1.0 ? kInf : std::numeric_limits<double>::quiet_NaN();
  }
  const double q = u - 0.5;
  if (std::fabs(q) <= 0.425) return q * As241Ratio(0, 0.180625 - q * q);
  // The tails, in r = sqrt(-log(min(u, 1 - u))); 1 - u is exact for u > 1/2.
  const double r = std::sqrt(-std::log(q < 0.0 ? u : 1.0 - u));
  const double x = r <= 5.0 ? As241Ratio(1, r - 1.6) : As241Ratio(2, r - 5.0);
  return q < 0.0 ? -x : x;
}

void StandardNormalQuantiles(const double* u, double* out, int64_t n) {
  int64_t i = 0;
#if defined(__SSE2__)
  // Two at a time: the central region's Horner steps as mulpd and addpd,
  // the same IEEE operations as the scalar mulsd and addsd, so the same
  // bits; a lane in a tail (or outside (0, 1)) is redone by the scalar
  // function. Independent quantiles also overlap here, where calls one by
  // one wait on each other's long chains of multiplications.
  const __m128d half = _mm_set1_pd(0.5), limit = _mm_set1_pd(0.425);
  const __m128d r_at_0 = _mm_set1_pd(0.180625);
  const __m128d magnitude = _mm_castsi128_pd(_mm_set1_epi64x(0x7fffffffffffffff));
  const double* a = kAs241[0];
  const double* b = kAs241[1];
  for (; i + 2 <= n; i += 2) {
    const double u0 = u[i], u1 = u[i + 1];  // before the store, for out == u
    const __m128d q = _mm_sub_pd(_mm_set_pd(u1, u0), half);
    const int central = _mm_movemask_pd(_mm_cmple_pd(_mm_and_pd(q, magnitude), limit));
    const __m128d r = _mm_sub_pd(r_at_0, _mm_mul_pd(q, q));
    __m128d num = _mm_set1_pd(a[7]), den = _mm_set1_pd(b[7]);
    for (int k = 6; k >= 0; --k) {
      num = _mm_add_pd(_mm_mul_pd(num, r), _mm_set1_pd(a[k]));
      den = _mm_add_pd(_mm_mul_pd(den, r), _mm_set1_pd(b[k]));
    }
    _mm_storeu_pd(out + i, _mm_mul_pd(q, _mm_div_pd(num, den)));
    if (!(central & 1)) out[i] = StandardNormalQuantile(u0);
    if (!(central & 2)) out[i + 1] = StandardNormalQuantile(u1);
  }
#endif
  for (; i < n; ++i) out[i] = StandardNormalQuantile(u[i]);
}

namespace {

double StandardNormalCdf(double z) {
  return boost::math::cdf(boost::math::normal_distribution<double, NormalPolicy>(0.0, 1.0), z);
}

// The regularized incomplete beta function, NaN where Boost gives up.
double BetaCdf(double a, double b, double x) {
  try {
    return boost::math::ibeta(a, b, x, MathPolicy());
  } catch (const std::exception&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
}

// Beta(a, b)'s inverse CDF at u. Boost's Newton iteration throws or gives
// NaN for some extreme shapes (a large, b near 0, u near 0); there the CDF
// is bisected instead, down to adjacent doubles (about 1,100 steps at most).
// Elsewhere the result is Boost's, as it always was.
double BetaQuantile(double a, double b, double u) {
  double x = std::numeric_limits<double>::quiet_NaN();
  try {
    x = boost::math::ibeta_inv(a, b, u, MathPolicy());
  } catch (const std::exception&) {
  }
  if (x >= 0.0 && x <= 1.0) return x;
  double lo = 0.0, hi = 1.0;
  while (true) {
    const double mid = lo + 0.5 * (hi - lo);
    if (mid <= lo || mid >= hi) break;
    // NaN counts as "below u", moving toward 1, where the mass of such
    // shapes is.
    if (!(BetaCdf(a, b, mid) >= u)) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

}  // namespace

double Distribution::Quantile(double u) const {
  switch (kind_) {
    case Kind::kConstant:
      return p_[0];
    case Kind::kNormal:
      return p_[1] > 0 ? p_[0] + p_[1] * StandardNormalQuantile(u) : p_[0];
    case Kind::kUniform:
      return p_[0] + (p_[1] - p_[0]) * u;
    case Kind::kTriangular:
      // The same inversion Sample() uses.
      if (p_[0] == p_[2]) return p_[0];
      return TriangularInverse(p_[0], p_[1], p_[2], u);
    case Kind::kBeta:
      return p_[2] + (p_[3] - p_[2]) * BetaQuantile(p_[0], p_[1], u);
    case Kind::kLognormal:
      return std::exp(p_[0] + (p_[1] > 0 ? p_[1] * StandardNormalQuantile(u) : 0.0));
  }
  return 0.0;
}

double Distribution::Cdf(double x) const {
  if (x < SupportMin()) return 0.0;
  if (x >= SupportMax()) return 1.0;
  switch (kind_) {
    case Kind::kConstant:
      return 1.0;  // x >= value was handled above
    case Kind::kNormal:
      return StandardNormalCdf((x - p_[0]) / p_[1]);
    case Kind::kUniform:
      return (x - p_[0]) / (p_[1] - p_[0]);
    case Kind::kTriangular: {
      const double lo = p_[0], mode = p_[1], hi = p_[2];
      // As ratios where the squares overflow (widths above about 1e154).
      if (x <= mode) {
        if (!(mode > lo)) return 0.0;
        const double c = (x - lo) * (x - lo) / ((hi - lo) * (mode - lo));
        return std::isfinite(c) ? c : ((x - lo) / (hi - lo)) * ((x - lo) / (mode - lo));
      }
      const double c = (hi - x) * (hi - x) / ((hi - lo) * (hi - mode));
      return 1.0 - (std::isfinite(c) ? c : ((hi - x) / (hi - lo)) * ((hi - x) / (hi - mode)));
    }
    case Kind::kBeta:
      return BetaCdf(p_[0], p_[1], (x - p_[2]) / (p_[3] - p_[2]));
    case Kind::kLognormal:
      return x > 0 ? StandardNormalCdf((std::log(x) - p_[0]) / p_[1]) : 0.0;
  }
  return 0.0;
}

int Distribution::FixedUnits() const {
  switch (kind_) {
    case Kind::kConstant:
      return 0;
    case Kind::kUniform:
      return 1;
    case Kind::kTriangular:
      return p_[0] == p_[2] ? 0 : 1;
    default:
      return -1;
  }
}

double Distribution::Mean() const {
  switch (kind_) {
    case Kind::kConstant:
    case Kind::kNormal:
      return p_[0];
    case Kind::kUniform:
      return 0.5 * (p_[0] + p_[1]);
    case Kind::kTriangular:
      return (p_[0] + p_[1] + p_[2]) / 3.0;
    case Kind::kBeta:
      return p_[2] + (p_[3] - p_[2]) * p_[0] / (p_[0] + p_[1]);
    case Kind::kLognormal:
      return std::exp(p_[0] + 0.5 * p_[1] * p_[1]);
  }
  return 0.0;
}

double Distribution::Variance() const {
  switch (kind_) {
    case Kind::kConstant:
      return 0.0;
    case Kind::kNormal:
      return p_[1] * p_[1];
    case Kind::kUniform:
      return (p_[1] - p_[0]) * (p_[1] - p_[0]) / 12.0;
    case Kind::kTriangular: {
      const double a = p_[0], c = p_[1], b = p_[2];
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
    }
    case Kind::kBeta: {
      const double a = p_[0], b = p_[1], w = p_[3] - p_[2];
      return w * w * a * b / ((a + b) * (a + b) * (a + b + 1.0));
    }
    case Kind::kLognormal: {
      const double s2 = p_[1] * p_[1];
      return (std::exp(s2) - 1.0) * std::exp(2.0 * p_[0] + s2);
    }
  }
  return 0.0;
}

std::string Distribution::ToString() const {
  if (kind_ == Kind::kConstant) return Fmt(p_[0]);
  std::string s(KindName(kind_));
  s += "(";
  for (int i = 0; i < n_params_; ++i) {
    if (i) s += ", ";
    s += Fmt(p_[i]);
  }
  return s + ")";
}

}  // namespace parley
