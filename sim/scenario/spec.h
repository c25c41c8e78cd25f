// ScenarioSpec: a scenario file as plain data, after validation. Every element
// keeps the place it came from so later checks can point back into the file.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/distribution.h"

namespace parley {

struct SourceLoc {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  std::string ToString() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

// Set on a value that an override replaced (`--set`, sweeps; see
// sim/scenario/overrides.h). `original` is what the file gave (a constant 0
// for a parameter reference, which draws nothing): the entry keeps consuming
// its draws so that no other entry's random numbers move, and a random new
// value is drawn from its own substream `stream` instead.
struct OverrideSpec {
  Distribution original = Distribution::Constant(0.0);
  uint32_t stream = 0;
};

// A payoff value: a constant or distribution, or `scale` times a named parameter.
struct ValueSpec {
  Distribution distribution = Distribution::Constant(0.0);
  int parameter = -1;  // index into ScenarioSpec::parameters, or -1
  double scale = 1.0;
  SourceLoc loc;
  std::optional<OverrideSpec> overridden;
};

struct ActorSpec {
  std::string id;
  std::string name;
  std::vector<std::string> options;
  std::vector<std::string> option_labels;  // same length as options
  SourceLoc loc;
  // The option the actor's naive (level-0) play is anchored on, its public
  // position; -1 when not given (level 0 then plays uniformly).
  int anchor = -1;
  SourceLoc anchor_loc;
};

struct ParameterSpec {
  std::string id;
  std::string description;
  Distribution value = Distribution::Constant(0.0);
  SourceLoc loc;
  std::optional<OverrideSpec> overridden;
};

// A conjunction over the game's move variables: actors in a normal-form
// scenario, stages in a sequential one. allowed[variable][option]; an empty
// inner vector means the variable is unconstrained. A history gives -1 for a
// stage that was not played, which no constraint on that stage matches.
struct Condition {
  std::vector<std::vector<bool>> allowed;
  // The constrained variables (non-empty `allowed`), in order; Matches looks
  // only at these (a condition names a few of a long sequence's stages, and
  // every rule is matched against every cell). When empty while `allowed`
  // is not, Matches checks every variable.
  std::vector<int32_t> constrained;
  bool Matches(const std::vector<int>& profile) const;
};

// A set of profiles: any of the conditions, or every profile (`otherwise`).
struct ProfileRule {
  std::vector<Condition> any_of;
  bool otherwise = false;
  bool Matches(const std::vector<int>& profile) const;
};

struct OutcomeSpec {
  std::string id;
  std::string label;
  std::string description;
  ProfileRule rule;
  SourceLoc loc;
};

struct ModifierSpec {
  std::string note;
  ProfileRule rule;
  std::vector<std::pair<int, ValueSpec>> add;  // actor index -> shift
  SourceLoc loc;
};

struct EffectSpec {
  enum class Target {
    kOutcomePayoff,  // payoffs[outcome][actor] += add
    kProfilePayoff,  // payoff of `actor` in profiles matching `rule` += add
    kParameter,      // parameters[parameter] += add
  };
  Target target = Target::kOutcomePayoff;
  int outcome = -1;
  int actor = -1;
  int parameter = -1;
  ProfileRule rule;
  ValueSpec add;
  SourceLoc loc;
};

struct ArgumentSpec {
  std::string id;
  std::string analyst;
  std::string claim;
  std::string source;
  double credence = 1.0;
  std::vector<EffectSpec> effects;
  SourceLoc loc;
};

// Arguments that share a worldview hold or fail together: a Gaussian copula
// on the holds, with the credences as marginals (sim/scenario/copula.h).
// A factor gives each argument it names a loading in [-1, 1]; two arguments'
// latent correlation is the sum over factors of their loadings' products.
struct FactorSpec {
  std::string id;
  std::string description;
  std::vector<std::pair<int, double>> loadings;  // argument index -> loading
  std::vector<SourceLoc> loading_locs;           // where each loading was given
  SourceLoc loc;
};

// A pairwise correlation of two arguments' latent variables, in [-1, 1]; it
// replaces whatever the factors give that pair.
struct CorrelationSpec {
  int first = -1;  // argument indices, first < second
  int second = -1;
  double rho = 0.0;
  SourceLoc loc;  // the value
};

// One move of a sequential scenario: an actor's decision or a chance draw.
struct StageSpec {
  std::string id;
  int actor = -1;  // -1: a chance stage
  std::vector<std::string> options;
  std::vector<std::string> option_labels;
  // Chance stages: the probability of each option; `rest_option` (or -1)
  // takes 1 minus the others.
  std::vector<ValueSpec> probabilities;
  int rest_option = -1;
  // The stage is played only in histories matching `when` (over earlier
  // stages); always when it is empty.
  ProfileRule when;
  bool has_when = false;
  // Earlier stages whose moves the mover does not see (information sets).
  std::vector<int> unobserved;
  SourceLoc loc;
};

// A declared threat: at `stage`, in histories matching `condition`, the
// stage's actor would play `action`. Credible when carrying it out is optimal
// in every such subgame.
struct ThreatSpec {
  std::string id;
  std::string claim;
  int stage = -1;
  ProfileRule condition;  // `if`; empty any_of and !otherwise: always
  bool has_condition = false;
  int action = -1;
  SourceLoc loc;
};

// One parameter given with the model (`simulation.model: {name: qre,
// lambda: 2}`, `--set model.lambda=2`). The scenario layer does not know which
// parameters a model declares: the model layer checks names, types and ranges.
struct ModelParameterSetting {
  std::string name;   // "lambda"
  std::string value;  // the scalar as written: "2", "alternating"
  SourceLoc loc;      // where the value was given; empty for --set and sweeps
};

// What actually happened (`observed`), for back-testing a scenario's
// forecast against history (`parley score`, sim/mc/scoring.h).
struct ObservedSpec {
  int outcome = -1;       // index into ScenarioSpec::outcomes
  std::string date;       // ISO 8601 calendar date, YYYY-MM-DD
  std::string source;     // where the outcome is documented: text or a URL
  std::string note;       // optional
  SourceLoc loc;          // the `observed` mapping
  SourceLoc outcome_loc;  // its `outcome` value
};

// Multi-round negotiations (`rounds`): the scenario's game is played round
// after round until an outcome that ends the negotiation, a state bound, or
// the round limit. State variables are parameters too (`parameter`), so
// payoffs, modifiers and effects use them by name; their value moves after
// each round that continues the negotiation.
struct StateVariableSpec {
  std::string id;
  std::string description;
  int parameter = -1;  // index into ScenarioSpec::parameters
  // Per continuing outcome (index into ScenarioSpec::outcomes): the change
  // after a round that ends in it, drawn anew each round.
  std::vector<std::pair<int, Distribution>> changes;
  // Reaching a bound (value <= at_most, or >= at_least) ends the
  // negotiation in `outcome` at the round whose change reached it.
  struct Bound {
    bool upper = false;
    double value = 0.0;
    int outcome = -1;
    SourceLoc loc;
  };
  std::vector<Bound> bounds;
  SourceLoc loc;
};

enum class Foresight { kMyopic, kForwardLooking };
// Whether learning models (fictitious-play, replicator) start each round
// afresh or go on from where the last round left them.
enum class RoundsLearning { kFresh, kCarried };
// Why carried learning and forward-looking actors do not go together (the
// loader's and the run's message).
inline constexpr std::string_view kCarriedNeedsMyopic =
    "learning carried from round to round needs myopic actors: forward-looking ones solve the "
    "rounds backwards from the last, while learning runs forwards from the first; use "
    "foresight myopic or learning fresh";

struct RoundsSpec {
  int max_rounds = 1;
  std::vector<bool> continues;   // per outcome: leads to another round
  std::vector<double> discount;  // per actor, in (0, 1]
  Foresight foresight = Foresight::kMyopic;
  RoundsLearning learning = RoundsLearning::kFresh;
  std::vector<StateVariableSpec> state;
  SourceLoc loc;            // the `rounds` mapping
  SourceLoc foresight_loc;  // where `foresight` was given (or `rounds`)
  SourceLoc learning_loc;   // where `learning` was given (or `rounds`)
};

struct SimulationSpec {
  using ModelParameterSetting = ::parley::ModelParameterSetting;
  int64_t samples = 10000;
  uint64_t seed = 1;
  std::string model = "nash-pure";
  // The model's parameters, in the order given; a variant (`extends`) that
  // sets `model` replaces the base's model and all of its parameters.
  std::vector<ModelParameterSetting> model_parameters;
  std::string selection = "uniform";
  SourceLoc model_loc;      // where `model` (its name) was set, for messages
  SourceLoc selection_loc;  // where `selection` was set
};

struct ScenarioSpec {
  std::string path;
  // The files the scenario was read from: `path` first, then the file it
  // `extends`, and so on, as the loader resolved them.
  std::vector<std::string> extends_chain;
  std::string name;
  std::string description;
  std::vector<ActorSpec> actors;
  std::vector<ParameterSpec> parameters;
  std::vector<OutcomeSpec> outcomes;
  std::vector<std::vector<ValueSpec>> payoffs;  // [outcome][actor]
  std::vector<ModifierSpec> modifiers;
  std::vector<ArgumentSpec> arguments;
  std::vector<FactorSpec> factors;            // `factors`
  std::vector<CorrelationSpec> correlations;  // `correlations`
  std::vector<StageSpec> stages;              // empty: a normal-form scenario
  std::vector<ThreatSpec> threats;
  std::optional<ObservedSpec> observed;  // `observed`
  std::optional<RoundsSpec> rounds;      // `rounds`: a multi-round negotiation
  SimulationSpec simulation;

