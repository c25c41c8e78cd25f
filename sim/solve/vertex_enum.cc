// Vertex enumeration of the best-response polytopes of a bimatrix game.
//
// Each polytope's vertices are found by a reverse search over lexicographic
// bases (see Walk), which keeps only a stack of tableaux as deep as the
// search tree. Only the column player's polytope Q is stored, and only what
// matching needs: per vertex its basic set, its parent in the search tree
// and two flags. The row player's polytope P is then walked without storing
// it: each vertex is matched against Q as it is visited, and only the few
// vertices that take part in a candidate pair are kept (with their tableau).
// The coordinates of a Q vertex are recomputed by replaying the pivots of
// its tree path from the start, the same operations as in the walk. The
// equilibria keep the order of the breadth-first search this replaced: the
// level (fewest lex pivots from the start basis) of each candidate vertex is
// found by a small iterative-deepening search (see LevelSearch).
//
// A tableau is kept in dictionary form: only the columns of the nonbasic
// labels and the right-hand side (the basic columns are unit vectors),
// row-major; each is written by pivoting its parent straight into place.
// Each entry is computed by the same operations as in the full tableau of
// LexTableau (sim/solve/tableau.h), and the lexicographic ratio test is the
// same.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/solve/mixed.h"
#include "sim/solve/tableau.h"

