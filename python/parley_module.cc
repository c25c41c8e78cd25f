// The `parley` Python module: load and inspect scenarios and run them, with
// the CLI's options and the CLI's results bit for bit (a run's result is
// the dict of `parley run --json`), per-sample data as numpy arrays, errors
// as parley.ParleyError carrying the message with its FILE:LINE:COL. Runs
// release the GIL and stop at Ctrl-C (KeyboardInterrupt). Everything goes
// through the application layer (sim/app), as the CLI does.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/app/sampling.h"
#include "sim/mc/runner.h"
#include "sim/report/provenance.h"
#include "sim/report/report.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/overrides.h"
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

// A loaded scenario: what `parley params` and `parley validate` show, and
// runs with the flags of `parley run`.
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
                 std::vector<std::string> without, bool per_sample) const {
    SamplingRequest request;
    request.specs = {spec_};
    request.samples = samples;
    request.seed = seed;
    request.threads = threads;
    request.model = std::move(model);
    request.selection = std::move(selection);
    request.set = std::move(set);
    request.with = std::move(with);
    request.without = std::move(without);
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
    nlohmann::ordered_json doc = ToJson(summary);
    AddProvenanceJson(scenario.provenance, doc);
    py::dict out = ToPython(doc);
    if (per_sample) {
      py::dict arrays;
      auto array = [](std::vector<double>& v, int64_t rows, int64_t cols) {
        return py::array_t<double>({rows, cols}, v.data());
      };
      arrays["draws"] = array(draws, n, game.num_draws());
      arrays["held"] =
          py::array_t<uint8_t>({n, static_cast<int64_t>(game.num_arguments())}, holds.data());
      arrays["outcomes"] = array(slot_values, n, slots);
      if (option_slots > 0) arrays["play"] = array(option_values, n, option_slots);
      if (!rounds.empty()) arrays["rounds"] = py::array_t<double>(n, rounds.data());
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
    return std::move(out);
  }

 private:
  ScenarioSpec spec_;
};

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
           "Samples the scenario as `parley run` does and returns its JSON result as a dict. "
           "`set` takes NAME=VALUE strings, `model` 'qre' or 'qre:lambda=2', `with_` and "
           "`without` argument ids. per_sample=True adds result['per_sample']: numpy arrays "
           "with one row per sample (draws, held, outcomes, play, rounds) and their column "
           "names.");

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
