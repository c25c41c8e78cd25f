// The flags shared by every command that samples a scenario (run,
// comparisons, sweep, sensitivity), and their translation into the
// application layer's SamplingRequest.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>

#include "sim/cli/commands.h"

namespace parley {
namespace {

// A finite, non-negative number; CLI11's NonNegativeNumber would print the
// largest double as the range's upper end.
const CLI::Validator kLambda(
    [](std::string& text) -> std::string {
      double x = 0.0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(x) || x < 0) {
        return "must be a finite number >= 0, got '" + text + "'";
      }
      return "";
    },
    "LAMBDA >= 0");

// CLI11 reads integers with strtoll's base 0, so "010" would be eight and
// "0x10" sixteen. Every integer flag is decimal instead, like --seed and
// --sample: digits only, leading zeros ignored ("010" is ten).
const CLI::Validator kDecimal(
    [](std::string& text) -> std::string {
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
        return "must be a whole number written with the digits 0-9, got '" + text + "'";
      }
      const size_t first = text.find_first_not_of('0');
      text = first == std::string::npos ? "0" : text.substr(first);
      return "";
    },
    "");

}  // namespace

const CLI::Validator& LambdaValidator() { return kLambda; }
const CLI::Validator& DecimalValidator() { return kDecimal; }

void AddSampleFlags(CLI::App* cmd, SampleFlags& flags, const std::string& samples_help,
                    const std::string& seed_help) {
  if (!samples_help.empty()) {
    cmd->add_option("--samples,-n", flags.samples, samples_help)
        ->transform(kDecimal)
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  }
  cmd->add_option("--seed", flags.seed, seed_help);
  cmd->add_option("--threads,-t", flags.threads,
                  "Worker threads, 1-256; 0 = one per core (results do not depend on it)")
      ->transform(kDecimal)
      ->check(CLI::Range(0, 256));
}

void AddOverrideFlags(CLI::App* cmd, OverrideFlags& flags, const std::string& set_help) {
  cmd->add_option("--selection", flags.selection,
                  "Equilibrium selection: uniform or payoff-dominant");
  cmd->add_option("--with", flags.with, "Force an argument to hold (repeatable)")
      ->allow_extra_args(false);  // one ID each: "--with ID FILE" leaves FILE alone
  cmd->add_option("--without", flags.without, "Force an argument not to hold (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--set", flags.set, set_help)->allow_extra_args(false);
}

void AddSamplingFlags(CLI::App* cmd, SamplingFlags& flags, const std::string& set_help) {
  AddSampleFlags(cmd, flags, "", "Random seed (default: the scenario's)");
  cmd->add_option("--model,-m", flags.model,
                  "Model, with parameters if any: NAME or NAME:K=V[,K=V] (e.g. qre:lambda=2.5; "
                  "see `parley models`)");
  cmd->add_option("--lambda", flags.lambda,
                  "Logit precision: the same as --model M:lambda=L (qre; default 1)")
      ->check(kLambda);
  AddOverrideFlags(cmd, flags, set_help);
  cmd->add_option("--json", flags.json, "Write the JSON result to PATH, or '-' for stdout");
  cmd->add_option("--html", flags.html,
                  "Also write a self-contained HTML report with charts to PATH");
}

StatusOr<SamplingRequest> ToSamplingRequest(const SamplingFlags& flags,
                                            std::vector<std::string> files) {
  SamplingRequest request;
  request.files = std::move(files);
  request.model = flags.model;
  request.lambda = flags.lambda;
  CopyOverrideFlags(flags, request);
  PARLEY_RETURN_IF_ERROR(CopySampleFlags(flags, request));
  return request;
}

}  // namespace parley
