#include "sim/app/analyses.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "sim/mc/negotiation.h"
#include "sim/mc/scenario_sensitivity.h"
#include "sim/mc/sensitivity.h"
#include "sim/scenario/overrides.h"

namespace parley {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

StatusOr<SweepOutput> RunSweepRequest(const SamplingRequest& request,
                                      const std::vector<std::string>& vary,
                                      const ProgressCallback& progress) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<SweepAxis> axes;
  for (const std::string& v : vary) {
    PARLEY_ASSIGN_OR_RETURN(SweepAxis axis, ParseSweepAxis(v));
    axes.push_back(std::move(axis));
  }
  // Each grid point compiles its own game.
  PARLEY_ASSIGN_OR_RETURN(PreparedSampling prepared, PrepareSampling(request, /*compile=*/false));
  const PreparedScenario& scenario = prepared.scenarios.front();
  PARLEY_RETURN_IF_ERROR(CheckSweep(scenario.spec, axes));
  const Selection selection = scenario.model->selection();
  const ModelMaker make_model = [selection](const ScenarioSpec& spec) {
    return ModelForScenario(spec, selection);
  };
  // A model.<param> axis: its values are checked before anything runs.
  for (const SweepAxis& axis : axes) {
    for (const double value : {axis.low, axis.high}) {
      ScenarioSpec varied = scenario.spec;
      Status set = ApplyOverride(varied, axis.name, value);
      if (set.ok()) set = make_model(varied).status();
      if (!set.ok()) return InvalidArgument("--vary " + axis.name + ": " + set.message());
    }
  }
  SweepOptions options;
  options.compile.argument_modes = scenario.modes;
  options.run = prepared.options;
  options.progress = progress;
  PARLEY_ASSIGN_OR_RETURN(SweepResult result, RunSweep(scenario.spec, axes, make_model, options));
  result.seconds = SecondsSince(start);  // load, compile every point, sample
  Provenance provenance = scenario.provenance;
  if (std::any_of(axes.begin(), axes.end(),
                  [](const SweepAxis& axis) { return axis.name == "rounds.max"; })) {
    provenance.rounds = DescribeRounds(scenario.spec, /*max_swept=*/true);
  }
  return SweepOutput{std::move(result), std::move(provenance)};
}

StatusOr<SensitivityOutput> RunSensitivityRequest(const SamplingRequest& request,
                                                  const std::string& method,
                                                  std::optional<int64_t> samples,
                                                  const std::string& scenario_path,
                                                  const ProgressCallback& progress) {
  const auto start = std::chrono::steady_clock::now();
  if (method != "sobol" && method != "morris") {
    return InvalidArgument("--method: unknown method '" + method + "' (methods: sobol, morris)");
  }
  PARLEY_ASSIGN_OR_RETURN(PreparedSampling prepared, PrepareSampling(request));
  const PreparedScenario& scenario = prepared.scenarios.front();
  PARLEY_RETURN_IF_ERROR(CheckRoundsPlayable(*scenario.game));
  const ScenarioSpec& spec = scenario.spec;
  const Model& model = *scenario.model;
  SensitivityOptions options;
  options.samples = samples.value_or(method == "sobol" ? 1024 : 100);
  options.seed = prepared.options.seed;
  options.threads = request.threads;
  options.progress = progress;
  PARLEY_RETURN_IF_ERROR(scenario.game->CheckUniformDesigns());
  const ScenarioFunction f(spec, *scenario.game, model, options.seed);
  if (f.num_inputs() == 0) {
    return InvalidArgument(scenario_path +
                           ": the scenario has no uncertain inputs (every value is a "
                           "constant and every argument's credence is 0 or 1)");
  }
  SensitivityOutput out;
  SensitivityReport& report = out.report;
  report.scenario = spec.name;
  report.scenario_path = scenario_path;
  report.model = std::string(model.name());
  report.samples = options.samples;
  report.seed = options.seed;
  report.bootstrap = options.bootstrap;
  report.levels = options.levels;
  report.inputs = f.input_names();
  report.outputs = f.output_names();
  if (method == "sobol") {
    PARLEY_ASSIGN_OR_RETURN(SobolResult result,
                            SobolIndices(f.num_inputs(), f.num_outputs(), std::cref(f), options));
    report.sobol = std::move(result);
  } else {
    PARLEY_ASSIGN_OR_RETURN(MorrisResult result,
                            MorrisEffects(f.num_inputs(), f.num_outputs(), std::cref(f), options));
    report.morris = std::move(result);
  }
  PARLEY_RETURN_IF_ERROR(f.CheckFinite());
  report.seconds = SecondsSince(start);  // load, compile, evaluate
  out.provenance = scenario.provenance;
  return out;
}

}  // namespace parley
