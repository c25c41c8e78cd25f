// Test helper: two runs' totals compared field by field, bit for bit (the
// determinism contract: the same scenario, seed and sample count give the
// same totals on any thread count, and a model sharing its draws with
// others gives its single run's).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "sim/mc/accumulator.h"

namespace parley::testing {

inline void ExpectSameTotals(const Accumulator& a, const Accumulator& b, const std::string& where) {
  EXPECT_EQ(a.samples, b.samples) << where;
  EXPECT_EQ(a.outcome_mass, b.outcome_mass) << where;
  EXPECT_EQ(a.outcome_mass_squares, b.outcome_mass_squares) << where;
  EXPECT_EQ(a.equilibrium_counts, b.equilibrium_counts) << where;
  ASSERT_EQ(a.payoffs.size(), b.payoffs.size()) << where;
  for (size_t p = 0; p < a.payoffs.size(); ++p) {
    EXPECT_EQ(a.payoffs[p].mean, b.payoffs[p].mean) << where;
    EXPECT_EQ(a.payoffs[p].m2, b.payoffs[p].m2) << where;
  }
  EXPECT_EQ(a.argument_holds, b.argument_holds) << where;
  EXPECT_EQ(a.mass_when_holds, b.mass_when_holds) << where;
  EXPECT_EQ(a.not_converged, b.not_converged) << where;
  EXPECT_EQ(a.paths, b.paths) << where;
  EXPECT_EQ(a.threat_credible, b.threat_credible) << where;
  EXPECT_EQ(a.profile_counts, b.profile_counts) << where;
  EXPECT_EQ(a.option_counts, b.option_counts) << where;
  EXPECT_EQ(a.option_mass, b.option_mass) << where;
  EXPECT_EQ(a.profile_mass, b.profile_mass) << where;
  EXPECT_EQ(a.rounds.alive, b.rounds.alive) << where;
  EXPECT_EQ(a.rounds.ended_by, b.rounds.ended_by) << where;
  EXPECT_EQ(a.rounds.ended_by_squares, b.rounds.ended_by_squares) << where;
  EXPECT_EQ(a.rounds.duration, b.rounds.duration) << where;
  EXPECT_EQ(a.rounds.state_sum, b.rounds.state_sum) << where;
  EXPECT_EQ(a.rounds.state_squares, b.rounds.state_squares) << where;
  EXPECT_EQ(a.rounds.eventual, b.rounds.eventual) << where;
  EXPECT_EQ(a.rounds.markov_rounds, b.rounds.markov_rounds) << where;
}

}  // namespace parley::testing
