#include "sim/report/attribution_report.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

AttributionSummary Example() {
  AttributionSummary a;
  a.exact = true;
  a.samples = 1000;
  a.coalitions = 4;
  a.slots = {"deal", "walk", "unresolved"};
  a.none_hold = {0.1, 0.9, 0.0};
  a.all_hold = {0.9, 0.1, 0.0};
  a.arguments = {
      {"small",
       "Analyst S",
       {0.3, -0.3, 0.0},
       {{0.28, 0.32}, {-0.32, -0.28}, {0, 0}},
       {0.25, -0.25, 0.0}},
      {"big",
       "Analyst B",
       {0.5, -0.5, 0.0},
       {{0.48, 0.52}, {-0.52, -0.48}, {0, 0}},
       {std::nullopt, std::nullopt, std::nullopt}},
  };
  return a;
}

TEST(AttributionReport, RanksTheArgumentThatMovesEachOutcomeMost) {
  const std::string text = FormatAttributionText(Example());
  EXPECT_NE(text.find("exact over all 4 coalitions of 2 arguments"), std::string::npos) << text;
  EXPECT_NE(text.find("deal         10.0% ->  90.0%  (+80.0 points)"), std::string::npos) << text;
  EXPECT_NE(text.find("1. big (Analyst B): +50.0 [+48.0, +52.0]"), std::string::npos) << text;
  EXPECT_NE(text.find("2. small (Analyst S): +30.0 [+28.0, +32.0]"), std::string::npos) << text;
  // The table lists "big" first, with n/a for its missing contrast.
  const size_t big = text.find("\nbig "), small = text.find("\nsmall ");
  ASSERT_NE(big, std::string::npos);
  ASSERT_NE(small, std::string::npos);
  EXPECT_LT(big, small);
  EXPECT_NE(text.find("n/a", big), std::string::npos);
  EXPECT_NE(text.find("+25.0", small), std::string::npos);
}

TEST(AttributionReport, Json) {
  const auto j = AttributionJson(Example());
  EXPECT_EQ(j["method"], "shapley");
  EXPECT_EQ(j["exact"], true);
  EXPECT_EQ(j["coalitions"], 4);
  EXPECT_FALSE(j.contains("permutations"));
  EXPECT_EQ(j["all_hold"]["deal"], 0.9);
  EXPECT_EQ(j["none_hold"]["walk"], 0.9);
  ASSERT_EQ(j["arguments"].size(), 2u);
  EXPECT_EQ(j["arguments"][0]["id"], "small");  // scenario order
  EXPECT_EQ(j["arguments"][1]["shapley"]["deal"], 0.5);
  EXPECT_EQ(j["arguments"][1]["ci95"]["deal"][0], 0.48);
  EXPECT_TRUE(j["arguments"][1]["contrast"]["deal"].is_null());
}

TEST(AttributionReport, Precision) {
  PrecisionSummary p{0.005, true, 49152, 1000000, 16384, 0.0049};
  EXPECT_NE(FormatPrecisionText(p).find("at most 0.50 points"), std::string::npos);
  p.reached = false;
  EXPECT_NE(FormatPrecisionText(p).find("NOT reached"), std::string::npos);
  const auto j = PrecisionJson(p);
  EXPECT_EQ(j["target"], 0.005);
  EXPECT_EQ(j["reached"], false);
  EXPECT_EQ(j["samples"], 49152);
}

}  // namespace
}  // namespace parley
