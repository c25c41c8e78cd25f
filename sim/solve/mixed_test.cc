#include "sim/solve/mixed.h"

#include <gtest/gtest.h>

#include <bit>
#include <map>

#include "sim/core/rng.h"
#include "sim/solve/pure_nash.h"
#include "sim/solve/tableau.h"

namespace parley {
namespace {

Bimatrix Make(Eigen::MatrixXd a, Eigen::MatrixXd b) { return {std::move(a), std::move(b)}; }

Eigen::VectorXd V(std::initializer_list<double> v) {
  Eigen::VectorXd x(v.size());
  int i = 0;
  for (double d : v) x(i++) = d;
  return x;
}

bool Contains(const std::vector<MixedEquilibrium>& found, const MixedProfile& profile) {
  for (const auto& e : found) {
    if (SameProfile(e.strategies, profile, 1e-9)) return true;
  }
  return false;
}

Bimatrix BattleOfTheSexes() {
  Eigen::MatrixXd a(2, 2), b(2, 2);
  a << 2, 0, 0, 1;
  b << 1, 0, 0, 2;
  return Make(a, b);
}

TEST(SupportEnumeration, BattleOfTheSexesHasTwoPureAndOneMixed) {
  auto found = SupportEnumeration(BattleOfTheSexes());
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 3u);
  EXPECT_TRUE(Contains(*found, {V({1, 0}), V({1, 0})}));
  EXPECT_TRUE(Contains(*found, {V({0, 1}), V({0, 1})}));
  EXPECT_TRUE(Contains(*found, {V({2.0 / 3, 1.0 / 3}), V({1.0 / 3, 2.0 / 3})}));
  for (const auto& e : *found) EXPECT_LE(e.regret, 1e-12);
}

TEST(SupportEnumeration, MatchingPenniesAndRockPaperScissorsAreUniform) {
  Eigen::MatrixXd mp(2, 2);
  mp << 1, -1, -1, 1;
  auto found = SupportEnumeration(Make(mp, -mp));
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_TRUE(SameProfile((*found)[0].strategies, {V({0.5, 0.5}), V({0.5, 0.5})}, 1e-12));
  EXPECT_NEAR((*found)[0].payoffs[0], 0.0, 1e-12);

  Eigen::MatrixXd rps(3, 3);
  rps << 0, -1, 1, 1, 0, -1, -1, 1, 0;
  found = SupportEnumeration(Make(rps, -rps));
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  const Eigen::VectorXd third = Eigen::VectorXd::Constant(3, 1.0 / 3);
  EXPECT_TRUE(SameProfile((*found)[0].strategies, {third, third}, 1e-12));
}

TEST(SupportEnumeration, RefusesGamesTooLargeToEnumerate) {
  const Eigen::MatrixXd big = Eigen::MatrixXd::Random(40, 40);
  auto found = SupportEnumeration(Make(big, big));
  EXPECT_EQ(found.status().code(), StatusCode::kResourceExhausted);
}

TEST(LemkeHowson, FindsEachBattleOfTheSexesEquilibriumFromSomeLabel) {
  const auto found = LemkeHowsonAll(BattleOfTheSexes());
  ASSERT_GE(found.size(), 1u);
  auto all = *SupportEnumeration(BattleOfTheSexes());
  for (const auto& e : found) {
    EXPECT_LE(e.regret, 1e-12);
    EXPECT_TRUE(Contains(all, e.strategies));
  }
}

TEST(LemkeHowson, TerminatesOnDegenerateGames) {
  // Column player indifferent everywhere; row player has a tie: highly degenerate.
  Eigen::MatrixXd a(3, 3), b = Eigen::MatrixXd::Zero(3, 3);
  a << 1, 1, 0, 1, 1, 0, 0, 0, 1;
  for (int label = 0; label < 6; ++label) {
    const MixedEquilibrium e = LemkeHowson(Make(a, b), label);
    EXPECT_LE(e.regret, 1e-12) << "label " << label;
    EXPECT_NEAR(e.strategies[0].sum(), 1.0, 1e-12);
    EXPECT_NEAR(e.strategies[1].sum(), 1.0, 1e-12);
  }
}

// Random games with continuous payoffs are nondegenerate with probability 1:
// support enumeration finds all equilibria, an odd number of them; every
// Lemke-Howson result is one of them; pure equilibria are among them.
TEST(MixedSolvers, AgreeOnRandomGames) {
  for (uint64_t trial = 0; trial < 60; ++trial) {
    SampleRng rng(31, trial);
    const int m = 1 + static_cast<int>(rng.NextU32() % 5),
              n = 1 + static_cast<int>(rng.NextU32() % 5);
    Eigen::MatrixXd a(m, n), b(m, n);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) a(i, j) = rng.Uniform() * 10, b(i, j) = rng.Uniform() * 10;
    }
    const Bimatrix g = Make(a, b);
    auto all = SupportEnumeration(g);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size() % 2, 1u) << "trial " << trial;  // nondegenerate: odd count
    for (const auto& e : *all) EXPECT_LE(e.regret, 1e-9);
    for (const auto& e : LemkeHowsonAll(g)) {
      EXPECT_LE(e.regret, 1e-9);
      EXPECT_TRUE(Contains(*all, e.strategies)) << "trial " << trial;
    }
    // Pure equilibria by the pure solver, seen as mixed profiles.
    std::vector<double> payoffs(m * n * 2);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        payoffs[(i + j * m) * 2] = a(i, j);
        payoffs[(i + j * m) * 2 + 1] = b(i, j);
      }
    }
    auto game = *NormalFormGame::Make(
        {"r", "c"}, {std::vector<std::string>(m, "s"), std::vector<std::string>(n, "s")}, payoffs);
    PureNashScratch scratch;
    std::vector<int64_t> pure;
    FindPureEquilibria(game.view(), scratch, pure);
    for (int64_t q : pure) {
      Eigen::VectorXd x = Eigen::VectorXd::Zero(m), y = Eigen::VectorXd::Zero(n);
      x(q % m) = 1;
      y(q / m) = 1;
      EXPECT_TRUE(Contains(*all, {x, y})) << "trial " << trial;
    }
  }
}

