#include "sim/scenario/yaml_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <string_view>
#include <optional>
#include <unordered_set>

#include <yaml-cpp/eventhandler.h>

#include "sim/core/text.h"
#include "sim/scenario/loader.h"

namespace parley::scenario_internal {

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += v[i];
  }
  return s;
}

std::string FormatNumber(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0])) && s[0] != '_') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

bool LooksNumeric(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i < s.size() && s[i] == '.') ++i;
  return (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) || LooksLikeNonFinite(s);
}

bool LooksLikeNonFinite(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s = s.substr(1);
  if (!s.empty() && s[0] == '.') s = s.substr(1);
  return s == "nan" || s == "inf" || s == "infinity";
}

Status CheckNesting(std::string_view text, const std::string& file, int max_depth) {
  int flow = 0, line = 1;
  size_t line_start = 0;
  bool in_single = false, in_double = false;
  int indicators = 0;
  bool at_line_start = true;
  int indent = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      indicators = 0;
      indent = 0;
      at_line_start = true;
      in_single = false;  // quoted scalars spanning lines are rare; be lenient
      continue;
    }
    const int column = static_cast<int>(i - line_start) + 1;
    auto too_deep = [&](const char* what) {
      return InvalidArgument(file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                             ": error: YAML nested too deeply (" + what + "); at most " +
                             std::to_string(max_depth) + " levels are accepted");
    };
    if (in_double) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_double = false;
      continue;
    }
    if (in_single) {
      if (c == '\'') in_single = false;
      continue;
    }
    if (at_line_start) {
      if (c == ' ') {
        if (++indent > 4 * max_depth) return too_deep("indentation");
        continue;
      }
      if (c == '-' && i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\n')) {
        if (++indicators > max_depth) return too_deep("nested '- ' items");
        continue;
      }
      at_line_start = false;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      // A quote opens a quoted scalar only where a scalar can start; inside a
      // plain scalar (it's) it is an ordinary character.
      size_t j = i;
      while (j > line_start && text[j - 1] == ' ') --j;
      const char before = j > line_start ? text[j - 1] : '\n';
      if (std::strchr("\n[{,:-?", before) != nullptr) (c == '"' ? in_double : in_single) = true;
    } else if (c == '[' || c == '{') {
      if (++flow > max_depth) return too_deep("nested [ ] or { }");
    } else if ((c == ']' || c == '}') && flow > 0) {
      --flow;
    }
  }
  return OkStatus();
}

Status CheckExpandedSize(const YAML::Node& root, const std::string& file, int64_t max_nodes) {
  std::vector<YAML::Node> stack = {root};
  int64_t count = 0;
  while (!stack.empty()) {
    const YAML::Node node = stack.back();
    stack.pop_back();
    if (++count > max_nodes) {
      const YAML::Mark m = node.Mark();
      return InvalidArgument(file + ":" + std::to_string(m.line + 1) + ":" +
                             std::to_string(m.column + 1) +
                             ": error: the YAML document expands to more than " +
                             std::to_string(max_nodes) +
                             " nodes when its aliases (*name) are replaced by what their anchors "
                             "(&name) hold; at most " +
                             std::to_string(max_nodes) + " are accepted");
    }
    if (node.IsSequence()) {
      for (const YAML::Node& child : node) stack.push_back(child);
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        stack.push_back(kv.first);
        stack.push_back(kv.second);
      }
    }
  }
  return OkStatus();
}

NumberProblem ParseNumberText(std::string_view s, double* out) {
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (begin != end && *begin == '+') ++begin;
  double x = 0;
  auto [ptr, ec] = std::from_chars(begin, end, x);
  if (ec != std::errc() || ptr != end || begin == end || !std::isfinite(x)) {
    return NumberProblem::kNotFinite;
  }
  if (std::abs(x) > kMaxMagnitude) return NumberProblem::kOutOfRange;
  *out = x;
  return NumberProblem::kNone;
}

NumberProblem ParseNumberNode(const YAML::Node& node, double* out) {
  if (!node.IsScalar()) return NumberProblem::kNotScalar;
  return ParseNumberText(node.Scalar(), out);
}

DistributionProblem ParseDistributionNode(const YAML::Node& node, Distribution* out) {
  // `where` is bound with reset(): assigning a node to a bound YAML::Node
  // would overwrite the node it refers to, in the document.
  using Kind = DistributionProblem::Kind;
  DistributionProblem problem;
  if (!node.IsMap() || node.size() != 1) {
    problem.kind = Kind::kNotOneKeyMapping;
    problem.where.reset(node);
    return problem;
  }
  const auto kv = *node.begin();
  problem.family = kv.first.IsScalar() ? kv.first.Scalar() : "";
  auto kind = Distribution::KindFromName(problem.family);
  if (!kind.ok()) {
    problem.kind = Kind::kUnknownFamily;
    problem.where.reset(kv.first);
    return problem;
  }
  if (!kv.second.IsSequence() || kv.second.size() > 4) {
    problem.kind = Kind::kNotAList;
    problem.where.reset(kv.second);
    return problem;
  }
  std::vector<double> params;
  for (const auto& p : kv.second) {
    double x = 0;
    problem.number = ParseNumberNode(p, &x);
    if (problem.number != NumberProblem::kNone) {
      problem.kind = Kind::kBadParameter;
      problem.where.reset(p);
      return problem;
    }
    params.push_back(x);
  }
  auto dist = Distribution::Make(*kind, params);
  if (!dist.ok()) {
    problem.kind = Kind::kInvalid;
    problem.where.reset(kv.second);
    problem.status = dist.status();
    return problem;
  }
  *out = *dist;
  return problem;
}

