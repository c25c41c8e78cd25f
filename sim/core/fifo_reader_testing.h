// For tests: reads a FIFO in a thread, from before its writer opens it until
// the writer closes it, or until Stop() once the writer is known to be done,
// so that a test of a writer that never opens the FIFO fails, not hangs.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

namespace parley::testing {

class FifoReader {
 public:
  // Opened at once (O_NONBLOCK), so that a writer's open does not wait.
  explicit FifoReader(const std::string& fifo)
      : fd_(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK)), thread_([this] { Loop(); }) {}
  ~FifoReader() { Stop(); }
  FifoReader(const FifoReader&) = delete;
  FifoReader& operator=(const FifoReader&) = delete;

  bool opened() const { return fd_ >= 0; }
  // Everything read; call once the writer has finished.
  std::string Stop() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    return text_;
  }

 private:
  void Loop() {
    if (fd_ < 0) return;
    char buffer[1 << 16];
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, 50);
      if (ready > 0 && (p.revents & POLLIN)) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n > 0) {
          text_.append(buffer, static_cast<size_t>(n));
          continue;
        }
      }
      // Linux reports POLLHUP only once a writer has connected and left.
      if (ready > 0 && (p.revents & POLLHUP)) return;
      if (ready == 0 && done_) return;
    }
  }

  int fd_;
  std::atomic<bool> done_{false};
  std::string text_;
  std::thread thread_;
};

}  // namespace parley::testing
