// The `parley` Python module: load and inspect scenarios and run them, with
// the CLI's options and the CLI's results bit for bit (a run's result is
// the dict of `parley run --json`), per-sample data as numpy arrays, errors
// as parley.ParleyError carrying the message with its FILE:LINE:COL. Runs
// release the GIL and stop at Ctrl-C (KeyboardInterrupt). Everything goes
// through the application layer (sim/app), as the CLI does.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/app/analyses.h"
#include "sim/app/game_input.h"
#include "sim/app/model_comparison.h"
#include "sim/app/sampling.h"
#include "sim/app/score.h"
#include "sim/mc/attribution.h"
#include "sim/mc/runner.h"
#include "sim/report/attribution_report.h"
#include "sim/report/provenance.h"
#include "sim/report/report.h"
#include "sim/report/score_report.h"
#include "sim/report/sensitivity_report.h"
#include "sim/report/solution_report.h"
#include "sim/report/whatif.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/overrides.h"
#include "sim/solve/solver.h"
#include "sim/version.h"

namespace py = pybind11;

namespace parley {
namespace {

// parley.ParleyError, a ValueError: bad input (a scenario, a flag) and
// failed runs.
PyObject* g_error = nullptr;

[[noreturn]] void Raise(const Status& status) {
  PyErr_SetString(g_error, status.message().c_str());
  throw py::error_already_set();
}

template <typename T>
T ValueOrRaise(StatusOr<T> value) {
  if (!value.ok()) Raise(value.status());
  return std::move(*value);
}

// A JSON document as Python objects (dicts keep the document's key order).
py::object ToPython(const nlohmann::ordered_json& doc) {
  // Not cached in a static: it would be released after the interpreter.
  return py::module_::import("json").attr("loads")(doc.dump());
}

// A numpy array that owns `values` (moved, not copied: the array's memory
// is the vector's, freed with the array).
template <typename T>
py::array_t<T> OwningArray(std::vector<T>&& values, std::vector<py::ssize_t> shape) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule free(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(shape, owned->data(), free);
}

// Ctrl-C during a computation that reports progress (sweeps, sensitivity
// analyses, attributions): the progress callback, on whichever thread,
// checks Python's signals at most every 50 ms with the GIL held for a
// moment, and throws Interrupted; the computation unwinds (TBB carries the
// exception to the calling thread) and the binding raises KeyboardInterrupt.
struct Interrupted : std::exception {};

class InterruptCheck {
 public:
  ProgressCallback Callback() {
    return [this](int64_t, int64_t) {
      const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now().time_since_epoch())
                              .count();
      int64_t last = last_ms_.load();
      if (now - last < 50 || !last_ms_.compare_exchange_strong(last, now)) return;
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) {
        interrupted_ = true;
        throw Interrupted();
      }
    };
  }
  bool interrupted() const { return interrupted_; }

 private:
  std::atomic<int64_t> last_ms_{0};
  std::atomic<bool> interrupted_{false};
};

