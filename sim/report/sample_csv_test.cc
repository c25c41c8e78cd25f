// WriteCsvNumber lays out Dragonbox's digits itself and writes whole numbers
// as integers: it must write exactly what fmt's "{}" writes, or a per-sample
// CSV would change with it. AppendCsvNumber writes into a buffer of exactly
// kCsvNumberRoom bytes, so the sanitizer build also checks that the room is
// enough.
#include "sim/report/sample_csv.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/rng.h"

namespace parley {
namespace {

std::string Written(double x) {
  fmt::memory_buffer out;
  AppendCsvNumber(x, out);
  return fmt::to_string(out);
}

TEST(AppendCsvNumber, WritesWhatFmtWritesForEdgeValues) {
  const double two53 = 9007199254740992.0;
  const std::vector<double> values = {
      0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -0.5, 10.0, 100000.0, 1e6, 1234567.0, -987654321.0, 1e15,
      1.2e15, 1e16, 1e21, -1e16, two53 - 1, two53, two53 + 2, -(two53 - 1), -two53, 1e-300,
      std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(),
      std::numeric_limits<double>::lowest(), std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
      std::nextafter(1.0, 2.0), std::nextafter(1.0, 0.0), std::nextafter(0.0, 1.0), 9.5e18, -9.3e18,
      9223372036854775807.0, 1e-4, -1e-4, std::nextafter(1e-4, 0.0), std::nextafter(1e-4, 1.0),
      std::nextafter(1e16, 0.0), 0.1, 1.0 / 3.0, -2.5e-3, 123456.789, 5e-324, 4503599627370495.5,
      // Every layout at its longest.
      -1.2345678901234567e-300, -1.2345678901234567e+300, -1234567890123456.7, -12345.678901234567,
      -0.00012345678901234567, -1.2345678901234567e-5, -1.2345678901234567e16, 1e100, 1e-100,
      2.5e-7, -3e22};
  for (double x : values) {
    EXPECT_EQ(Written(x), fmt::format("{}", x)) << "x = " << fmt::format("{}", x);
  }
  EXPECT_EQ(Written(-0.0), "-0");
  EXPECT_EQ(Written(1.0), "1");
  EXPECT_EQ(Written(1e16), "1e+16");
  EXPECT_EQ(Written(-1.2345678901234567e-300), "-1.2345678901234568e-300");
  EXPECT_EQ(Written(-1.2345678901234567e-300).size(), size_t{kMaxCsvNumberSize});
  EXPECT_EQ(Written(-0.00012345678901234567), "-0.00012345678901234567");
  EXPECT_EQ(Written(-1234567890123456.7), "-1234567890123456.8");
}

TEST(AppendCsvNumber, WritesWhatFmtWritesForRandomValuesOfEverySize) {
  // The project's Philox stream: the same values on every machine.
  SampleRng rng(20261204, 0, RngStream::kDesign);
  auto digits = [&rng] { return static_cast<int>(rng.Uniform() * 17.0); };  // 0..16
  for (int i = 0; i < 200000; ++i) {
    // Whole numbers of every size around the shortcut's bound (|w| < 2^54),
    // the same scaled to fractions, arbitrary bit patterns, and normal
    // draws of every magnitude.
    const double scale = std::pow(10.0, digits());
    const auto big = static_cast<int64_t>(rng.NextU64() >> 9) - (int64_t{1} << 54);
    const double w = static_cast<double>(big / static_cast<int64_t>(scale));
    const double f = w / scale;
    const double raw = std::bit_cast<double>(rng.NextU64());
    const double draw = rng.Normal() * std::pow(10.0, digits() - 8);
    for (double x : {w, f, raw, draw}) {
      const std::string written = Written(x);
      ASSERT_EQ(written, fmt::format("{}", x)) << "x = " << fmt::format("{}", x);
      ASSERT_LE(written.size(), size_t{kMaxCsvNumberSize}) << written;
    }
  }
}

}  // namespace
}  // namespace parley
