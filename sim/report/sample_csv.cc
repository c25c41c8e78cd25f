#include "sim/report/sample_csv.h"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace parley {
namespace {

// Each draw's column name, by draw (atom) index.
std::vector<std::string> DrawNames(const GameModel& game) {
  std::vector<std::string> names(static_cast<size_t>(game.num_draws()));
  for (int step = 0; step < game.num_uniforms(); ++step) {
    const int draw = game.step_draw(step);
    if (draw >= 0) names[draw] = game.uniform_names()[step];
  }
  return names;
}

// "00" to "99": digits are written two at a time.
constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// The two digits of v < 100.
inline const char* DigitPair(uint32_t v) { return kDigitPairs + size_t{2} * v; }

constexpr uint64_t kTenTo8 = 100000000;
constexpr uint64_t kTenTo17 = kTenTo8 * kTenTo8 * 10;

// Writes the 8 digits of v < 10^8, leading zeros included.
inline void Write8Digits(uint32_t v, char* out) {
  const uint32_t high = v / 10000, low = v % 10000;
  std::memcpy(out, DigitPair(high / 100), 2);
  std::memcpy(out + 2, DigitPair(high % 100), 2);
  std::memcpy(out + 4, DigitPair(low / 100), 2);
  std::memcpy(out + 6, DigitPair(low % 100), 2);
}

// The 17 digits of v < 10^17, leading zeros included, computed as three
// independent pieces: a double's shortest digits are 15 to 17 long, and
// dividing by 100 nine times in a row waited on each division. The same
// work for every length: writing only a number's own digits branched on its
// length and ran slower.
struct Digits17 {
  // 17 digits and room for fixed-size copies that read past them.
  char text[40];
  explicit Digits17(uint64_t v) {
    const uint64_t high = v / kTenTo8;  // < 10^9
    const auto top = static_cast<uint32_t>(high / kTenTo8);
    text[0] = static_cast<char>('0' + top);
    Write8Digits(static_cast<uint32_t>(high - top * kTenTo8), text + 1);
    Write8Digits(static_cast<uint32_t>(v - high * kTenTo8), text + 9);
  }
  // The last `size` digits: v's own when v has `size` digits.
  const char* last(int size) const { return text + 17 - size; }
};

// The number of decimal digits of v (1 for 0).
inline int DecimalDigits(uint64_t v) {
  static constexpr uint64_t kPowers[] = {1,
                                         10,
                                         100,
                                         1000,
                                         10000,
                                         100000,
                                         1000000,
                                         10000000,
                                         100000000,
                                         1000000000,
                                         10000000000,
                                         100000000000,
                                         1000000000000,
                                         10000000000000,
                                         100000000000000,
                                         1000000000000000,
                                         10000000000000000,
                                         100000000000000000,
                                         1000000000000000000,
                                         10000000000000000000u};
  // floor(log10(2) * bits) is the digit count or one less.
  const int guess = (std::bit_width(v | 1) * 1233) >> 12;
  return guess + (v >= kPowers[guess] ? 1 : 0);
}

// Whole numbers as fmt writes them; uses up to 18 bytes at `out` below
// 10^17 in magnitude.
char* WriteWhole(int64_t whole, char* out) {
  if (whole == 0 || whole == 1) {
    *out++ = static_cast<char>('0' + whole);
    return out;
  }
  uint64_t magnitude = static_cast<uint64_t>(whole);
  if (whole < 0) {
    *out++ = '-';
    magnitude = 0 - magnitude;
  }
  if (magnitude >= kTenTo17) return fmt::format_to(out, FMT_COMPILE("{}"), magnitude);
  const int size = DecimalDigits(magnitude);
  std::memcpy(out, Digits17(magnitude).last(size), 17);
  return out + size;
}

}  // namespace

char* WriteCsvNumber(double x, char* out) {
  // Whole numbers below 1e16 in magnitude are written by fmt as plain
  // integers ("1", "-3", "1000000"), the digits an int64 gives at a fraction
  // of the cost of the shortest-digits search; most play and probability
  // columns are 0 or 1.
  if (std::fabs(x) < 1e16) {
    const auto whole = static_cast<int64_t>(x);
    if (static_cast<double>(whole) == x && (whole != 0 || !std::signbit(x))) {
      return WriteWhole(whole, out);
    }
  }
  // Infinities, NaN and -0 (never drawn by a scenario) take fmt's own path.
  if (!std::isfinite(x) || x == 0.0) return fmt::format_to(out, FMT_COMPILE("{}"), x);
  // The shortest digits that read back as x come from fmt's Dragonbox (the
  // search fmt's "{}" runs); they are laid out here as fmt lays them out for
  // "{}" (do_write_float: fixed notation for decimal exponents in [-4, 16),
  // else d.ddde+XX). fmt's general writer, with its padding, locale and
  // grouping cases, cost more than the search itself. Each piece is copied
  // at a fixed size (the room past the number is scratch) to spare a
  // variable-length copy. sample_csv_test.cc holds the bytes to fmt's.
  // (Dragonbox is in fmt's detail namespace: exported by libfmt, but not
  // promised across major versions; Debian 12 has fmt 9.)
  if (std::signbit(x)) {
    *out++ = '-';
    x = -x;
  }
  const auto decimal = fmt::detail::dragonbox::to_decimal(x);
  const int size = DecimalDigits(decimal.significand);
  const Digits17 digits(decimal.significand);
  const char* first = digits.last(size);
  const int exponent = decimal.exponent;  // x = significand * 10^exponent
  const int leading_exponent = exponent + size - 1;
  if (leading_exponent < -4 || leading_exponent >= 16) {
    // 1.2345e-07, 1e+300
    out[0] = first[0];
    if (size == 1) {
      ++out;
    } else {
      out[1] = '.';
      std::memcpy(out + 2, first + 1, 16);
      out += size + 1;
    }
    *out++ = 'e';
    int e = leading_exponent;
    *out++ = e < 0 ? '-' : '+';
    if (e < 0) e = -e;
    if (e >= 100) {
      *out++ = static_cast<char>('0' + e / 100);
      e %= 100;
    }
    std::memcpy(out, DigitPair(static_cast<uint32_t>(e)), 2);
    return out + 2;
  }
  const int integral = size + exponent;  // digits before the point
  if (exponent >= 0) {
    // Whole numbers: caught above, but written right should one come here.
    std::memcpy(out, first, 17);
    std::memset(out + size, '0', static_cast<size_t>(exponent));
    return out + integral;
  }
  if (integral > 0) {
    // 12.345
    std::memcpy(out, first, 16);
    out[integral] = '.';
    std::memcpy(out + integral + 1, first + integral, 16);
    return out + size + 1;
  }
  // 0.00012345: at most three zeros after the point.
  out[0] = '0';
  out[1] = '.';
  std::memset(out + 2, '0', 3);
  out += 2 - integral;
  std::memcpy(out, first, 17);
  return out + size;
}

