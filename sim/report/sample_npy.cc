#include "sim/report/sample_npy.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>

#include "sim/report/sample_csv.h"

namespace parley {
namespace {

// .npy stores the fields as the header declares them ('<': little-endian);
// the records are the host's bytes.
static_assert(std::endian::native == std::endian::little,
              "the .npy writer copies little-endian doubles and integers");

// The `outcome` of a sample that is unresolved throughout (as in the CSV).
constexpr std::string_view kUnresolvedOutcome = "unresolved";

// The width of the `outcome` field: the longest outcome id.
int OutcomeWidth(const ScenarioSpec& spec) {
  size_t width = kUnresolvedOutcome.size();
  for (const OutcomeSpec& o : spec.outcomes) width = std::max(width, o.id.size());
  return static_cast<int>(width);
}

// A Python string literal: the field names are scenario ids and sweepable
// names, but a quote or a backslash must not end the literal.
std::string PythonString(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

void AppendNumber(double x, char*& at) {
  std::memcpy(at, &x, sizeof x);
  at += sizeof x;
}

}  // namespace

std::string PerSampleNpyHeader(const ScenarioSpec& spec, const GameModel& game, int64_t rows) {
  const std::vector<std::string> names = PerSampleColumnNames(spec, game);
  std::string descr;
  for (const std::string& name : names) {
    std::string type = "<f8";
    if (name == "sample") {
      type = "<i8";
    } else if (name.starts_with("held.")) {
      type = "|u1";
    } else if (name == "outcome") {
      type = fmt::format("|S{}", OutcomeWidth(spec));
    }
    descr += fmt::format("{}({}, '{}')", descr.empty() ? "" : ", ", PythonString(name), type);
  }
  std::string dict =
      fmt::format("{{'descr': [{}], 'fortran_order': False, 'shape': ({},), }}", descr, rows);
  // Magic (6 bytes), version (2), header length (2 in version 1.0, 4 in 2.0),
  // then the dictionary padded with spaces and ended by a newline so that the
  // whole header is a multiple of 64 bytes (NumPy's alignment).
  const bool wide = dict.size() + 1 + 10 > 65535;
  const size_t prefix = wide ? 12 : 10;
  const size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(wide ? 2 : 1);
  out += '\0';
  const uint32_t length = static_cast<uint32_t>(dict.size());
  for (size_t byte = 0; byte < (wide ? 4u : 2u); ++byte) {
    out += static_cast<char>((length >> (8 * byte)) & 0xff);
  }
  return out + dict;
}

int64_t PerSampleNpyRowBytes(const ScenarioSpec& spec, const GameModel& game) {
  int64_t bytes = 8 + static_cast<int64_t>(spec.arguments.size()) + 8 * game.num_draws();
  if (!game.sequential()) {
    for (const ActorSpec& a : spec.actors) bytes += 8 * static_cast<int64_t>(a.options.size());
  }
  bytes += 8 * static_cast<int64_t>(spec.outcomes.size() + 1) + OutcomeWidth(spec);
  if (game.rounds() != nullptr) bytes += 8;
  return bytes;
}

void AppendPerSampleNpyRows(const ScenarioSpec& spec, const GameModel& game, const SampleBatch& b,
                            int64_t begin, int64_t end, fmt::memory_buffer& buffer) {
  const int64_t row_bytes = PerSampleNpyRowBytes(spec, game);
  const int width = OutcomeWidth(spec);
  const size_t start = buffer.size();
  buffer.resize(start + static_cast<size_t>((end - begin) * row_bytes));
  char* at = buffer.data() + start;
  for (int64_t i = begin; i < end; ++i) {
    const int64_t sample = b.first + i;
    std::memcpy(at, &sample, sizeof sample);
    at += sizeof sample;
    for (int g = 0; g < b.num_arguments; ++g) *at++ = b.holds[i * b.num_arguments + g] ? 1 : 0;
    for (int k = 0; k < b.num_draws; ++k) AppendNumber(b.draws[i * b.num_draws + k], at);
    for (int o = 0; o < b.num_option_slots; ++o) {
      AppendNumber(b.options[i * b.num_option_slots + o], at);
    }
    int whole = -1;
    for (int s = 0; s < b.num_slots; ++s) {
      const double p = b.slots[i * b.num_slots + s];
      AppendNumber(p, at);
      if (p == 1.0) whole = s;
    }
    // A NumPy 'S' field: the bytes, padded with NULs.
    std::memset(at, 0, static_cast<size_t>(width));
    if (whole >= 0) {
      const std::string_view id = whole < static_cast<int>(spec.outcomes.size())
                                      ? std::string_view(spec.outcomes[whole].id)
                                      : kUnresolvedOutcome;
      std::memcpy(at, id.data(), id.size());
    }
    at += width;
    if (game.rounds() != nullptr) AppendNumber(b.rounds[i], at);
  }
}

}  // namespace parley
