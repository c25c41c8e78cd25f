#include "sim/core/text_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace parley {

StatusOr<std::string> ReadTextFile(const std::string& path, size_t max_bytes,
                                   std::string_view kind) {
  const std::string what(kind);
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the kind of file
  // is then checked on the descriptor, so it cannot change after the check.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return NotFound(path + ": error: no such " + what);
    if (errno == ENXIO) {  // a socket
      return InvalidArgument(path + ": error: not a regular file; a " + what + " is a text file");
    }
    return NotFound(path + ": error: cannot open the " + what);
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) return NotFound(path + ": error: cannot read the " + what);
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgument(path + ": error: not a regular file; a " + what + " is a text file");
  }
  auto too_large = [&](std::string size) {
    return InvalidArgument(path + ":1:1: error: the file is " + size + " bytes; " + what +
                           "s of at most " + std::to_string(max_bytes) + " bytes are accepted");
  };
  // A file already too large on disk is refused before anything is read.
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return too_large(std::to_string(st.st_size));
  // Read in chunks rather than trusting the size on disk, which may change
  // while the file is read.
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return NotFound(path + ": error: cannot read the " + what);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > max_bytes) return too_large("more than " + std::to_string(max_bytes));
  }
  return text;
}

}  // namespace parley
