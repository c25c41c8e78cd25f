// Reading YAML nodes into Parley's values: the primitives that the scenario
// loader (sim/scenario/loader*.cc) and the override parser (overrides.cc)
// share. Internal to sim/scenario, the one module that uses yaml-cpp; nothing
// outside it includes this header.
//
// Two levels: free functions that say only whether and why a node is not a
// number or a distribution (the loader and `--set` word their messages
// differently), and YamlReader, which reads the nodes of one file and words
// every error as FILE:LINE:COL: error: ....
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/distribution.h"
#include "sim/core/status.h"
#include "sim/scenario/spec.h"

namespace parley::scenario_internal {

// Numbers in a scenario stay within +-1e9, so that sums of payoffs, effects
// and modifiers stay finite and precise; overrides too.
constexpr double kMaxMagnitude = 1e9;
// Longer lists are refused.
constexpr size_t kMaxListItems = 100000;

std::string Join(const std::vector<std::string>& v);  // "a, b, c"
std::string FormatNumber(double x);                   // %.10g, for messages
// 1 to 128 characters: letters, digits, '_', '-', '.'; starting with a
// letter or '_'.
bool IsIdentifier(std::string_view s);
// Text that starts like a number (a sign, a point, a digit), or nan/inf.
bool LooksNumeric(const std::string& s);
bool LooksLikeNonFinite(std::string s);

// A conservative pre-parse check: yaml-cpp recurses once per nesting level,
// so absurdly deep input must be refused before it reaches the parser.
Status CheckNesting(std::string_view text, const std::string& file, int max_depth);

// Refuses a document whose nodes, counted with every alias (*name) expanded
// as the loader's reading visits them, are more than `max_nodes`. yaml-cpp
// shares an anchored node between its aliases, but reading walks each alias
// in full: a few kilobytes of nested aliases ("billion laughs") would make
// billions of conditions. The walk stops at the limit, so its time and
// memory are bounded whatever the aliases (even one that contains itself).
Status CheckExpandedSize(const YAML::Node& root, const std::string& file, int64_t max_nodes);

// How messages name one kind of YAML input.
struct DocumentKind {
  const char* files;     // "scenario files"
  const char* one;       // "a scenario" (is one document)
  const char* expected;  // what an empty file should have held
};

// `text`, the contents of `file`, parsed as one YAML document after the
// checks every YAML input of Parley gets: at most `max_bytes`, UTF-8 text
// without NUL bytes or control characters, nesting within `max_nesting`, one
// document, not empty, and at most `max_nodes` nodes with aliases expanded.
// Errors are "FILE:LINE:COL: error: ...".
StatusOr<YAML::Node> ParseDocument(std::string_view text, const std::string& file,
                                   const DocumentKind& kind, size_t max_bytes, int max_nesting,
                                   int64_t max_nodes);

// Why a value is not a scenario number.
enum class NumberProblem {
  kNone,
  kNotScalar,   // a list or a mapping
  kNotFinite,   // not a number at all, or nan, inf, 1e400
  kOutOfRange,  // beyond +-kMaxMagnitude
};
// A number as scenario files write it: std::from_chars syntax with an
// optional leading '+', finite, within +-kMaxMagnitude.
NumberProblem ParseNumberText(std::string_view text, double* out);
NumberProblem ParseNumberNode(const YAML::Node& node, double* out);

// Why a node is not a distribution {family: [p1, p2, ...]}, and where.
struct DistributionProblem {
  enum class Kind {
    kNone,
    kNotOneKeyMapping,  // `where`: the node itself
    kUnknownFamily,     // `where`: the key; `family` is empty when it is not a word
    kNotAList,          // `where`: the parameters, not a list of at most 4 items
    kBadParameter,      // `where`: the first bad parameter; `number` says why
    kInvalid,           // `where`: the parameters; `status`: Distribution::Make's
  };
  Kind kind = Kind::kNone;
  YAML::Node where;
  std::string family;
  NumberProblem number = NumberProblem::kNone;
  Status status;
};
// Reads `node` into *out, or says why it is not a distribution.
DistributionProblem ParseDistributionNode(const YAML::Node& node, Distribution* out);
// "unknown distribution 'nomal'; did you mean 'normal'? (expected one of: ...)"
std::string UnknownFamilyMessage(const std::string& family);
// A family's parameters in an example: "0, 1, 3" for triangular, else "1, 2".
std::string ExampleParameters(const std::string& family);

// Reads the nodes of one file; every error is "FILE:LINE:COL: error: MSG",
// followed by `note` (" (extending base.yaml)" in a variant).
class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  SourceLoc Loc(const YAML::Node& n) const;
  Status Error(const YAML::Node& n, const std::string& msg) const;
  Status Error(const SourceLoc& loc, const std::string& msg) const;

  // Checks that `node` is a mapping whose keys are all in `allowed` and
  // unique, and that every key in `required` is present.
  Status CheckMap(const YAML::Node& node, const std::string& what,
                  const std::vector<std::string>& allowed,
                  const std::vector<std::string>& required) const;
  // A list of at most kMaxListItems items.
  Status CheckSequence(const YAML::Node& node, const std::string& what) const;
  Status ReadString(const YAML::Node& node, const std::string& what, std::string* out) const;
  Status ReadId(const YAML::Node& node, const std::string& what, std::string* out) const;
  Status ReadNumber(const YAML::Node& node, const std::string& what, double* out) const;
  Status ReadInteger(const YAML::Node& node, const std::string& what, uint64_t min, uint64_t max,
                     uint64_t* out) const;
  // A distribution mapping; `expected` completes "WHAT must be ..." when the
  // node is not a mapping with one key.
  Status ReadDistribution(const YAML::Node& node, const std::string& what,
                          const std::string& expected, Distribution* out) const;

 protected:
  std::string file_;
  std::string note_;  // appended to every message
};

}  // namespace parley::scenario_internal
