#include "sim/report/sample_csv.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace parley {
namespace {

const std::string kUnresolved = "unresolved";

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

std::string PerSampleCsvHeader(const ScenarioSpec& spec, const GameModel& game) {
  std::string out = "sample";
  for (const ArgumentSpec& a : spec.arguments) out += ",held." + a.id;
  for (const std::string& name : DrawNames(game)) out += "," + name;
  if (!game.sequential()) {
    for (const ActorSpec& a : spec.actors) {
      for (const std::string& o : a.options) out += ",play." + a.id + "." + o;
    }
  }
  for (const OutcomeSpec& o : spec.outcomes) out += ",p." + o.id;
  out += ",p.unresolved,outcome";
  if (game.rounds() != nullptr) out += ",rounds";
  return out + "\n";
}

void AppendPerSampleCsvRows(const ScenarioSpec& spec, const GameModel& game, const SampleBatch& b,
                            int64_t begin, int64_t end, fmt::memory_buffer& buffer) {
  // fmt's own buffer (kept by the caller from batch to batch) and compiled
  // formats: several times faster than appending to a string through a
  // back_insert_iterator (about 70 numbers a row, millions of rows).
  auto it = fmt::appender(buffer);
  auto number = [&](double x) {
    buffer.push_back(',');
    fmt::format_to(it, FMT_COMPILE("{}"), x);
  };
  for (int64_t i = begin; i < end; ++i) {
    fmt::format_to(it, FMT_COMPILE("{}"), b.first + i);
    for (int g = 0; g < b.num_arguments; ++g) {
      buffer.push_back(',');
      buffer.push_back(b.holds[i * b.num_arguments + g] ? '1' : '0');
    }
    for (int k = 0; k < b.num_draws; ++k) number(b.draws[i * b.num_draws + k]);
    for (int o = 0; o < b.num_option_slots; ++o) number(b.options[i * b.num_option_slots + o]);
    int whole = -1;
    for (int s = 0; s < b.num_slots; ++s) {
      const double p = b.slots[i * b.num_slots + s];
      number(p);
      if (p == 1.0) whole = s;
    }
    buffer.push_back(',');
    if (whole >= 0) {
      const std::string& id =
          whole < static_cast<int>(spec.outcomes.size()) ? spec.outcomes[whole].id : kUnresolved;
      buffer.append(id.data(), id.data() + id.size());
    }
    if (game.rounds() != nullptr) number(b.rounds[i]);
    buffer.push_back('\n');
  }
}

PerSampleCsvWriter::PerSampleCsvWriter(const ScenarioSpec& spec, const GameModel& game, int threads,
                                       WriteFn write)
    : spec_(spec), game_(game), write_(std::move(write)), threads_(std::max(threads, 1)) {
  parts_[0].resize(static_cast<size_t>(threads_));
  parts_[1].resize(static_cast<size_t>(threads_));
}

PerSampleCsvWriter::~PerSampleCsvWriter() {
  if (writer_.joinable()) writer_.join();
}

Status PerSampleCsvWriter::Finish() {
  if (writer_.joinable()) writer_.join();
  return write_status_;
}

Status PerSampleCsvWriter::Write(const SampleBatch& batch) {
  // Contiguous slices of rows, formatted side by side and written in order:
  // the text is the same for any number of slices.
  std::vector<fmt::memory_buffer>& parts = parts_[current_];
  const int64_t slices = std::min<int64_t>(threads_, std::max<int64_t>(batch.count / 1024, 1));
  std::vector<std::thread> workers;
  for (int64_t k = 0; k < slices; ++k) {
    const int64_t begin = batch.count * k / slices, end = batch.count * (k + 1) / slices;
    parts[k].clear();
    auto format = [this, &batch, &parts, begin, end, k] {
      AppendPerSampleCsvRows(spec_, game_, batch, begin, end, parts[k]);
    };
    if (k + 1 < slices) {
      workers.emplace_back(format);
    } else {
      format();
    }
  }
  for (std::thread& w : workers) w.join();
  // The previous batch's text must be out before this one goes.
  PARLEY_RETURN_IF_ERROR(Finish());
  used_[current_] = slices;
  writer_ = std::thread([this, slot = current_] {
    for (int64_t k = 0; k < used_[slot] && write_status_.ok(); ++k) {
      write_status_ = write_(std::string_view(parts_[slot][k].data(), parts_[slot][k].size()));
    }
  });
  current_ = 1 - current_;
  return OkStatus();
}

}  // namespace parley