void AppendCsvNumber(double x, fmt::memory_buffer& out) {
  char text[kCsvNumberRoom];
  out.append(text, WriteCsvNumber(x, text));
}

std::vector<std::string> PerSampleColumnNames(const ScenarioSpec& spec, const GameModel& game) {
  std::vector<std::string> names = {"sample"};
  for (const ArgumentSpec& a : spec.arguments) names.push_back("held." + a.id);
  for (const std::string& name : DrawNames(game)) names.push_back(name);
  if (!game.sequential()) {
    for (const ActorSpec& a : spec.actors) {
      for (const std::string& o : a.options) names.push_back("play." + a.id + "." + o);
    }
  }
  for (const OutcomeSpec& o : spec.outcomes) names.push_back("p." + o.id);
  names.push_back("p.unresolved");
  names.push_back("outcome");
  if (game.rounds() != nullptr) names.push_back("rounds");
  return names;
}

std::string_view PerSampleWholeOutcome(const ScenarioSpec& spec, const SampleBatch& b, int64_t i) {
  int whole = -1;
  for (int s = 0; s < b.num_slots; ++s) {
    if (b.slots[i * b.num_slots + s] == 1.0) whole = s;
  }
  if (whole < 0) return {};
  return whole < static_cast<int>(spec.outcomes.size()) ? std::string_view(spec.outcomes[whole].id)
                                                        : kPerSampleUnresolved;
}

std::string PerSampleCsvHeader(const ScenarioSpec& spec, const GameModel& game) {
  return fmt::format("{}\n", fmt::join(PerSampleColumnNames(spec, game), ","));
}

void AppendPerSampleCsvRows(const ScenarioSpec& spec, const GameModel& game, const SampleBatch& b,
                            int64_t begin, int64_t end, fmt::memory_buffer& buffer) {
  // Each row is written through a pointer into room reserved for its
  // longest form (about 70 numbers a row, millions of rows): no bounds
  // check per character. The buffer is kept by the caller from batch to
  // batch.
  size_t longest_outcome = kPerSampleUnresolved.size();
  for (const OutcomeSpec& o : spec.outcomes)
    longest_outcome = std::max(longest_outcome, o.id.size());
  const int numbers = b.num_draws + b.num_option_slots + b.num_slots + 1;
  const size_t longest_row = 20 + 2 * static_cast<size_t>(b.num_arguments) +
                             static_cast<size_t>(numbers) * (kMaxCsvNumberSize + 1) +
                             longest_outcome + 2 + kCsvNumberRoom;
  for (int64_t i = begin; i < end; ++i) {
    const size_t used = buffer.size();
    buffer.resize(used + longest_row);
    char* out = WriteWhole(b.first + i, buffer.data() + used);
    for (int g = 0; g < b.num_arguments; ++g) {
      *out++ = ',';
      *out++ = b.holds[i * b.num_arguments + g] ? '1' : '0';
    }
    auto numbers_of = [&out](const double* values, int count) {
      for (int k = 0; k < count; ++k) {
        *out++ = ',';
        out = WriteCsvNumber(values[k], out);
      }
    };
    numbers_of(b.draws.data() + i * b.num_draws, b.num_draws);
    numbers_of(b.options.data() + i * b.num_option_slots, b.num_option_slots);
    numbers_of(b.slots.data() + i * b.num_slots, b.num_slots);
    *out++ = ',';
    const std::string_view outcome = PerSampleWholeOutcome(spec, b, i);
    if (!outcome.empty()) {
      std::memcpy(out, outcome.data(), outcome.size());
      out += outcome.size();
    }
    if (game.rounds() != nullptr) numbers_of(b.rounds.data() + i, 1);
    *out++ = '\n';
    buffer.resize(static_cast<size_t>(out - buffer.data()));
  }
}

}  // namespace parley