// Runs `work` (a StatusOr-returning call) without the GIL, interruptible
// through `check`; raises KeyboardInterrupt or ParleyError.
template <typename T, typename Work>
T RunReleased(InterruptCheck& check, const Work& work) {
  StatusOr<T> result = InvalidArgument("not run");
  try {
    py::gil_scoped_release release;
    result = work();
  } catch (const Interrupted&) {
  }
  if (check.interrupted()) {
    if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  return ValueOrRaise(std::move(result));
}

// The options every sampling call takes, as a SamplingRequest for `spec`.
SamplingRequest MakeRequest(const ScenarioSpec& spec, std::optional<int64_t> samples,
                            std::optional<uint64_t> seed, int threads,
                            std::optional<std::string> model, std::optional<std::string> selection,
                            std::vector<std::string> set, std::vector<std::string> with,
                            std::vector<std::string> without) {
  SamplingRequest request;
  request.specs = {spec};
  request.samples = samples;
  request.seed = seed;
  request.threads = threads;
  request.model = std::move(model);
  request.selection = std::move(selection);
  request.set = std::move(set);
  request.with = std::move(with);
  request.without = std::move(without);
  return request;
}

// A loaded scenario: what `parley params` and `parley validate` show, and
// runs with the flags of `parley run`, `parley sweep` and `parley
// sensitivity`.
class Scenario {
 public:
  explicit Scenario(ScenarioSpec spec) : spec_(std::move(spec)) {}

  const std::string& name() const { return spec_.name; }
  const std::string& path() const { return spec_.path; }

  py::list actors() const {
    py::list out;
    for (const ActorSpec& a : spec_.actors) {
      py::dict d;
      d["id"] = a.id;
      d["name"] = a.name;
      d["options"] = a.options;
      out.append(d);
    }
    return out;
  }
  std::vector<std::string> outcomes() const {
    std::vector<std::string> ids;
    for (const OutcomeSpec& o : spec_.outcomes) ids.push_back(o.id);
    return ids;
  }
  py::list arguments() const {
    py::list out;
    for (const ArgumentSpec& a : spec_.arguments) {
      py::dict d;
      d["id"] = a.id;
      d["analyst"] = a.analyst;
      d["claim"] = a.claim;
      d["credence"] = a.credence;
      out.append(d);
    }
    return out;
  }
  // Every name --set and sweeps take, as `parley params` lists them.
  py::list sweepable() const {
    py::list out;
    for (const SweepableName& n : ListSweepableNames(spec_)) {
      py::dict d;
      d["name"] = n.name;
      d["kind"] = std::string(SweepableKindName(n.kind));
      d["value"] = n.value;
      d["mean"] = n.mean;
      d["note"] = n.note;
      out.append(d);
    }
    return out;
  }
  bool multi_round() const { return spec_.rounds.has_value(); }

  // `parley run --json -` as a dict; with per_sample, also a dict of numpy
  // arrays (one row per sample) under "per_sample".
  py::object Run(std::optional<int64_t> samples, std::optional<uint64_t> seed, int threads,
                 std::optional<std::string> model, std::optional<std::string> selection,
                 std::vector<std::string> set, std::vector<std::string> with,
                 std::vector<std::string> without, bool per_sample, bool attribution) const {
    const SamplingRequest request =
        MakeRequest(spec_, samples, seed, threads, std::move(model), std::move(selection),
                    std::move(set), std::move(with), std::move(without));
    PreparedSampling prepared = ValueOrRaise(PrepareSampling(request));
    const PreparedScenario& scenario = prepared.scenarios.front();
    const GameModel& game = *scenario.game;
    const RunOptions& options = prepared.options;

    // Per-sample arrays, allocated once and filled batch by batch (the
    // sink runs on this thread, between batches).
    const int64_t n = options.samples;
    const int slots = game.num_outcomes() + 1;
    std::vector<double> draws, slot_values, option_values, rounds;
    std::vector<uint8_t> holds;
    int option_slots = 0;
    RunControl control;
    if (per_sample) {
      option_slots = game.sequential() ? 0 : OptionOffsets(game).back();
      draws.resize(static_cast<size_t>(n) * game.num_draws());
      holds.resize(static_cast<size_t>(n) * game.num_arguments());
      slot_values.resize(static_cast<size_t>(n) * slots);
      option_values.resize(static_cast<size_t>(n) * option_slots);
      if (game.rounds() != nullptr) rounds.resize(static_cast<size_t>(n));
      control.per_sample = [&](const SampleBatch& b) {
        std::copy_n(b.draws.begin(), b.count * b.num_draws, draws.begin() + b.first * b.num_draws);
        std::copy_n(b.holds.begin(), b.count * b.num_arguments,
                    holds.begin() + b.first * b.num_arguments);
        std::copy_n(b.slots.begin(), b.count * b.num_slots,
                    slot_values.begin() + b.first * b.num_slots);
        std::copy_n(b.options.begin(), b.count * b.num_option_slots,
                    option_values.begin() + b.first * b.num_option_slots);
        if (!rounds.empty()) std::copy_n(b.rounds.begin(), b.count, rounds.begin() + b.first);
        return OkStatus();
      };
    }
    // Ctrl-C: checked between batches with the GIL held for a moment.
    bool interrupted = false;
    control.stop = [&](const Accumulator&) {
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) interrupted = true;
      return interrupted;
    };
    StatusOr<RunResult> result = InvalidArgument("no run");
    {
      py::gil_scoped_release release;
      result = RunMonteCarlo(game, *scenario.model, options, control);
    }
    if (interrupted) throw py::error_already_set();
    if (!result.ok()) Raise(result.status());
    RunSummary summary = SummarizeRun(scenario, options, *result);
    // --attribution shapley, as `parley run` computes it.
    std::optional<AttributionSummary> shapley;
    if (attribution) {
      AttributionOptions how;
      how.samples = summary.samples;
      how.seed = options.seed;
      how.threads = options.threads;
      InterruptCheck check;
      how.progress = check.Callback();
      const AttributionResult found = RunReleased<AttributionResult>(check, [&] {
        return ShapleyAttribution(scenario.spec, scenario.modes, *scenario.model, how);
      });
      shapley = SummarizeAttribution(scenario.spec, found, summary, how.permutations_per_sample);
    }
    nlohmann::ordered_json doc = ToJson(summary);
    AddProvenanceJson(scenario.provenance, doc);
    if (shapley) doc["attribution"] = AttributionJson(*shapley);
    py::dict out = ToPython(doc);
    if (per_sample) {
      // The arrays take over the vectors the run filled: no copy.
      py::dict arrays;
      arrays["draws"] = OwningArray(std::move(draws), {n, game.num_draws()});
      arrays["held"] = OwningArray(std::move(holds), {n, game.num_arguments()});
      arrays["outcomes"] = OwningArray(std::move(slot_values), {n, slots});
      if (option_slots > 0)
        arrays["play"] = OwningArray(std::move(option_values), {n, option_slots});
      if (!rounds.empty()) arrays["rounds"] = OwningArray(std::move(rounds), {n});
      // Column names, as in the CSV of `--per-sample`.
      std::vector<std::string> draw_names(static_cast<size_t>(game.num_draws()));
      for (int step = 0; step < game.num_uniforms(); ++step) {
        if (const int d = game.step_draw(step); d >= 0) draw_names[d] = game.uniform_names()[step];
      }
      arrays["draw_names"] = draw_names;
      std::vector<std::string> argument_names, outcome_names = outcomes(), play_names;
      for (const ArgumentSpec& a : spec_.arguments) argument_names.push_back(a.id);
      outcome_names.push_back("unresolved");
      if (option_slots > 0) {
        for (const ActorSpec& a : spec_.actors) {
          for (const std::string& o : a.options) play_names.push_back(a.id + "." + o);
        }
      }
      arrays["argument_names"] = argument_names;
      arrays["outcome_names"] = outcome_names;
      if (option_slots > 0) arrays["play_names"] = play_names;
      out["per_sample"] = arrays;
    }
    return out;
  }

  // `parley sweep FILE --vary ... --json -` as a dict.
  py::object Sweep(std::vector<std::string> vary, std::optional<int64_t> samples,
                   std::optional<uint64_t> seed, int threads, std::optional<std::string> model,
                   std::optional<std::string> selection, std::vector<std::string> set,
                   std::vector<std::string> with, std::vector<std::string> without) const {
    const SamplingRequest request =
        MakeRequest(spec_, samples, seed, threads, std::move(model), std::move(selection),
                    std::move(set), std::move(with), std::move(without));
    InterruptCheck check;
    const SweepOutput sweep = RunReleased<SweepOutput>(
        check, [&] { return RunSweepRequest(request, vary, check.Callback()); });
    nlohmann::ordered_json doc = SweepToJson(sweep.result);
    AddProvenanceJson(sweep.provenance, doc);
    return ToPython(doc);
  }

  // `parley sensitivity FILE --json -` as a dict.
  py::object Sensitivity(std::string method, std::optional<int64_t> samples,
                         std::optional<uint64_t> seed, int threads,
                         std::optional<std::string> model, std::optional<std::string> selection,
                         std::vector<std::string> set, std::vector<std::string> with,
                         std::vector<std::string> without) const {
    const SamplingRequest request =
        MakeRequest(spec_, std::nullopt, seed, threads, std::move(model), std::move(selection),
                    std::move(set), std::move(with), std::move(without));
    InterruptCheck check;
    const SensitivityOutput analysis = RunReleased<SensitivityOutput>(check, [&] {
      return RunSensitivityRequest(request, method, samples, spec_.path, check.Callback());
    });
    nlohmann::ordered_json doc = SensitivityToJson(analysis.report);
    AddProvenanceJson(analysis.provenance, doc);
    return ToPython(doc);
  }

 private:
  ScenarioSpec spec_;
};

