// The application layer's sweeps and sensitivity analyses: what `parley
// sweep` and `parley sensitivity` (and Python's Scenario.sweep and
// Scenario.sensitivity) ask for, checked before anything runs and run, with
// the record of what produced them. Front ends only format the results.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/app/sampling.h"
#include "sim/core/status.h"
#include "sim/mc/sweep.h"
#include "sim/report/provenance.h"
#include "sim/report/sensitivity_report.h"

namespace parley {

using ProgressCallback = std::function<void(int64_t done, int64_t planned)>;

struct SweepOutput {
  SweepResult result;
  Provenance provenance;
};

// `request` names one scenario; `vary` holds NAME=LOW:HIGH:STEPS, once or
// twice. Bad axes, names and model parameter values are refused before any
// sampling. result.seconds is the whole call's time.
StatusOr<SweepOutput> RunSweepRequest(const SamplingRequest& request,
                                      const std::vector<std::string>& vary,
                                      const ProgressCallback& progress = nullptr);

struct SensitivityOutput {
  SensitivityReport report;
  Provenance provenance;
};

// `method` sobol or morris; `samples` base rows (Sobol, default 1024) or
// trajectories (Morris, default 100); `scenario_path` as the report names
// it. The request's seed, threads, model and overrides apply.
StatusOr<SensitivityOutput> RunSensitivityRequest(const SamplingRequest& request,
                                                  const std::string& method,
                                                  std::optional<int64_t> samples,
                                                  const std::string& scenario_path,
                                                  const ProgressCallback& progress = nullptr);

}  // namespace parley