TEST(Evaluate, NonFiniteProfilesHaveInfiniteRegret) {
  auto g = *NormalFormGame::Make({"a", "b"}, {{"0", "1"}, {"0", "1"}}, std::vector<double>(8, 1.0));
  const MixedProfile bad = {V({std::nan(""), 1}), V({0.5, 0.5})};
  EXPECT_TRUE(std::isinf(Evaluate(g.view(), bad).regret));
}

TEST(StrategyValues, MatchesBruteForceOnThreePlayers) {
  SampleRng rng(5, 5);
  std::vector<double> payoffs(2 * 3 * 2 * 3);
  for (double& x : payoffs) x = rng.Uniform();
  auto g =
      *NormalFormGame::Make({"a", "b", "c"}, {{"0", "1"}, {"0", "1", "2"}, {"0", "1"}}, payoffs);
  const MixedProfile profile = {V({0.3, 0.7}), V({0.2, 0.5, 0.3}), V({0.9, 0.1})};
  const auto values = StrategyValues(g.view(), profile);
  // Player 1 (b), strategy 2: sum over a, c.
  double expected = 0;
  for (int a = 0; a < 2; ++a) {
    for (int c = 0; c < 2; ++c) {
      expected += profile[0](a) * profile[2](c) * g.view().Payoff(g.space.Encode({a, 2, c}), 1);
    }
  }
  EXPECT_NEAR(values[1](2), expected, 1e-15);
  const MixedEquilibrium e = Evaluate(g.view(), profile);
  EXPECT_NEAR(e.payoffs[1], profile[1].dot(values[1]), 1e-15);
  EXPECT_GE(e.regret, 0.0);
}

}  // namespace
}  // namespace parley

