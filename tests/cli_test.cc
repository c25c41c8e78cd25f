// End-to-end tests of the `parley` binary (found through $PARLEY_BIN): exit
// codes, error positions for every file of the bad-input corpus in
// tests/data/bad/, the JSON report, thread-count determinism and the flags.
//
// Every file in tests/data/bad/ starts with two comment lines:
//   # expect: <a substring of the error message>
//   # at: LINE:COL        (the 1-based position the message must name)
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace parley {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr int kExitBadInput = 2;

std::string SourceDir() { return PARLEY_SOURCE_DIR; }
std::string BadDir() { return SourceDir() + "/tests/data/bad"; }
std::string Istanbul() { return SourceDir() + "/scenarios/istanbul-2025.yaml"; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

// A scratch folder for one test process, removed when the process ends.
const fs::path& TempDir() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "parley-cli-test-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    if (made == nullptr) std::abort();
    return fs::path(made);
  }();
  return dir;
}

class TempDirCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(TempDir(), ec);
  }
};
[[maybe_unused]] const auto* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new TempDirCleanup);

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

struct Result {
  int exit_code = -1;
  std::string out, err;
};

// Runs `parley args...`, capturing stdout and stderr through temporary files.
Result Parley(const std::vector<std::string>& args) {
  const char* bin = std::getenv("PARLEY_BIN");
  if (bin == nullptr || *bin == '\0') {
    ADD_FAILURE() << "PARLEY_BIN is not set";
    return {};
  }
  static int calls = 0;
  const std::string id = std::to_string(++calls);
  const fs::path out = TempDir() / ("stdout-" + id), err = TempDir() / ("stderr-" + id);
  std::string command = ShellQuote(bin);
  for (const std::string& a : args) command += " " + ShellQuote(a);
  command += " >" + ShellQuote(out.string()) + " 2>" + ShellQuote(err.string()) + " </dev/null";
  const int status = std::system(command.c_str());
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  std::error_code ec;
  fs::remove(out, ec);
  fs::remove(err, ec);
  return r;
}

std::string Describe(const Result& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout:\n" + r.out.substr(0, 2000) +
         "\n--- stderr:\n" + r.err.substr(0, 2000);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---------------------------------------------------------------------------
// The bad-input corpus.

struct BadCase {
  std::string path;
  std::string expect;  // substring of the message
  std::string at;      // "LINE:COL"
};

std::string Header(const std::string& text, const std::string& prefix, size_t line) {
  std::istringstream in(text);
  std::string l;
  for (size_t i = 0; i <= line && std::getline(in, l); ++i) {
    if (i == line) return l.rfind(prefix, 0) == 0 ? l.substr(prefix.size()) : std::string();
  }
  return {};
}

std::vector<std::string> BadFiles() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(BadDir(), ec)) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

BadCase ReadBadCase(const std::string& name) {
  BadCase c;
  c.path = BadDir() + "/" + name;
  const std::string text = ReadFile(c.path);
  c.expect = Header(text, "# expect: ", 0);
  c.at = Header(text, "# at: ", 1);
  return c;
}

// `parley validate` and `parley run --json OUT` both refuse the file with
// exit code 2, a message naming FILE:LINE:COL and the expected text, and
// no output file (not even a partial one).
void ExpectRefused(const std::string& path, const std::string& at, const std::string& expect) {
  const std::string where = path + ":" + at + ": ";
  const Result v = Parley({"validate", path});
  EXPECT_EQ(v.exit_code, kExitBadInput) << Describe(v);
  EXPECT_TRUE(Contains(v.err, where)) << "expected " << where << "\n" << Describe(v);
  EXPECT_TRUE(Contains(v.err, expect)) << "expected '" << expect << "'\n" << Describe(v);
  EXPECT_TRUE(Contains(v.err, "error: ")) << Describe(v);
  EXPECT_EQ(v.out, "") << Describe(v);

  const fs::path out_dir = TempDir() / "out";
  fs::create_directories(out_dir);
  const fs::path json_path = out_dir / "result.json";
  const Result r = Parley({"run", path, "--json", json_path.string(), "--samples", "10"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, where)) << "expected " << where << "\n" << Describe(r);
  EXPECT_TRUE(Contains(r.err, expect)) << "expected '" << expect << "'\n" << Describe(r);
  EXPECT_FALSE(fs::exists(json_path)) << "run left " << json_path;
  EXPECT_TRUE(fs::is_empty(out_dir)) << "run left a file in " << out_dir;
  fs::remove_all(out_dir);
}

