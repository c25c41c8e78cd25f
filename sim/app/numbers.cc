#include "sim/app/numbers.h"

#include <charconv>
#include <limits>

namespace parley {

StatusOr<uint64_t> ParseUnsigned(const std::string& flag, const std::string& text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return InvalidArgument(flag + " must be a whole number from 0 to " +
                           std::to_string(std::numeric_limits<uint64_t>::max()) + ", got '" + text +
                           "'");
  }
  return value;
}

}  // namespace parley