namespace parley {
namespace {

TEST(VertexEnumeration, BattleOfTheSexesHasThree) {
  Eigen::MatrixXd a(2, 2), b(2, 2);
  a << 2, 0, 0, 1;
  b << 1, 0, 0, 2;
  auto r = EnumerateVertices({a, b});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->equilibria.size(), 3u);
  EXPECT_FALSE(r->degenerate);
}

TEST(VertexEnumeration, AgreesWithSupportEnumerationOnRandomGames) {
  for (uint64_t trial = 0; trial < 40; ++trial) {
    SampleRng rng(77, trial);
    const int m = 1 + static_cast<int>(rng.NextU32() % 6),
              n = 1 + static_cast<int>(rng.NextU32() % 6);
    Eigen::MatrixXd a(m, n), b(m, n);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) a(i, j) = rng.Uniform(), b(i, j) = rng.Uniform();
    }
    auto vertex = EnumerateVertices({a, b});
    auto support = SupportEnumeration({a, b});
    ASSERT_TRUE(vertex.ok() && support.ok());
    ASSERT_EQ(vertex->equilibria.size(), support->size()) << "trial " << trial;
    for (const auto& e : vertex->equilibria) {
      EXPECT_LE(e.regret, 1e-9);
      bool found = false;
      for (const auto& f : *support) found |= SameProfile(e.strategies, f.strategies, 1e-7);
      EXPECT_TRUE(found) << "trial " << trial;
    }
  }
}

TEST(VertexEnumeration, FlagsDegenerateGamesAndStillFindsTheirEquilibria) {
  // Integer payoffs 0..2 on 3x3: ties make these games degenerate.
  Eigen::MatrixXd a(3, 3), b(3, 3);
  a << 1, 1, 0, 0, 2, 1, 2, 0, 1;
  b << 1, 1, 2, 0, 1, 1, 2, 2, 0;
  auto r = EnumerateVertices({a, b});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->degenerate);
  ASSERT_FALSE(r->equilibria.empty());
  for (const auto& e : r->equilibria) EXPECT_LE(e.regret, 1e-9);
  // Every Lemke-Howson equilibrium is among them.
  for (const auto& e : LemkeHowsonAll({a, b})) {
    bool found = false;
    for (const auto& f : r->equilibria) found |= SameProfile(e.strategies, f.strategies, 1e-7);
    EXPECT_TRUE(found);
  }
}

}  // namespace
}  // namespace parley

namespace parley {
namespace {

// The 10x10 game of bench/solver_bench.cc (integer payoffs 0..99, seed 2025)
// and its equilibria as lrsnash (lrslib 7.1, exact rational arithmetic)
// prints them: vertex enumeration must find exactly these.
TEST(VertexEnumeration, MatchesLrsnashOnTheTenByTenBenchmarkGame) {
  SampleRng rng(2025, 10);
  Eigen::MatrixXd a(10, 10), b(10, 10);
  for (int i = 0; i < 10; ++i) {
    for (int j = 0; j < 10; ++j) {
      a(i, j) = static_cast<double>(rng.NextU32() % 100);
      b(i, j) = static_cast<double>(rng.NextU32() % 100);
    }
  }
  auto x = [](std::vector<std::pair<int, double>> entries) {
    Eigen::VectorXd v = Eigen::VectorXd::Zero(10);
    for (const auto& [i, p] : entries) v(i) = p;
    return v;
  };
  const std::vector<MixedProfile> lrsnash = {
      {x({{5, 64.0 / 1111}, {6, 2925.0 / 12221}, {7, 1054.0 / 12221}, {8, 7538.0 / 12221}}),
       x({{2, 455.0 / 2364}, {3, 102275.0 / 205668}, {4, 14534.0 / 51417}, {6, 1418.0 / 51417}})},
      {x({{5, 144.0 / 787}, {6, 227.0 / 787}, {8, 416.0 / 787}}),
       x({{2, 483.0 / 2684}, {3, 1609.0 / 2684}, {4, 148.0 / 671}})},
      {x({{6, 395.0 / 2299}, {7, 306.0 / 2299}, {8, 1598.0 / 2299}}),
       x({{3, 95.0 / 957}, {4, 299.0 / 957}, {6, 563.0 / 957}})},
      {x({{6, 149.0 / 1129}, {7, 315.0 / 2258}, {8, 1645.0 / 2258}}),
       x({{0, 1126.0 / 1393}, {3, 263.0 / 1393}, {4, 4.0 / 1393}})},
      {x({{7, 18.0 / 35}, {8, 17.0 / 35}}), x({{0, 17.0 / 22}, {6, 5.0 / 22}})},
  };
  auto r = EnumerateVertices({a, b});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->equilibria.size(), lrsnash.size());
  for (const auto& profile : lrsnash) EXPECT_TRUE(Contains(r->equilibria, profile));
  for (const auto& e : r->equilibria) EXPECT_LE(e.regret, 1e-12);
}

}  // namespace
}  // namespace parley