// `parley solve FILE [--method M] [--lambda L] [--sample I --seed S] --json -`
// as a dict: a scenario (its mean game, or one sample's) or a Gambit file.
py::object Solve(const std::string& file, std::optional<std::string> method,
                 std::optional<double> lambda, std::optional<int64_t> sample,
                 std::optional<uint64_t> seed) {
  // LoadGame reads --sample and --seed as the CLI's text.
  auto text = [](auto v) {
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
  };
  const GameInput input =
      ValueOrRaise(LoadGame({.file = file, .sample = text(sample), .seed = text(seed)}));
  SolveRequest request;
  request.method = std::move(method);
  if (lambda) request.options.emplace("lambda", *lambda);
  request.tree = input.tree_settings;
  const GameLabel label{input.name, input.source, file};
  auto solved = [&](const auto& game) {
    InterruptCheck not_interruptible;
    const Solution s =
        RunReleased<Solution>(not_interruptible, [&] { return SolveGame(game, request); });
    if (const Status fits = CheckSolutionJsonSize(EstimateSolutionJsonBytes(game, s)); !fits.ok()) {
      Raise(fits);
    }
    return ToPython(SolutionJson(game, label, s));
  };
  return input.normal_form ? solved(*input.normal_form) : solved(*input.tree);
}

