// Loading scenario files: YAML text -> validated ScenarioSpec. Every error
// names file:line:column, the offending key and what was expected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/scenario/spec.h"

namespace parley {

struct LoadOptions {
  // A game with more strategy profiles than this is refused: the compiled
  // profile tables would not fit comfortably in memory.
  int64_t max_profiles = int64_t{1} << 22;
  // Larger files are refused before parsing.
  size_t max_file_bytes = size_t{8} << 20;
  // Deeper YAML nesting is refused before parsing (the parser recurses).
  int max_nesting = 64;
  // A document with more nodes, counting each alias (*name) as a copy of
  // what its anchor holds, is refused before it is read: about as many as a
  // file of max_file_bytes without aliases can hold (two bytes a node).
  int64_t max_yaml_nodes = int64_t{1} << 22;
};

StatusOr<ScenarioSpec> LoadScenarioFile(const std::string& path, const LoadOptions& options = {});

// `display_name` stands in for the file name in messages.
StatusOr<ScenarioSpec> LoadScenarioString(std::string_view text, const std::string& display_name,
                                          const LoadOptions& options = {});

// The closest of `candidates` to `word` when it is a plausible misspelling.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace parley
