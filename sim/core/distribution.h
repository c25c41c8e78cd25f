// Distribution: a scalar value that is either a constant or drawn from one of
// the families a scenario may name (normal, uniform, triangular, beta,
// lognormal), with its moments for tests and reports.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/status.h"

namespace parley {

class Distribution {
 public:
  enum class Kind { kConstant, kNormal, kUniform, kTriangular, kBeta, kLognormal };

  // Parameters, by kind:
  //   constant   [value]
  //   normal     [mean, sd]              sd >= 0
  //   uniform    [low, high]             low <= high
  //   triangular [low, mode, high]       low <= mode <= high
  //   beta       [alpha, beta] or [alpha, beta, low, high]   1e-300 <= shapes <= 1e9, low < high
  //   lognormal  [mu, sigma] of the underlying normal        sigma >= 0, mu <= 50, sigma <= 10
  // Every parameter is finite and within +-kMaxParameter. Within these
  // limits Sample() and Quantile(u), u in (0, 1), return finite values in
  // [SupportMin(), SupportMax()] (tests: distribution_test.cc).
  static StatusOr<Distribution> Make(Kind kind, const std::vector<double>& params);
  static constexpr double kMaxParameter = 1e300;
  static constexpr double kMinBetaShape = 1e-300;
  static constexpr double kMaxBetaShape = 1e9;
  static Distribution Constant(double value);

  // The family named `name` ("normal", ...), or NotFound.
  static StatusOr<Kind> KindFromName(std::string_view name);
  static std::string_view KindName(Kind kind);
  static const std::vector<std::string>& FamilyNames();

  Kind kind() const { return kind_; }
  // Parameter i, as listed above (0 past the kind's parameters).
  double param(int i) const { return p_[i]; }
  bool is_random() const;
  double Sample(SampleRng& rng) const;
  // The inverse CDF at u in (0, 1): the value a draw takes when its uniform
  // is u, so that a draw can be driven by quasi-random or designed points
  // (Sobol sequences, sensitivity designs). Constants ignore u.
  double Quantile(double u) const;
  // P(X <= x), for testing Quantile and for reports.
  double Cdf(double x) const;
  // How many stream units Sample() uses when that number is fixed (constant,
  // uniform, triangular), or -1 when it varies (rejection sampling).
  int FixedUnits() const;
  double Mean() const;
  double Variance() const;
  // The smallest and largest values a draw can take (may be infinite).
  double SupportMin() const;
  double SupportMax() const;
  // "normal(2, 0.5)", "3", ...: for messages and `parley params`.
  std::string ToString() const;

 private:
  Distribution() = default;
  Kind kind_ = Kind::kConstant;
  std::array<double, 4> p_{};  // parameters as listed above
  int n_params_ = 1;
};

// The standard normal's inverse CDF (Wichura's AS 241) at u: -inf at 0,
// +inf at 1, NaN outside [0, 1]. Distribution::Quantile of normal(0, 1).
double StandardNormalQuantile(double u);
// out[i] = StandardNormalQuantile(u[i]) for i < n, bit for bit, two at a
// time where the processor has SSE2 (in place when out == u).
void StandardNormalQuantiles(const double* u, double* out, int64_t n);

// A Gamma(shape, 1) variate (Marsaglia and Tsang), used for beta draws.
double SampleGamma(double shape, SampleRng& rng);

}  // namespace parley