std::string UnknownFamilyMessage(const std::string& family) {
  std::string msg = "unknown distribution '" + family + "'";
  const std::string guess = DidYouMean(family, Distribution::FamilyNames());
  if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
  return msg + " (expected one of: " + Join(Distribution::FamilyNames()) + ")";
}

std::string ExampleParameters(const std::string& family) {
  return family == "triangular" ? "0, 1, 3" : "1, 2";
}

namespace {

// Where the text's second YAML document starts, if it has one. Only two
// documents are ever parsed: yaml-cpp 0.7's LoadAll loops for ever,
// allocating, when a line after a block sequence starts with ','
// (jbeder/yaml-cpp#1040, fixed upstream after 0.7 by #1319): every further
// call returns an empty document without consuming anything.
std::optional<YAML::Mark> SecondDocumentStart(std::string_view text) {
  // Records where each document's first node starts (where a message
  // about the document should point).
  class DocumentStarts : public YAML::EventHandler {
   public:
    void OnDocumentStart(const YAML::Mark&) override { seen = false; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  const std::string&) override {
      Node(mark);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
      Node(mark);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {
      Node(mark);
    }
    void OnMapEnd() override {}
    void Node(const YAML::Mark& mark) {
      if (!seen) start = mark;
      seen = true;
    }
    YAML::Mark start;
    bool seen = false;
  };
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  DocumentStarts starts;
  if (!parser.HandleNextDocument(starts)) return std::nullopt;
  if (!parser.HandleNextDocument(starts)) return std::nullopt;
  return starts.start;
}

}  // namespace

StatusOr<YAML::Node> ParseDocument(std::string_view text, const std::string& file,
                                   const DocumentKind& kind, size_t max_bytes, int max_nesting,
                                   int64_t max_nodes) {
  if (text.size() > max_bytes) {
    return InvalidArgument(file + ":1:1: error: the file is " + std::to_string(text.size()) +
                           " bytes; " + std::string(kind.files) + " of at most " +
                           std::to_string(max_bytes) + " bytes are accepted");
  }
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const size_t line_start = text.rfind('\n', nul);
    const size_t line = 1 + std::count(text.begin(), text.begin() + nul, '\n');
    const size_t column = nul - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    return InvalidArgument(file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                           ": error: the file contains a NUL byte; " + kind.files + " are UTF-8 text");
  }
  if (const auto fault = FindTextFault(text, TextKind::kFile)) {
    return InvalidArgument(file + ":" + std::to_string(fault->line) + ":" +
                           std::to_string(fault->column) + ": error: " + fault->what +
                           "; " + kind.files +
                           " are UTF-8 text without control characters (tabs and line breaks "
                           "aside)");
  }
  PARLEY_RETURN_IF_ERROR(CheckNesting(text, file, max_nesting));
  YAML::Node root;
  std::optional<YAML::Mark> second_document;
  try {
    second_document = SecondDocumentStart(text);
    if (!second_document) root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": error: invalid YAML: " + e.msg);
  }
  if (second_document) {
    return InvalidArgument(file + ":" + std::to_string(second_document->line + 1) + ":" +
                           std::to_string(second_document->column + 1) +
                           ": error: the file holds several YAML documents; " + kind.one +
                           " is one document");
  }
  if (root.IsNull()) {
    return InvalidArgument(file +
                           ":1:1: error: the file is empty; expected " + kind.expected);
  }
  PARLEY_RETURN_IF_ERROR(CheckExpandedSize(root, file, max_nodes));
  return root;
}

SourceLoc YamlReader::Loc(const YAML::Node& n) const {
  const YAML::Mark m = n.Mark();
  return {file_, m.line + 1, m.column + 1};
}

Status YamlReader::Error(const YAML::Node& n, const std::string& msg) const {
  return InvalidArgument(Loc(n).ToString() + ": error: " + msg + note_);
}

Status YamlReader::Error(const SourceLoc& loc, const std::string& msg) const {
  return InvalidArgument(loc.ToString() + ": error: " + msg + note_);
}

