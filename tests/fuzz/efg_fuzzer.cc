// Fuzz target: Gambit .efg text. A tree that reads must write back to text
// that reads as the same tree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sim/game/efg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  EfgLimits limits;
  limits.max_nodes = 1 << 14;
  limits.max_payoff_entries = 1 << 16;
  StatusOr<ExtensiveFormGame> game = ParseEfg(text, "fuzz.efg", limits);
  if (!game.ok()) return 0;
  const std::string written = WriteEfg(*game);
  StatusOr<ExtensiveFormGame> again = ParseEfg(written, "rewritten.efg", limits);
  if (!again.ok() || WriteEfg(*again) != written) std::abort();
  return 0;
}
