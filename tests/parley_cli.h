// Runs the `parley` binary (PARLEY_BIN) through the shell for CLI tests:
// exit code, stdout and stderr.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace parley::testing {

struct CliResult {
  int exit_code;
  std::string out, err;
};

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A folder for this test process's files.
inline std::filesystem::path TempPath(const std::string& name) {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("parley-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir / name;
}

// `args` is appended to the binary's path as shell words.
inline CliResult Parley(const std::string& args) {
  const char* bin = std::getenv("PARLEY_BIN");
  EXPECT_NE(bin, nullptr) << "PARLEY_BIN is not set";
  const auto out = TempPath("stdout"), err = TempPath("stderr");
  const std::string command = std::string(bin ? bin : "false") + " " + args + " >" + out.string() +
                              " 2>" + err.string() + " </dev/null";
  const int status = std::system(command.c_str());
  return {WEXITSTATUS(status), Slurp(out), Slurp(err)};
}

// Whether this test binary (and so the `parley` built with it) runs under
// AddressSanitizer.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

// "ulimit -v KIB; " to run a command with its address space limited, or
// nothing under AddressSanitizer, which reserves terabytes of address space
// for its shadow memory (the release build's run of a test checks memory).
inline std::string AddressSpaceLimit(const std::string& kib) {
  return kAddressSanitizer ? std::string() : "ulimit -v " + kib + "; ";
}

inline std::string Scenario(const std::string& name) {
  return std::string(PARLEY_SOURCE_DIR) + "/scenarios/" + name;
}

}  // namespace parley::testing
