// Writing a command's outputs (commands.h): the output flags checked before
// any work, then every output written through one OutputTransaction
// (sim/core/output_file.h), "-" meaning standard output.
#include <cstdio>
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/core/output_file.h"
#include "sim/report/html_report.h"

namespace parley {
namespace {

// Adds one output to `transaction`; sets `to_stdout` for "-".
Status AddOutput(OutputTransaction& transaction, const std::optional<std::string>& path,
                 std::string text, bool& to_stdout) {
  if (!path) return OkStatus();
  if (*path == "-") {
    transaction.AddStdout(std::move(text));
    to_stdout = true;
    return OkStatus();
  }
  return transaction.Add(*path, std::move(text));
}

}  // namespace

Status CheckOutputFlags(const std::vector<OutputFlag>& flags) {
  std::vector<NamedOutput> outputs;
  for (const auto& [flag, path] : flags) {
    if (!path) continue;
    // A build without the charting scripts refuses --html before any work.
    if (flag == "--html" && !HtmlReportAvailable()) return HtmlReportUnavailable();
    outputs.push_back({flag, *path == "-" ? std::nullopt : path});
  }
  return CheckOutputs(outputs);
}

int WriteOutput(const std::optional<std::string>& path, std::string text) {
  OutputTransaction transaction;
  bool to_stdout = false;
  Status written = AddOutput(transaction, path.value_or("-"), std::move(text), to_stdout);
  if (written.ok()) written = transaction.Commit();
  return written.ok() ? 0 : Fail(written);
}

StatusOr<bool> WriteResults(const nlohmann::ordered_json& doc,
                            const std::optional<std::string>& json,
                            const std::optional<std::string>& html,
                            const std::optional<std::string>& csv, const std::string& csv_text) {
  PARLEY_RETURN_IF_ERROR(CheckOutputFlags({{"--json", json}, {"--html", html}, {"--csv", csv}}));
  // Every output is written to its temporary file before any is committed:
  // a failure leaves all of them as they were.
  OutputTransaction transaction;
  bool to_stdout = false;
  if (html) {
    PARLEY_ASSIGN_OR_RETURN(std::string page, RenderHtmlReport(doc));
    PARLEY_RETURN_IF_ERROR(AddOutput(transaction, html, std::move(page), to_stdout));
  }
  if (json) PARLEY_RETURN_IF_ERROR(AddOutput(transaction, json, doc.dump(2) + "\n", to_stdout));
  if (csv) PARLEY_RETURN_IF_ERROR(AddOutput(transaction, csv, csv_text, to_stdout));
  PARLEY_RETURN_IF_ERROR(transaction.Commit());
  return to_stdout;
}

int FinishOutput(int exit_code) {
  const Status flushed = FlushStandardOutput();
  // A command that failed has said why; its output is incomplete anyway.
  if (!flushed.ok() && exit_code == 0) exit_code = Fail(flushed);
  std::cerr.flush();
  if (std::fflush(stderr) != 0 || std::ferror(stderr)) {
    if (exit_code == 0) exit_code = kExitFailure;
  }
  return exit_code;
}

}  // namespace parley