TEST(BadCorpus, EveryFileHasItsHeader) {
  const std::vector<std::string> files = BadFiles();
  EXPECT_GE(files.size(), 40u) << "tests/data/bad/ looks incomplete";
  for (const std::string& name : files) {
    const BadCase c = ReadBadCase(name);
    EXPECT_FALSE(c.expect.empty()) << name << ": the first line must be '# expect: ...'";
    int line = 0, column = 0;
    char colon = 0;
    std::istringstream at(c.at);
    EXPECT_TRUE((at >> line >> colon >> column) && colon == ':' && line >= 1 && column >= 1)
        << name << ": the second line must be '# at: LINE:COL', got '" << c.at << "'";
  }
}

class BadFile : public ::testing::TestWithParam<std::string> {};

TEST_P(BadFile, IsRefusedWithItsPositionAndMessage) {
  const BadCase c = ReadBadCase(GetParam());
  ASSERT_FALSE(c.expect.empty());
  ASSERT_FALSE(c.at.empty());
  ExpectRefused(c.path, c.at, c.expect);
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadFile, ::testing::ValuesIn(BadFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.rfind('.'));
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

// Inputs too big to keep in the repository are generated here.

TEST(GeneratedBadInput, DeepNestingIsRefusedBeforeParsing) {
  const fs::path file = TempDir() / "deep.yaml";
  WriteFile(file, std::string(100000, '['));
  // The first bracket past the 64 accepted levels.
  ExpectRefused(file.string(), "1:65", "nested too deeply");
}

TEST(GeneratedBadInput, DeepNestingInsideAScenarioIsRefused) {
  const fs::path file = TempDir() / "deep-payoff.yaml";
  WriteFile(file, "name: Deep\nactors:\n  - {id: a, options: [x]}\npayoffs: " +
                      std::string(1000, '{') + "\n");
  ExpectRefused(file.string(), "4:74", "nested too deeply");
}

TEST(GeneratedBadInput, HugeFileIsRefusedBeforeParsing) {
  const fs::path file = TempDir() / "huge.yaml";
  std::string text = "name: Huge\n";
  const std::string filler = "# padding padding padding padding padding padding padding\n";
  while (text.size() <= (size_t{8} << 20)) text += filler;
  WriteFile(file, text);
  ExpectRefused(file.string(), "1:1",
                "the file is " + std::to_string(text.size()) +
                    " bytes; scenario files of at most 8388608 bytes are accepted");
}

TEST(GeneratedBadInput, EmptyAndBlankFilesAreRefused) {
  const fs::path empty = TempDir() / "empty.yaml";
  WriteFile(empty, "");
  ExpectRefused(empty.string(), "1:1", "the file is empty");
  const fs::path blank = TempDir() / "blank.yaml";
  WriteFile(blank, "\n\n   \n\n");
  ExpectRefused(blank.string(), "1:1", "the file is empty");
}

TEST(GeneratedBadInput, QuotesDoNotHideDeepNestingFromTheParser) {
  // A quote inside a plain scalar (it's) does not open a quoted string, so
  // the pre-parse nesting check still sees the deep flow sequence after it.
  const fs::path file = TempDir() / "quoted-deep.yaml";
  WriteFile(file, "name: [it's, " + std::string(20000, '[') + std::string(20000, ']') + "]\n");
  for (const char* command : {"validate", "run"}) {
    const Result r = Parley({command, file.string()});
    EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
    EXPECT_TRUE(Contains(r.err, file.string() + ":1:")) << Describe(r);
    EXPECT_TRUE(Contains(r.err, "nested too deeply")) << Describe(r);
  }
}

TEST(GeneratedBadInput, NulByteIsNamedWithItsPosition) {
  const fs::path file = TempDir() / "nul.yaml";
  WriteFile(file, std::string("name: x\nac") + '\0' + "tors: []\n");
  const Result r = Parley({"validate", file.string()});
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, file.string() + ":2:3: error: the file contains a NUL byte"))
      << Describe(r);
}

TEST(GeneratedBadInput, DirectoriesAndDevicesAreNotScenarios) {
  for (const std::string& path : {TempDir().string(), std::string("/dev/zero")}) {
    const Result r = Parley({"validate", path});
    EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
    EXPECT_TRUE(Contains(r.err, path + ": error: not a regular file")) << Describe(r);
  }
}

