#include "sim/app/sampling.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "sim/scenario/loader.h"
#include "sim/scenario/overrides.h"
#include "sim/solve/subgame_perfect.h"

namespace parley {
namespace {

// Writes the request's model choice into `spec` (see the precedence in the
// header); `--set` comes after, from ApplySettings.
void ApplyModelChoice(const ModelRequest* flag_model, const std::optional<double>& lambda,
                      ScenarioSpec& spec) {
  SimulationSpec& sim = spec.simulation;
  if (flag_model != nullptr) {
    if (flag_model->name != sim.model) sim.model_parameters.clear();
    sim.model = flag_model->name;
    for (const ParameterSetting& p : flag_model->parameters) {
      sim.model_parameters.push_back({p.name, p.value, SourceLoc{}});
    }
  }
  if (lambda) sim.model_parameters.push_back({"lambda", ShortestText(*lambda), SourceLoc{}});
}

// The model's compatibility with the scenario's kind of game, with the
// message naming where the model was chosen.
Status CheckModelFits(const ScenarioSpec& spec, const ModelInfo& model, bool from_flag) {
  const bool sequential = spec.sequential();
  if (sequential ? model.sequential : model.normal_form) return OkStatus();
  const std::string msg =
      "model '" + model.name + "' solves " +
      (sequential ? "normal-form games, but this scenario is sequential (it has a `sequence`); "
                    "use the spe model"
                  : "sequential games, but this scenario has no `sequence`; see `parley models`");
  return InvalidArgument(from_flag ? "--model: " + msg
                                   : spec.simulation.model_loc.ToString() + ": error: " + msg);
}

// The model the scenario names, after --model; the message names the flag
// or the scenario's line.
StatusOr<const ModelInfo*> FindModel(const ScenarioSpec& spec, bool from_flag) {
  auto found = ModelRegistry::Find(spec.simulation.model);
  if (found.ok()) return found;
  return InvalidArgument(from_flag ? "--model: " + found.status().message()
                                   : spec.simulation.model_loc.ToString() +
                                         ": error: " + found.status().message());
}

bool Declares(const ModelInfo& model, std::string_view parameter) {
  for (const auto& d : model.parameters) {
    if (d.name == parameter) return true;
  }
  return false;
}

StatusOr<Selection> ResolveSelection(const std::optional<std::string>& flag,
                                     const SimulationSpec& sim) {
  auto rule = SelectionFromName(flag.value_or(sim.selection));
  if (rule.ok()) return *rule;
  std::string names;
  for (auto n : SelectionNames()) names += (names.empty() ? "" : ", ") + std::string(n);
  const std::string msg = rule.status().message() + " (rules: " + names + ")";
  return InvalidArgument(flag ? "--selection: " + msg
                              : sim.selection_loc.ToString() + ": error: " + msg);
}

StatusOr<std::vector<ArgumentMode>> ForcedArguments(const ScenarioSpec& spec,
                                                    const std::vector<std::string>& with,
                                                    const std::vector<std::string>& without) {
  std::vector<ArgumentMode> modes(spec.arguments.size(), ArgumentMode::kDrawn);
  std::vector<std::string> ids;
  for (const auto& a : spec.arguments) ids.push_back(a.id);
  auto force = [&](const std::vector<std::string>& list, ArgumentMode mode,
                   const char* flag) -> Status {
    for (const std::string& id : list) {
      const int g = spec.FindArgument(id);
      if (g < 0) {
        std::string msg = std::string(flag) + ": the scenario has no argument '" + id + "'";
        const std::string guess = DidYouMean(id, ids);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        return InvalidArgument(msg + (ids.empty() ? " (it has no arguments)" : ""));
      }
      if (modes[g] != ArgumentMode::kDrawn && modes[g] != mode) {
        return InvalidArgument("argument '" + id + "' is given to both --with and --without");
      }
      modes[g] = mode;
    }
    return OkStatus();
  };
  PARLEY_RETURN_IF_ERROR(force(with, ArgumentMode::kForcedOn, "--with"));
  PARLEY_RETURN_IF_ERROR(force(without, ArgumentMode::kForcedOff, "--without"));
  return modes;
}

Provenance MakeProvenance(const SamplingRequest& request, const ScenarioSpec& spec,
                          const Model& model) {
  Provenance p;
  p.model = std::string(model.name());
  p.selection = std::string(SelectionName(model.selection()));
  const ModelParameters& parameters = model.parameters();
  for (size_t i = 0; i < parameters.decls().size(); ++i) {
    const ParameterDecl& d = parameters.decls()[i];
    const ModelParameters::Value& v = parameters.values()[i];
    nlohmann::ordered_json value = v.number;
    if (d.kind == ParameterDecl::Kind::kInteger) value = static_cast<int64_t>(v.number);
    if (d.kind == ParameterDecl::Kind::kChoice) value = v.choice;
    p.model_parameters.emplace_back(d.name, std::move(value));
  }
  p.set = request.set;
  p.with = request.with;
  p.without = request.without;
  if (spec.extends_chain.size() > 1) p.extends = spec.extends_chain;
  if (auto copula = BuildArgumentCopula(spec); copula.ok()) {
    for (const int g : copula->members) p.correlated_arguments.push_back(spec.arguments[g].id);
    for (const auto& f : spec.factors) p.factors.push_back(f.id);
    p.correlations = static_cast<int>(spec.correlations.size());
  }
  p.rounds = DescribeRounds(spec);
  return p;
}

}  // namespace

std::string DescribeRounds(const ScenarioSpec& spec, bool max_swept) {
  if (!spec.rounds) return "";
  return fmt::format("{}, {} actors{}",
                     max_swept ? std::string("up to rounds.max at each point")
                               : fmt::format("up to {}", spec.rounds->max_rounds),
                     spec.rounds->foresight == Foresight::kMyopic ? "myopic" : "forward-looking",
                     spec.rounds->learning == RoundsLearning::kCarried
                         ? ", learning carried from round to round"
                         : "");
}

StatusOr<std::unique_ptr<Model>> ModelForScenario(const ScenarioSpec& spec, Selection selection) {
  const SimulationSpec& sim = spec.simulation;
  ModelRequest request{sim.model, {}, selection};
  // Level-0 anchors, only when the scenario gives one (most do not).
  for (const ActorSpec& a : spec.actors) {
    if (a.anchor >= 0) {
      for (const ActorSpec& b : spec.actors) request.anchors.push_back(b.anchor);
      break;
    }
  }
  for (const auto& p : sim.model_parameters) {
    request.parameters.push_back(
        {p.name, p.value, p.loc.line > 0 ? p.loc.ToString() + ": error" : "--set model." + p.name});
  }
  return ModelRegistry::Make(request);
}

StatusOr<PreparedSampling> PrepareSampling(const SamplingRequest& request, bool compile) {
  std::optional<ModelRequest> flag_model;
  if (request.model) {
    PARLEY_ASSIGN_OR_RETURN(flag_model, ParseModelRequest(*request.model, "--model"));
    // Checked here, so that messages name the flag rather than a scenario.
    auto info = ModelRegistry::Find(flag_model->name);
    if (!info.ok()) return InvalidArgument("--model: " + info.status().message());
    auto checked = ResolveParameters((*info)->name, (*info)->parameters, flag_model->parameters);
    if (!checked.ok()) return checked.status();
  }
  PreparedSampling out;
  const size_t count = request.specs.empty() ? request.files.size() : request.specs.size();
  if (count == 0) return InvalidArgument("no scenario to sample");
  for (size_t k = 0; k < count; ++k) {
    PreparedScenario s;
    if (request.specs.empty()) {
      PARLEY_ASSIGN_OR_RETURN(s.spec, LoadScenarioFile(request.files[k]));
    } else {
      s.spec = request.specs[k];
    }
    const std::string& file = s.spec.path;
    ApplyModelChoice(flag_model ? &*flag_model : nullptr, request.lambda, s.spec);
    PARLEY_RETURN_IF_ERROR(ApplySettings(s.spec, request.set));
    PARLEY_ASSIGN_OR_RETURN(const ModelInfo* info, FindModel(s.spec, request.model.has_value()));
    PARLEY_RETURN_IF_ERROR(CheckModelFits(s.spec, *info, request.model.has_value()));
    if (request.lambda && !Declares(*info, "lambda")) {
      return InvalidArgument("--lambda: model '" + info->name +
                             "' has no parameter lambda (see `parley models`)");
    }
    PARLEY_ASSIGN_OR_RETURN(const Selection selection,
                            ResolveSelection(request.selection, s.spec.simulation));
    PARLEY_ASSIGN_OR_RETURN(s.model, ModelForScenario(s.spec, selection));
    PARLEY_ASSIGN_OR_RETURN(s.modes, ForcedArguments(s.spec, request.with, request.without));
    if (compile) {
      PARLEY_ASSIGN_OR_RETURN(s.game, GameModel::Compile(s.spec, {s.modes}));
      if (s.game->sequential() && !s.game->tree().perfect_information()) {
        // Refuse reduced normal forms too large to solve before any sample runs.
        auto decomposition = SubgameDecomposition::Make(s.game->tree());
        if (!decomposition.ok()) {
          return Status(decomposition.status().code(),
                        file + ": " + decomposition.status().message());
        }
      }
    }
    s.provenance = MakeProvenance(request, s.spec, *s.model);
    out.scenarios.push_back(std::move(s));
  }
  const SimulationSpec& first = out.scenarios.front().spec.simulation;
  out.options.samples = request.samples.value_or(first.samples);
  out.options.seed = request.seed.value_or(first.seed);
  out.options.threads = request.threads;
  return out;
}

std::vector<SweepableName> ListSweepableNames(const ScenarioSpec& spec) {
  std::vector<SweepableName> names = ListSweepable(spec);
  auto info = ModelRegistry::Find(spec.simulation.model);
  if (!info.ok()) return names;
  auto model = ModelForScenario(spec, Selection::kUniform);
  for (size_t i = 0; i < (*info)->parameters.size(); ++i) {
    const ParameterDecl& d = (*info)->parameters[i];
    const std::string name = "model." + d.name;
    auto it = std::find_if(names.begin(), names.end(),
                           [&](const SweepableName& n) { return n.name == name; });
    if (it == names.end()) {
      SweepableName entry;
      entry.name = name;
      entry.kind = SweepableName::Kind::kModel;
      entry.loc = spec.simulation.model_loc;
      it = names.insert(names.end(), std::move(entry));
    }
    if (model.ok()) {
      it->value = (*model)->parameters().Text(i);
      it->mean = (*model)->parameters().values()[i].number;
    }
    it->note = d.doc + " (" + d.RangeText() + ")";
  }
  return names;
}

RunSummary SummarizeRun(const PreparedScenario& scenario, const RunOptions& options,
                        const RunResult& result) {
  // A negotiation's rounds with chance moves end in fractions of a sample
  // even under a pure model: its counts are not whole.
  const bool chance_rounds = scenario.spec.rounds && scenario.game && scenario.game->sequential() &&
                             scenario.game->tree().num_probabilities() > 0;
  RunSummary s = Summarize(scenario.spec, scenario.modes, result.totals,
                           scenario.model->pure() && !chance_rounds,
                           scenario.game ? &*scenario.game : nullptr);
  DescribeModel(*scenario.model, s);
  s.seed = options.seed;
  s.threads = result.threads_used;
  s.sampling_seconds = result.seconds;
  s.seconds = result.seconds;
  return s;
}

StatusOr<Comparison> RunComparison(const PreparedSampling& prepared) {
  Comparison comparison;
  const RunOptions& options = prepared.options;
  // The first scenario's samples stay while each later one runs: pairs are
  // formed by outcome id, so each run keeps its own slots.
  int max_slots = 0;
  for (const PreparedScenario& scenario : prepared.scenarios) {
    max_slots = std::max(max_slots, scenario.game->num_outcomes() + 1);
  }
  comparison.paired_bytes = PairedBytes(options.samples, max_slots);
  comparison.paired = comparison.paired_bytes <= kPairedMaxBytes;
  std::vector<double> base, other;
  for (size_t i = 0; i < prepared.scenarios.size(); ++i) {
    const PreparedScenario& scenario = prepared.scenarios[i];
    const int slots = scenario.game->num_outcomes() + 1;
    std::vector<double>& samples = i == 0 ? base : other;
    RunControl control;
    if (comparison.paired) {
      samples.assign(static_cast<size_t>(options.samples) * slots, 0.0);
      control.sample_slots = samples.data();
    }
    auto result = RunMonteCarlo(*scenario.game, *scenario.model, options, control);
    if (!result.ok()) return result.status();
    comparison.runs.push_back(SummarizeRun(scenario, options, *result));
    comparison.differences.emplace_back();
    if (!comparison.paired || i == 0) continue;
    // Both runs' slots side by side for the outcome ids they share.
    const RunSummary& first = comparison.runs.front();
    const RunSummary& run = comparison.runs.back();
    const int base_slots = static_cast<int>(first.outcomes.size()) + 1;
    std::vector<std::pair<int, int>> pairs;  // (slot in the first, slot in this run)
    for (size_t k = 0; k < run.outcomes.size(); ++k) {
      for (size_t j = 0; j < first.outcomes.size(); ++j) {
        if (first.outcomes[j].id == run.outcomes[k].id) {
          pairs.emplace_back(static_cast<int>(j), static_cast<int>(k));
        }
      }
    }
    pairs.emplace_back(base_slots - 1, slots - 1);  // unresolved
    for (size_t k = 0; k < pairs.size(); ++k) {
      comparison.differences.back().push_back(
          {k + 1 == pairs.size() ? "unresolved" : run.outcomes[pairs[k].second].id,
           PairedDifferenceOf(base.data() + pairs[k].first, base_slots,
                              other.data() + pairs[k].second, slots, options.samples)});
    }
  }
  return comparison;
}

StatusOr<std::vector<std::string>> SplitModelList(const std::string& text) {
  std::vector<std::string> models;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string piece =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (piece.empty()) {
      return InvalidArgument("--models: an empty model name in '" + text +
                             "' (models are separated by commas: nash-pure,qre:lambda=2)");
    }
    if (piece.find('=') != std::string::npos && piece.find(':') == std::string::npos) {
      if (models.empty()) {
        return InvalidArgument("--models: the parameter '" + piece +
                               "' comes before any model (write MODEL:" + piece + ")");
      }
      models.back() += "," + piece;
    } else {
      models.push_back(piece);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return models;
}

}  // namespace parley
