// Fuzz target: Gambit .nfg text. A game that reads must write back to text
// that reads as the same game (the round trip the format promises).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sim/game/nfg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  StatusOr<NfgDocument> doc = ReadNfgString(text, "fuzz.nfg");
  if (!doc.ok()) return 0;
  const std::string written = WriteNfg(*doc);
  StatusOr<NfgDocument> again = ReadNfgString(written, "rewritten.nfg");
  if (!again.ok() || WriteNfg(*again) != written) std::abort();
  return 0;
}
