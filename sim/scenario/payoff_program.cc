#include "sim/scenario/payoff_program.h"

#include <algorithm>
#include <bit>
#include <map>
#include <tuple>

namespace parley {
namespace {

// Runs `steps` on chunks of W samples; W fixed at compile time so that the
// inner loop becomes a few vector instructions.
template <int W>
void RunSteps(const auto& steps, double* values, int64_t first_slot) {
  double* out = values + first_slot * W;
  for (const auto& step : steps) {
    const double* __restrict in = values + static_cast<int64_t>(step.in) * W;
    const double* __restrict draw = values + static_cast<int64_t>(step.draw) * W;
    double* __restrict target = out;
    const double c = step.coefficient;
    for (int i = 0; i < W; ++i) target[i] = in[i] + c * draw[i];
    out += W;
  }
}

}  // namespace

PayoffProgram PayoffProgram::Build(const Eigen::SparseMatrix<double, Eigen::RowMajor>& a,
                                   const Eigen::VectorXd& b) {
  PayoffProgram p;
  p.num_draws_ = static_cast<int>(a.cols());
  // Keys compare doubles by their bits: 0.0 and -0.0 give different sums.
  std::map<uint64_t, int32_t> constant_index;
  for (Eigen::Index r = 0; r < a.rows(); ++r) {
    auto [it, inserted] = constant_index.emplace(std::bit_cast<uint64_t>(b[r]),
                                                 static_cast<int32_t>(p.constants_.size()));
    if (inserted) p.constants_.push_back(b[r]);
  }
  // Constant slots come right after the draws, steps after the constants.
  const int32_t first_step = p.num_draws_ + static_cast<int32_t>(p.constants_.size());
  std::map<std::tuple<int32_t, int32_t, uint64_t>, int32_t> step_slot;
  p.row_slot_.resize(static_cast<size_t>(a.rows()));
  for (Eigen::Index r = 0; r < a.rows(); ++r) {
    int32_t slot = p.num_draws_ + constant_index.at(std::bit_cast<uint64_t>(b[r]));
    // The same terms in the same order as EvaluatePayoffs (increasing column).
    for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(a, r); it; ++it) {
      const auto key = std::make_tuple(slot, static_cast<int32_t>(it.col()),
                                       std::bit_cast<uint64_t>(it.value()));
      auto [found, inserted] =
          step_slot.emplace(key, first_step + static_cast<int32_t>(p.steps_.size()));
      if (inserted) p.steps_.push_back({slot, static_cast<int32_t>(it.col()), it.value()});
      slot = found->second;
    }
    p.row_slot_[r] = slot;
  }
  return p;
}

void PayoffProgram::Initialize(double* values, int width) const {
  for (size_t k = 0; k < constants_.size(); ++k) {
    std::fill_n(values + (num_draws_ + static_cast<int64_t>(k)) * width, width, constants_[k]);
  }
}

void PayoffProgram::Evaluate(double* values, int width) const {
  const int64_t first_step = num_draws_ + static_cast<int64_t>(constants_.size());
  if (width == kWidth) {
    RunSteps<kWidth>(steps_, values, first_step);
    return;
  }
  double* out = values + first_step * width;
  for (const Step& step : steps_) {
    for (int i = 0; i < width; ++i) {
      out[i] = values[static_cast<int64_t>(step.in) * width + i] +
               step.coefficient * values[static_cast<int64_t>(step.draw) * width + i];
    }
    out += width;
  }
}

}  // namespace parley
