#include "sim/report/sample_npy.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>
#include <vector>

#include "sim/report/sample_csv.h"

namespace parley {
namespace {

// .npy stores the fields as the header declares them ('<': little-endian);
// the records are the host's bytes.
static_assert(std::endian::native == std::endian::little,
              "the .npy writer copies little-endian doubles and integers");

// The width of the `outcome` field: the longest outcome id.
int OutcomeWidth(const ScenarioSpec& spec) {
  size_t width = kPerSampleUnresolved.size();
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

// One field of the record: its name (the CSV column's), NumPy type and size.
struct Field {
  std::string name, type;
  int bytes = 8;
};

// The record's fields, in the CSV's column order; the writer below copies
// them in this order.
std::vector<Field> Fields(const ScenarioSpec& spec, const GameModel& game) {
  std::vector<Field> fields;
  for (std::string& name : PerSampleColumnNames(spec, game)) {
    Field f{std::move(name), "<f8", 8};
    if (f.name == "sample") {
      f.type = "<i8";
    } else if (f.name.starts_with("held.")) {
      f.type = "|u1";
      f.bytes = 1;
    } else if (f.name == "outcome") {
      f.bytes = OutcomeWidth(spec);
      f.type = fmt::format("|S{}", f.bytes);
    }
    fields.push_back(std::move(f));
  }
  return fields;
}

}  // namespace

std::string PerSampleNpyHeader(const ScenarioSpec& spec, const GameModel& game, int64_t rows) {
  std::string descr;
  for (const Field& f : Fields(spec, game)) {
    descr += fmt::format("{}({}, '{}')", descr.empty() ? "" : ", ", PythonString(f.name), f.type);
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
  int64_t bytes = 0;
  for (const Field& f : Fields(spec, game)) bytes += f.bytes;
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
    for (int s = 0; s < b.num_slots; ++s) AppendNumber(b.slots[i * b.num_slots + s], at);
    // A NumPy 'S' field: the bytes, padded with NULs.
    const std::string_view outcome = PerSampleWholeOutcome(spec, b, i);
    std::memset(at, 0, static_cast<size_t>(width));
    if (!outcome.empty()) std::memcpy(at, outcome.data(), outcome.size());
    at += width;
    if (game.rounds() != nullptr) AppendNumber(b.rounds[i], at);
  }
}

}  // namespace parley
