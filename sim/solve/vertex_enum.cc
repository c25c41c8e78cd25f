// Vertex enumeration of the best-response polytopes of a bimatrix game.
//
// The search is a reverse search over lexicographic bases (see Vertices), so
// it keeps only a stack of tableaux as deep as the search tree besides the
// vertices found. A tableau is kept in dictionary form: only the columns of
// the nonbasic labels and the right-hand side (the basic columns are unit
// vectors), row-major; each is written by pivoting its parent straight into
// place. A vertex keeps only its label sets and raw coordinates, normalised
// only for the few vertex pairs that can be equilibria. Each entry is
// computed by the same operations as in the full tableau of LexTableau
// (sim/solve/tableau.h), and the lexicographic ratio test is the same.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <limits>
#include <string>
#include <vector>

#include "sim/solve/mixed.h"

namespace parley {
namespace {

// The same pivot tolerance as LexTableau.
constexpr double kPivotTolerance = 1e-11;
// Reduced costs of the reverse search's objective at most this far below 0
// count as 0, so that a basis has the same parent whichever neighbour asks.
constexpr double kCostTolerance = 1e-9;

// A set of labels 0..127.
struct Labels {
  uint64_t w[2] = {0, 0};
  void Set(int i) { w[i >> 6] |= uint64_t{1} << (i & 63); }
  void Reset(int i) { w[i >> 6] &= ~(uint64_t{1} << (i & 63)); }
  bool Has(int i) const { return (w[i >> 6] >> (i & 63)) & 1; }
  bool operator==(const Labels& o) const { return w[0] == o.w[0] && w[1] == o.w[1]; }
  bool operator<(const Labels& o) const { return w[1] != o.w[1] ? w[1] < o.w[1] : w[0] < o.w[0]; }
};

struct VertexInfo {
  Labels basic;             // basic labels of the lexicographic basis
  Labels zero;              // labels whose variable is (numerically) zero
  bool degenerate = false;  // some basic variable is zero
  bool origin = false;      // the coordinates sum to (numerically) zero
};

// The vertices of one polytope: label sets, and the coordinates as the
// tableau gives them (clamped at 0, not yet normalised), d per vertex.
struct PolytopeVertices {
  int d = 0;
  std::vector<VertexInfo> info;
  std::vector<double> raw;
  // The vertices in breadth-first order from the origin: by the fewest lex
  // pivots from it, then by basic set (the order of the earlier
  // breadth-first search, which the equilibrium list keeps).
  std::vector<uint32_t> order;

  // The vertex as a probability vector (empty at the origin).
  Eigen::VectorXd Normalised(size_t i) const {
    if (info[i].origin) return {};
    const Eigen::VectorXd z = Eigen::Map<const Eigen::VectorXd>(raw.data() + i * d, d);
    return z / z.sum();
  }
};

// One tableau in dictionary form: `rows` x `width` row-major doubles (a
// column per nonbasic label, then the right-hand side), the basic label of
// each row and the nonbasic label of each column.
struct TableauRef {
  const double* t;
  const int16_t* basis;
  const int16_t* cols;
  int rows, width;

