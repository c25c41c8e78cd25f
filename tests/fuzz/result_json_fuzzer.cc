// Fuzz target: the result documents that `parley report` reads. Any JSON
// must render to HTML or be refused with a message.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>

#include "sim/report/html_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::ordered_json doc =
      nlohmann::ordered_json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  (void)parley::RenderHtmlReport(doc);
  return 0;
}