// Seconds since `start` (the JSON documents' run.seconds).
double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Models as Python gives them: a list whose entries may each hold several,
// separated by commas, as --models takes them.
std::vector<std::string> ModelList(const std::vector<std::string>& models) {
  std::vector<std::string> out;
  for (const std::string& m : models) {
    for (std::string& one : ValueOrRaise(SplitModelList(m))) out.push_back(std::move(one));
  }
  return out;
}

// `parley compare FILE... --models A,B --json -` as a dict.
py::object Compare(std::vector<std::string> files, std::vector<std::string> models,
                   std::optional<int64_t> samples, std::optional<uint64_t> seed, int threads,
                   std::optional<std::string> selection, std::vector<std::string> set,
                   std::vector<std::string> with, std::vector<std::string> without) {
  const auto start = std::chrono::steady_clock::now();
  ModelComparisonRequest request;
  request.files = std::move(files);
  request.models = ModelList(models);
  request.samples = samples;
  request.seed = seed;
  request.threads = threads;
  request.selection = std::move(selection);
  request.set = std::move(set);
  request.with = std::move(with);
  request.without = std::move(without);
  InterruptCheck check;
  request.progress = check.Callback();
  const ModelComparisonResult compared =
      RunReleased<ModelComparisonResult>(check, [&] { return CompareModels(request); });
  return ToPython(ModelComparisonResultJson(compared, Since(start)));
}

// `parley score FILE... [--models A,B] --json -` as a dict.
py::object Score(std::vector<std::string> files, std::vector<std::string> models,
                 std::optional<int64_t> samples, std::optional<uint64_t> seed, int threads,
                 int bins) {
  const auto start = std::chrono::steady_clock::now();
  ScoreRequest request;
  request.files = std::move(files);
  request.models = ModelList(models);
  request.samples = samples;
  request.seed = seed;
  request.threads = threads;
  request.bins = bins;
  InterruptCheck check;
  request.progress = check.Callback();
  const BackTest test = RunReleased<BackTest>(check, [&] { return RunBackTest(request); });
  return ToPython(ScoreToJson(test, Since(start)));
}

}  // namespace
}  // namespace parley

