// LexTableau: a simplex tableau with lexicographic ratio tests, shared by
// Lemke-Howson and vertex enumeration. Columns are variables (labels) and
// then the right-hand side; the `lex` columns start as the identity, so they
// carry the inverse basis and make every ratio test's winner unique even in
// degenerate problems.
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace parley {

// A column entry at most this (times the ratio's scale) counts as zero in
// ratio tests; vertex enumeration's reverse search uses the same.
inline constexpr double kPivotTolerance = 1e-11;

struct LexTableau {
  Eigen::MatrixXd t;
  std::vector<int> basis;  // the variable (label) basic in each row
  std::vector<int> lex;

  // The row whose basic variable leaves when `enter` enters, or -1 when no
  // entry of the column is positive (an unbounded direction).
  int LeavingRow(int enter) const;
  // Makes `enter` basic in `row`.
  void Pivot(int row, int enter);
};

}  // namespace parley
