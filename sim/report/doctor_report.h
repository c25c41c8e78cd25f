// `parley doctor`'s findings (sim/mc/doctor.h) as terminal text, one
// compiler-style diagnostic each (FILE:LINE:COL: kind: element: message,
// then the hint), and as the "doctor" JSON document
// (docs/reference/json-output.md), which the HTML report renders as a
// "Diagnostics" section.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/mc/doctor.h"

namespace parley {

struct DoctorReportInfo {
  std::string name;   // the scenario's name
  std::string file;   // as given on the command line
  std::string model;  // the model of the paired runs
};

std::string FormatDoctorText(const DoctorResult& result, const DoctorReportInfo& info);

// {"kind": "doctor", "scenario": {...}, "model", "samples", "seed",
//  "unresolved_samples", "counts": {kind: n, ...}, "findings": [...],
//  "skipped": [...]}; the caller adds the provenance.
nlohmann::ordered_json DoctorToJson(const DoctorResult& result, const DoctorReportInfo& info);

}  // namespace parley