TEST(GeneratedBadInput, MissingFileIsNamed) {
  const std::string path = (TempDir() / "no-such-scenario.yaml").string();
  for (const char* command : {"validate", "run"}) {
    const Result r = Parley({command, path});
    EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
    EXPECT_TRUE(Contains(r.err, path)) << Describe(r);
    EXPECT_TRUE(Contains(r.err, "no such scenario file")) << Describe(r);
  }
}

// ---------------------------------------------------------------------------
// Subcommands and flags.

TEST(Cli, VersionModelsAndHelp) {
  const Result version = Parley({"--version"});
  EXPECT_EQ(version.exit_code, 0) << Describe(version);
  EXPECT_EQ(version.out.rfind("parley ", 0), 0u) << Describe(version);

  const Result models = Parley({"models"});
  EXPECT_EQ(models.exit_code, 0) << Describe(models);
  EXPECT_TRUE(Contains(models.out, "nash-pure")) << Describe(models);

  for (const char* command : {"run", "validate"}) {
    const Result help = Parley({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << Describe(help);
    EXPECT_TRUE(Contains(help.out, "Usage")) << Describe(help);
  }
}

TEST(Cli, UnknownSubcommandsAndFlagsAreBadInput) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {},
           {"frobnicate"},
           {"--frobnicate"},
           {"run", Istanbul(), "--frobnicate"},
           {"validate", Istanbul(), "--samples", "5"},
           {"run"},
       }) {
    const Result r = Parley(args);
    EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
    EXPECT_FALSE(r.err.empty()) << Describe(r);
  }
}

// The two flags most often swapped: a sample count (run, --samples) and one
// sample's index (solve, export, explain: --sample).
TEST(Cli, UnknownFlagsSuggestTheClosestFlagOfTheCommand) {
  Result r = Parley({"run", Istanbul(), "--sample", "5"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("parley run: unknown flag '--sample' (did you mean '--samples'?)"));
  r = Parley({"solve", Istanbul(), "--samples=3"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_THAT(r.err,
              HasSubstr("parley solve: unknown flag '--samples' (did you mean '--sample'?)"));
  r = Parley({"sweep", Istanbul(), "--vary", "x=1:2:2", "--sede", "3"});
  EXPECT_THAT(r.err, HasSubstr("parley sweep: unknown flag '--sede' (did you mean '--seed'?)"));
  r = Parley({"run", Istanbul(), "--frobnicate"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("parley run: unknown flag '--frobnicate'; see parley run --help"));
}

TEST(Cli, ValidateReportsTheGame) {
  const Result r = Parley({"validate", Istanbul()});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.out, ": ok: ")) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "4 actors")) << Describe(r);
  EXPECT_EQ(r.err, "");
}

TEST(Cli, OutOfRangeNumbersAreBadInput) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--samples", "0"},
           {"--samples", "-3"},
           {"--samples", "many"},
           {"--threads", "-1"},
           {"--seed", "abc"},
           {"--seed", "-1"},
           {"--seed", "18446744073709551616"},
           {"--threads", "257"},
       }) {
    std::vector<std::string> full = {"run", Istanbul(), "-q"};
    full.insert(full.end(), args.begin(), args.end());
    const Result r = Parley(full);
    EXPECT_EQ(r.exit_code, kExitBadInput) << args[0] << " " << args[1] << "\n" << Describe(r);
    EXPECT_TRUE(Contains(r.err, args[0])) << Describe(r);
  }
}

TEST(Cli, UnknownModelListsTheModels) {
  const Result r = Parley({"run", Istanbul(), "--model", "no-such", "-q"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "no-such")) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "nash-pure")) << Describe(r);
}

TEST(Cli, UnknownSelectionListsTheRules) {
  const Result r = Parley({"run", Istanbul(), "--selection", "best", "-q"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "payoff-dominant")) << Describe(r);
}

TEST(Cli, UnwritableJsonPathIsAFailure) {
  const std::string path = (TempDir() / "no-such-dir" / "out.json").string();
  const Result r = Parley({"run", Istanbul(), "--samples", "10", "--json", path, "-q"});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_TRUE(Contains(r.err, path)) << Describe(r);
}

