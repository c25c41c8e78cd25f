#include "sim/report/doctor_report.h"

#include <fmt/format.h>

#include <array>

#include "sim/version.h"

namespace parley {
namespace {

constexpr std::array kKinds = {FindingKind::kInert,          FindingKind::kNeverApplies,
                               FindingKind::kDoubleCounting, FindingKind::kNoMeasurableEffect,
                               FindingKind::kDominated,      FindingKind::kBestResponseCycle};

int Count(const DoctorResult& result, FindingKind kind) {
  int n = 0;
  for (const Finding& f : result.findings) n += f.kind == kind;
  return n;
}

}  // namespace

std::string FormatDoctorText(const DoctorResult& result, const DoctorReportInfo& info) {
  std::string out = info.name + "\n";
  out += fmt::format("doctor: {}, {} samples, seed {} (model {} for the paired runs)\n", info.file,
                     result.samples, result.seed, info.model);
  if (result.findings.empty()) {
    out += "no findings\n";
  } else {
    std::string counts;
    for (FindingKind kind : kKinds) {
      if (const int n = Count(result, kind)) {
        counts += (counts.empty() ? "" : ", ") + fmt::format("{} {}", n, FindingKindName(kind));
      }
    }
    out += fmt::format("{} finding{} ({})\n", result.findings.size(),
                       result.findings.size() == 1 ? "" : "s", counts);
  }
  for (const Finding& f : result.findings) {
    out += fmt::format("\n{}: {}: {}: {}\n", f.loc.ToString(), FindingKindName(f.kind), f.element,
                       f.message);
    if (f.kind == FindingKind::kDoubleCounting || f.kind == FindingKind::kInert) {
      for (const std::string& r : f.related) out += "  - " + r + "\n";
    }
    out += "  hint: " + f.hint + "\n";
  }
  for (const std::string& s : result.skipped) out += "\nnot checked: " + s + "\n";
  return out;
}

nlohmann::ordered_json DoctorToJson(const DoctorResult& result, const DoctorReportInfo& info) {
  nlohmann::ordered_json doc;
  doc["kind"] = "doctor";
  doc["parley_version"] = kParleyVersion;
  doc["scenario"] = {{"name", info.name}, {"file", info.file}};
  doc["model"] = info.model;
  doc["samples"] = result.samples;
  doc["seed"] = result.seed;
  doc["unresolved_samples"] = result.unresolved_samples;
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (FindingKind kind : kKinds) counts[FindingKindName(kind)] = Count(result, kind);
  doc["counts"] = counts;
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const Finding& f : result.findings) {
    nlohmann::ordered_json j;
    j["kind"] = FindingKindName(f.kind);
    j["file"] = f.loc.file;
    j["line"] = f.loc.line;
    j["column"] = f.loc.column;
    j["element"] = f.element;
    j["message"] = f.message;
    j["hint"] = f.hint;
    j["share"] = f.share >= 0 ? nlohmann::ordered_json(f.share) : nlohmann::ordered_json();
    j["related"] = f.related;
    findings.push_back(std::move(j));
  }
  doc["findings"] = std::move(findings);
  doc["skipped"] = result.skipped;
  return doc;
}

}  // namespace parley
