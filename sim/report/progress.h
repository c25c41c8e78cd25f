// ProgressBar: a one-line progress display (bar, rate, ETA) on stderr for
// long commands. It draws only when enabled (ShouldShowProgress: stderr is
// a terminal and --quiet was not given), at most 10 times a second, and
// clears its line when done. It only reads the counts it is given, so it
// cannot change results. Commands pass Callback() to RunControl::progress or
// any other (done, planned) hook.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace parley {

// True when stderr is a terminal and the command is not quiet.
bool ShouldShowProgress(bool quiet);

// One progress line (no newline), at most `width` columns:
// "label [#####.....]  45%  45,000/100,000 samples  52.1k/s  ETA 0:03".
std::string FormatProgress(std::string_view label, std::string_view unit, int64_t done,
                           int64_t planned, double elapsed_seconds, int width = 80);

class ProgressBar {
 public:
  struct Options {
    bool enabled = false;
    std::FILE* out = stderr;
    double interval_seconds = 0.1;  // throttle: 10 Hz
    double delay_seconds = 0.5;     // nothing for commands shorter than this
    std::string unit = "samples";
    int width = 0;  // 0: the terminal's width (COLUMNS), else 80
  };

  ProgressBar(std::string label, Options options);
  ~ProgressBar() { Finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Thread-safe; redraws when the throttle allows.
  void Update(int64_t done, int64_t planned);
  // Clears the line if anything was drawn. Idempotent.
  void Finish();
  // A hook that forwards to Update; empty when the bar is disabled (so
  // callers skip even the call).
  std::function<void(int64_t, int64_t)> Callback();

 private:
  std::string label_;
  Options options_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

}  // namespace parley