  // Entry (r, label) of the full tableau: a unit-vector entry for a basic label.
  double Entry(int r, int label) const {
    for (int q = 0; q + 1 < width; ++q) {
      if (cols[q] == label) return t[r * width + q];
    }
    return basis[r] == label ? 1.0 : 0.0;
  }
};

// LexTableau::LeavingRow for every dictionary column at once: leaving[col]
// is the row whose basic label leaves when the label of column `col` enters,
// or -1 (an unbounded direction); `lex` are the labels whose columns start as
// the identity. The minimum ratio test runs row by row over all columns
// (contiguous, branch-free), with the same comparisons, in the same row
// order, as the column-by-column test.
void LeavingRows(const TableauRef& tab, const int16_t* lex, int* leaving) {
  const double* t = tab.t;
  const int rows = tab.rows, width = tab.width, d = width - 1;
  double best_ratio[130], best[130], tie[130];  // two spare lanes
  for (int col = 0; col < d + 1; ++col) {
    best_ratio[col] = std::numeric_limits<double>::infinity();  // no row yet
    best[col] = -1.0;
    tie[col] = 0.0;
  }
  for (int r = 0; r < rows; ++r) {
    const double* row = t + r * width;
    const double rhs = row[d];
    const double rd = static_cast<double>(r);
    int col = 0;
#if defined(__SSE2__)
    // Two columns at a time. An odd last pair reads the right-hand side as a
    // second lane, whose result is not used.
    const __m128d one = _mm_set1_pd(1.0), min_pivot = _mm_set1_pd(kPivotTolerance);
    const __m128d rhs2 = _mm_set1_pd(rhs), rd2 = _mm_set1_pd(rd);
    const __m128d abs_mask = _mm_castsi128_pd(_mm_set1_epi64x(0x7fffffffffffffffLL));
    for (; col < d; col += 2) {
      const __m128d c = _mm_loadu_pd(row + col);
      const __m128d valid = _mm_cmpgt_pd(c, min_pivot);
      const __m128d ratio =
          _mm_div_pd(rhs2, _mm_or_pd(_mm_and_pd(valid, c), _mm_andnot_pd(valid, one)));
      // kPivotTolerance * std::max(1.0, |ratio|)
      const __m128d tol = _mm_mul_pd(min_pivot, _mm_max_pd(_mm_and_pd(ratio, abs_mask), one));
      const __m128d br = _mm_loadu_pd(best_ratio + col);
      const __m128d better = _mm_and_pd(valid, _mm_cmplt_pd(ratio, _mm_sub_pd(br, tol)));
      const __m128d tied = _mm_and_pd(valid, _mm_cmple_pd(ratio, _mm_add_pd(br, tol)));
      auto select = [](__m128d mask, __m128d a, __m128d b) {
        return _mm_or_pd(_mm_and_pd(mask, a), _mm_andnot_pd(mask, b));
      };
      _mm_storeu_pd(best_ratio + col, select(better, ratio, br));
      _mm_storeu_pd(best + col, select(better, rd2, _mm_loadu_pd(best + col)));
      const __m128d tie_or = select(tied, one, _mm_loadu_pd(tie + col));
      _mm_storeu_pd(tie + col, _mm_andnot_pd(better, tie_or));
    }
#endif
    for (; col < d; ++col) {
      const double c = row[col];
      const bool valid = c > kPivotTolerance;
      const double ratio = rhs / (valid ? c : 1.0);
      const double tol = kPivotTolerance * std::max(1.0, std::abs(ratio));
      const bool better = valid && ratio < best_ratio[col] - tol;
      const bool tied = valid && ratio <= best_ratio[col] + tol;
      best_ratio[col] = better ? ratio : best_ratio[col];
      best[col] = better ? rd : best[col];
      tie[col] = better ? 0.0 : (tied ? 1.0 : tie[col]);
    }
  }
  for (int col = 0; col < d; ++col) {
    leaving[col] = static_cast<int>(best[col]);
    if (tie[col] == 0.0) continue;
    // Among the rows tied on the ratio, the lexicographically smallest row
    // of (rhs, lex columns) / pivot entry.
    const double limit =
        best_ratio[col] + kPivotTolerance * std::max(1.0, std::abs(best_ratio[col]));
    int winner = -1;
    for (int r = 0; r < rows; ++r) {
      const double c = t[r * width + col];
      if (c <= kPivotTolerance) continue;
      const double ratio = t[r * width + d] / c;
      if (ratio > limit) continue;
      if (winner < 0) {
        winner = r;
        continue;
      }
      const double cw = t[winner * width + col];
      int order = 0;
      for (int i = 0; order == 0 && i < rows; ++i) {
        const double a = tab.Entry(r, lex[i]) / c, b = tab.Entry(winner, lex[i]) / cw;
        const double tol = kPivotTolerance * std::max({1.0, std::abs(a), std::abs(b)});
        order = a < b - tol ? -1 : (a > b + tol ? 1 : 0);
      }
      if (order < 0) winner = r;
    }
    leaving[col] = winner;
  }
}

// Writes into `dst` the dictionary `src` after the label of column `col`
// enters in `row`; the leaving label takes column `col`. Entry by entry the
// operations of LexTableau::Pivot on the full tableau, where the leaving
// label's column was the unit vector of `row`.
void PivotInto(const double* __restrict src, double* __restrict dst, int rows, int width, int row,
               int col) {
  const double pivot = src[row * width + col];
  const double* __restrict src_row = src + row * width;
  double* __restrict dst_row = dst + row * width;
  for (int c = 0; c < width; ++c) dst_row[c] = src_row[c] / pivot;
  dst_row[col] = 1.0 / pivot;
  for (int r = 0; r < rows; ++r) {
    if (r == row) continue;
    const double f = src[r * width + col];
    const double* __restrict s = src + r * width;
    double* __restrict o = dst + r * width;
    if (f == 0.0) {
      for (int c = 0; c < width; ++c) o[c] = s[c];
      o[col] = 0.0;
    } else {
      for (int c = 0; c < width; ++c) o[c] = s[c] - f * dst_row[c];
      o[col] = 0.0 - f * dst_row[col];
    }
  }
}

// The order in which a breadth-first search from vertex 0 over the recorded
// pivots (`pivots`: per vertex, the leaving label for each nonbasic label in
// ascending order, -1 if unbounded) reaches the vertices, each level sorted
// by basic set.
std::vector<uint32_t> BreadthFirstOrder(const std::vector<VertexInfo>& info,
                                        const std::vector<int8_t>& pivots, int d, int labels) {
  const size_t n = info.size();
  // Basic set -> vertex: open addressing over indices, linear probing.
  size_t slots = 64;
  while (slots < 2 * n) slots *= 2;
  std::vector<uint32_t> table(slots, UINT32_MAX);
  const auto hash = [&](const Labels& l) {  // splitmix64 finaliser
    uint64_t z = l.w[0] ^ (l.w[1] * 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return static_cast<size_t>(z ^ (z >> 31)) & (slots - 1);
  };
  for (uint32_t i = 0; i < n; ++i) {
    size_t h = hash(info[i].basic);
    while (table[h] != UINT32_MAX) h = (h + 1) & (slots - 1);
    table[h] = i;
  }
  const auto find = [&](const Labels& key) -> int64_t {
    for (size_t h = hash(key);; h = (h + 1) & (slots - 1)) {
      if (table[h] == UINT32_MAX) return -1;
      if (info[table[h]].basic == key) return table[h];
    }
  };
  std::vector<int32_t> level(n, -1);
  std::vector<uint32_t> order;
  order.reserve(n);
  if (n == 0) return order;
  level[0] = 0;
  order.push_back(0);
  for (size_t begin = 0; begin < order.size();) {
    const size_t end = order.size();
    std::sort(order.begin() + begin, order.begin() + end,
              [&](uint32_t x, uint32_t y) { return info[x].basic < info[y].basic; });
    for (size_t i = begin; i < end; ++i) {
      const uint32_t v = order[i];
      const int8_t* leaving = pivots.data() + static_cast<size_t>(v) * d;
      int j = 0;
      for (int l = 0; l < labels; ++l) {
        if (info[v].basic.Has(l)) continue;
        if (leaving[j] >= 0) {
          Labels key = info[v].basic;
          key.Reset(leaving[j]);
          key.Set(l);
          const int64_t w = find(key);
          if (w >= 0 && level[w] < 0) {
            level[w] = level[v] + 1;
            order.push_back(static_cast<uint32_t>(w));
          }
        }
        ++j;
      }
    }
    begin = end;
  }
  // A vertex that no recorded pivot reaches (only by rounding) still counts,
  // after the others.
  for (uint32_t i = 0; i < n; ++i) {
    if (level[i] < 0) order.push_back(i);
  }
  return order;
}

// Enumerates the vertices of {z >= 0 : M z <= 1}, M = k x d (z has d entries
// with labels own_first..own_first+d-1; constraint slacks have labels
// slack_first..slack_first+k-1).
//
// Reverse search (Avis-Fukuda, as in lrs): the lexicographic bases form a
// tree rooted at the start basis (the origin), where the parent of a basis
// is the simplex pivot minimising the sum of z: the smallest nonbasic label
// with a negative reduced cost enters, and the lexicographic ratio test picks
// the leaving row. The lexicographic rule is a perturbation that makes every
// pivot strictly decrease the perturbed objective, so every other basis has a
// parent and the tree is acyclic. The tree is walked depth-first with a stack
// of tableaux, so the memory besides the vertex list is bounded by the depth
// (no set of seen bases): a neighbour is a child exactly when its parent pivot
// leads back here, which the reduced costs after the pivot decide.
StatusOr<PolytopeVertices> Vertices(const Eigen::MatrixXd& m, int own_first, int slack_first,
                                    int labels, int64_t max_stored_bytes, double tol,
                                    bool* degenerate) {
  const int k = static_cast<int>(m.rows()), d = static_cast<int>(m.cols());
  // labels = k + d: d nonbasic labels, so d columns and the right-hand side.
  const int width = d + 1;
  const size_t tableau_size = static_cast<size_t>(k) * width;
  // What a vertex costs in the output: its label sets and its coordinates.
  // (the label sets, the coordinates, the pivots to the neighbours, and the
  // order, depth and hash slot of the breadth-first numbering at the end).
  const int64_t bytes_per_vertex =
      static_cast<int64_t>(sizeof(VertexInfo) + (sizeof(double) + 1) * static_cast<size_t>(d) +
                           sizeof(uint32_t) * 3 + sizeof(int32_t));
  Labels all;
  for (int l = 0; l < labels; ++l) all.Set(l);
  const auto own = [&](int label) { return label >= own_first && label < own_first + d; };

  // A level of the walk: the tableau (in the stack buffers at the same
  // depth), its leaving rows and reduced costs, and the next column to try.
  struct Frame {
    int next_col = 0;
    int leaving[128];
    double cost[128];
  };
  std::vector<Frame> frames(1);
  std::vector<double> stack_t(tableau_size);
  std::vector<int16_t> stack_basis(k), stack_cols(d);

  // The start: the slacks are basic (their columns are the identity, which
  // the lexicographic rule uses) and the polytope's own variables are not.
  std::vector<int16_t> lex(k);
  for (int r = 0; r < k; ++r) {
    double* row = stack_t.data() + r * width;
    for (int c = 0; c < d; ++c) row[c] = m(r, c);
    row[d] = 1.0;
    stack_basis[r] = static_cast<int16_t>(slack_first + r);
    lex[r] = static_cast<int16_t>(slack_first + r);
  }
  for (int c = 0; c < d; ++c) stack_cols[c] = static_cast<int16_t>(own_first + c);

  PolytopeVertices out;
  out.d = d;
  std::vector<int8_t> pivots;  // d per vertex, see visit
  // Records the tableau at `depth` as a vertex and prepares its frame.
  auto visit = [&](size_t depth) -> Status {
    const TableauRef tab{stack_t.data() + depth * tableau_size, stack_basis.data() + depth * k,
                         stack_cols.data() + depth * d, k, width};
    VertexInfo v;
    double z[128];
    for (int i = 0; i < d; ++i) z[i] = 0.0;
    for (int r = 0; r < k; ++r) {
      const int label = tab.basis[r];
      v.basic.Set(label);
      const double value = tab.t[r * width + d];
      if (value <= tol) {
        *degenerate = true;
        v.degenerate = true;
        v.zero.Set(label);
      }
      if (own(label)) z[label - own_first] = std::max(0.0, value);
    }
    v.zero.w[0] |= ~v.basic.w[0] & all.w[0];
    v.zero.w[1] |= ~v.basic.w[1] & all.w[1];
    double sum = 0.0;
    for (int i = 0; i < d; ++i) sum += z[i];
    v.origin = !(sum > tol);
    if (static_cast<int64_t>(out.info.size() + 1) * bytes_per_vertex > max_stored_bytes) {
      return ResourceExhausted("vertex enumeration: a best-response polytope has more than " +
                               std::to_string(out.info.size()) + " vertices, and storing them (" +
                               std::to_string(bytes_per_vertex) +
                               " bytes each) would exceed the limit of " +
                               std::to_string(max_stored_bytes) + " bytes (" +
                               std::to_string(max_stored_bytes >> 20) + " MiB)");
    }
    out.info.push_back(v);
    out.raw.insert(out.raw.end(), z, z + d);
    Frame& f = frames[depth];
    f.next_col = 0;
    LeavingRows(tab, lex.data(), f.leaving);
    // The leaving label for each entering one, entering labels ascending.
    int col_of[128];
    for (int c = 0; c < d; ++c) col_of[tab.cols[c]] = c;
    for (int l = 0; l < labels; ++l) {
      if (v.basic.Has(l)) continue;
      const int row = f.leaving[col_of[l]];
      pivots.push_back(static_cast<int8_t>(row < 0 ? -1 : tab.basis[row]));
    }
    // Reduced costs of the objective sum(z): a column's own coefficient,
    // less its entries in the rows of basic own variables.
    for (int c = 0; c < d; ++c) f.cost[c] = own(tab.cols[c]) ? 1.0 : 0.0;
    for (int r = 0; r < k; ++r) {
      if (!own(tab.basis[r])) continue;
      const double* row = tab.t + r * width;
      for (int c = 0; c < d; ++c) f.cost[c] -= row[c];
    }
    return OkStatus();
  };
  // Whether the pivot on column `col` of the tableau at `depth` leads to a
  // child: after it the leaving label must be the smallest one with a
  // negative reduced cost (its pivot back is then the lexicographic one: the
  // perturbed polytope is simple, so the edge leads back here).
  auto is_child = [&](size_t depth, int col) {
    const Frame& f = frames[depth];
    const int row = f.leaving[col];
    if (row < 0) return false;
    const double* t = stack_t.data() + depth * tableau_size;
    const int16_t* basis = stack_basis.data() + depth * k;
    const int16_t* cols = stack_cols.data() + depth * d;
    const double pivot = t[row * width + col];
    const double back = -f.cost[col] / pivot;  // reduced cost of the leaving label after
    if (!(back < -kCostTolerance)) return false;
    const int leaving = basis[row];
    const double ratio = f.cost[col] / pivot;
    for (int c = 0; c < d; ++c) {
      if (c == col || cols[c] > leaving) continue;
      if (f.cost[c] - ratio * t[row * width + c] < -kCostTolerance) return false;
    }
    return true;
  };

  if (Status s = visit(0); !s.ok()) return s;
  size_t depth = 0;
  for (;;) {
    Frame& f = frames[depth];
    int col = f.next_col;
    while (col < d && !is_child(depth, col)) ++col;
    if (col == d) {
      if (depth == 0) break;
      --depth;
      continue;
    }
    f.next_col = col + 1;
    const int row = f.leaving[col];
    if (frames.size() < depth + 2) {
      frames.emplace_back();
      stack_t.resize((depth + 2) * tableau_size);
      stack_basis.resize((depth + 2) * k);
      stack_cols.resize((depth + 2) * d);
    }
    PivotInto(stack_t.data() + depth * tableau_size, stack_t.data() + (depth + 1) * tableau_size, k,
              width, row, col);
    int16_t* basis = stack_basis.data() + (depth + 1) * k;
    int16_t* cols = stack_cols.data() + (depth + 1) * d;
    std::memcpy(basis, stack_basis.data() + depth * k, sizeof(int16_t) * k);
    std::memcpy(cols, stack_cols.data() + depth * d, sizeof(int16_t) * d);
    std::swap(basis[row], cols[col]);
    ++depth;
    if (Status s = visit(depth); !s.ok()) return s;
  }
  out.order = BreadthFirstOrder(out.info, pivots, d, labels);
  return out;
}

}  // namespace

StatusOr<VertexEnumeration> EnumerateVertices(const Bimatrix& g, int64_t max_stored_bytes,
                                              const SolveOptions& options) {
  const int m = static_cast<int>(g.a.rows()), n = static_cast<int>(g.a.cols());
  const int labels = m + n;
  if (labels > 128) {
    return ResourceExhausted(
        "vertex enumeration handles at most 128 strategies in all; the game has " +
        std::to_string(labels));
  }
  const Eigen::MatrixXd a = g.a.array() - g.a.minCoeff() + 1.0;
  const Eigen::MatrixXd b = g.b.array() - g.b.minCoeff() + 1.0;
  const double tol = 1e-9;
  VertexEnumeration result;
  // P = {x >= 0 : B^T x <= 1}: x labels 0..m-1, slacks m..m+n-1.
  auto p = Vertices(b.transpose(), 0, m, labels, max_stored_bytes, tol, &result.degenerate);
  if (!p.ok()) return p.status();
  // Q = {y >= 0 : A y <= 1}: y labels m..m+n-1, slacks 0..m-1.
  auto q = Vertices(a, m, 0, labels, max_stored_bytes, tol, &result.degenerate);
  if (!q.ok()) return q.status();
  result.vertices_row = static_cast<int64_t>(p->info.size());
  result.vertices_column = static_cast<int64_t>(q->info.size());

  const double scale = 1.0 + std::max(g.a.cwiseAbs().maxCoeff(), g.b.cwiseAbs().maxCoeff());
  auto consider = [&](size_t xi, size_t yi) {
    if (p->info[xi].origin || q->info[yi].origin) return;  // the artificial origin
    const Eigen::VectorXd x = p->Normalised(xi), y = q->Normalised(yi);
    const Eigen::VectorXd row_values = g.a * y;
    const Eigen::VectorXd col_values = g.b.transpose() * x;
    MixedEquilibrium e;
    e.strategies = {x, y};
    e.payoffs = {x.dot(row_values), y.dot(col_values)};
    e.regret =
        std::max({0.0, row_values.maxCoeff() - e.payoffs[0], col_values.maxCoeff() - e.payoffs[1]});
    if (e.regret > 1e3 * options.tolerance * scale) return;
    for (const auto& f : result.equilibria) {
      if (SameProfile(f.strategies, e.strategies, 1e-7)) return;
    }
    result.equilibria.push_back(std::move(e));
  };

  // Complementary lexicographic bases: the basic sets are disjoint, so Q's
  // basic set is the complement of P's. Q's vertices sorted by basic set
  // (then by index, the order of discovery).
  std::vector<std::pair<Labels, uint32_t>> q_by_basis(q->info.size());
  for (size_t i = 0; i < q->info.size(); ++i) q_by_basis[i] = {q->info[i].basic, i};
  std::sort(q_by_basis.begin(), q_by_basis.end(), [](const auto& x, const auto& y) {
    return x.first < y.first || (x.first == y.first && x.second < y.second);
  });
  Labels all;
  for (int l = 0; l < labels; ++l) all.Set(l);
  // The reverse search's order depends on the path; equilibria are reported
  // in breadth-first order of the vertices, as the earlier breadth-first
  // search found them.
  const std::vector<uint32_t>& p_order = p->order;
  const std::vector<uint32_t>& q_order = q->order;
  for (const uint32_t xi : p_order) {
    Labels complement = p->info[xi].basic;
    complement.w[0] = ~complement.w[0] & all.w[0];
    complement.w[1] = ~complement.w[1] & all.w[1];
    auto it = std::lower_bound(
        q_by_basis.begin(), q_by_basis.end(), complement,
        [](const std::pair<Labels, uint32_t>& e, const Labels& key) { return e.first < key; });
    for (; it != q_by_basis.end() && it->first == complement; ++it) consider(xi, it->second);
  }
  // Degenerate games: a pair of vertices can be complementary through a zero
  // basic variable, which the basis test above does not see. Two
  // nondegenerate vertices have exactly their nonbasic labels, so only pairs
  // with a degenerate vertex need the test on actual label sets.
  auto covers = [&](const VertexInfo& x, const VertexInfo& y) {
    return ((x.zero.w[0] | y.zero.w[0]) & all.w[0]) == all.w[0] &&
           ((x.zero.w[1] | y.zero.w[1]) & all.w[1]) == all.w[1];
  };
  if (result.degenerate) {
    for (const uint32_t xi : p_order) {
      const VertexInfo& x = p->info[xi];
      if (!x.degenerate || x.origin) continue;
      for (const uint32_t yi : q_order) {
        if (covers(x, q->info[yi])) consider(xi, yi);
      }
    }
    for (const uint32_t yi : q_order) {
      const VertexInfo& y = q->info[yi];
      if (!y.degenerate || y.origin) continue;
      for (const uint32_t xi : p_order) {
        if (!p->info[xi].degenerate && covers(p->info[xi], y)) consider(xi, yi);
      }
    }
  }
  return result;
}

}  // namespace parley
