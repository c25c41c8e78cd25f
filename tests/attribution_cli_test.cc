// `parley run --attribution shapley`, `--precision` / `--max-samples` and the
// progress bar through the binary: JSON and text, the equality of a
// precision run with the plain run of its sample count, determinism across
// thread counts, errors, and no progress text when stderr is not a terminal.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
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

// Efficiency: each outcome's Shapley values add up to all_hold - none_hold.
void ExpectEfficient(const json& a) {
  for (const auto& [outcome, all] : a["all_hold"].items()) {
    double sum = 0.0;
    for (const json& arg : a["arguments"]) sum += arg["shapley"][outcome].get<double>();
    EXPECT_NEAR(sum, all.get<double>() - a["none_hold"][outcome].get<double>(), 1e-9) << outcome;
  }
}

TEST(AttributionCli, IstanbulRankedListAndJson) {
  const std::string file = Scenario("istanbul-2025.yaml");
  const Result r = Parley("run " + file + " -n 1000 --attribution shapley --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  const json& a = j["attribution"];
  EXPECT_EQ(a["method"], "shapley");
  EXPECT_EQ(a["exact"], false);  // 17 arguments > 12: sampled orders
  EXPECT_EQ(a["permutations"], 1000);
  EXPECT_EQ(a["samples"], 1000);
  ASSERT_EQ(a["arguments"].size(), j["arguments"].size());
  EXPECT_EQ(a["arguments"][0]["id"], j["arguments"][0]["id"]);
  EXPECT_TRUE(a["arguments"][0]["shapley"].contains("ceasefire"));
  EXPECT_TRUE(a["arguments"][0]["shapley"].contains("unresolved"));
  EXPECT_EQ(a["arguments"][0]["contrast"]["ceasefire"],
            j["arguments"][0]["effects"]["ceasefire"]["effect"]);
  ExpectEfficient(a);
  EXPECT_TRUE(r.err.empty()) << r.err;  // stderr is a file: no progress bar

  const Result text = Parley("run " + file + " -n 1000 --attribution shapley");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Which argument moves each outcome most"), std::string::npos);
  EXPECT_NE(text.out.find("  ceasefire:\n    1. "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("17 arguments, sampled: 1000 random orders"), std::string::npos);
  // The timing line stays last.
  EXPECT_EQ(text.out.rfind("samples/s)\n"), text.out.size() - 11);
}

// The total time counts the attribution after sampling; the sampling rate
// comes from the sampling alone.
TEST(AttributionCli, TotalTimeIncludesAttribution) {
  const std::string file = Scenario("istanbul-2025.yaml");
  const Result r = Parley("run " + file + " -n 2000 --attribution shapley --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json run = json::parse(r.out)["run"];
  ASSERT_TRUE(run.contains("sampling_seconds")) << run;
  const double total = run["seconds"].get<double>();
  const double sampling = run["sampling_seconds"].get<double>();
  // Attribution solves each sample's game 18 times (17 arguments + 1) more.
  EXPECT_GT(total, sampling) << run;
  EXPECT_GT(sampling, 0.0) << run;
  EXPECT_EQ(run["samples_per_second"].get<double>(), 2000 / sampling) << run;

  const Result text = Parley("run " + file + " -n 2000 --attribution shapley");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const std::string last = text.out.substr(text.out.rfind('\n', text.out.size() - 2) + 1);
  double shown_total = 0, shown_sampling = 0, rate = 0;
  int threads = 0;
  ASSERT_EQ(std::sscanf(last.c_str(), "%d thread%*[s], %lf s (sampling %lf s, %lf samples/s)",
                        &threads, &shown_total, &shown_sampling, &rate),
            4)
      << last;
  EXPECT_GT(shown_total, shown_sampling) << last;
}

// compare and sweep: the total of the whole command and the sampling in it.
TEST(AttributionCli, OtherCommandsReportTotalAndSamplingTime) {
  const std::string file = Scenario("istanbul-2025.yaml");
  for (const std::string& args : std::vector<std::string>{
           "run " + file + " " + file + " -n 500 --json -",
           "sweep " + file + " --vary payoff.ceasefire.russia=0:1:3 -n 500 --json -",
           "sensitivity " + file + " -n 16 --json -"}) {
    const Result r = Parley(args);
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    const json run = json::parse(r.out)["run"];
    ASSERT_TRUE(run.contains("sampling_seconds")) << args << "\n" << run;
    EXPECT_GE(run["seconds"].get<double>(), run["sampling_seconds"].get<double>()) << args;
    EXPECT_GT(run["sampling_seconds"].get<double>(), 0.0) << args;
  }
}

TEST(AttributionCli, DeterministicAcrossThreads) {
  const std::string run =
      "run " + Scenario("istanbul-2025.yaml") + " -n 600 --attribution shapley --json - -t ";
  const Result one = Parley(run + "1"), three = Parley(run + "3");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_EQ(json::parse(one.out)["attribution"].dump(),
            json::parse(three.out)["attribution"].dump());
}

constexpr const char* kComplements = R"(name: Complements
actors:
  - {id: a, options: [deal, walk]}
  - {id: b, options: [wait]}
outcomes:
  - {id: deal, when: {a: deal}}
  - {id: walk, otherwise: true}
payoffs:
  deal: {a: -1, b: 0}
  walk: {a: 0, b: 0}
arguments:
  - {id: first, analyst: One, claim: c, credence: 0.5, effects: [{outcome: deal, actor: a, add: 0.6}]}
  - {id: second, analyst: Two, claim: c, credence: 0.5, effects: [{outcome: deal, actor: a, add: 0.6}]}
  - {id: third, analyst: Three, claim: c, credence: 0.5, effects: [{outcome: deal, actor: b, add: 1}]}
)";

TEST(AttributionCli, ExactOnAHandComputedGame) {
  const auto path = TempPath("complements.yaml");
  std::ofstream(path) << kComplements;
  // Deal only when first and second both hold; third changes no choice.
  Result r = Parley("run " + path.string() + " -n 50 --attribution shapley --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json a = json::parse(r.out)["attribution"];
  EXPECT_EQ(a["exact"], true);
  EXPECT_EQ(a["coalitions"], 8);
  EXPECT_EQ(a["all_hold"]["deal"], 1.0);
  EXPECT_EQ(a["none_hold"]["deal"], 0.0);
  EXPECT_NEAR(a["arguments"][0]["shapley"]["deal"].get<double>(), 0.5, 1e-15);
  EXPECT_NEAR(a["arguments"][1]["shapley"]["deal"].get<double>(), 0.5, 1e-15);
  EXPECT_EQ(a["arguments"][2]["shapley"]["deal"], 0.0);
  // Forced arguments are not players: with first forced on, second does it all.
  r = Parley("run " + path.string() + " -n 50 --with first --attribution shapley --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  a = json::parse(r.out)["attribution"];
  ASSERT_EQ(a["arguments"].size(), 2u);
  EXPECT_EQ(a["arguments"][0]["id"], "second");
  EXPECT_EQ(a["arguments"][0]["shapley"]["deal"], 1.0);
}

TEST(AttributionCli, SequentialScenario) {
  const Result r = Parley("run " + Scenario("istanbul-2025-sequential.yaml") +
                          " -n 300 --attribution shapley --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json a = json::parse(r.out)["attribution"];
  EXPECT_FALSE(a["arguments"].empty());
  ExpectEfficient(a);
}

TEST(AttributionCli, PlainRunHasNoNewKeys) {
  const Result r = Parley("run " + Scenario("classic/stag-hunt.yaml") + " -n 100 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_FALSE(j.contains("attribution"));
  EXPECT_FALSE(j.contains("precision"));
}

// The JSON without the keys that may differ: timing and the precision note.
std::string Comparable(const std::string& text) {
  json j = json::parse(text);
  j.erase("run");
  j.erase("precision");
  return j.dump(2);
}

TEST(PrecisionCli, EqualsThePlainRunOfItsSampleCount) {
  for (const char* scenario : {"istanbul-2025.yaml", "istanbul-2025-sequential.yaml"}) {
    const std::string file = Scenario(scenario);
    const Result p1 = Parley("run " + file + " --precision 0.01 -t 1 --json -");
    const Result p3 = Parley("run " + file + " --precision 0.01 -t 3 --json -");
    ASSERT_EQ(p1.exit_code, 0) << p1.err;
    ASSERT_EQ(p3.exit_code, 0) << p3.err;
    const json precision = json::parse(p1.out)["precision"];
    EXPECT_EQ(precision["target"], 0.01);
    EXPECT_EQ(precision["reached"], true);
    EXPECT_LE(precision["half_width"].get<double>(), 0.01);
    const int64_t n = precision["samples"];
    EXPECT_EQ(n % precision["check_every"].get<int64_t>(), 0);
    EXPECT_EQ(json::parse(p1.out)["samples"], n);
    EXPECT_EQ(Comparable(p1.out), Comparable(p3.out)) << scenario;
    // Byte-identical to the plain run of n samples.
    const Result plain = Parley("run " + file + " -n " + std::to_string(n) + " -t 2 --json -");
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    EXPECT_EQ(Comparable(p1.out), Comparable(plain.out)) << scenario;
    // Every reported interval is within the target.
    const json parsed = json::parse(p1.out);
    for (const json& o : parsed["outcomes"]) {
      EXPECT_LE(0.5 * (o["ci95"][1].get<double>() - o["ci95"][0].get<double>()), 0.01);
    }
  }
}

TEST(PrecisionCli, CapIsReported) {
  const std::string run =
      "run " + Scenario("istanbul-2025.yaml") + " --precision 0.0005 --max-samples 3000";
  Result r = Parley(run + " --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["samples"], 3000);
  EXPECT_EQ(j["precision"]["reached"], false);
  EXPECT_EQ(j["precision"]["max_samples"], 3000);
  r = Parley(run);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NOT reached: stopped at the --max-samples cap of 3000 samples"),
            std::string::npos)
      << r.out;
  // Both together: attribution on the samples the precision run stopped at.
  r = Parley(run + " --attribution shapley --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["attribution"]["samples"], 3000);
}

TEST(PrecisionCli, BadFlags) {
  const std::string run = "run " + Scenario("classic/stag-hunt.yaml");
  for (const char* flags :
       {" --max-samples 100", " --precision 0.01 -n 100", " --precision 0", " --precision 0.7",
        " --precision abc", " --precision 0.01 --max-samples 0", " --attribution banzhaf"}) {
    const Result r = Parley(run + flags);
    EXPECT_EQ(r.exit_code, 2) << flags;
    EXPECT_FALSE(r.err.empty()) << flags;
    EXPECT_TRUE(r.out.empty()) << flags;
  }
}

TEST(ProgressCli, NoProgressTextWithoutATerminal) {
  // Long enough to pass the bar's half-second delay on a terminal.
  const Result r = Parley("run " + Scenario("istanbul-2025.yaml") + " -n 400000 -t 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.find('\r'), std::string::npos);
}

}  // namespace
