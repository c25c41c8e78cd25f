// `parley run --per-sample`: one CSV row per sample, streamed in sample
// order. The rows aggregate to the run's own outcome probabilities, are the
// same on any number of threads, and bad requests are refused before any
// work.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "parley_cli.h"

namespace {

using json = nlohmann::json;
using parley::testing::Parley;
using parley::testing::Scenario;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Column(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
};

Table ReadCsv(const std::string& text) {
  Table t;
  std::stringstream in(text);
  std::string line;
  std::getline(in, line);
  t.header = Split(line);
  while (std::getline(in, line)) t.rows.push_back(Split(line));
  return t;
}

TEST(PerSampleCli, RowsAggregateToTheRunsOutcomeProbabilities) {
  for (const std::string model : {"nash-pure", "qre"}) {
    const std::string csv = TempPath("per-sample-" + model + ".csv").string();
    const Result r = Parley("run " + Scenario("istanbul-2025.yaml") + " -n 3000 -m " + model +
                            " --per-sample " + csv + " --json -");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    const Table t = ReadCsv(Slurp(csv));
    ASSERT_EQ(t.rows.size(), 3000u);
    EXPECT_EQ(t.header.front(), "sample");
    EXPECT_EQ(t.header[1], "held.kyiv-europe-ceasefire-call");
    t.Column("param.sabotage_penalty");
    t.Column("payoff.ceasefire.russia");
    t.Column("play.russia.talks");
    EXPECT_EQ(t.header.back(), "outcome");
    for (size_t i = 0; i < t.rows.size(); ++i) {
      ASSERT_EQ(t.rows[i].size(), t.header.size()) << "row " << i;
      EXPECT_EQ(t.rows[i][0], std::to_string(i));
    }
    for (const json& o : j["outcomes"]) {
      const std::string id = o["id"];
      const int p = t.Column("p." + id);
      double sum = 0.0;
      int64_t whole = 0;
      for (const auto& row : t.rows) {
        sum += std::stod(row[p]);
        whole += row.back() == id;
      }
      EXPECT_NEAR(sum / 3000.0, o["probability"].get<double>(), 1e-12) << model << " " << id;
      // A pure model's rows are whole samples: the counts are exact.
      if (model == "nash-pure") EXPECT_EQ(whole, o["count"].get<int64_t>()) << id;
    }
  }
}

TEST(PerSampleCli, TheRowsAreTheSameOnAnyNumberOfThreads) {
  const Result one =
      Parley("run " + Scenario("istanbul-2025-rounds.yaml") + " -n 2500 -t 1 --per-sample -");
  const Result three =
      Parley("run " + Scenario("istanbul-2025-rounds.yaml") + " -n 2500 -t 3 --per-sample -");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_EQ(one.out, three.out);
  const Table t = ReadCsv(one.out);
  EXPECT_EQ(t.rows.size(), 2500u);
  // A negotiation's rows say how many rounds it lasted (the mean over its
  // course: a pure model's negotiations last a whole number of rounds).
  EXPECT_EQ(t.header.back(), "rounds");
  const int rounds = t.Column("rounds");
  for (const auto& row : t.rows) {
    const double x = std::stod(row[rounds]);
    EXPECT_GE(x, 1.0);
    EXPECT_LE(x, 3.0);
  }
}

TEST(PerSampleCli, BadRequestsAreRefusedBeforeAnyWork) {
  const std::string csv = TempPath("refused.csv").string();
  const Result sobol = Parley("run " + Scenario("istanbul-2025.yaml") +
                              " -n 100 --sampler sobol --per-sample " + csv);
  EXPECT_EQ(sobol.exit_code, 2);
  EXPECT_NE(sobol.err.find("--per-sample works with the philox sampler only"), std::string::npos)
      << sobol.err;
  const Result two = Parley("run " + Scenario("istanbul-2025.yaml") + " " +
                            Scenario("istanbul-2025.yaml") + " -n 100 --per-sample " + csv);
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_NE(two.err.find("--per-sample applies to a single scenario"), std::string::npos)
      << two.err;
  const Result same = Parley("run " + Scenario("istanbul-2025.yaml") + " -n 100 --per-sample " +
                             csv + " --json " + csv);
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(csv));
}

}  // namespace
