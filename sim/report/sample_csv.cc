#include "sim/report/sample_csv.h"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstdint>

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

}  // namespace

void AppendCsvNumber(double x, fmt::memory_buffer& out) {
  // Whole numbers below 1e16 in magnitude are written by fmt as plain
  // integers ("1", "-3", "1000000"), the digits an int64 gives at a fraction
  // of the cost of the shortest-digits search; most play and probability
  // columns are 0 or 1. -0.0 ("-0") and the rest take fmt's own path.
  // (std::to_chars was tried for the rest: the same digits, but slower with
  // GCC 12's libstdc++.)
  if (std::fabs(x) < 1e16) {
    const auto whole = static_cast<int64_t>(x);
    if (static_cast<double>(whole) == x && (whole != 0 || !std::signbit(x))) {
      if (whole == 0 || whole == 1) {
        out.push_back(static_cast<char>('0' + whole));
      } else {
        fmt::format_to(fmt::appender(out), FMT_COMPILE("{}"), whole);
      }
      return;
    }
  }
  fmt::format_to(fmt::appender(out), FMT_COMPILE("{}"), x);
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
  // fmt's own buffer (kept by the caller from batch to batch) and compiled
  // formats: several times faster than appending to a string through a
  // back_insert_iterator (about 70 numbers a row, millions of rows).
  auto it = fmt::appender(buffer);
  auto number = [&](double x) {
    buffer.push_back(',');
    AppendCsvNumber(x, buffer);
  };
  for (int64_t i = begin; i < end; ++i) {
    fmt::format_to(it, FMT_COMPILE("{}"), b.first + i);
    for (int g = 0; g < b.num_arguments; ++g) {
      buffer.push_back(',');
      buffer.push_back(b.holds[i * b.num_arguments + g] ? '1' : '0');
    }
    for (int k = 0; k < b.num_draws; ++k) number(b.draws[i * b.num_draws + k]);
    for (int o = 0; o < b.num_option_slots; ++o) number(b.options[i * b.num_option_slots + o]);
    for (int s = 0; s < b.num_slots; ++s) number(b.slots[i * b.num_slots + s]);
    buffer.push_back(',');
    const std::string_view outcome = PerSampleWholeOutcome(spec, b, i);
    if (!outcome.empty()) buffer.append(outcome.data(), outcome.data() + outcome.size());
    if (game.rounds() != nullptr) number(b.rounds[i]);
    buffer.push_back('\n');
  }
}

}  // namespace parley