namespace parley {
namespace {

// Payoffs 0..2: ties everywhere, so the lexicographic ratio test decides
// most pivots. Every reported equilibrium is one (regret), and every
// Lemke-Howson equilibrium is among them.
TEST(VertexEnumeration, HighlyDegenerateRandomGames) {
  int degenerate = 0;
  for (uint64_t trial = 0; trial < 60; ++trial) {
    SampleRng rng(13, trial);
    const int m = 2 + static_cast<int>(rng.NextU32() % 5),
              n = 2 + static_cast<int>(rng.NextU32() % 5);
    Eigen::MatrixXd a(m, n), b(m, n);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        a(i, j) = static_cast<double>(rng.NextU32() % 3);
        b(i, j) = static_cast<double>(rng.NextU32() % 3);
      }
    }
    auto r = EnumerateVertices({a, b});
    ASSERT_TRUE(r.ok());
    degenerate += r->degenerate;
    ASSERT_FALSE(r->equilibria.empty()) << "trial " << trial;
    for (const auto& e : r->equilibria) EXPECT_LE(e.regret, 1e-9) << "trial " << trial;
    for (const auto& e : LemkeHowsonAll({a, b})) {
      bool found = false;
      for (const auto& f : r->equilibria) found |= SameProfile(e.strategies, f.strategies, 1e-7);
      EXPECT_TRUE(found) << "trial " << trial;
    }
  }
  EXPECT_GT(degenerate, 30);
}

}  // namespace
}  // namespace parley

namespace parley {
namespace {

Bimatrix RandomIntegerGame(SampleRng& rng, int m, int n, uint32_t values) {
  Bimatrix g{Eigen::MatrixXd(m, n), Eigen::MatrixXd(m, n)};
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      g.a(i, j) = static_cast<double>(rng.NextU32() % values);
      g.b(i, j) = static_cast<double>(rng.NextU32() % values);
    }
  }
  return g;
}

// The reverse search must reach every vertex: on games of 6x6 to 8x8 with
// payoffs 0..99 (the benchmark's setting), exactly the equilibria of support
// enumeration, each once.
TEST(VertexEnumeration, ReverseSearchFindsTheSupportEnumerationEquilibria) {
  int total = 0;
  for (uint64_t trial = 0; trial < 30; ++trial) {
    SampleRng rng(4242, trial);
    const int m = 6 + static_cast<int>(rng.NextU32() % 3),
              n = 6 + static_cast<int>(rng.NextU32() % 3);
    const Bimatrix g = RandomIntegerGame(rng, m, n, 100);
    auto vertex = EnumerateVertices(g);
    auto support = SupportEnumeration(g);
    ASSERT_TRUE(vertex.ok() && support.ok());
    if (vertex->degenerate) continue;  // support enumeration can miss some there
    ASSERT_EQ(vertex->equilibria.size(), support->size()) << "trial " << trial;
    for (const auto& f : *support) {
      EXPECT_TRUE(Contains(vertex->equilibria, f.strategies)) << "trial " << trial;
    }
    total += static_cast<int>(support->size());
  }
  EXPECT_GT(total, 60);  // the games are not all trivial
}

// Degenerate games (payoffs 0..3): every equilibrium that support enumeration
// finds is found, and every reported one is an equilibrium.
TEST(VertexEnumeration, ReverseSearchOnDegenerateGames) {
  int degenerate = 0;
  for (uint64_t trial = 0; trial < 30; ++trial) {
    SampleRng rng(999, trial);
    const int m = 6 + static_cast<int>(rng.NextU32() % 3),
              n = 6 + static_cast<int>(rng.NextU32() % 3);
    const Bimatrix g = RandomIntegerGame(rng, m, n, 4);
    auto vertex = EnumerateVertices(g);
    auto support = SupportEnumeration(g);
    ASSERT_TRUE(vertex.ok() && support.ok());
    degenerate += vertex->degenerate;
    for (const auto& e : vertex->equilibria) EXPECT_LE(e.regret, 1e-9) << "trial " << trial;
    for (const auto& f : *support) {
      EXPECT_TRUE(Contains(vertex->equilibria, f.strategies)) << "trial " << trial;
    }
  }
  EXPECT_GT(degenerate, 20);
}