Status YamlReader::CheckMap(const YAML::Node& node, const std::string& what,
                            const std::vector<std::string>& allowed,
                            const std::vector<std::string>& required) const {
  if (!node.IsMap()) {
    return Error(node, what + " must be a mapping with keys " + Join(allowed));
  }
  // Long key lists (`payoffs` allows every outcome id) are looked up by
  // hash, so that checking a mapping stays linear in its size.
  std::unordered_set<std::string_view> allowed_set;
  if (allowed.size() > 16) allowed_set.insert(allowed.begin(), allowed.end());
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) return Error(kv.first, "keys in " + what + " must be plain words");
    const std::string key = kv.first.Scalar();
    if (allowed_set.empty() ? std::find(allowed.begin(), allowed.end(), key) == allowed.end()
                            : allowed_set.count(key) == 0) {
      std::string msg = "unknown key '" + key + "' in " + what;
      const std::string guess = DidYouMean(key, allowed);
      msg += guess.empty() ? "" : "; did you mean '" + guess + "'?";
      msg += " (expected one of: " + Join(allowed) + ")";
      return Error(kv.first, msg);
    }
    if (!seen.insert(key).second) return Error(kv.first, "duplicate key '" + key + "' in " + what);
  }
  for (const std::string& key : required) {
    if (!seen.count(key)) return Error(node, what + " is missing the required key '" + key + "'");
  }
  return OkStatus();
}

Status YamlReader::CheckSequence(const YAML::Node& node, const std::string& what) const {
  if (!node.IsSequence()) return Error(node, what + " must be a list");
  if (node.size() > kMaxListItems) {
    return Error(node, what + " has " + std::to_string(node.size()) + " items; at most " +
                           std::to_string(kMaxListItems) + " are accepted");
  }
  return OkStatus();
}

Status YamlReader::ReadString(const YAML::Node& node, const std::string& what,
                              std::string* out) const {
  if (!node.IsScalar()) return Error(node, what + " must be text");
  // The file's bytes were checked before parsing; this catches what a
  // double-quoted escape makes ("\e", "\x07", "\ud800").
  if (const auto fault = FindTextFault(node.Scalar(), TextKind::kValue)) {
    return Error(node, what + " holds " + fault->what +
                           " (written as an escape); text must be UTF-8 without control "
                           "characters (tabs and line breaks aside)");
  }
  *out = node.Scalar();
  return OkStatus();
}

Status YamlReader::ReadId(const YAML::Node& node, const std::string& what, std::string* out) const {
  if (!node.IsScalar() || !IsIdentifier(node.Scalar())) {
    return Error(node,
                 what +
                     " must be an identifier (letters, digits, '_', '-', '.'; starting "
                     "with a letter or '_'), got '" +
                     (node.IsScalar() ? node.Scalar()
                                      : std::string("a ") + (node.IsMap() ? "mapping" : "list")) +
                     "'");
  }
  *out = node.Scalar();
  return OkStatus();
}

Status YamlReader::ReadNumber(const YAML::Node& node, const std::string& what, double* out) const {
  switch (ParseNumberNode(node, out)) {
    case NumberProblem::kNone:
      return OkStatus();
    case NumberProblem::kNotScalar:
      return Error(node, what + " must be a number");
    case NumberProblem::kNotFinite:
      return Error(node, what + " must be a finite number, got '" + node.Scalar() + "'");
    case NumberProblem::kOutOfRange:
      return Error(node, what + " must be between -1e9 and 1e9, got '" + node.Scalar() +
                             "' (payoffs on such scales lose all precision when added)");
  }
  return Internal("unreachable");
}

Status YamlReader::ReadInteger(const YAML::Node& node, const std::string& what, uint64_t min,
                               uint64_t max, uint64_t* out) const {
  if (!node.IsScalar()) return Error(node, what + " must be a whole number");
  const std::string& s = node.Scalar();
  uint64_t x = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty() || x < min || x > max) {
    return Error(node, what + " must be a whole number from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got '" + s + "'");
  }
  *out = x;
  return OkStatus();
}

Status YamlReader::ReadDistribution(const YAML::Node& node, const std::string& what,
                                    const std::string& expected, Distribution* out) const {
  using Kind = DistributionProblem::Kind;
  const DistributionProblem problem = ParseDistributionNode(node, out);
  const std::string& family = problem.family;
  switch (problem.kind) {
    case Kind::kNone:
      return OkStatus();
    case Kind::kNotOneKeyMapping:
      return Error(node, what + " must be " + expected);
    case Kind::kUnknownFamily:
      return Error(problem.where, what + ": " + UnknownFamilyMessage(family));
    case Kind::kNotAList:
      return Error(problem.where, what + ": " + family +
                                      " parameters must be a list of numbers, for example {" +
                                      family + ": [" + ExampleParameters(family) + "]}");
    case Kind::kBadParameter: {
      double x;
      return ReadNumber(problem.where, what + " (" + family + " parameter)", &x);
    }
    case Kind::kInvalid:
      return Error(problem.where, what + ": " + problem.status.message());
  }
  return Internal("unreachable");
}

}  // namespace parley::scenario_internal
