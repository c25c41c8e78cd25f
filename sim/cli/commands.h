// The `parley` subcommands, one function each, and the shared exit-code rule:
// 0 success, 2 bad input (scenario, game file, flags, names), 1 any other
// failure (I/O, internal errors).
#pragma once

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "sim/core/status.h"

namespace CLI {
class App;
}

namespace parley {

inline constexpr int kExitBadInput = 2;
inline constexpr int kExitFailure = 1;

inline int Fail(const Status& status) {
  std::cerr << "parley: " << status.message() << "\n";
  return status.code() == StatusCode::kInternal ? kExitFailure : kExitBadInput;
}

// Writes a command's output to stdout (no path, or "-") or to `path`
// atomically; returns the exit code.
int WriteOutput(const std::optional<std::string>& path, const std::string& text);

// Parses a whole number in [0, 2^64) for a flag, or explains why not.
StatusOr<uint64_t> ParseUnsigned(const std::string& flag, const std::string& text);

struct SolveFlags {
  std::string file;
  std::optional<std::string> method;
  std::optional<double> lambda;       // for --method qre
  std::optional<std::string> sample;  // a sample index; the mean game when absent
  std::optional<std::string> seed;
  std::optional<std::string> json;
};
int Solve(const SolveFlags& flags);

struct ExportFlags {
  std::string file;
  std::optional<std::string> format;  // default: nfg, or efg for sequential games
  std::optional<std::string> sample;
  std::optional<std::string> seed;
  std::optional<std::string> output;
};
int Export(const ExportFlags& flags);

// Sequential games (tree_command.cc): .efg files and scenarios with a `sequence`.
bool IsEfgPath(const std::string& path);
bool IsSequentialInput(const std::string& file);
int SolveSequential(const SolveFlags& flags);
int ExportSequential(const ExportFlags& flags);

struct ExplainFlags {
  std::string file;
  std::optional<std::string> sample;
  std::optional<std::string> seed;
  std::optional<std::string> selection;
  size_t max_lines = 400;
};
int Explain(const ExplainFlags& flags);

struct SensitivityFlags {
  std::string file;
  std::optional<std::string> method;  // sobol (default) or morris
  std::optional<int64_t> samples;
  std::optional<std::string> seed;
  int threads = 0;
  std::optional<std::string> model, selection, json;
  size_t top = 15;
};
// sensitivity_command.cc: registers the subcommand's flags, and runs it.
CLI::App* AddSensitivityCommand(CLI::App& app, SensitivityFlags& flags);
int Sensitivity(const SensitivityFlags& flags);

}  // namespace parley
