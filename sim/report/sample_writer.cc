#include "sim/report/sample_writer.h"

#include <algorithm>
#include <cctype>

#include "sim/report/sample_csv.h"
#include "sim/report/sample_npy.h"

namespace parley {

PerSampleFormat PerSampleFormatFor(std::string_view path) {
  constexpr std::string_view kNpy = ".npy";
  if (path.size() < kNpy.size()) return PerSampleFormat::kCsv;
  const std::string_view tail = path.substr(path.size() - kNpy.size());
  const bool npy = std::equal(tail.begin(), tail.end(), kNpy.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
  return npy ? PerSampleFormat::kNpy : PerSampleFormat::kCsv;
}

std::string PerSampleHeader(PerSampleFormat format, const ScenarioSpec& spec, const GameModel& game,
                            int64_t rows) {
  return format == PerSampleFormat::kNpy ? PerSampleNpyHeader(spec, game, rows)
                                         : PerSampleCsvHeader(spec, game);
}

PerSampleWriter::PerSampleWriter(PerSampleFormat format, const ScenarioSpec& spec,
                                 const GameModel& game, int threads, WriteFn write)
    : format_(format),
      spec_(spec),
      game_(game),
      write_(std::move(write)),
      threads_(std::max(threads, 1)) {
  parts_[0].resize(static_cast<size_t>(threads_));
  parts_[1].resize(static_cast<size_t>(threads_));
}

PerSampleWriter::~PerSampleWriter() {
  if (writer_.joinable()) writer_.join();
}

Status PerSampleWriter::Finish() {
  if (writer_.joinable()) writer_.join();
  return write_status_;
}

void PerSampleWriter::AppendRows(const SampleBatch& batch, int64_t begin, int64_t end,
                                 fmt::memory_buffer& out) const {
  if (format_ == PerSampleFormat::kNpy) {
    AppendPerSampleNpyRows(spec_, game_, batch, begin, end, out);
  } else {
    AppendPerSampleCsvRows(spec_, game_, batch, begin, end, out);
  }
}

Status PerSampleWriter::Write(const SampleBatch& batch) {
  // Contiguous slices of rows, encoded side by side and written in order:
  // the bytes are the same for any number of slices.
  std::vector<fmt::memory_buffer>& parts = parts_[current_];
  const int64_t slices = std::min<int64_t>(threads_, std::max<int64_t>(batch.count / 1024, 1));
  std::vector<std::thread> workers;
  for (int64_t k = 0; k < slices; ++k) {
    const int64_t begin = batch.count * k / slices, end = batch.count * (k + 1) / slices;
    parts[k].clear();
    auto encode = [this, &batch, &parts, begin, end, k] {
      AppendRows(batch, begin, end, parts[k]);
    };
    if (k + 1 < slices) {
      workers.emplace_back(encode);
    } else {
      encode();
    }
  }
  for (std::thread& w : workers) w.join();
  // The previous batch's rows must be out before this one goes.
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
