// Bounded work at the documented limits, through the `parley` binary: trees
// as deep as the node limit are walked without recursion, and reduced normal
// forms too large to enumerate are refused before memory runs out. The big
// inputs are generated here, not stored.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "parley_cli.h"

namespace {

using parley::testing::Parley;
using parley::testing::Slurp;
using parley::testing::TempPath;
using Result = parley::testing::CliResult;

// Parley with its address space limited to 2 GB (`ulimit -v`): a run that
// needs more fails instead of slowing the machine down. (Not limited under
// AddressSanitizer; the release build's run of the test checks the memory.)
Result LimitedParley(const std::string& args) {
  const char* bin = std::getenv("PARLEY_BIN");
  EXPECT_NE(bin, nullptr) << "PARLEY_BIN is not set";
  const auto out = TempPath("limited-stdout"), err = TempPath("limited-stderr");
  const std::string limit = parley::testing::AddressSpaceLimit("2000000");
  const std::string command = limit + std::string(bin ? bin : "false") + " " + args + " >" +
                              out.string() + " 2>" + err.string() + " </dev/null";
  const int status = std::system(command.c_str());
  return {WEXITSTATUS(status), Slurp(out), Slurp(err)};
}

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// A single path of 2^22 nodes (the .efg node limit, docs/reference/
// efg-format.md), within the 64 MiB file limit: chance nodes of one shared
// one-action information set, every eighth node a one-action decision node
// of player 1 or 2 (each its own information set), and one terminal.
std::string WriteChainAtTheNodeLimit() {
  const std::string path = TempPath("chain.efg").string();
  std::ofstream f(path);
  f << "EFG 2 R \"chain\" { \"P1\" \"P2\" }\n\"\"\n\n";
  f << "c \"\" 1 \"\" { \"a\" 1 } 0\n";
  // Under AddressSanitizer (about 8x slower here) 2^19 nodes: still far
  // deeper than any recursion survives, while the release build's run of the
  // test checks the limit itself.
  const int64_t nodes = int64_t{1} << (parley::testing::kAddressSanitizer ? 19 : 22);
  int64_t sets[2] = {0, 0};
  for (int64_t i = 1; i < nodes - 1; ++i) {
    if (i % 8 == 0) {
      const int p = static_cast<int>((i / 8) % 2);
      f << "p \"\" " << p + 1 << ' ' << ++sets[p] << " \"\" { \"a\" } 0\n";
    } else {
      f << "c \"\" 1 0\n";
    }
  }
  f << "t \"\" 1 \"\" { 1, 2 }\n";
  return path;
}

TEST(DeepTreesCli, AChainAsDeepAsTheNodeLimitIsSolvedAndExported) {
  const std::string chain = WriteChainAtTheNodeLimit();

  const Result solved = Parley("solve " + chain);
  EXPECT_EQ(solved.exit_code, 0) << solved.err;
  EXPECT_NE(solved.out.find("Payoffs:\n  P1           1\n  P2           2\n"), std::string::npos)
      << solved.out.substr(0, 2000);

  // Its JSON would name each node by the moves before it (nodes x depth,
  // terabytes): refused from an estimate, in bounded memory, writing nothing.
  const std::string json = TempPath("chain.json").string();
  const Result as_json = LimitedParley("solve " + chain + " --json " + json);
  EXPECT_EQ(as_json.exit_code, 2) << as_json.err;
  EXPECT_NE(as_json.err.find("over the limit of 256 MiB"), std::string::npos) << as_json.err;
  EXPECT_FALSE(std::filesystem::exists(json));

  const std::string nfg = TempPath("chain.nfg").string();
  const Result nf = Parley("export " + chain + " --format nfg -o " + nfg);
  EXPECT_EQ(nf.exit_code, 0) << nf.err;
  // One reduced strategy each: a 1x1 game paying (1, 2).
  const std::string nfg_text = Slurp(nfg);
  EXPECT_TRUE(nfg_text.ends_with("\n\n1 2\n")) << nfg_text.substr(nfg_text.size() - 300);
  const Result nf_solved = Parley("solve " + nfg + " --method pure");
  EXPECT_EQ(nf_solved.exit_code, 0) << nf_solved.err;

  const std::string efg = TempPath("chain-out.efg").string();
  const Result ef = Parley("export " + chain + " --format efg -o " + efg);
  EXPECT_EQ(ef.exit_code, 0) << ef.err;
  // The tree written back is the tree read, node for node (the comment on
  // the second line names where it came from).
  const auto body = [](const std::string& text) {
    return text.substr(text.find('\n', text.find('\n') + 1));
  };
  EXPECT_TRUE(body(Slurp(efg)) == body(Slurp(chain)));
}

// A sequential scenario with as many stages as allowed (256), one option
// each: explain, solve and export walk a path of 256 stages.
TEST(DeepTreesCli, TheLongestSequenceIsExplained) {
  const std::string path = TempPath("stages.yaml").string();
  {
    std::ofstream f(path);
    f << "name: Longest sequence\nactors:\n  - {id: a, options: [go]}\n"
         "  - {id: b, options: [go]}\nsequence:\n";
    for (int k = 0; k < 256; ++k) {
      f << "  - {id: s" << k << ", actor: " << (k % 2 ? "b" : "a") << "}\n";
    }
    f << "outcomes:\n  - {id: end, otherwise: true}\npayoffs:\n  end: {a: 1, b: 2}\n";
  }
  const Result explained = Parley("explain " + path + " --max-lines 1000");
  EXPECT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_NE(explained.out.find("s255: go => end"), std::string::npos) << explained.out;
  for (const std::string& command :
       {"solve " + path, "export " + path + " --format nfg -o " + TempPath("s.nfg").string(),
        "export " + path + " --format efg -o " + TempPath("s.efg").string()}) {
    const Result r = Parley(command);
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
  }
}

// 14 fair coins, then a mover who sees them all and a guesser who sees
// nothing: 65,536 tree nodes, and the mover has 2^16384 reduced strategies
// of 16,384 information sets each. Enumerating them ran out of memory
// (more than 6 GB) before the 2^20 limit on profiles was reached; now the
// plans' memory budget refuses it at once.
TEST(InformationSetsLimitsCli, AReducedFormTooLargeToEnumerateIsRefusedWithinTheBudget) {
  const std::string path = TempPath("coins.yaml").string();
  {
    std::ofstream f(path);
    f << "name: Coins\nactors:\n  - {id: mover, options: [fixed, flex]}\n"
         "  - {id: guesser, options: [fixed, flex]}\nsequence:\n";
    std::string coins;
    for (int k = 0; k < 14; ++k) {
      f << "  - {id: d" << k << ", chance: {x: 0.5, y: rest}}\n";
      coins += "d" + std::to_string(k) + ", ";
    }
    f << "  - actor: mover\n  - actor: guesser\n    unobserved: [" << coins << "mover]\n"
      << "outcomes:\n  - {id: match, when: {mover: fixed, guesser: fixed}}\n"
         "  - {id: differ, otherwise: true}\npayoffs:\n  match: {mover: 1, guesser: 1}\n"
         "  differ: {mover: 0, guesser: 0}\n";
  }
  for (const std::string command : {"validate", "run", "solve", "explain"}) {
    const Result limited = LimitedParley(command + " " + path);
    EXPECT_EQ(limited.exit_code, 2) << command << ": " << limited.err;
    EXPECT_NE(limited.err.find("the reduced normal form is too large: the reduced strategies of "
                               "mover, each an action at 16384 information sets, need more than "
                               "the limit of 67108864 plan entries"),
              std::string::npos)
        << command << ": " << limited.err;
  }
}

// Alternating simultaneous moves, a and b 8 times each: 131,071 nodes and
// 32,767 small subgames with information sets. Each subgame's enumeration
// allocated arrays as large as the whole tree (3.8 GB in all); it now takes
// what its subgame needs.
TEST(InformationSetsLimitsCli, ManySmallSubgamesWithInformationSetsFitInLittleMemory) {
  const std::string path = TempPath("rounds.yaml").string();
  {
    std::ofstream f(path);
    f << "name: Rounds\nactors:\n  - {id: a, options: [x, y]}\n  - {id: b, options: [x, y]}\n"
         "sequence:\n";
    for (int r = 0; r < 8; ++r) {
      f << "  - {id: a" << r << ", actor: a}\n  - {id: b" << r << ", actor: b, unobserved: [a" << r
        << "]}\n";
    }
    f << "outcomes:\n  - {id: same, when: {a0: x, b0: x}}\n  - {id: other, otherwise: true}\n"
         "payoffs:\n  same: {a: 1, b: 1}\n  other: {a: 0, b: 0}\n";
  }
  const Result r = LimitedParley("validate " + path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("131071 tree nodes, 65536 terminal histories"), std::string::npos) << r.out;
}

// 40,000 outcomes over 10,000 profiles (two actors with 100 options each),
// each with a `when` and a payoff row: loading looked every payoff row up
// by scanning the mapping and every outcome id by scanning the list (41 s;
// 100,000 outcomes did not finish in 600 s). The counts show everything was
// read; the mean game's pure equilibria show the rows landed on the right
// outcomes: o0..o9999 cover each profile once, o_i pays (i mod 7, i mod 5).
TEST(LargeInputsCli, FortyThousandOutcomesLoad) {
  const std::string path = TempPath("outcomes.yaml").string();
  {
    std::ofstream f(path);
    f << "name: Many outcomes\nactors:\n  - {id: a, options: [";
    for (int i = 0; i < 100; ++i) f << (i ? ", x" : "x") << i;
    f << "]}\n  - {id: b, options: [";
    for (int i = 0; i < 100; ++i) f << (i ? ", y" : "y") << i;
    f << "]}\noutcomes:\n";
    const int n = 40000;
    for (int i = 0; i + 1 < n; ++i) {
      f << "  - {id: o" << i << ", when: {a: x" << i % 100 << ", b: y" << i / 100 % 100 << "}}\n";
    }
    f << "  - {id: o" << n - 1 << ", otherwise: true}\npayoffs:\n";
    for (int i = 0; i < n; ++i) f << "  o" << i << ": {a: " << i % 7 << ", b: " << i % 5 << "}\n";
  }
  const Result r = Parley("validate " + path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("10000 strategy profiles in 10000 payoff classes, 40000 outcomes"),
            std::string::npos)
      << r.out;
  // Profile (x_i, y_j) is outcome k = 100 j + i and pays (k mod 7, k mod 5).
  // b's payoff does not depend on j, and each row of 100 consecutive k
  // offers a a 6: the pure equilibria are the k < 10000 with k mod 7 = 6.
  const Result solved = Parley("solve " + path + " --method pure");
  EXPECT_EQ(solved.exit_code, 0) << solved.err;
  EXPECT_NE(solved.out.find("method pure: 1428 equilibria"), std::string::npos)
      << solved.out.substr(0, 300);
  EXPECT_EQ(Count(solved.out, "(regret 0)"), 1428u);
}

// An all-zero 256 x 256 game: every one of its 65,536 profiles is a pure
// equilibrium. Each was evaluated over the whole game (41 s).
TEST(LargeInputsCli, EveryProfileAnEquilibrium) {
  const std::string path = TempPath("zeros.nfg").string();
  {
    std::ofstream f(path);
    f << "NFG 1 R \"zeros\" { \"r\" \"c\" } { 256 256 }\n\n";
    for (int q = 0; q < 256 * 256; ++q) f << "0 0 ";
    f << "\n";
  }
  const Result r = Parley("solve " + path + " --method pure");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("method pure: 65536 equilibria"), std::string::npos) << r.out.substr(0, 300);
  EXPECT_EQ(Count(r.out, "(regret 0)"), 65536u);
  // The JSON lists all 512 strategies of each of them (about 1 GB): refused.
  const Result as_json = LimitedParley("solve " + path + " --method pure --json -");
  EXPECT_EQ(as_json.exit_code, 2) << as_json.err;
  EXPECT_NE(as_json.err.find("over the limit of 256 MiB"), std::string::npos) << as_json.err;
  EXPECT_TRUE(as_json.out.empty());
}

}  // namespace
