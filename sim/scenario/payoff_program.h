// PayoffProgram: the payoff table of a compiled scenario, evaluated for a
// few samples at a time with the work that rows share done once, and with
// exactly the arithmetic of GameModel::EvaluatePayoffs.
//
// Table entry r is b[r] + a(r, c1) * theta[c1] + a(r, c2) * theta[c2] + ...,
// summed left to right in increasing column order. Entries that start with
// the same constant and the same leading terms have the same partial sums,
// bit for bit, so the entries are stored as a prefix tree: each step adds
// one term to an earlier partial sum, and equal entries (an actor's payoff
// in classes that differ only in other actors' modifiers) end at the same
// slot. The Istanbul scenario's 1,125 terms become 453 steps.
//
// Values live in slots of `width` doubles, one per sample of a chunk (slot
// s, sample i at values[s * width + i]): first the draws (theta, as
// GameModel::DrawSample writes them with stride `width`), then the distinct
// constants, then one slot per step. A chunk's slots fit in the L1 cache,
// and each step is a short vector operation over the chunk's samples.
#pragma once

#include <Eigen/SparseCore>
#include <cstdint>
#include <vector>

namespace parley {

class PayoffProgram {
 public:
  // Samples per chunk on the fast path: one 64-byte cache line of doubles
  // per slot.
  static constexpr int kWidth = 8;

  PayoffProgram() = default;
  // `a` has one row per table entry and one column per draw.
  static PayoffProgram Build(const Eigen::SparseMatrix<double, Eigen::RowMajor>& a,
                             const Eigen::VectorXd& b);

  int num_draws() const { return num_draws_; }
  int64_t num_slots() const {
    return num_draws_ + static_cast<int64_t>(constants_.size() + steps_.size());
  }
  // The slot that holds table entry `row` once Evaluate has run.
  int32_t row_slot(int64_t row) const { return row_slot_[row]; }

  // Writes the constants into a buffer of num_slots() * width doubles; they
  // stay there across chunks, since nothing else writes their slots.
  void Initialize(double* values, int width) const;
  // Computes every step's slot from the draws in slots [0, num_draws()).
  void Evaluate(double* values, int width) const;

 private:
  // values[slot] = values[in] + coefficient * values[draw], for the next
  // slot in order (`in` is always an earlier slot).
  struct Step {
    int32_t in;
    int32_t draw;
    double coefficient;
  };

  int num_draws_ = 0;
  std::vector<double> constants_;
  std::vector<Step> steps_;
  std::vector<int32_t> row_slot_;
};

}  // namespace parley
