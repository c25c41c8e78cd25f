// `parley report RESULT.json -o report.html`: renders any Parley result
// document (run, comparison, sweep, sensitivity, doctor) as a self-contained HTML page.
#include "sim/cli/commands.h"
#include "sim/report/html_report.h"

namespace parley {

int Report(const ReportFlags& flags) {
  if (const Status output = CheckOutputFlags({{"--output", flags.output}}); !output.ok()) {
    return Fail(output);
  }
  auto doc = ReadResultFile(flags.file);
  if (!doc.ok()) return Fail(doc.status());
  auto html = RenderHtmlReport(*doc);
  if (!html.ok()) {
    if (html.status().code() == StatusCode::kInvalidArgument) {
      return Fail(InvalidArgument(flags.file + ": error: " + html.status().message()));
    }
    return Fail(html.status());
  }
  return WriteOutput(flags.output, *html);
}

}  // namespace parley
