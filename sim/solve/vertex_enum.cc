// Vertex enumeration of the best-response polytopes of a bimatrix game.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "sim/solve/mixed.h"
#include "sim/solve/tableau.h"

namespace parley {
namespace {

// A set of labels 0..127.
struct Labels {
  uint64_t w[2] = {0, 0};
  void Set(int i) { w[i >> 6] |= uint64_t{1} << (i & 63); }
  bool operator==(const Labels& o) const { return w[0] == o.w[0] && w[1] == o.w[1]; }
  bool operator<(const Labels& o) const { return w[1] != o.w[1] ? w[1] < o.w[1] : w[0] < o.w[0]; }
};
struct LabelsHash {
  size_t operator()(const Labels& l) const {  // splitmix64 finaliser
    uint64_t z = l.w[0] ^ (l.w[1] * 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return static_cast<size_t>(z ^ (z >> 31));
  }
};

// The tableau of {z >= 0 : M z <= 1}, with the set of basic labels.
struct PolytopeTableau : LexTableau {
  Labels BasicSet() const {
    Labels l;
    for (int b : basis) l.Set(b);
    return l;
  }
};

struct Vertex {
  Eigen::VectorXd z;        // normalised to a probability vector (empty at the origin)
  Labels basic;             // basic labels of the lexicographic basis
  Labels zero;              // labels whose variable is (numerically) zero
  bool degenerate = false;  // some basic variable is zero
};

// Enumerates the vertices of {z >= 0 : M z <= 1}, M = k x d (z has d entries
// with labels own_first..own_first+d-1; constraint slacks have labels
// slack_first..slack_first+k-1).
StatusOr<std::vector<Vertex>> Vertices(const Eigen::MatrixXd& m, int own_first, int slack_first,
                                       int labels, int64_t max_vertices, double tol,
                                       bool* degenerate) {
  const int k = static_cast<int>(m.rows()), d = static_cast<int>(m.cols());
  PolytopeTableau start;
  start.t = Eigen::MatrixXd::Zero(k, labels + 1);
  for (int r = 0; r < k; ++r) {
    for (int c = 0; c < d; ++c) start.t(r, own_first + c) = m(r, c);
    start.t(r, slack_first + r) = 1.0;
    start.t(r, labels) = 1.0;
    start.basis.push_back(slack_first + r);
    start.lex.push_back(slack_first + r);
  }
  // Breadth-first search by layers: in a graph search from one vertex, a
  // neighbour of layer L lies in layer L-1, L or L+1, so "seen" needs only
  // the sorted keys of the previous and current layers (no global set).
  std::vector<Vertex> out;
  std::vector<Labels> previous_keys, current_keys = {start.BasicSet()};
  std::vector<PolytopeTableau> current = {std::move(start)};
  struct Step {
    Labels key;
    size_t parent;
    int row, enter;
    bool operator<(const Step& o) const { return key < o.key; }
  };
  std::vector<Step> steps;
  while (!current.empty()) {
    steps.clear();
    for (size_t index = 0; index < current.size(); ++index) {
      const PolytopeTableau& cur = current[index];
      Vertex v;
      v.basic = cur.BasicSet();
      Eigen::VectorXd z = Eigen::VectorXd::Zero(d);
      std::vector<bool> basic(labels, false);
      for (int r = 0; r < k; ++r) {
        const int label = cur.basis[r];
        basic[label] = true;
        const double value = cur.t(r, labels);
        if (value <= tol) {
          *degenerate = true;
          v.degenerate = true;
          v.zero.Set(label);
        }
        if (label >= own_first && label < own_first + d)
          z(label - own_first) = std::max(0.0, value);
      }
      for (int label = 0; label < labels; ++label) {
        if (!basic[label]) v.zero.Set(label);
      }
      if (z.sum() > tol) v.z = z / z.sum();
      out.push_back(std::move(v));
      if (static_cast<int64_t>(out.size()) > max_vertices) {
        return ResourceExhausted("a best-response polytope has more than " +
                                 std::to_string(max_vertices) + " vertices");
      }
      for (int enter = 0; enter < labels; ++enter) {
        if (basic[enter]) continue;
        const int row = cur.LeavingRow(enter);
        if (row < 0) continue;
        Labels next = out.back().basic;
        next.w[cur.basis[row] >> 6] &= ~(uint64_t{1} << (cur.basis[row] & 63));
        next.Set(enter);
        if (std::binary_search(previous_keys.begin(), previous_keys.end(), next) ||
            std::binary_search(current_keys.begin(), current_keys.end(), next)) {
          continue;
        }
        steps.push_back({next, index, row, enter});
      }
    }
    // The next layer: each new basis once.
    std::sort(steps.begin(), steps.end());
    steps.erase(std::unique(steps.begin(), steps.end(),
                            [](const Step& a, const Step& b) { return a.key == b.key; }),
                steps.end());
    std::vector<PolytopeTableau> next_layer;
    next_layer.reserve(steps.size());
    previous_keys = std::move(current_keys);
    current_keys.clear();
    for (const Step& step : steps) {
      PolytopeTableau t = current[step.parent];
      t.Pivot(step.row, step.enter);
      next_layer.push_back(std::move(t));
      current_keys.push_back(step.key);
    }
    current = std::move(next_layer);
  }
  return out;
}

}  // namespace

StatusOr<VertexEnumeration> EnumerateVertices(const Bimatrix& g, int64_t max_vertices,
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
  auto p = Vertices(b.transpose(), 0, m, labels, max_vertices, tol, &result.degenerate);
  if (!p.ok()) return p.status();
  // Q = {y >= 0 : A y <= 1}: y labels m..m+n-1, slacks 0..m-1.
  auto q = Vertices(a, m, 0, labels, max_vertices, tol, &result.degenerate);
  if (!q.ok()) return q.status();
  result.vertices_row = static_cast<int64_t>(p->size());
  result.vertices_column = static_cast<int64_t>(q->size());

  const double scale = 1.0 + std::max(g.a.cwiseAbs().maxCoeff(), g.b.cwiseAbs().maxCoeff());
  auto consider = [&](const Vertex& x, const Vertex& y) {
    if (x.z.size() == 0 || y.z.size() == 0) return;  // the artificial origin
    const Eigen::VectorXd row_values = g.a * y.z;
    const Eigen::VectorXd col_values = g.b.transpose() * x.z;
    MixedEquilibrium e;
    e.strategies = {x.z, y.z};
    e.payoffs = {x.z.dot(row_values), y.z.dot(col_values)};
    e.regret =
        std::max({0.0, row_values.maxCoeff() - e.payoffs[0], col_values.maxCoeff() - e.payoffs[1]});
    if (e.regret > 1e3 * options.tolerance * scale) return;
    for (const auto& f : result.equilibria) {
      if (SameProfile(f.strategies, e.strategies, 1e-7)) return;
    }
    result.equilibria.push_back(std::move(e));
  };

  // Complementary lexicographic bases: the basic sets are disjoint, so Q's
  // basic set is the complement of P's.
  std::unordered_map<Labels, std::vector<size_t>, LabelsHash> q_by_basis;
  for (size_t i = 0; i < q->size(); ++i) q_by_basis[(*q)[i].basic].push_back(i);
  Labels all;
  for (int l = 0; l < labels; ++l) all.Set(l);
  for (const Vertex& x : *p) {
    Labels complement = x.basic;
    complement.w[0] = ~complement.w[0] & all.w[0];
    complement.w[1] = ~complement.w[1] & all.w[1];
    auto it = q_by_basis.find(complement);
    if (it == q_by_basis.end()) continue;
    for (size_t i : it->second) consider(x, (*q)[i]);
  }
  // Degenerate games: a pair of vertices can be complementary through a zero
  // basic variable, which the basis test above does not see. Two
  // nondegenerate vertices have exactly their nonbasic labels, so only pairs
  // with a degenerate vertex need the test on actual label sets.
  auto covers = [&](const Vertex& x, const Vertex& y) {
    return ((x.zero.w[0] | y.zero.w[0]) & all.w[0]) == all.w[0] &&
           ((x.zero.w[1] | y.zero.w[1]) & all.w[1]) == all.w[1];
  };
  if (result.degenerate) {
    for (const Vertex& x : *p) {
      if (!x.degenerate || x.z.size() == 0) continue;
      for (const Vertex& y : *q) {
        if (covers(x, y)) consider(x, y);
      }
    }
    for (const Vertex& y : *q) {
      if (!y.degenerate || y.z.size() == 0) continue;
      for (const Vertex& x : *p) {
        if (!x.degenerate && covers(x, y)) consider(x, y);
      }
    }
  }
  return result;
}

}  // namespace parley
