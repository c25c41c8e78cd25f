// The HTML report: one self-contained page (no network fetches) with Vega-Lite
// charts and plain tables of the numbers, rendered from any Parley result
// document, selected by its top-level "kind": "run" (also when absent),
// "comparison", "sweep", "sensitivity" or "doctor"
// (docs/reference/json-output.md).
// Used by `parley report` and the `--html PATH` flags.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/core/status.h"

namespace parley {

// Whether the charting scripts were embedded at build time; when not,
// Render/WriteHtmlReport fail with HtmlReportUnavailable().
bool HtmlReportAvailable();
Status HtmlReportUnavailable();

// The number of charts RenderHtmlReport draws for `result` (one <svg> each
// once rendered), or an error when the document is not a valid result.
StatusOr<int> CountHtmlCharts(const nlohmann::ordered_json& result);

// The page for `result`. Bad documents (unknown kind, missing or mistyped
// keys) give an InvalidArgument naming the JSON pointer of the problem.
StatusOr<std::string> RenderHtmlReport(const nlohmann::ordered_json& result);
StatusOr<std::string> RenderHtmlReport(const nlohmann::json& result);

// Renders and writes the page to `path` (WriteOutputFile,
// sim/core/output_file.h): on any error nothing is written.
Status WriteHtmlReport(const nlohmann::ordered_json& result, const std::string& path);
Status WriteHtmlReport(const nlohmann::json& result, const std::string& path);

// The largest result file ReadResultFile accepts.
inline constexpr size_t kMaxResultFileBytes = size_t{256} << 20;

// Reads a result file, keeping its key order; a syntax error names
// path:line:col. What is not a regular file, or is larger than
// kMaxResultFileBytes, is refused (ReadTextFile, sim/core/text_file.h).
StatusOr<nlohmann::ordered_json> ReadResultFile(const std::string& path);

// Text escaped for HTML element content and quoted attribute values.
std::string HtmlEscape(std::string_view text);

// JSON text that is safe inside an HTML <script> element: no '<', '>' or
// '&' (written as \u003c etc.), ASCII only.
std::string ScriptSafeJson(const nlohmann::ordered_json& value);

}  // namespace parley
