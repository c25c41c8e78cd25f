// Correlated arguments: the Gaussian copula that makes arguments sharing a
// worldview (`factors`, `correlations`) hold or fail together.
//
// Each correlated argument g has a latent standard normal x_g and holds when
// x_g < Phi^-1(credence_g), so it still holds with probability equal to its
// credence; the latents have the correlation matrix R that the factors'
// loadings and the pairwise correlations give. A sample draws one uniform per
// argument, as without correlations (the same stream positions): the
// correlated arguments' uniforms become independent normals z, and x = L z
// with L the Cholesky factor of R. Forcing arguments (`--with`/`--without`)
// conditions the others on the forced event, exactly, by rejection (see
// HoldsCopula::Resolve). docs/explanation/correlated-arguments.md.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/status.h"
#include "sim/scenario/spec.h"

namespace parley {

// Whether each argument holds in a sample: drawn from its credence, or forced.
enum class ArgumentMode : uint8_t { kDrawn, kForcedOn, kForcedOff };

// The latent correlation structure of a scenario's arguments.
struct ArgumentCopula {
  // The arguments with a non-zero correlation to another, ascending.
  std::vector<int> members;
  Eigen::MatrixXd correlation;  // R, over `members`
  Eigen::MatrixXd factor;       // lower-triangular L, L L^T = R
};

// Builds R from `spec.factors` and `spec.correlations` (a pairwise entry
// replaces the factors' value for its pair) and factors it. Refuses, with
// "FILE:LINE:COL: error: ..." naming the entries, loadings whose squares sum
// to more than 1 for an argument and a matrix that is not positive
// semi-definite (no joint distribution has those correlations). Without
// correlations: no members.
StatusOr<ArgumentCopula> BuildArgumentCopula(const ScenarioSpec& spec);

// The copula compiled for a run: thresholds from the credences, and the
// forced arguments whose event the others are conditioned on.
class HoldsCopula {
 public:
  HoldsCopula() = default;
  // Refuses forcing whose joint event has probability under 1/1000 (about
  // 1000 rejections per sample), naming the forced arguments.
  static StatusOr<HoldsCopula> Make(const ScenarioSpec& spec, ArgumentCopula copula,
                                    const std::vector<ArgumentMode>& modes);

  bool empty() const { return copula_.members.empty(); }
  int num_members() const { return static_cast<int>(copula_.members.size()); }
  int member(int i) const { return copula_.members[i]; }
  // The position of `argument` among the members, or -1.
  int member_of(int argument) const { return member_of_[argument]; }
  // Whether some member is forced: the others are then drawn conditionally.
  bool conditioned() const { return conditioned_; }

  // The latent normal of a member from its gate's uniform u in [0, 1).
  static double Latent(double u);
  // z[i] = Latent(z[i]) for i < n, bit for bit, the quantiles two at a time.
  static void Latents(double* z, int n);
  // Sets the members' holds from their independent normals z (one per
  // member, from the sample's gate uniforms). When this draw violates the
  // forcing, the latents are drawn afresh from their conditional law, with
  // the sample's RngStream::kCopula substream of `rng`: directly when one
  // argument is forced (its latent from its truncated range by the inverse
  // CDF, the others from their Gaussian law given it), by rejection when
  // several are. Keeping the sample's own draw when it agrees with the
  // forcing (common random numbers with the unforced run) and otherwise
  // drawing from the conditional law is still an exact draw from that law.
  // `rng` may be null only when !conditioned().
  void Resolve(double* z, const SampleRng* rng, uint8_t* holds) const;
  // The probability that a member holds (given the forcing): its credence,
  // or 0/1 when forced, or estimated from the compile-time pilot draws.
  double hold_probability(int i) const { return hold_probability_[i]; }
  // Whether member i's input (its uniform) can change some member's hold.
  bool input_matters(int i) const { return input_matters_[i]; }

 private:
  bool Accepts(const double* x) const;
  // Latents x drawn from their law given the forcing, from `extra`.
  void DrawConditional(SampleRng& extra, double* z, double* x) const;
  void Correlate(const double* z, double* x) const;

  ArgumentCopula copula_;
  std::vector<int> member_of_;      // per argument
  std::vector<double> threshold_;   // per member: Phi^-1(credence)
  std::vector<ArgumentMode> mode_;  // per member
  std::vector<double> hold_probability_;
  std::vector<bool> input_matters_;
  std::vector<double> credence_;  // per member
  // The one forced member, or -1; then x = mean * x_forced + factor * w.
  int single_forced_ = -1;
  Eigen::VectorXd conditional_mean_;
  Eigen::MatrixXd conditional_factor_;
  bool conditioned_ = false;
};

}  // namespace parley