namespace parley {
namespace {

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
  Labels operator&(const Labels& o) const { return {{w[0] & o.w[0], w[1] & o.w[1]}}; }
  Labels operator|(const Labels& o) const { return {{w[0] | o.w[0], w[1] | o.w[1]}}; }
  Labels AndNot(const Labels& o) const { return {{w[0] & ~o.w[0], w[1] & ~o.w[1]}}; }
  bool Empty() const { return (w[0] | w[1]) == 0; }
  int First() const { return w[0] != 0 ? __builtin_ctzll(w[0]) : 64 + __builtin_ctzll(w[1]); }
};

struct LabelsHash {
  size_t operator()(const Labels& l) const {  // splitmix64 finaliser
    uint64_t z = l.w[0] ^ (l.w[1] * 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return static_cast<size_t>(z ^ (z >> 31));
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

// One best-response polytope {z >= 0 : M z <= 1}, M = k x d: z has d entries
// with labels own_first..own_first+d-1, the constraint slacks have labels
// slack_first..slack_first+k-1. The start basis (the origin) has the slacks
// basic; their columns start as the identity, which the lexicographic rule
// uses (`lex`).
struct Polytope {
  int k = 0, d = 0, width = 0, own_first = 0, labels = 0;
  Labels all;
  std::vector<double> start_t;
  std::vector<int16_t> start_basis, start_cols, lex;

  Polytope(const Eigen::MatrixXd& m, int own_first_label, int slack_first, int num_labels)
      : k(static_cast<int>(m.rows())),
        d(static_cast<int>(m.cols())),
        width(d + 1),
        own_first(own_first_label),
        labels(num_labels) {
    for (int l = 0; l < labels; ++l) all.Set(l);
    start_t.resize(static_cast<size_t>(k) * width);
    start_basis.resize(k);
    start_cols.resize(d);
    lex.resize(k);
    for (int r = 0; r < k; ++r) {
      double* row = start_t.data() + r * width;
      for (int c = 0; c < d; ++c) row[c] = m(r, c);
      row[d] = 1.0;
      start_basis[r] = static_cast<int16_t>(slack_first + r);
      lex[r] = static_cast<int16_t>(slack_first + r);
    }
    for (int c = 0; c < d; ++c) start_cols[c] = static_cast<int16_t>(own_first + c);
  }
  size_t tableau_size() const { return static_cast<size_t>(k) * width; }
  bool Own(int label) const { return label >= own_first && label < own_first + d; }
};

// What a vertex is, read off its tableau.
struct VertexFacts {
  Labels basic;             // basic labels of the lexicographic basis
  Labels zero;              // labels whose variable is (numerically) zero
  bool degenerate = false;  // some basic variable is zero
  bool origin = false;      // the coordinates sum to (numerically) zero
};

// The facts of the vertex of `tab`, and its coordinates as the tableau gives
// them (clamped at 0, not normalised) in z[0..d).
VertexFacts Facts(const Polytope& p, const TableauRef& tab, double tol, double* z) {
  VertexFacts v;
  for (int i = 0; i < p.d; ++i) z[i] = 0.0;
  for (int r = 0; r < p.k; ++r) {
    const int label = tab.basis[r];
    v.basic.Set(label);
    const double value = tab.t[r * tab.width + p.d];
    if (value <= tol) {
      v.degenerate = true;
      v.zero.Set(label);
    }
    if (p.Own(label)) z[label - p.own_first] = std::max(0.0, value);
  }
  v.zero = v.zero | p.all.AndNot(v.basic);
  double sum = 0.0;
  for (int i = 0; i < p.d; ++i) sum += z[i];
  v.origin = !(sum > tol);
  return v;
}

// Walks the vertices of `p` by reverse search (Avis-Fukuda, as in lrs): the
// lexicographic bases form a tree rooted at the start basis (the origin),
// where the parent of a basis is the simplex pivot minimising the sum of z:
// the smallest nonbasic label with a negative reduced cost enters, and the
// lexicographic ratio test picks the leaving row. The lexicographic rule is a
// perturbation that makes every pivot strictly decrease the perturbed
// objective, so every other basis has a parent and the tree is acyclic. The
// tree is walked depth-first with a stack of tableaux, so the memory is
// bounded by the depth (no set of seen bases): a neighbour is a child exactly
// when its parent pivot leads back here, which the reduced costs after the
// pivot decide. Calls visit(tableau, index, parent index) for each vertex in
// the order found (the start basis is index 0, its own parent); a visit that
// fails stops the walk.
template <typename Visit>
Status Walk(const Polytope& p, Visit&& visit) {
  const int k = p.k, d = p.d, width = p.width;
  const size_t tableau_size = p.tableau_size();
  // A level of the walk: the tableau (in the stack buffers at the same
  // depth), its leaving rows and reduced costs, the next column to try, and
  // the vertex's index.
  struct Frame {
    int next_col = 0;
    uint32_t index = 0;
    int leaving[128];
    double cost[128];
  };
  std::vector<Frame> frames(1);
  std::vector<double> stack_t = p.start_t;
  std::vector<int16_t> stack_basis = p.start_basis, stack_cols = p.start_cols;
  uint32_t count = 0;

  // Reports the tableau at `depth` and prepares its frame.
  auto enter = [&](size_t depth) -> Status {
    const TableauRef tab{stack_t.data() + depth * tableau_size, stack_basis.data() + depth * k,
                         stack_cols.data() + depth * d, k, width};
    Frame& f = frames[depth];
    f.index = count++;
    PARLEY_RETURN_IF_ERROR(visit(tab, f.index, depth == 0 ? f.index : frames[depth - 1].index));
    f.next_col = 0;
    LeavingRows(tab, p.lex.data(), f.leaving);
    // Reduced costs of the objective sum(z): a column's own coefficient,
    // less its entries in the rows of basic own variables.
    for (int c = 0; c < d; ++c) f.cost[c] = p.Own(tab.cols[c]) ? 1.0 : 0.0;
    for (int r = 0; r < k; ++r) {
      if (!p.Own(tab.basis[r])) continue;
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

  PARLEY_RETURN_IF_ERROR(enter(0));
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
    PARLEY_RETURN_IF_ERROR(enter(depth));
  }
  return OkStatus();
}

// A copy of one tableau.
struct SavedTableau {
  std::vector<double> t;
  std::vector<int16_t> basis, cols;
  TableauRef Ref(const Polytope& p) const {
    return {t.data(), basis.data(), cols.data(), p.k, p.width};
  }
};

// The tableau of the basis reached from the start by the pivots of `path`
// (basic sets, the start basis first), in *cur (*next is scratch): each step pivots the label that
// the next set adds in for the one it drops, the same operations as in Walk, so the same numbers as
// when the walk visited that basis.
void Replay(const Polytope& p, const std::vector<Labels>& path, SavedTableau* cur,
            SavedTableau* next) {
  cur->t.assign(p.start_t.begin(), p.start_t.end());
  cur->basis.assign(p.start_basis.begin(), p.start_basis.end());
  cur->cols.assign(p.start_cols.begin(), p.start_cols.end());
  next->t.resize(cur->t.size());
  for (size_t s = 1; s < path.size(); ++s) {
    const int entering = path[s].AndNot(path[s - 1]).First();
    const int leaving = path[s - 1].AndNot(path[s]).First();
    int row = 0, col = 0;
    while (cur->basis[row] != leaving) ++row;
    while (cur->cols[col] != entering) ++col;
    PivotInto(cur->t.data(), next->t.data(), p.k, p.width, row, col);
    next->basis = cur->basis;
    next->cols = cur->cols;
    std::swap(next->basis[row], next->cols[col]);
    std::swap(*cur, *next);
  }
}

// Bases and the fewest pivots found to each: open addressing, reused from
// search to search (Clear empties only the slots used).
class SeenBases {
 public:
  void Clear() {
    for (const uint32_t s : used_) keys_[s] = Labels{};
    used_.clear();
  }
  // The pivots recorded for `key`, inserted as `g` when new.
  int& FindOrInsert(const Labels& key, int g, bool* inserted) {
    if (2 * (used_.size() + 1) > keys_.size()) Grow();
    const size_t mask = keys_.size() - 1;
    size_t h = LabelsHash()(key) & mask;
    while (!keys_[h].Empty() && !(keys_[h] == key)) h = (h + 1) & mask;
    *inserted = keys_[h].Empty();
    if (*inserted) {
      keys_[h] = key;
      values_[h] = g;
      used_.push_back(static_cast<uint32_t>(h));
    }
    return values_[h];
  }

 private:
  // (A basic set is never empty, so the empty set marks a free slot.)
  void Grow() {
    std::vector<Labels> keys = std::move(keys_);
    std::vector<int> values = std::move(values_);
    keys_.assign(std::max<size_t>(64, 2 * keys.size()), Labels{});
    values_.assign(keys_.size(), 0);
    used_.clear();
    for (size_t s = 0; s < keys.size(); ++s) {
      if (keys[s].Empty()) continue;
      bool inserted;
      FindOrInsert(keys[s], values[s], &inserted);
    }
  }
  std::vector<Labels> keys_;
  std::vector<int> values_;
  std::vector<uint32_t> used_;
};

// The level of a basis in the graph of lexicographic pivots: the fewest
// pivots from the start basis (the breadth-first order of the earlier
// search), or -1 when it cannot be reached. Iterative deepening (IDA*) back
// from the basis of `tab0`: a pivot changes the basic set by one label, so the
// number of own labels basic is a lower bound on the level, and a path that
// reaches no own label basic has reached the start basis. Pivots are
// symmetric in the lexicographically perturbed (simple) polytope, so the
// pivots from each basis lead back. Memory is the path's tableaux and the
// bases seen; on the benchmark games no level is more than 2 above the bound.
class LevelSearch {
 public:
  int operator()(const Polytope& p, const TableauRef& tab0);

 private:
  struct Node {
    Labels key;
    int h = 0, count = 0, next = 0;
    int16_t col[128], row[128];
  };
  // Reused from call to call: the path's nodes and tableaux, the bases seen.
  std::vector<Node> nodes;
  std::vector<double> st;
  std::vector<int16_t> sb, sc;
  SeenBases best;  // fewest pivots to each basis seen
};

int LevelSearch::operator()(const Polytope& p, const TableauRef& tab0) {
  const int k = p.k, d = p.d, width = p.width;
  const size_t tableau_size = p.tableau_size();
  int h0 = 0;
  Labels key0;
  for (int r = 0; r < k; ++r) {
    h0 += p.Own(tab0.basis[r]);
    key0.Set(tab0.basis[r]);
  }
  if (h0 == 0) return 0;
  if (nodes.empty()) nodes.resize(1);
  st.resize(std::max(st.size(), tableau_size));
  sb.resize(std::max(sb.size(), static_cast<size_t>(k)));
  sc.resize(std::max(sc.size(), static_cast<size_t>(d)));
  std::copy(tab0.t, tab0.t + tableau_size, st.begin());
  std::copy(tab0.basis, tab0.basis + k, sb.begin());
  std::copy(tab0.cols, tab0.cols + d, sc.begin());
  // The pivots from the basis at `depth`, those that lower the bound first.
  auto expand = [&](size_t depth) {
    const TableauRef tab{st.data() + depth * tableau_size, sb.data() + depth * k,
                         sc.data() + depth * d, k, width};
    int leaving[128];
    LeavingRows(tab, p.lex.data(), leaving);
    Node& n = nodes[depth];
    n.count = n.next = 0;
    for (int pass = -1; pass <= 1; ++pass) {
      for (int c = 0; c < d; ++c) {
        if (leaving[c] < 0) continue;
        if (p.Own(tab.cols[c]) - p.Own(tab.basis[leaving[c]]) != pass) continue;
        n.col[n.count] = static_cast<int16_t>(c);
        n.row[n.count++] = static_cast<int16_t>(leaving[c]);
      }
    }
  };
  for (int threshold = h0;;) {
    best.Clear();
    bool inserted;
    best.FindOrInsert(key0, 0, &inserted);
    nodes[0].key = key0;
    nodes[0].h = h0;
    expand(0);
    int next_threshold = std::numeric_limits<int>::max();
    size_t depth = 0;
    for (;;) {
      Node& n = nodes[depth];
      if (n.next == n.count) {
        if (depth == 0) break;
        --depth;
        continue;
      }
      const int col = n.col[n.next], row = n.row[n.next];
      ++n.next;
      if (nodes.size() < depth + 2) nodes.emplace_back();  // (n is not used after)
      // (the pointers below are taken after)
      st.resize(std::max(st.size(), (depth + 2) * tableau_size));
      sb.resize(std::max(sb.size(), (depth + 2) * k));
      sc.resize(std::max(sc.size(), (depth + 2) * d));
      const int16_t* basis = sb.data() + depth * k;
      const int16_t* cols = sc.data() + depth * d;
      const int g = static_cast<int>(depth) + 1;
      const int h = nodes[depth].h + p.Own(cols[col]) - p.Own(basis[row]);
      if (g + h > threshold) {
        next_threshold = std::min(next_threshold, g + h);
        continue;
      }
      if (h == 0) return g;  // only the start basis has no own label basic
      Labels key = nodes[depth].key;
      key.Reset(basis[row]);
      key.Set(cols[col]);
      int& fewest = best.FindOrInsert(key, g, &inserted);
      if (!inserted) {
        if (fewest <= g) continue;
        fewest = g;
      }
      PivotInto(st.data() + depth * tableau_size, st.data() + (depth + 1) * tableau_size, k, width,
                row, col);
      int16_t* nb = sb.data() + (depth + 1) * k;
      int16_t* nc = sc.data() + (depth + 1) * d;
      std::memcpy(nb, basis, sizeof(int16_t) * k);
      std::memcpy(nc, cols, sizeof(int16_t) * d);
      std::swap(nb[row], nc[col]);
      ++depth;
      nodes[depth].key = key;
      nodes[depth].h = h;
      expand(depth);
    }
    if (next_threshold == std::numeric_limits<int>::max()) return -1;  // all reachable seen
    threshold = next_threshold;
  }
}

// A vector in blocks of 2^16 entries: growing it past the first block never
// copies, so the peak is the size. The first block grows as a vector does,
// so that small games allocate little.
template <typename T>
class Blocks {
 public:
  void push_back(const T& v) {
    if (size_ < kBlock) {
      if (first_.size() == first_.capacity()) first_.reserve(std::min(kBlock, 2 * size_ + 16));
      first_.push_back(v);
    } else {
      if ((size_ >> kShift) == rest_.size() + 1) rest_.emplace_back().reserve(kBlock);
      rest_.back().push_back(v);
    }
    ++size_;
  }
  const T& operator[](size_t i) const {
    return i < kBlock ? first_[i] : rest_[(i >> kShift) - 1][i & (kBlock - 1)];
  }
  size_t size() const { return size_; }

 private:
  static constexpr int kShift = 16;
  static constexpr size_t kBlock = size_t{1} << kShift;
  std::vector<T> first_;
  std::vector<std::vector<T>> rest_;
  size_t size_ = 0;
};

// The stored vertices of Q: per vertex its basic set (one word when there
// are at most 64 labels), its parent in the search tree and flags; after the
// walk, an index from basic set to vertices (open addressing, linear
// probing, at most two thirds full).
class StoredVertices {
 public:
  static constexpr uint8_t kDegenerate = 1, kOrigin = 2;

  explicit StoredVertices(int labels) : wide_(labels > 64) {}
  // Bytes a vertex takes: its basic set, parent and flags, and up to three
  // slots of the index.
  int64_t BytesPerVertex() const {
    return static_cast<int64_t>(sizeof(uint64_t) * (wide_ ? 2 : 1) + sizeof(uint32_t) +
                                sizeof(uint8_t) + 3 * sizeof(uint32_t));
  }
  void Add(const Labels& basic, uint32_t parent, uint8_t flags) {
    low_.push_back(basic.w[0]);
    if (wide_) high_.push_back(basic.w[1]);
    parent_.push_back(parent);
    flags_.push_back(flags);
  }
  // Builds the index; call once, after the last Add.
  void Index() {
    size_t slots = 4;
    while (2 * slots < 3 * size()) slots *= 2;
    slots_.assign(slots, UINT32_MAX);
    for (uint32_t i = 0; i < size(); ++i) {
      size_t h = LabelsHash()(basic(i)) & (slots - 1);
      while (slots_[h] != UINT32_MAX) h = (h + 1) & (slots - 1);
      slots_[h] = i;
    }
  }
  size_t size() const { return low_.size(); }
  Labels basic(size_t i) const { return {{low_[i], wide_ ? high_[i] : 0}}; }
  uint32_t parent(size_t i) const { return parent_[i]; }
  uint8_t flags(size_t i) const { return flags_[i]; }
  // The vertices with basic set `key`, in the order found.
  void Find(const Labels& key, std::vector<uint32_t>* out) const {
    out->clear();
    const size_t mask = slots_.size() - 1;
    for (size_t h = LabelsHash()(key) & mask; slots_[h] != UINT32_MAX; h = (h + 1) & mask) {
      if (basic(slots_[h]) == key) out->push_back(slots_[h]);
    }
    std::sort(out->begin(), out->end());
  }
  // The basic sets from the start basis to vertex i, by parents.
  void Path(uint32_t i, std::vector<Labels>* path) const {
    path->assign(1, basic(i));
    for (; i != 0; i = parent_[i]) path->push_back(basic(parent_[i]));
    std::reverse(path->begin(), path->end());
  }

 private:
  bool wide_;
  Blocks<uint64_t> low_, high_;
  Blocks<uint32_t> parent_;
  Blocks<uint8_t> flags_;
  std::vector<uint32_t> slots_;
};

constexpr int kLevelUnknown = -2;  // not computed: not needed to order the pairs

// A vertex that takes part in a candidate pair: its facts, coordinates
// (raw, as in Facts) and level.
struct Candidate {
  uint32_t index = 0;  // order found by the walk
  VertexFacts facts;
  Eigen::VectorXd raw;
  int level = kLevelUnknown;  // see LevelSearch; -1: unreachable

  // The vertex as a probability vector.
  Eigen::VectorXd Normalised() const { return raw / raw.sum(); }
};

// The breadth-first order of the search this replaced: by level, each level
// by basic set; bases no pivot reaches (only by rounding) after the others,
// in the order found.
bool BreadthFirstBefore(const Candidate& x, const Candidate& y) {
  const bool rx = x.level >= 0, ry = y.level >= 0;
  if (rx != ry) return rx;
  if (!rx) return x.index < y.index;
  if (x.level != y.level) return x.level < y.level;
  return x.facts.basic < y.facts.basic;
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
  const Polytope pp(b.transpose(), 0, m, labels);
  // Q = {y >= 0 : A y <= 1}: y labels m..m+n-1, slacks 0..m-1.
  const Polytope qp(a, m, 0, labels);
  const Labels all = pp.all;

  // Q's vertices, stored; the label sets of its degenerate ones.
  StoredVertices q(labels);
  struct DegenerateVertex {
    uint32_t index;
    Labels zero;
    bool origin;
  };
  std::vector<DegenerateVertex> q_degenerate;
  int64_t candidate_bytes = 0;  // what the candidates of P below take
  auto over_limit = [&](int64_t more) {
    return static_cast<int64_t>(q.size()) * q.BytesPerVertex() + candidate_bytes + more >
           max_stored_bytes;
  };
  auto refuse = [&] {
    return ResourceExhausted(
        "vertex enumeration: storing the vertices of the column player's best-response "
        "polytope (" +
        std::to_string(q.size()) + " so far, " + std::to_string(q.BytesPerVertex()) +
        " bytes each with their index) and the candidate pairs would exceed the limit of " +
        std::to_string(max_stored_bytes) + " bytes" +
        (max_stored_bytes >= (int64_t{1} << 20)
             ? " (" + std::to_string(max_stored_bytes >> 20) + " MiB)"
             : std::string()));
  };
  {
    std::vector<double> z(n);
    Status s = Walk(qp, [&](const TableauRef& tab, uint32_t index, uint32_t parent) -> Status {
      if (over_limit(q.BytesPerVertex())) return refuse();
      const VertexFacts v = Facts(qp, tab, tol, z.data());
      result.degenerate = result.degenerate || v.degenerate;
      if (v.degenerate) q_degenerate.push_back({index, v.zero, v.origin});
      q.Add(v.basic, parent,
            (v.degenerate ? StoredVertices::kDegenerate : 0) |
                (v.origin ? StoredVertices::kOrigin : 0));
      return OkStatus();
    });
    PARLEY_RETURN_IF_ERROR(s);
    q.Index();
  }
  // Calls f(y) for each vertex y of Q, in the order found, whose actual
  // label set together with `x_zero` covers every label (not the origin),
  // until f returns false. A nondegenerate y's zero labels are its nonbasic
  // ones, so it qualifies when its basic set is within x_zero.
  auto for_each_covering = [&](const Labels& x_zero, auto&& f) {
    size_t next_degenerate = 0;
    for (uint32_t yi = 0; yi < q.size(); ++yi) {
      const uint8_t flags = q.flags(yi);
      if (flags & StoredVertices::kDegenerate) {
        const DegenerateVertex& y = q_degenerate[next_degenerate++];
        if (!y.origin && all.AndNot(x_zero | y.zero).Empty() && !f(yi)) return;
      } else if (!(flags & StoredVertices::kOrigin) && q.basic(yi).AndNot(x_zero).Empty() &&
                 !f(yi)) {
        return;
      }
    }
  };

  // Q's vertices in candidate pairs: their tableaux replayed, for the
  // coordinates and, where the order needs it, the level.
  std::deque<Candidate> ys;  // (references stay valid as it grows)
  std::unordered_map<uint32_t, Candidate*> y_of;
  LevelSearch level;
  std::vector<Labels> path;
  SavedTableau tab, scratch;
  std::vector<double> z(n);
  auto y_candidate = [&](uint32_t yi, bool ranked) -> const Candidate& {
    auto [it, inserted] = y_of.try_emplace(yi, nullptr);
    if (inserted) it->second = &ys.emplace_back();
    Candidate& c = *it->second;
    if (inserted || (ranked && c.level == kLevelUnknown)) {
      q.Path(yi, &path);
      Replay(qp, path, &tab, &scratch);
      if (inserted) {
        c.index = yi;
        c.facts = Facts(qp, tab.Ref(qp), tol, z.data());
        c.raw = Eigen::Map<const Eigen::VectorXd>(z.data(), n);
      }
      if (ranked) c.level = level(qp, tab.Ref(qp));
    }
    return c;
  };

  // P's vertices that take part in candidate pairs, and the pairs: those of
  // complementary bases (the basic sets are disjoint, so Q's is the
  // complement of P's), and, in degenerate games, pairs with a degenerate
  // vertex whose actual label sets are complementary (through a zero basic
  // variable, which the basis test does not see; two nondegenerate vertices
  // have exactly their nonbasic labels, so only pairs with a degenerate
  // vertex need this test). The pairs of a degenerate row vertex are found
  // again after the walk, so as not to store them.
  std::vector<Candidate> xs;
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> complementary;  // x -> Q vertices
  std::vector<uint32_t> degenerate_xs;
  std::vector<std::pair<uint32_t, uint32_t>> by_degenerate_y;  // (degenerate y, x)
  int64_t p_vertices = 0;
  {
    std::vector<double> z(m);
    std::vector<uint32_t> found;
    SavedTableau first_tab;
    const int64_t bytes_per_candidate =
        static_cast<int64_t>(sizeof(Candidate) + sizeof(double) * m + 2 * sizeof(uint32_t));
    Status s = Walk(pp, [&](const TableauRef& tab, uint32_t index, uint32_t) -> Status {
      ++p_vertices;
      const VertexFacts v = Facts(pp, tab, tol, z.data());
      result.degenerate = result.degenerate || v.degenerate;
      if (v.origin) return OkStatus();  // the artificial origin pairs with nothing
      const auto id = static_cast<uint32_t>(xs.size());
      bool candidate = false;
      q.Find(all.AndNot(v.basic), &found);
      found.erase(
          std::remove_if(found.begin(), found.end(),
                         [&](uint32_t yi) { return q.flags(yi) & StoredVertices::kOrigin; }),
          found.end());
      if (!found.empty()) {
        complementary.emplace_back(id, found);
        candidate = true;
      }
      if (v.degenerate) {
        for_each_covering(v.zero, [&](uint32_t) { return !(candidate = true); });
        if (candidate) degenerate_xs.push_back(id);
      } else {
        for (const DegenerateVertex& y : q_degenerate) {
          if (y.origin || !v.basic.AndNot(y.zero).Empty()) continue;
          by_degenerate_y.emplace_back(y.index, id);
          candidate = true;
        }
      }
      if (!candidate) return OkStatus();
      candidate_bytes += bytes_per_candidate;
      if (over_limit(0)) return refuse();
      Candidate& c = xs.emplace_back();
      c.index = index;
      c.facts = v;
      c.raw = Eigen::Map<const Eigen::VectorXd>(z.data(), m);
      // Levels only order the candidates: the first one's is left until
      // there is a second.
      if (xs.size() == 1) {
        first_tab = SavedTableau{std::vector<double>(tab.t, tab.t + pp.tableau_size()),
                                 std::vector<int16_t>(tab.basis, tab.basis + pp.k),
                                 std::vector<int16_t>(tab.cols, tab.cols + pp.d)};
      } else {
        if (xs.size() == 2) xs[0].level = level(pp, first_tab.Ref(pp));
        c.level = level(pp, tab);
      }
      return OkStatus();
    });
    PARLEY_RETURN_IF_ERROR(s);
  }
  result.vertices_row = p_vertices;
  result.vertices_column = static_cast<int64_t>(q.size());

  const double scale = 1.0 + std::max(g.a.cwiseAbs().maxCoeff(), g.b.cwiseAbs().maxCoeff());
  auto consider = [&](const Candidate& xc, const Candidate& yc) {
    const Eigen::VectorXd x = xc.Normalised(), y = yc.Normalised();
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

  // The pairs in the order of the breadth-first search this replaced: the
  // complementary bases by the row player's vertex, then (degenerate games)
  // the degenerate row vertices with the column vertices they cover, then the
  // degenerate column vertices with the nondegenerate row vertices.
  auto x_before = [&](uint32_t i, uint32_t j) { return BreadthFirstBefore(xs[i], xs[j]); };
  std::stable_sort(complementary.begin(), complementary.end(),
                   [&](const auto& e, const auto& f) { return x_before(e.first, f.first); });
  for (const auto& [xi, found] : complementary) {
    for (const uint32_t yi : found) consider(xs[xi], y_candidate(yi, false));
  }
  std::stable_sort(degenerate_xs.begin(), degenerate_xs.end(), x_before);
  std::vector<const Candidate*> covering;
  for (const uint32_t xi : degenerate_xs) {
    covering.clear();
    for_each_covering(xs[xi].facts.zero, [&](uint32_t yi) {
      covering.push_back(&y_candidate(yi, true));
      return true;
    });
    std::stable_sort(covering.begin(), covering.end(), [](const Candidate* u, const Candidate* v) {
      return BreadthFirstBefore(*u, *v);
    });
    for (const Candidate* y : covering) consider(xs[xi], *y);
  }
  std::vector<std::pair<const Candidate*, uint32_t>> pairs;
  pairs.reserve(by_degenerate_y.size());
  for (const auto& [yi, xi] : by_degenerate_y) pairs.emplace_back(&y_candidate(yi, true), xi);
  std::stable_sort(pairs.begin(), pairs.end(), [&](const auto& e, const auto& f) {
    if (e.first != f.first) {
      if (BreadthFirstBefore(*e.first, *f.first)) return true;
      if (BreadthFirstBefore(*f.first, *e.first)) return false;
      return e.first->index < f.first->index;  // the same basis twice (only by rounding)
    }
    return x_before(e.second, f.second);
  });
  for (const auto& [y, xi] : pairs) consider(xs[xi], *y);
  return result;
}

}  // namespace parley