  bool sequential() const { return !stages.empty(); }
  // Whether some arguments' holds are correlated (`factors`, `correlations`).
  bool correlated() const { return !factors.empty() || !correlations.empty(); }

  int FindActor(const std::string& id) const;
  int FindOutcome(const std::string& id) const;
  int FindArgument(const std::string& id) const;
  int FindStage(const std::string& id) const;
  int64_t NumProfiles() const;  // saturates at INT64_MAX

  // Sequential scenarios: true when no stage hides an earlier move.
  bool perfect_information() const;

  // Sequential scenarios: walks the game tree in preorder. `on_node` gets the
  // stage that moves at a node (-1 at a terminal history), the parent's
  // number (-1 at the root), the action taken there, and the history so far
  // (one entry per stage, -1 for stages not played); it returns the node's
  // number. With `share_subgames`, a history that leaves exactly the same
  // game ahead as an earlier one (the same stages to come, and every `when`
  // of outcomes, modifiers, effects, stages and threats decided the same
  // way) is not walked again: `on_shared(parent, action, node)` links it to
  // the earlier node instead, so the walk builds a DAG. Returns false,
  // having stopped, when there are more than `max_nodes` nodes.
  using NodeVisitor =
      std::function<int(int stage, int parent, int action, const std::vector<int>& history)>;
  using SharedVisitor = std::function<void(int parent, int action, int node)>;
  bool WalkSequence(int64_t max_nodes, const NodeVisitor& on_node) const {
    return WalkSequence(max_nodes, false, on_node, {});
  }
  bool WalkSequence(int64_t max_nodes, bool share_subgames, const NodeVisitor& on_node,
                    const SharedVisitor& on_shared) const;
};

}  // namespace parley
