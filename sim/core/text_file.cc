#include "sim/core/text_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

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
    if (text.size() > max_bytes) {
      std::string message = path;
      message += ":1:1: error: the file is ";
      message += static_cast<size_t>(st.st_size) > max_bytes
                     ? std::to_string(st.st_size)
                     : "more than " + std::to_string(max_bytes);
      message += " bytes; " + what + "s of at most " + std::to_string(max_bytes);
      message += " bytes are accepted";
      return InvalidArgument(message);
    }
  }
  return text;
}

}  // namespace parley
