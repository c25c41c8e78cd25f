#include "sim/solve/tableau.h"

#include <algorithm>
#include <cmath>

namespace parley {

int LexTableau::LeavingRow(int enter) const {
  const Eigen::Index rhs = t.cols() - 1;
  // Minimum ratio first; the lexicographic rule only breaks ties.
  int best = -1;
  double best_ratio = 0.0;
  bool tie = false;
  for (Eigen::Index r = 0; r < t.rows(); ++r) {
    const double c = t(r, enter);
    if (c <= kPivotTolerance) continue;
    const double ratio = t(r, rhs) / c;
    const double tol = kPivotTolerance * std::max(1.0, std::abs(ratio));
    if (best < 0 || ratio < best_ratio - tol) {
      best = static_cast<int>(r);
      best_ratio = ratio;
      tie = false;
    } else if (ratio <= best_ratio + tol) {
      tie = true;
    }
  }
  if (!tie) return best;
  // Among the rows tied on the ratio, the lexicographically smallest row of
  // (rhs, lex columns) / pivot entry.
  int winner = -1;
  for (Eigen::Index r = 0; r < t.rows(); ++r) {
    const double c = t(r, enter);
    if (c <= kPivotTolerance) continue;
    const double ratio = t(r, rhs) / c;
    if (ratio > best_ratio + kPivotTolerance * std::max(1.0, std::abs(best_ratio))) continue;
    if (winner < 0) {
      winner = static_cast<int>(r);
      continue;
    }
    const double cw = t(winner, enter);
    int order = 0;
    for (size_t i = 0; order == 0 && i < lex.size(); ++i) {
      const double a = t(r, lex[i]) / c, b = t(winner, lex[i]) / cw;
      const double tol = kPivotTolerance * std::max({1.0, std::abs(a), std::abs(b)});
      order = a < b - tol ? -1 : (a > b + tol ? 1 : 0);
    }
    if (order < 0) winner = static_cast<int>(r);
  }
  return winner;
}

void LexTableau::Pivot(int row, int enter) {
  t.row(row) /= t(row, enter);
  for (Eigen::Index r = 0; r < t.rows(); ++r) {
    if (r != row && t(r, enter) != 0.0) t.row(r) -= t(r, enter) * t.row(row);
  }
  basis[row] = enter;
}

}  // namespace parley
