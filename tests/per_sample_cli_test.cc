// `parley run --per-sample`: one CSV row (or .npy record) per sample,
// streamed in sample order. The rows aggregate to the run's own outcome
// probabilities, are the same on any number of threads, a .npy file holds
// the CSV's values bit for bit, and bad requests are refused before any work.
#include <gtest/gtest.h>

#include <cstring>
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
      if (model == "nash-pure") {
        EXPECT_EQ(whole, o["count"].get<int64_t>()) << id;
      }
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

// A .npy file read as NumPy's format description says (a reader written
// for the test, independent of the writer; python/tests read the files with
// NumPy itself).
struct Npy {
  std::vector<std::pair<std::string, std::string>> fields;  // name, type
  int64_t rows = -1;
  size_t header_bytes = 0, row_bytes = 0;
  std::string bytes;
  static size_t Size(const std::string& type) {
    if (type == "<i8" || type == "<f8") return 8;
    if (type == "|u1") return 1;
    EXPECT_EQ(type.substr(0, 2), "|S") << type;
    return std::stoul(type.substr(2));
  }
};

Npy ReadNpy(const std::string& bytes) {
  Npy n;
  n.bytes = bytes;
  EXPECT_EQ(bytes.substr(0, 6), std::string("\x93NUMPY", 6));
  const int major = bytes[6];
  EXPECT_TRUE(major == 1 || major == 2) << major;
  size_t length = 0, prefix = major == 1 ? 10 : 12;
  for (size_t k = 0; k < prefix - 8; ++k) {
    length |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + k])) << (8 * k);
  }
  n.header_bytes = prefix + length;
  EXPECT_EQ(n.header_bytes % 64, 0u);
  const std::string dict = bytes.substr(prefix, length);
  EXPECT_EQ(dict.back(), '\n');
  EXPECT_NE(dict.find("'fortran_order': False"), std::string::npos) << dict;
  const size_t shape = dict.find("'shape': (");
  EXPECT_NE(shape, std::string::npos) << dict;
  n.rows = std::stoll(dict.substr(shape + 10));
  for (size_t at = dict.find("[("); at != std::string::npos && dict[at + 1] == '(';) {
    const size_t name_end = dict.find("', '", at);
    const size_t type_end = dict.find("')", name_end);
    n.fields.emplace_back(dict.substr(at + 3, name_end - at - 3),
                          dict.substr(name_end + 4, type_end - name_end - 4));
    n.row_bytes += Npy::Size(n.fields.back().second);
    at = type_end + 2;
    if (dict.compare(at, 2, ", ") == 0) ++at;
  }
  return n;
}

TEST(PerSampleCli, ANpyFileHoldsTheCsvRowsBitForBit) {
  for (const auto& [scenario, flags] :
       std::vector<std::pair<std::string, std::string>>{{"istanbul-2025.yaml", "-m qre"},
                                                        {"istanbul-2025-rounds.yaml", ""},
                                                        {"istanbul-2025-sequential.yaml", ""}}) {
    const std::string csv = TempPath("rows.csv").string(), npy = TempPath("rows.NPY").string();
    const std::string run = "run " + Scenario(scenario) + " -n 700 " + flags + " --per-sample ";
    ASSERT_EQ(Parley(run + csv).exit_code, 0) << scenario;
    const Result r = Parley(run + npy);
    ASSERT_EQ(r.exit_code, 0) << scenario << r.err;
    const Table t = ReadCsv(Slurp(csv));
    const Npy n = ReadNpy(Slurp(npy));
    ASSERT_EQ(n.rows, 700) << scenario;
    ASSERT_EQ(n.fields.size(), t.header.size()) << scenario;
    ASSERT_EQ(n.bytes.size(), n.header_bytes + 700 * n.row_bytes) << scenario;
    for (size_t c = 0; c < t.header.size(); ++c) EXPECT_EQ(n.fields[c].first, t.header[c]);
    for (size_t i = 0; i < t.rows.size(); ++i) {
      const char* at = n.bytes.data() + n.header_bytes + i * n.row_bytes;
      for (size_t c = 0; c < n.fields.size(); ++c) {
        const std::string& type = n.fields[c].second;
        const std::string& text = t.rows[i][c];
        if (type == "<i8") {
          int64_t v = 0;
          std::memcpy(&v, at, 8);
          EXPECT_EQ(v, std::stoll(text));
        } else if (type == "<f8") {
          double v = 0;
          std::memcpy(&v, at, 8);
          ASSERT_EQ(v, std::strtod(text.c_str(), nullptr))
              << scenario << " row " << i << " " << t.header[c];
        } else if (type == "|u1") {
          EXPECT_EQ(std::string(1, static_cast<char>('0' + *at)), text);
        } else {
          EXPECT_EQ(std::string(at, strnlen(at, Npy::Size(type))), text) << i;
        }
        at += Npy::Size(type);
      }
    }
  }
}

TEST(PerSampleCli, ANpyFileIsTheSameOnAnyNumberOfThreads) {
  const std::string one = TempPath("one.npy").string(), three = TempPath("three.npy").string();
  const std::string run = "run " + Scenario("istanbul-2025.yaml") + " -n 40000 --per-sample ";
  ASSERT_EQ(Parley(run + one + " -t 1").exit_code, 0);
  ASSERT_EQ(Parley(run + three + " -t 3").exit_code, 0);
  EXPECT_EQ(Slurp(one), Slurp(three));
  EXPECT_EQ(ReadNpy(Slurp(one)).rows, 40000);
}

TEST(PerSampleCli, BadRequestsAreRefusedBeforeAnyWork) {
  const std::string npy = TempPath("refused.npy").string();
  const Result precision =
      Parley("run " + Scenario("istanbul-2025.yaml") + " --precision 0.01 --per-sample " + npy);
  EXPECT_EQ(precision.exit_code, 2);
  EXPECT_NE(precision.err.find("a .npy file states its number of rows before the rows"),
            std::string::npos)
      << precision.err;
  EXPECT_FALSE(std::filesystem::exists(npy));
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