PYBIND11_MODULE(parley, m) {
  using parley::Scenario;
  m.doc() = "Parley: negotiation scenarios as games, sampled with Monte Carlo.";
  m.attr("__version__") = parley::kParleyVersion;
  // A new reference kept for the life of the process (a static py::object
  // would be released after the interpreter is gone).
  parley::g_error = PyErr_NewException("parley.ParleyError", PyExc_ValueError, nullptr);
  m.add_object("ParleyError", py::handle(parley::g_error));

  py::class_<Scenario>(m, "Scenario", "A loaded scenario (parley.load, parley.loads).")
      .def_property_readonly("name", &Scenario::name)
      .def_property_readonly("path", &Scenario::path)
      .def_property_readonly("actors", &Scenario::actors,
                             "Each actor as a dict: id, name, options.")
      .def_property_readonly("outcomes", &Scenario::outcomes, "The outcome ids, in order.")
      .def_property_readonly("arguments", &Scenario::arguments,
                             "Each argument as a dict: id, analyst, claim, credence.")
      .def_property_readonly("sweepable", &Scenario::sweepable,
                             "Every sweepable name (`parley params`) as a dict: name, kind, "
                             "value, mean, note.")
      .def_property_readonly("multi_round", &Scenario::multi_round,
                             "Whether the scenario has a `rounds` section.")
      .def("run", &Scenario::Run, py::kw_only(), py::arg("samples") = py::none(),
           py::arg("seed") = py::none(), py::arg("threads") = 0, py::arg("model") = py::none(),
           py::arg("selection") = py::none(), py::arg("set") = std::vector<std::string>{},
           py::arg("with_") = std::vector<std::string>{},
           py::arg("without") = std::vector<std::string>{}, py::arg("per_sample") = false,
           py::arg("attribution") = false,
           "Samples the scenario as `parley run` does and returns its JSON result as a dict. "
           "`set` takes NAME=VALUE strings, `model` 'qre' or 'qre:lambda=2', `with_` and "
           "`without` argument ids. per_sample=True adds result['per_sample']: numpy arrays "
           "with one row per sample (draws, held, outcomes, play, rounds), owned by the "
           "arrays (not copied), and their column names. attribution=True adds "
           "result['attribution'] (`--attribution shapley`).")
      .def("sweep", &Scenario::Sweep, py::arg("vary"), py::kw_only(),
           py::arg("samples") = py::none(), py::arg("seed") = py::none(), py::arg("threads") = 0,
           py::arg("model") = py::none(), py::arg("selection") = py::none(),
           py::arg("set") = std::vector<std::string>{},
           py::arg("with_") = std::vector<std::string>{},
           py::arg("without") = std::vector<std::string>{},
           "Runs the scenario over a grid as `parley sweep` does: `vary` holds one or two "
           "NAME=LOW:HIGH:STEPS strings. Returns the JSON result as a dict.")
      .def("sensitivity", &Scenario::Sensitivity, py::kw_only(), py::arg("method") = "sobol",
           py::arg("samples") = py::none(), py::arg("seed") = py::none(), py::arg("threads") = 0,
           py::arg("model") = py::none(), py::arg("selection") = py::none(),
           py::arg("set") = std::vector<std::string>{},
           py::arg("with_") = std::vector<std::string>{},
           py::arg("without") = std::vector<std::string>{},
           "Global sensitivity as `parley sensitivity` computes it (method 'sobol' or "
           "'morris'; samples: base rows or trajectories). Returns the JSON result as a dict.");

  m.def("solve", &parley::Solve, py::arg("file"), py::kw_only(), py::arg("method") = py::none(),
        py::arg("lambda_") = py::none(), py::arg("sample") = py::none(),
        py::arg("seed") = py::none(),
        "The equilibria of one game as `parley solve --json` gives them: a scenario file (its "
        "mean game, or sample `sample` of seed `seed`) or a Gambit .nfg/.efg file.");

  m.def("compare", &parley::Compare, py::arg("files"), py::arg("models"), py::kw_only(),
        py::arg("samples") = py::none(), py::arg("seed") = py::none(), py::arg("threads") = 0,
        py::arg("selection") = py::none(), py::arg("set") = std::vector<std::string>{},
        py::arg("with_") = std::vector<std::string>{},
        py::arg("without") = std::vector<std::string>{},
        "Several models on the same sampled games of each scenario file, as `parley compare "
        "FILE... --models ...` (models: a list, each as --model takes it). Returns the JSON "
        "result as a dict.");
  m.def("score", &parley::Score, py::arg("files"), py::kw_only(),
        py::arg("models") = std::vector<std::string>{}, py::arg("samples") = py::none(),
        py::arg("seed") = py::none(), py::arg("threads") = 0, py::arg("bins") = 5,
        "Forecasts scored against the `observed` outcomes of historical episodes, as `parley "
        "score FILE...` (models: default each file's own). Returns the JSON result as a dict.");
  m.def(
      "load",
      [](const std::string& path) {
        return Scenario(parley::ValueOrRaise(parley::LoadScenarioFile(path)));
      },
      py::arg("path"), "Loads and validates a scenario file.");
  m.def(
      "loads",
      [](const std::string& text, const std::string& name) {
        return Scenario(parley::ValueOrRaise(parley::LoadScenarioString(text, name)));
      },
      py::arg("text"), py::arg("name") = "<string>",
      "Loads and validates a scenario from YAML text; messages name the text `name`.");
}