// The vertices of P = {x >= 0 : B'^T x <= 1} (B' = B shifted to be at least
// 1) counted by brute force: every choice of m tight constraints out of m + n
// with a unique, feasible solution. In a nondegenerate game each is one
// basis, so the reverse search must find exactly as many.
TEST(VertexEnumeration, ReverseSearchFindsEveryVertex) {
  for (uint64_t trial = 0; trial < 10; ++trial) {
    SampleRng rng(31337, trial);
    const int m = 5, n = 4;
    const Bimatrix g = RandomIntegerGame(rng, m, n, 100);
    auto r = EnumerateVertices(g);
    ASSERT_TRUE(r.ok());
    if (r->degenerate) continue;
    const Eigen::MatrixXd b = g.b.array() - g.b.minCoeff() + 1.0;
    // Constraint c: x_c >= 0 for c < m, (B'^T x)_{c-m} <= 1 after.
    int64_t count = 0;
    for (uint32_t mask = 0; mask < (1u << (m + n)); ++mask) {
      if (std::popcount(mask) != m) continue;
      Eigen::MatrixXd lhs(m, m);
      Eigen::VectorXd rhs(m);
      int row = 0;
      for (int c = 0; c < m + n; ++c) {
        if (!((mask >> c) & 1)) continue;
        if (c < m) {
          lhs.row(row) = Eigen::RowVectorXd::Unit(m, c);
          rhs(row) = 0.0;
        } else {
          lhs.row(row) = b.col(c - m).transpose();
          rhs(row) = 1.0;
        }
        ++row;
      }
      Eigen::FullPivLU<Eigen::MatrixXd> lu(lhs);
      if (lu.rank() < m) continue;
      const Eigen::VectorXd x = lu.solve(rhs);
      if (x.minCoeff() < -1e-9 || (b.transpose() * x).maxCoeff() > 1.0 + 1e-9) continue;
      ++count;
    }
    EXPECT_EQ(r->vertices_row, count) << "trial " << trial;
  }
}

// The limit is on the bytes the stored vertices take (the column player's
// polytope: 900 vertices of 25 bytes here), and says so.
TEST(VertexEnumeration, RefusesWhenTheVerticesWouldExceedTheMemoryLimit) {
  SampleRng rng(2025, 10);
  const Bimatrix g = RandomIntegerGame(rng, 10, 10, 100);
  auto r = EnumerateVertices(g, 10 * 1024);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("10240 bytes"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("25 bytes each"), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().message().find("MiB"), std::string::npos) << r.status().message();
  EXPECT_TRUE(EnumerateVertices(g, 100 * 1024).ok());
}

// Only one polytope is stored, at 25 bytes a vertex: the 12x12 game of seed
// 2025 (3,431 + 6,576 vertices) fits in 512 KiB, where storing both
// polytopes' label sets and coordinates (164 bytes a vertex) did not.
TEST(VertexEnumeration, StoresOnlyTheColumnPolytopesLabelSets) {
  SampleRng rng(2025, 12);
  const Bimatrix g = RandomIntegerGame(rng, 12, 12, 100);
  auto r = EnumerateVertices(g, 512 * 1024);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->vertices_row, 3431);
  EXPECT_EQ(r->vertices_column, 6576);
  EXPECT_TRUE(r->degenerate);
  ASSERT_EQ(r->equilibria.size(), 5u);
  for (const auto& e : r->equilibria) EXPECT_LE(e.regret, 1e-12);
  for (const auto& e : LemkeHowsonAll(g)) EXPECT_TRUE(Contains(r->equilibria, e.strategies));
}

