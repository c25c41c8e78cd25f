#include "sim/scenario/observed_counts.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "sim/core/text_file.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/yaml_reader.h"

namespace parley {

namespace {

using scenario_internal::DocumentKind;
using scenario_internal::YamlReader;

// Counts files are small: a few numbers per option.
constexpr size_t kMaxCountsBytes = size_t{1} << 20;
constexpr int kMaxCountsNesting = 8;
constexpr int64_t kMaxCountsNodes = int64_t{1} << 16;
// A count above this is surely a mistake (and sums of such stay exact).
constexpr double kMaxCount = 1e9;

class CountsReader : public YamlReader {
 public:
  CountsReader(std::string file, const ScenarioSpec& spec)
      : YamlReader(std::move(file)), spec_(spec) {}

  StatusOr<ObservedCounts> Read(std::string_view text) const {
    static constexpr DocumentKind kCounts{
        "observed-counts files", "a counts file",
        "a mapping with `counts` (per actor, the times it chose each option)"};
    PARLEY_ASSIGN_OR_RETURN(const YAML::Node root,
                            scenario_internal::ParseDocument(text, file_, kCounts, kMaxCountsBytes,
                                                             kMaxCountsNesting, kMaxCountsNodes));
    try {
      return ReadRoot(root);
    } catch (const YAML::Exception& e) {
      return InvalidArgument(file_ + ":" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": error: " + e.msg);
    }
  }

 private:
  StatusOr<ObservedCounts> ReadRoot(const YAML::Node& root) const {
    PARLEY_RETURN_IF_ERROR(CheckMap(root, "the counts file", {"source", "counts"}, {"counts"}));
    ObservedCounts out;
    out.path = file_;
    if (root["source"]) PARLEY_RETURN_IF_ERROR(ReadString(root["source"], "`source`", &out.source));
    if (spec_.sequential()) {
      return Error(root["counts"],
                   "observed counts are read for normal-form scenarios only; " + spec_.path +
                       " is sequential");
    }
    std::vector<std::string> actor_ids;
    for (const ActorSpec& a : spec_.actors) actor_ids.push_back(a.id);
    PARLEY_RETURN_IF_ERROR(CheckMap(root["counts"], "`counts`", actor_ids, {}));
    out.counts.resize(spec_.actors.size());
    for (const auto& kv : root["counts"]) {
      const std::string id = kv.first.Scalar();
      const size_t a = static_cast<size_t>(
          std::find(actor_ids.begin(), actor_ids.end(), id) - actor_ids.begin());
      const ActorSpec& actor = spec_.actors[a];
      const std::string what = "`counts." + id + "`";
      PARLEY_RETURN_IF_ERROR(CheckMap(kv.second, what, actor.options, {}));
      out.counts[a].assign(actor.options.size(), 0.0);
      for (const auto& option : kv.second) {
        const std::string oid = option.first.Scalar();
        const size_t o = static_cast<size_t>(
            std::find(actor.options.begin(), actor.options.end(), oid) - actor.options.begin());
        double count = 0.0;
        const std::string cwhat = "the count of " + id + "'s option " + oid;
        PARLEY_RETURN_IF_ERROR(ReadNumber(option.second, cwhat, &count));
        if (count < 0 || count > kMaxCount) {
          return Error(option.second, cwhat + " must be from 0 to 1e9, got '" +
                                          option.second.Scalar() + "'");
        }
        out.counts[a][o] = count;
        out.total += count;
      }
    }
    if (out.total <= 0) {
      return Error(root["counts"], "`counts` holds no choice: give at least one positive count");
    }
    return out;
  }

  const ScenarioSpec& spec_;
};

}  // namespace

StatusOr<ObservedCounts> LoadObservedCountsString(std::string_view text,
                                                  const std::string& display_name,
                                                  const ScenarioSpec& spec) {
  return CountsReader(display_name, spec).Read(text);
}

StatusOr<ObservedCounts> LoadObservedCounts(const std::string& path, const ScenarioSpec& spec) {
  PARLEY_ASSIGN_OR_RETURN(const std::string text,
                          ReadTextFile(path, kMaxCountsBytes, "observed-counts file"));
  return LoadObservedCountsString(text, path, spec);
}

}  // namespace parley
