// PayoffProgram against GameModel::EvaluatePayoffs (Eigen's sparse product):
// the same table, bit for bit, for every scenario shipped in scenarios/ and
// for random draws, at the chunk width of the Monte Carlo runner and at 1.
#include "sim/scenario/payoff_program.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <filesystem>
#include <vector>

#include "sim/core/status_matchers.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

// Compares bits, so that 0.0 and -0.0 (which print differently) count as different.
bool SameBits(double a, double b) {
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

void ExpectSameTables(const GameModel& game, int width, uint64_t seed) {
  const PayoffProgram& program = game.payoff_program();
  ASSERT_EQ(program.num_draws(), game.num_draws());
  std::vector<double> values(static_cast<size_t>(program.num_slots()) * width, 0.0);
  program.Initialize(values.data(), width);
  // Each sample's own draws, and (to reach negative zeros, large and small
  // magnitudes) draws scaled by signed powers of two.
  // At least one column: with no draws, data() would be null and
  // `data() + i` undefined behaviour (UBSan's pointer-overflow check).
  Eigen::MatrixXd thetas = Eigen::MatrixXd::Zero(width, std::max(1, game.num_draws()));
  std::vector<uint8_t> holds(game.num_arguments() + 1);
  for (int i = 0; i < width; ++i) {
    SampleRng rng(seed, static_cast<uint64_t>(i));
    game.DrawSample(rng, thetas.data() + i, width, holds.data());
    SampleRng scale(seed, static_cast<uint64_t>(i), RngStream::kModel);
    for (int d = 0; d < game.num_draws(); ++d) {
      if (i % 2 == 1)
        thetas(i, d) *= std::ldexp(scale.Uniform() < 0.5 ? -1.0 : 1.0,
                                   static_cast<int>(scale.NextU32() % 80) - 40);
      if (i % 4 == 3 && scale.Uniform() < 0.3) thetas(i, d) = -0.0;
      values[static_cast<size_t>(d) * width + i] = thetas(i, d);
    }
  }
  Eigen::MatrixXd tables;
  game.EvaluatePayoffs(thetas, tables);
  program.Evaluate(values.data(), width);
  const std::vector<int32_t> offsets = game.ProgramOffsets(width);
  const std::vector<int32_t> entries = game.EntryOffsets(1);
  ASSERT_EQ(offsets.size(), entries.size());
  for (int i = 0; i < width; ++i) {
    for (size_t e = 0; e < entries.size(); ++e) {
      const double expected = tables(i, entries[e]);
      const double got = values[static_cast<size_t>(offsets[e]) + i];
      ASSERT_TRUE(SameBits(expected, got))
          << "sample " << i << ", entry " << e << ": " << expected << " != " << got;
    }
  }
}

TEST(PayoffProgram, EqualsTheSparseProductOnEveryScenario) {
  int scenarios = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::string(PARLEY_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    // The generated bargaining games (hundreds of KiB) have no random draws
    // and take seconds to load; the others cover every kind of entry.
    if (entry.file_size() > 100 * 1024) continue;
    SCOPED_TRACE(entry.path().string());
    auto spec = LoadScenarioFile(entry.path().string());
    ASSERT_THAT(spec, IsOk());
    auto game = GameModel::Compile(*spec);
    ASSERT_THAT(game, IsOk());
    for (uint64_t seed : {1u, 2u, 3u}) {
      ExpectSameTables(*game, PayoffProgram::kWidth, seed);
      ExpectSameTables(*game, 1, seed);
      ExpectSameTables(*game, 3, seed);
    }
    ++scenarios;
  }
  EXPECT_GE(scenarios, 9);
}

// Entries that share their constant and leading terms share the steps that
// compute them, and equal entries end at the same slot.
TEST(PayoffProgram, SharesCommonPrefixes) {
  std::vector<Eigen::Triplet<double>> t = {
      {0, 0, 2.0}, {0, 1, 3.0},               // 1 + 2 x0 + 3 x1
      {1, 0, 2.0}, {1, 1, 3.0}, {1, 2, 1.0},  // 1 + 2 x0 + 3 x1 + x2
      {2, 0, 2.0}, {2, 1, 3.0},               // equal to row 0
      {3, 0, 2.0},                            // -0.0 + 2 x0: a different constant
  };
  Eigen::SparseMatrix<double, Eigen::RowMajor> a(5, 3);
  a.setFromTriplets(t.begin(), t.end());
  Eigen::VectorXd b(5);
  b << 1.0, 1.0, 1.0, -0.0, 7.0;  // row 4: a constant only
  const PayoffProgram p = PayoffProgram::Build(a, b);
  // 3 draws, constants {1, -0, 7}, steps: 1+2x0, +3x1, +x2, -0+2x0.
  EXPECT_EQ(p.num_slots(), 3 + 3 + 4);
  EXPECT_EQ(p.row_slot(0), p.row_slot(2));
  EXPECT_NE(p.row_slot(0), p.row_slot(1));
  std::vector<double> v(static_cast<size_t>(p.num_slots()), 0.0);
  p.Initialize(v.data(), 1);
  v[0] = 0.5, v[1] = -1.0, v[2] = 4.0;
  p.Evaluate(v.data(), 1);
  EXPECT_EQ(v[p.row_slot(0)], 1.0 + 2.0 * 0.5 + 3.0 * -1.0);
  EXPECT_EQ(v[p.row_slot(1)], 1.0 + 2.0 * 0.5 + 3.0 * -1.0 + 4.0);
  EXPECT_EQ(v[p.row_slot(3)], 1.0);
  EXPECT_EQ(v[p.row_slot(4)], 7.0);
}

}  // namespace
}  // namespace parley