// More than 64 labels: basic sets take two words. A 66x2 and a 2x66 game
// with random real payoffs (nondegenerate) have exactly the equilibria of
// support enumeration.
TEST(VertexEnumeration, GamesWithMoreThanSixtyFourStrategies) {
  for (const auto& [m, n] : {std::pair{66, 2}, std::pair{2, 66}}) {
    SampleRng rng(64, static_cast<uint64_t>(m));
    Bimatrix g{Eigen::MatrixXd(m, n), Eigen::MatrixXd(m, n)};
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) g.a(i, j) = rng.Uniform(), g.b(i, j) = rng.Uniform();
    }
    auto vertex = EnumerateVertices(g);
    auto support = SupportEnumeration(g);
    ASSERT_TRUE(vertex.ok() && support.ok());
    EXPECT_FALSE(vertex->degenerate);
    ASSERT_EQ(vertex->equilibria.size(), support->size()) << m << "x" << n;
    for (const auto& f : *support) EXPECT_TRUE(Contains(vertex->equilibria, f.strategies));
  }
}

}  // namespace
}  // namespace parley

namespace parley {
namespace {

// The equilibria come in breadth-first order of the row player's vertices:
// by the fewest lexicographic pivots from the origin of P = {x >= 0 :
// B'^T x <= 1}, then by basic set (as a bit mask of labels). The levels are
// found here by an independent breadth-first search with LexTableau.
TEST(VertexEnumeration, EquilibriaComeInBreadthFirstOrderOfTheRowVertices) {
  int checked = 0;
  for (uint64_t trial = 0; trial < 20; ++trial) {
    SampleRng rng(555, trial);
    const int m = 5 + static_cast<int>(rng.NextU32() % 2), n = 5;
    Bimatrix g{Eigen::MatrixXd(m, n), Eigen::MatrixXd(m, n)};
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) g.a(i, j) = rng.Uniform(), g.b(i, j) = rng.Uniform();
    }
    auto r = EnumerateVertices(g);
    ASSERT_TRUE(r.ok());
    if (r->degenerate || r->equilibria.size() < 2) continue;
    const Eigen::MatrixXd b = g.b.array() - g.b.minCoeff() + 1.0;
    // x labels 0..m-1, slacks m..m+n-1.
    LexTableau start;
    start.t = Eigen::MatrixXd::Zero(n, m + n + 1);
    start.t.leftCols(m) = b.transpose();
    start.t.block(0, m, n, n) = Eigen::MatrixXd::Identity(n, n);
    start.t.col(m + n).setOnes();
    for (int j = 0; j < n; ++j) start.basis.push_back(m + j), start.lex.push_back(m + j);
    auto mask = [](const std::vector<int>& basis) {
      uint64_t k = 0;
      for (int l : basis) k |= uint64_t{1} << l;
      return k;
    };
    std::map<uint64_t, int> level = {{mask(start.basis), 0}};
    std::vector<LexTableau> frontier = {start};
    for (int depth = 1; !frontier.empty(); ++depth) {
      std::vector<LexTableau> next;
      for (const LexTableau& tab : frontier) {
        const uint64_t key = mask(tab.basis);
        for (int e = 0; e < m + n; ++e) {
          if ((key >> e) & 1) continue;
          const int row = tab.LeavingRow(e);
          if (row < 0) continue;
          LexTableau step = tab;
          step.Pivot(row, e);
          if (level.emplace(mask(step.basis), depth).second) next.push_back(std::move(step));
        }
      }
      frontier = std::move(next);
    }
    ASSERT_EQ(static_cast<int64_t>(level.size()), r->vertices_row) << "trial " << trial;
    std::pair<int, uint64_t> previous = {-1, 0};
    for (const auto& e : r->equilibria) {
      const Eigen::VectorXd& x = e.strategies[0];
      const Eigen::VectorXd load = b.transpose() * x;
      const Eigen::VectorXd scaled = load / load.maxCoeff();
      uint64_t key = 0;
      for (int i = 0; i < m; ++i) key |= uint64_t{x(i) > 1e-9} << i;
      for (int j = 0; j < n; ++j) key |= uint64_t{scaled(j) < 1.0 - 1e-9} << (m + j);
      ASSERT_TRUE(level.count(key)) << "trial " << trial;
      const std::pair<int, uint64_t> position = {level[key], key};
      EXPECT_LT(previous, position) << "trial " << trial;
      previous = position;
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace parley
