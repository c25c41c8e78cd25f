#include "sim/app/numbers.h"

#include <charconv>
#include <cmath>
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

StatusOr<std::pair<double, double>> ParseRange(const std::string& flag, const std::string& text) {
  const auto bad = [&] {
    return InvalidArgument(flag + " must be LOW,HIGH: two finite numbers, LOW below HIGH, got '" +
                           text + "'");
  };
  const size_t comma = text.find(',');
  if (comma == std::string::npos) return bad();
  double ends[2];
  const std::string parts[2] = {text.substr(0, comma), text.substr(comma + 1)};
  for (int i = 0; i < 2; ++i) {
    const std::string& part = parts[i];
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), ends[i]);
    if (ec != std::errc() || end != part.data() + part.size() || part.empty() ||
        !std::isfinite(ends[i])) {
      return bad();
    }
  }
  if (!(ends[0] < ends[1])) return bad();
  return std::make_pair(ends[0], ends[1]);
}

}  // namespace parley
