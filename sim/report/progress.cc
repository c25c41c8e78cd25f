#include "sim/report/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace parley {
namespace {

// 1234567 -> "1,234,567".
std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string Rate(double per_second) {
  if (per_second >= 1e6) return fmt::format("{:.1f}M/s", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.1f}k/s", per_second / 1e3);
  return fmt::format("{:.0f}/s", per_second);
}

std::string Duration(double seconds) {
  const int64_t s = std::llround(seconds);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

bool ShouldShowProgress(bool quiet) { return !quiet && ::isatty(STDERR_FILENO) == 1; }

std::string FormatProgress(std::string_view label, std::string_view unit, int64_t done,
                           int64_t planned, double elapsed_seconds, int width) {
  const double fraction =
      planned > 0 ? std::clamp(static_cast<double>(done) / static_cast<double>(planned), 0.0, 1.0)
                  : 0.0;
  const double rate = elapsed_seconds > 0 ? static_cast<double>(done) / elapsed_seconds : 0.0;
  const std::string eta =
      done > 0 && rate > 0 ? Duration(static_cast<double>(planned - done) / rate) : "--:--";
  const std::string tail =
      fmt::format(" {:3.0f}%  {}/{} {}  {}  ETA {}", std::floor(100.0 * fraction), Grouped(done),
                  Grouped(planned), unit, done > 0 ? Rate(rate) : "-/s", eta);
  // The bar takes what the label and the numbers leave, 10 to 40 columns.
  // Sized as if done had as many digits as planned, so the bar keeps its
  // width as the count grows.
  const size_t digits =
      Grouped(planned).size() - std::min(Grouped(planned).size(), Grouped(done).size());
  const int room = width - static_cast<int>(label.size() + tail.size() + digits) - 3;
  std::string line(label);
  if (room >= 10) {
    const int bar = std::min(room, 40);
    const int filled = static_cast<int>(std::floor(fraction * bar));
    line += " [" + std::string(filled, '#') + std::string(bar - filled, '.') + "]";
  }
  line += tail;
  if (static_cast<int>(line.size()) > width) line.resize(std::max(width, 0));
  return line;
}

ProgressBar::ProgressBar(std::string label, Options options)
    : label_(std::move(label)), options_(options), start_(std::chrono::steady_clock::now()) {
  if (options_.width <= 0) {
    const char* columns = std::getenv("COLUMNS");
    const int parsed = columns ? std::atoi(columns) : 0;
    options_.width = parsed >= 20 && parsed <= 1000 ? parsed - 1 : 79;
  }
}

void ProgressBar::Update(int64_t done, int64_t planned) {
  if (!options_.enabled) return;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < options_.delay_seconds) return;
  if (drawn_ &&
      std::chrono::duration<double>(now - last_draw_).count() < options_.interval_seconds) {
    return;
  }
  last_draw_ = now;
  drawn_ = true;
  const std::string line =
      FormatProgress(label_, options_.unit, done, planned, elapsed, options_.width);
  // \r and "erase to end of line" (ANSI), so a shorter line leaves no rest.
  std::fprintf(options_.out, "\r%s\033[K", line.c_str());
  std::fflush(options_.out);
}

void ProgressBar::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!drawn_) return;
  std::fprintf(options_.out, "\r\033[K");
  std::fflush(options_.out);
  drawn_ = false;
}

std::function<void(int64_t, int64_t)> ProgressBar::Callback() {
  if (!options_.enabled) return nullptr;
  return [this](int64_t done, int64_t planned) { Update(done, planned); };
}

}  // namespace parley