// ---------------------------------------------------------------------------
// The JSON report.

json RunJson(std::vector<std::string> extra, int64_t samples) {
  const fs::path out = TempDir() / "run.json";
  std::error_code ec;
  fs::remove(out, ec);
  std::vector<std::string> args = {"run",    Istanbul(),   "--samples", std::to_string(samples),
                                   "--json", out.string(), "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  const Result r = Parley(args);
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  if (r.exit_code != 0 || !fs::exists(out)) return json();
  json j = json::parse(ReadFile(out), nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << ReadFile(out).substr(0, 500);
  fs::remove(out, ec);
  return j;
}

void ExpectInterval(const json& ci, double inside, const std::string& what) {
  ASSERT_TRUE(ci.is_array() && ci.size() == 2) << what << ": " << ci.dump();
  const double lo = ci[0].get<double>(), hi = ci[1].get<double>();
  EXPECT_LE(0.0, lo) << what;
  EXPECT_LE(hi, 1.0) << what;
  EXPECT_LE(lo, inside) << what;
  EXPECT_LE(inside, hi) << what;
}

// Unresolved samples are explained for the model used, and each outcome is
// also given among the resolved samples; without any, neither appears.
TEST(CliText, UnresolvedIsExplainedWithTheResolvedShares) {
  // Under nash-pure, a game with a pure equilibrium only in some samples.
  const std::string file = SourceDir() + "/tests/data/sometimes-cycles.yaml";
  const Result r = Parley({"run", file, "-n", "2000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("95% CI (Wilson)   P among resolved samples\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(unresolved: nash-pure made no prediction; the sampled game has no pure "
                       "Nash equilibrium"),
            std::string::npos)
      << r.out;
  const Result stag =
      Parley({"run", SourceDir() + "/scenarios/classic/stag-hunt.yaml", "-n", "2000"});
  ASSERT_EQ(stag.exit_code, 0) << stag.err;
  EXPECT_EQ(stag.out.find("among resolved"), std::string::npos) << stag.out;
  EXPECT_EQ(stag.out.find("(unresolved:"), std::string::npos) << stag.out;
}

TEST(CliJson, IstanbulReportHasTheDocumentedShape) {
  const json j = RunJson({}, 20000);
  ASSERT_TRUE(j.is_object());
  for (const char* key : {"parley_version", "scenario", "model", "selection", "samples", "seed",
                          "outcomes", "unresolved", "payoffs", "equilibria", "arguments", "run"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_TRUE(j["parley_version"].is_string());
  EXPECT_EQ(j["scenario"]["name"], "Istanbul talks, May 2025");
  EXPECT_EQ(j["model"], "nash-pure");
  EXPECT_EQ(j["selection"], "uniform");
  EXPECT_EQ(j["samples"], 20000);
  EXPECT_EQ(j["seed"], 20250515u);

  // Outcomes, in file order, plus "unresolved": probabilities sum to 1.
  ASSERT_TRUE(j["outcomes"].is_array());
  std::vector<std::string> ids;
  double total = 0.0;
  int64_t counts = 0;
  for (const json& o : j["outcomes"]) {
    for (const char* key : {"id", "label", "probability", "ci95", "count"}) {
      ASSERT_TRUE(o.contains(key)) << key << " in " << o.dump();
    }
    ids.push_back(o["id"]);
    EXPECT_TRUE(o["label"].is_string());
    const double p = o["probability"];
    ExpectInterval(o["ci95"], p, o["id"]);
    EXPECT_DOUBLE_EQ(p, o["count"].get<double>() / 20000.0);
    total += p;
    counts += o["count"].get<int64_t>();
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"ceasefire", "collapse", "talks_without_ceasefire"}));
  const json& unresolved = j["unresolved"];
  for (const char* key : {"probability", "ci95", "count"}) {
    ASSERT_TRUE(unresolved.contains(key)) << key;
  }
  ExpectInterval(unresolved["ci95"], unresolved["probability"], "unresolved");
  total += unresolved["probability"].get<double>();
  counts += unresolved["count"].get<int64_t>();
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_EQ(counts, 20000);
  EXPECT_NE(unresolved["meaning"].get<std::string>().find("no pure Nash equilibrium"),
            std::string::npos);
  // Among the resolved samples: count / (samples - unresolved), summing to 1,
  // with a Wilson interval over the resolved samples.
  const int64_t resolved = 20000 - unresolved["count"].get<int64_t>();
  ASSERT_GT(resolved, 0);
  double resolved_total = 0.0;
  for (const json& o : j["outcomes"]) {
    const json& among = o["among_resolved"];
    ASSERT_TRUE(among.is_object()) << o.dump();
    const double p = among["probability"];
    EXPECT_DOUBLE_EQ(p, o["count"].get<double>() / static_cast<double>(resolved));
    ExpectInterval(among["ci95"], p, o["id"]);
    const double z = 1.959963984540054, n = static_cast<double>(resolved);
    const double center = (p + z * z / (2 * n)) / (1 + z * z / n);
    EXPECT_NEAR(0.5 * (among["ci95"][0].get<double>() + among["ci95"][1].get<double>()), center,
                1e-12);
    resolved_total += p;
  }
  EXPECT_NEAR(resolved_total, 1.0, 1e-12);

  // Payoffs: one entry per actor.
  ASSERT_TRUE(j["payoffs"].is_array());
  ASSERT_EQ(j["payoffs"].size(), 4u);
  std::vector<std::string> actors;
  for (const json& p : j["payoffs"]) {
    actors.push_back(p["actor"]);
    EXPECT_EQ(p["n"], 20000 - unresolved["count"].get<int64_t>());
    ASSERT_TRUE(p["mean"].is_number()) << p.dump();
    ASSERT_TRUE(p["ci95"].is_array() && p["ci95"].size() == 2) << p.dump();
    EXPECT_LE(p["ci95"][0].get<double>(), p["mean"].get<double>());
    EXPECT_LE(p["mean"].get<double>(), p["ci95"][1].get<double>());
  }
  EXPECT_EQ(actors, (std::vector<std::string>{"russia", "ukraine", "us", "europe"}));

  // Equilibrium counts are fractions of the samples.
  const json& eq = j["equilibria"];
  for (const char* key : {"none", "unique", "multiple"}) {
    ASSERT_TRUE(eq.contains(key) && eq[key].is_number()) << key;
  }
  EXPECT_NEAR(eq["none"].get<double>() + eq["unique"].get<double>() + eq["multiple"].get<double>(),
              1.0, 1e-12);
  // With nash-pure, a sample is unresolved exactly when its game has no equilibrium.
  EXPECT_DOUBLE_EQ(eq["none"].get<double>(), unresolved["probability"].get<double>());

  // Arguments: one per argument in the file, all drawn.
  ASSERT_TRUE(j["arguments"].is_array());
  EXPECT_EQ(j["arguments"].size(), 17u);
  std::set<std::string> argument_ids;
  for (const json& a : j["arguments"]) {
    for (const char* key : {"id", "analyst", "claim", "credence", "mode", "holds", "effects"}) {
      ASSERT_TRUE(a.contains(key)) << key << " in " << a["id"];
    }
    argument_ids.insert(a["id"].get<std::string>());
    EXPECT_EQ(a["mode"], "drawn");
    const double credence = a["credence"], holds = a["holds"];
    EXPECT_GE(credence, 0.0);
    EXPECT_LE(credence, 1.0);
    EXPECT_NEAR(holds, credence, 0.02) << a["id"];  // 20000 draws: sd < 0.0036
    const json& effects = a["effects"];
    ASSERT_TRUE(effects.is_object());
    std::set<std::string> keys;
    for (const auto& [key, value] : effects.items()) {
      keys.insert(key);
      ASSERT_TRUE(value.contains("effect") && value.contains("ci95")) << value.dump();
      EXPECT_TRUE(value["effect"].is_number()) << a["id"] << " " << key;
      ASSERT_TRUE(value["ci95"].is_array() && value["ci95"].size() == 2);
      EXPECT_LE(value["ci95"][0].get<double>(), value["effect"].get<double>());
      EXPECT_LE(value["effect"].get<double>(), value["ci95"][1].get<double>());
    }
    EXPECT_EQ(keys, (std::set<std::string>{"ceasefire", "collapse", "talks_without_ceasefire",
                                           "unresolved"}))
        << a["id"];
  }
  EXPECT_EQ(argument_ids.size(), 17u);

  const json& run = j["run"];
  for (const char* key : {"threads", "seconds", "samples_per_second"}) {
    ASSERT_TRUE(run.contains(key) && run[key].is_number()) << key;
  }
  EXPECT_GE(run["threads"].get<int>(), 1);
  EXPECT_GE(run["seconds"].get<double>(), 0.0);
}

// The report without its "run" object (timings and thread count).
std::string WithoutRun(json j) {
  j.erase("run");
  return j.dump();
}

TEST(CliJson, ResultIsTheSameOnOneTwoAndEightThreads) {
  const std::string one = WithoutRun(RunJson({"--threads", "1", "--seed", "42"}, 50000));
  ASSERT_NE(one, "null");
  for (const char* threads : {"2", "8"}) {
    const std::string other = WithoutRun(RunJson({"--threads", threads, "--seed", "42"}, 50000));
    EXPECT_EQ(one, other) << "--threads " << threads;
  }
  // ...and the seed matters.
  const std::string reseeded = WithoutRun(RunJson({"--threads", "2", "--seed", "43"}, 50000));
  EXPECT_NE(one, reseeded);
}

TEST(CliJson, DashPrintsOnlyJsonOnStdout) {
  const Result r = Parley({"run", Istanbul(), "--samples", "2000", "--json", "-"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  const json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << "stdout is not one JSON document:\n" << r.out.substr(0, 2000);
  EXPECT_TRUE(j.is_object());
  EXPECT_EQ(j["samples"], 2000);
}

TEST(CliJson, TextSummaryWithoutJson) {
  const Result r = Parley({"run", Istanbul(), "--samples", "2000"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "talks_without_ceasefire")) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "unresolved")) << Describe(r);
  const Result quiet = Parley({"run", Istanbul(), "--samples", "2000", "-q"});
  EXPECT_EQ(quiet.exit_code, 0) << Describe(quiet);
  EXPECT_EQ(quiet.out, "");
}

const json* FindArgument(const json& j, const std::string& id) {
  for (const json& a : j["arguments"]) {
    if (a["id"] == id) return &a;
  }
  return nullptr;
}

TEST(CliJson, WithAndWithoutForceAnArgument) {
  const std::string id = "baunov-trump-exit";
  struct Case {
    const char* flag;
    const char* mode;
    double holds;
  };
  for (const Case& c : {Case{"--with", "forced-on", 1.0}, Case{"--without", "forced-off", 0.0}}) {
    SCOPED_TRACE(c.flag);
    const json j = RunJson({c.flag, id}, 2000);
    ASSERT_TRUE(j.is_object());
    const json* a = FindArgument(j, id);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ((*a)["mode"], c.mode);
    EXPECT_EQ((*a)["holds"].get<double>(), c.holds);
    ASSERT_EQ((*a)["effects"].size(), 4u);
    for (const auto& [outcome, effect] : (*a)["effects"].items()) {
      EXPECT_TRUE(effect["effect"].is_null()) << outcome;
      EXPECT_TRUE(effect["ci95"].is_null()) << outcome;
    }
    // The other arguments stay drawn.
    const json* other = FindArgument(j, "baunov-domestic-calm");
    ASSERT_NE(other, nullptr);
    EXPECT_EQ((*other)["mode"], "drawn");
  }
}

TEST(CliJson, WithUnknownArgumentSuggestsACloseOne) {
  const Result typo = Parley({"run", Istanbul(), "--with", "baunov-trump-exi", "-q"});
  EXPECT_EQ(typo.exit_code, kExitBadInput) << Describe(typo);
  EXPECT_TRUE(Contains(typo.err, "no argument 'baunov-trump-exi'")) << Describe(typo);
  EXPECT_TRUE(Contains(typo.err, "did you mean 'baunov-trump-exit'?")) << Describe(typo);

  const Result far = Parley({"run", Istanbul(), "--without", "no-such-arg", "-q"});
  EXPECT_EQ(far.exit_code, kExitBadInput) << Describe(far);
  EXPECT_TRUE(Contains(far.err, "no-such-arg")) << Describe(far);
  EXPECT_FALSE(Contains(far.err, "did you mean")) << Describe(far);
}

TEST(CliJson, SameArgumentWithAndWithoutIsBadInput) {
  const fs::path out = TempDir() / "both.json";
  const Result r = Parley({"run", Istanbul(), "--with", "baunov-trump-exit", "--without",
                           "baunov-trump-exit", "--json", out.string(), "-q"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "baunov-trump-exit")) << Describe(r);
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace parley
