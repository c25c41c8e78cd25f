#include "sim/core/text_file.h"

#include <filesystem>
#include <fstream>

namespace parley {

StatusOr<std::string> ReadTextFile(const std::string& path, size_t max_bytes,
                                   std::string_view kind) {
  namespace fs = std::filesystem;
  const std::string what(kind);
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return NotFound(path + ": error: no such " + what);
  if (!fs::is_regular_file(status)) {
    return InvalidArgument(path + ": error: not a regular file; a " + what + " is a text file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": error: cannot open the " + what);
  // Read in chunks rather than trusting the size on disk, which may change
  // while the file is read.
  std::string text;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      const auto size = fs::file_size(path, ec);
      std::string message = path;
      message += ":1:1: error: the file is ";
      message += ec ? "more than " + std::to_string(max_bytes) : std::to_string(size);
      message += " bytes; " + what + "s of at most " + std::to_string(max_bytes);
      message += " bytes are accepted";
      return InvalidArgument(message);
    }
  }
  if (in.bad()) return NotFound(path + ": error: cannot read the " + what);
  return text;
}

}  // namespace parley
