#include "sim/scenario/game_model.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <map>
#include <optional>

namespace parley {
// Compile's working types (named, not anonymous: GameModel::CompileState,
// which has external linkage, holds them).
namespace game_model_internal {

// A linear expression in atoms (drawn values) and parameters.
struct Form {
  double constant = 0.0;
  std::vector<std::pair<int, double>> atoms;
  std::vector<std::pair<int, double>> parameters;

  void Add(const Form& other, double scale = 1.0) {
    constant += scale * other.constant;
    for (auto [i, c] : other.atoms) atoms.emplace_back(i, scale * c);
    for (auto [i, c] : other.parameters) parameters.emplace_back(i, scale * c);
  }
};

// Larger game trees are refused (the loader refuses them first, with the
// file's position).
constexpr int64_t kMaxTreeNodes = int64_t{1} << 22;

// Runs of at least this many normal draws are drawn in bulk: shorter ones
// (Istanbul has two runs of 2) gain nothing from it.
constexpr int kMinNormalRun = 8;

// A payoff shift that applies to the profiles matching a rule.
struct ProfileShift {
  const ProfileRule* rule;
  int actor;
  Form form;
};

}  // namespace game_model_internal

using game_model_internal::Form;
using game_model_internal::kMaxTreeNodes;
using game_model_internal::kMinNormalRun;
using game_model_internal::ProfileShift;

struct GameModel::CompileState {
  CompileState(const ScenarioSpec& s, GameModel& m) : spec(s), model(m) {}

  // The form of one value of the file: a constant when it draws nothing,
  // else a new atom (appended to the model's atoms and draw steps).
  Form AtomForm(const Distribution& d, int gate, std::string name,
                const std::optional<OverrideSpec>& ov = {}) {
    Form f;
    // An override of a value that drew nothing, by a constant, draws nothing.
    if (!d.is_random() && gate < 0 && (!ov || !ov->original.is_random())) {
      f.constant = d.Mean();
      return f;
    }
    Atom a{d, gate};
    if (ov) {
      a.overridden = true;
      a.original = ov->original;
      a.original_units = ov->original.FixedUnits();
      a.stream = ov->stream;
    }
    model.atoms_.push_back(a);
    model.steps_.push_back({false, static_cast<int>(model.atoms_.size()) - 1});
    model.step_names_.push_back(std::move(name));
    f.atoms.emplace_back(static_cast<int>(model.atoms_.size()) - 1, 1.0);
    return f;
  }
  Form ValueForm(const ValueSpec& v, int gate, std::string name) {
    if (v.parameter >= 0) {
      Form f;
      f.parameters.emplace_back(v.parameter, v.scale);
      return f;
    }
    return AtomForm(v.distribution, gate, std::move(name), v.overridden);
  }

  // The payoff class of a cell (a profile or a terminal history): cells with
  // the same outcome and the same matching shifts have the same payoff row.
  StatusOr<int32_t> Classify(const std::vector<int>& cell) {
    key.clear();
    int outcome = -1;
    for (size_t o = 0; o < spec.outcomes.size() && outcome < 0; ++o) {
      if (spec.outcomes[o].rule.Matches(cell)) outcome = static_cast<int>(o);
    }
    if (outcome < 0) return Internal("a cell matches no outcome (the loader should refuse this)");
    key.push_back(outcome);
    for (size_t s = 0; s < shifts.size(); ++s) {
      if (shifts[s].rule->Matches(cell)) key.push_back(static_cast<int>(s));
    }
    auto [it, inserted] = class_ids.emplace(key, static_cast<int32_t>(class_keys.size()));
    if (inserted) class_keys.push_back(key);
    return it->second;
  }

  const ScenarioSpec& spec;
  GameModel& model;
  std::vector<Form> parameter_forms;            // per parameter
  std::vector<std::vector<Form>> payoff_forms;  // [outcome][actor]
  std::vector<ProfileShift> shifts;             // modifiers, then profile effects
  // Chance probabilities, stage by stage; chance_offset[stage] is the
  // stage's first (-1 for an actor's stage).
  std::vector<Form> probability_forms;
  std::vector<int> chance_offset;
  // Payoff classes: key (outcome, matching shifts) -> class, and back.
  std::map<std::vector<int>, int32_t> class_ids;
  std::vector<std::vector<int>> class_keys;
  std::vector<int> key;  // scratch for Classify
};

StatusOr<GameModel> GameModel::Compile(const ScenarioSpec& spec, const CompileOptions& options) {
  GameModel m;
  PARLEY_RETURN_IF_ERROR(m.SetUpPlayers(spec, options));
  CompileState state(spec, m);
  // Atoms in draw order: parameters, payoffs, modifiers, chance
  // probabilities, then each argument's gate followed by its effects.
  m.AddValueAtoms(state);
  m.AddChanceAtoms(state);
  m.AddArgumentAtoms(state);
  m.FindNormalRuns();
  for (size_t i = 0; i < m.atoms_.size(); ++i) {
    const int gate = m.atoms_[i].gate;
    if (gate >= 0 && !m.copula_.empty() && m.copula_.member_of(gate) >= 0) {
      m.correlated_atoms_.push_back(static_cast<int32_t>(i));
    }
  }
  PARLEY_RETURN_IF_ERROR(m.sequential_ ? m.BuildTree(state) : m.ClassifyProfiles(state));
  m.BuildLinearMap(state);
  return m;
}

Status GameModel::SetUpPlayers(const ScenarioSpec& spec, const CompileOptions& options) {
  std::vector<int> counts;
  sequential_ = spec.sequential();
  for (const auto& a : spec.actors) {
    counts.push_back(sequential_ ? 1 : static_cast<int>(a.options.size()));
  }
  PARLEY_ASSIGN_OR_RETURN(space_, ProfileSpace::Make(counts, std::numeric_limits<int32_t>::max()));
  num_outcomes_ = static_cast<int>(spec.outcomes.size());
  num_players_ = static_cast<int>(spec.actors.size());
  argument_modes_ = options.argument_modes;
  argument_modes_.resize(spec.arguments.size(), ArgumentMode::kDrawn);
  for (const auto& arg : spec.arguments) credences_.push_back(arg.credence);
  if (!options.independent_holds) {
    PARLEY_ASSIGN_OR_RETURN(ArgumentCopula copula, BuildArgumentCopula(spec));
    PARLEY_ASSIGN_OR_RETURN(copula_, HoldsCopula::Make(spec, std::move(copula), argument_modes_));
  }
  return OkStatus();
}

void GameModel::AddValueAtoms(CompileState& state) {
  const ScenarioSpec& spec = state.spec;
  for (const auto& p : spec.parameters) {
    state.parameter_forms.push_back(state.AtomForm(p.value, -1, "param." + p.id, p.overridden));
  }
  state.payoff_forms.assign(spec.outcomes.size(), std::vector<Form>(num_players_));
  for (size_t o = 0; o < spec.outcomes.size(); ++o) {
    for (int a = 0; a < num_players_; ++a) {
      state.payoff_forms[o][a] = state.ValueForm(
          spec.payoffs[o][a], -1, "payoff." + spec.outcomes[o].id + "." + spec.actors[a].id);
    }
  }
  for (size_t n = 0; n < spec.modifiers.size(); ++n) {
    const ModifierSpec& mod = spec.modifiers[n];
    for (const auto& [actor, v] : mod.add) {
      state.shifts.push_back(
          {&mod.rule, actor,
           state.ValueForm(v, -1,
                           "modifier." + std::to_string(n + 1) + "." + spec.actors[actor].id)});
    }
  }
}

void GameModel::AddChanceAtoms(CompileState& state) {
  // Chance probabilities, stage by stage: drawn or fixed, the `rest` option
  // taking 1 minus the others (still linear in the draws).
  const ScenarioSpec& spec = state.spec;
  std::vector<Form>& forms = state.probability_forms;
  state.chance_offset.assign(spec.stages.size(), -1);
  for (size_t k = 0; k < spec.stages.size(); ++k) {
    const StageSpec& st = spec.stages[k];
    if (st.actor >= 0) continue;
    state.chance_offset[k] = static_cast<int>(forms.size());
    Form rest;
    rest.constant = 1.0;
    for (size_t o = 0; o < st.options.size(); ++o) {
      if (static_cast<int>(o) == st.rest_option) {
        forms.emplace_back();
        continue;
      }
      forms.push_back(
          state.ValueForm(st.probabilities[o], -1, "chance." + st.id + "." + st.options[o]));
      rest.Add(forms.back(), -1.0);
    }
    if (st.rest_option >= 0) forms[state.chance_offset[k] + st.rest_option] = rest;
  }
}

void GameModel::AddArgumentAtoms(CompileState& state) {
  const ScenarioSpec& spec = state.spec;
  for (size_t g = 0; g < spec.arguments.size(); ++g) {
    const int gate = static_cast<int>(g);
    steps_.push_back({true, gate});
    step_names_.push_back("argument." + spec.arguments[g].id);
    const auto& effects = spec.arguments[g].effects;
    for (size_t n = 0; n < effects.size(); ++n) {
      const EffectSpec& e = effects[n];
      Form f = state.ValueForm(e.add, gate,
                               "effect." + spec.arguments[g].id + "." + std::to_string(n + 1));
      switch (e.target) {
        case EffectSpec::Target::kOutcomePayoff:
          state.payoff_forms[e.outcome][e.actor].Add(f);
          break;
        case EffectSpec::Target::kProfilePayoff:
          state.shifts.push_back({&e.rule, e.actor, std::move(f)});
          break;
        case EffectSpec::Target::kParameter:
          state.parameter_forms[e.parameter].Add(f);
          break;
      }
    }
  }
}

std::vector<int> GameModel::AddChanceSets(const CompileState& state) {
  const ScenarioSpec& spec = state.spec;
  std::vector<int> chance_set(spec.stages.size(), -1);
  for (size_t k = 0; k < spec.stages.size(); ++k) {
    const StageSpec& st = spec.stages[k];
    if (st.actor >= 0) continue;
    std::vector<double> means;
    for (size_t o = 0; o < st.options.size(); ++o) {
      const Form& f = state.probability_forms[state.chance_offset[k] + o];
      double mean = f.constant;
      for (auto [i, c] : f.atoms) mean += c * atoms_[i].distribution.Mean();
      means.push_back(mean);
    }
    chance_set[k] = tree_.AddChanceSet(st.id, st.options, std::move(means));
  }
  return chance_set;
}

Status GameModel::BuildTree(CompileState& state) {
  // The tree, in preorder; a decision node's information set is its stage
  // and what the mover has seen of the earlier stages.
  const ScenarioSpec& spec = state.spec;
  std::vector<std::string> names;
  for (const auto& a : spec.actors) names.push_back(a.id);
  tree_ = GameTree(names);
  const std::vector<int> chance_set = AddChanceSets(state);
  std::map<std::vector<int>, int> infoset_of;
  std::vector<int> seen;
  threat_nodes_.assign(spec.threats.size(), {});
  for (const auto& threat : spec.threats) threat_actions_.push_back(threat.action);
  Status failed;
  // Histories that leave the same game ahead share one node (a DAG) when
  // no stage hides earlier moves; information sets need the full tree.
  const bool fits = spec.WalkSequence(
      kMaxTreeNodes, spec.perfect_information(),
      [&](int stage, int parent, int action, const std::vector<int>& history) {
        if (!failed.ok()) return 0;
        if (stage < 0) {
          const int v = tree_.AddNode(parent, action, NodeKind::kTerminal);
          stage_of_node_.push_back(-1);
          auto c = state.Classify(history);
          if (!c.ok()) failed = c.status();
          class_of_.push_back(c.ok() ? *c : 0);
          return v;
        }
        const StageSpec& st = spec.stages[stage];
        int infoset = chance_set[stage];
        if (st.actor >= 0) {
          if (st.unobserved.empty()) {
            infoset = tree_.AddInfoSet(st.actor, st.id, st.options);
          } else {
            seen.assign(history.begin(), history.begin() + stage);
            for (int k : st.unobserved) seen[k] = -2;
            seen.push_back(stage);
            auto [it, inserted] = infoset_of.emplace(seen, -1);
            if (inserted) it->second = tree_.AddInfoSet(st.actor, st.id, st.options);
            infoset = it->second;
          }
        }
        const int v = tree_.AddNode(
            parent, action, st.actor >= 0 ? NodeKind::kDecision : NodeKind::kChance, infoset);
        stage_of_node_.push_back(stage);
        for (size_t t = 0; t < spec.threats.size(); ++t) {
          const ThreatSpec& threat = spec.threats[t];
          if (threat.stage == stage &&
              (!threat.has_condition || threat.condition.Matches(history))) {
            threat_nodes_[t].push_back(v);
          }
        }
        return v;
      },
      [&](int parent, int action, int node) { tree_.AddEdge(parent, action, node); });
  if (!fits) {
    return ResourceExhausted("the game tree has more than " + std::to_string(kMaxTreeNodes) +
                             " nodes");
  }
  PARLEY_RETURN_IF_ERROR(failed);
  PARLEY_RETURN_IF_ERROR(tree_.Finalize());
  num_cells_ = tree_.num_terminals();
  num_classes_ = static_cast<int>(state.class_keys.size());
  return OkStatus();
}

Status GameModel::ClassifyProfiles(CompileState& state) {
  const int64_t profiles = space_.num_profiles();
  num_cells_ = profiles;
  class_of_.resize(profiles);
  std::vector<int> profile(num_players_, 0);
  for (int64_t q = 0; q < profiles; ++q) {
    PARLEY_ASSIGN_OR_RETURN(class_of_[q], state.Classify(profile));
    for (int a = 0; a < num_players_ && ++profile[a] == space_.num_strategies(a); ++a) {
      profile[a] = 0;
    }
  }
  num_classes_ = static_cast<int>(state.class_keys.size());
  return OkStatus();
}

void GameModel::BuildLinearMap(const CompileState& state) {
  // The linear map from draws to table entries: each class's payoffs (its
  // outcome's, plus its shifts, with parameters expanded into their atoms),
  // then the chance probabilities.
  const int players = num_players_;
  const int64_t payoff_rows = static_cast<int64_t>(num_classes_) * players;
  const int64_t rows = payoff_rows + static_cast<int64_t>(state.probability_forms.size());
  b_ = Eigen::VectorXd::Zero(rows);
  std::vector<Eigen::Triplet<double>> triplets;
  // Per state variable (rounds), the coefficient of its parameter in each
  // table entry.
  std::vector<int> is_state(state.spec.parameters.size(), -1);
  std::vector<std::map<int32_t, double>> state_entries;
  if (state.spec.rounds) {
    for (const StateVariableSpec& v : state.spec.rounds->state) {
      is_state[v.parameter] = static_cast<int>(state_entries.size());
      state_entries.emplace_back();
    }
  }
  for (int k = 0; k < num_classes_; ++k) {
    const std::vector<int>& ck = state.class_keys[k];
    outcome_of_class_.push_back(ck[0]);
    for (int a = 0; a < players; ++a) {
      Form f = state.payoff_forms[ck[0]][a];
      for (size_t i = 1; i < ck.size(); ++i) {
        if (state.shifts[ck[i]].actor == a) f.Add(state.shifts[ck[i]].form);
      }
      for (auto [p, c] : f.parameters) {
        if (is_state[p] >= 0)
          state_entries[is_state[p]][static_cast<int32_t>(k * players + a)] += c;
        f.constant += c * state.parameter_forms[p].constant;
        for (auto [i, pc] : state.parameter_forms[p].atoms) f.atoms.emplace_back(i, c * pc);
      }
      const int64_t row = static_cast<int64_t>(k) * players + a;
      b_[row] = f.constant;
      for (auto [i, c] : f.atoms) triplets.emplace_back(row, i, c);
    }
  }
  for (size_t i = 0; i < state.probability_forms.size(); ++i) {
    Form f = state.probability_forms[i];  // no parameters: the loader refuses them here
    const int64_t row = payoff_rows + static_cast<int64_t>(i);
    b_[row] = f.constant;
    for (auto [atom_index, c] : f.atoms) triplets.emplace_back(row, atom_index, c);
  }
  if (state.spec.rounds) BuildRounds(state, state_entries);
  a_.resize(rows, static_cast<Eigen::Index>(atoms_.size()));
  a_.setFromTriplets(triplets.begin(), triplets.end());
  a_.makeCompressed();
  program_ = PayoffProgram::Build(a_, b_);
}

void GameModel::BuildRounds(const CompileState& state,
                            const std::vector<std::map<int32_t, double>>& state_entries) {
  const RoundsSpec& spec = *state.spec.rounds;
  CompiledRounds r;
  r.max_rounds = spec.max_rounds;
  r.forward_looking = spec.foresight == Foresight::kForwardLooking;
  r.carry_learning = spec.learning == RoundsLearning::kCarried;
  r.continues.assign(spec.continues.begin(), spec.continues.end());
  r.continues.push_back(0);  // unresolved ends the negotiation
  r.discount = spec.discount;
  for (size_t k = 0; k < spec.state.size(); ++k) {
    const StateVariableSpec& v = spec.state[k];
    CompiledRounds::State s;
    const Form& f = state.parameter_forms[v.parameter];
    s.constant = f.constant;
    for (auto [atom, c] : f.atoms) s.draws.emplace_back(atom, c);
    for (auto [entry, c] : state_entries[k]) {
      if (c != 0.0) s.entries.emplace_back(entry, c);
    }
    s.changes = v.changes;
    s.bounds = v.bounds;
    r.state.push_back(std::move(s));
  }
  // Continuing outcomes change the state alike when each variable's change
  // distribution is the same after each of them (none counts as 0).
  std::vector<int> cont;
  for (int o = 0; o < num_outcomes_; ++o) {
    if (r.continues[o]) cont.push_back(o);
  }
  for (const auto& s : r.state) {
    auto change_of = [&](int o) {
      for (const auto& [outcome, d] : s.changes) {
        if (outcome == o) return d;
      }
      return Distribution::Constant(0.0);
    };
    for (size_t i = 1; i < cont.size(); ++i) {
      const Distribution a = change_of(cont[0]), b = change_of(cont[i]);
      bool same = a.kind() == b.kind();
      for (int j = 0; j < 4; ++j) same = same && a.param(j) == b.param(j);
      r.changes_differ = r.changes_differ || !same;
    }
  }
  rounds_ = std::move(r);
}

uint8_t GameModel::Holds(int argument, double u) const {
  switch (argument_modes_[argument]) {
    case ArgumentMode::kDrawn:
      return u < credences_[argument];
    case ArgumentMode::kForcedOn:
      return 1;
    case ArgumentMode::kForcedOff:
      return 0;
  }
  return 0;
}

namespace {

// Per-thread scratch for one sample's latents (DrawSample is const and runs
// on many threads at once).
double* LatentBuffer(int size) {
  thread_local std::vector<double> buffer;
  buffer.resize(static_cast<size_t>(size));
  return buffer.data();
}

}  // namespace

void GameModel::ResolveCorrelated(double* z, const SampleRng* rng, double* theta, int64_t stride,
                                  uint8_t* holds) const {
  HoldsCopula::Latents(z, copula_.num_members());  // all at once: they overlap
  copula_.Resolve(z, rng, holds);
  for (const int32_t a : correlated_atoms_) {
    if (!holds[atoms_[a].gate]) theta[a * stride] = 0.0;
  }
}

void GameModel::FindNormalRuns() {
  // From the last step back: a run continues while the steps are normal
  // draws that DrawSample would take as atom.distribution.Sample(rng).
  int run = 0;
  normal_steps_.assign(steps_.size(), NormalStep{});
  for (size_t k = steps_.size(); k-- > 0;) {
    const DrawStep& step = steps_[k];
    const bool normal = !step.is_gate && !atoms_[step.index].overridden &&
                        atoms_[step.index].distribution.kind() == Distribution::Kind::kNormal;
    run = normal ? run + 1 : 0;
    steps_[k].normal_run = run;
    if (normal) {
      const Atom& atom = atoms_[step.index];
      normal_steps_[k] = {step.index, atom.gate, atom.distribution.param(0),
                          atom.distribution.param(1)};
    }
    has_normal_runs_ = has_normal_runs_ || run >= kMinNormalRun;
  }
}

void GameModel::DrawNormalRun(SampleRng& rng, size_t k, double* theta, int64_t stride,
                              const uint8_t* holds) const {
  // Distribution::Sample's mean + sd * rng.Normal() for each, with the
  // normals drawn in bulk (the same values in the same order).
  constexpr int kPiece = 64;
  double z[kPiece];
  for (int left = steps_[k].normal_run; left > 0;) {
    const int n = std::min(left, kPiece);
    rng.Normals(z, n);
    const NormalStep* steps = normal_steps_.data() + k;
    for (int j = 0; j < n; ++j) {
      const NormalStep& step = steps[j];
      const double drawn = step.mean + step.sd * z[j];
      if (step.gate < 0) {
        theta[step.index * stride] = drawn;
      } else {
        // As in DrawOne: kept or zeroed by a mask.
        const uint64_t keep = uint64_t{0} - uint64_t{holds[step.gate] != 0};
        theta[step.index * stride] = std::bit_cast<double>(std::bit_cast<uint64_t>(drawn) & keep);
      }
    }
    k += static_cast<size_t>(n);
    left -= n;
  }
}

// One step of DrawSample, not part of a bulk run.
inline void GameModel::DrawOne(const DrawStep& step, SampleRng& rng, double* theta, int64_t stride,
                               uint8_t* holds, double* z) const {
  if (step.is_gate) {
    // Drawn even when forced, so that forcing moves no other draw. A
    // correlated argument's uniform gives its latent (z: the copula's
    // members; kept as the uniform until every gate is drawn).
    const double u = rng.Uniform();
    const int member = z != nullptr ? copula_.member_of(step.index) : -1;
    if (member >= 0) {
      z[member] = u;
      holds[step.index] = 1;
    } else {
      holds[step.index] = Holds(step.index, u);
    }
    return;
  }
  const Atom& atom = atoms_[step.index];
  double x = 0.0;
  if (atom.overridden) {
    // The file's draws first (see Atom), then the new value's own.
    if (atom.original_units >= 0) {
      rng.Skip(static_cast<uint64_t>(atom.original_units));
    } else {
      atom.original.Sample(rng);
    }
    if (atom.gate < 0 || holds[atom.gate]) {
      SampleRng own = rng.Substream(atom.stream);
      x = atom.distribution.Sample(own);
    }
  } else if (atom.gate < 0) {
    x = atom.distribution.Sample(rng);
  } else {
    // Drawn whether or not the argument holds (so the stream position
    // never depends on the gates) and then kept or zeroed by a mask,
    // not a branch: whether an argument holds is a coin toss the branch
    // predictor keeps missing.
    const double drawn = atom.distribution.Sample(rng);
    const uint64_t keep = uint64_t{0} - uint64_t{holds[atom.gate] != 0};
    x = std::bit_cast<double>(std::bit_cast<uint64_t>(drawn) & keep);
  }
  theta[step.index * stride] = x;
}

void GameModel::DrawSample(SampleRng& rng, double* theta, int64_t stride, uint8_t* holds) const {
  // Correlated arguments' gates give latents; their holds are settled once
  // every gate is drawn, and their effects are drawn as if they held until
  // then (the same stream positions as without correlations).
  const bool correlated = !copula_.empty();
  double* z = nullptr;  // the members' latents; only scenarios with a copula pay for it
  if (correlated) z = LatentBuffer(copula_.num_members());
  if (!has_normal_runs_) {
    // The plain loop: the run checks below cost about 10% of the draws of
    // a scenario like Istanbul's, which has no long runs.
    for (const DrawStep& step : steps_) DrawOne(step, rng, theta, stride, holds, z);
  } else {
    for (size_t k = 0; k < steps_.size();) {
      const DrawStep& step = steps_[k];
      if (step.normal_run >= kMinNormalRun) {
        DrawNormalRun(rng, k, theta, stride, holds);
        k += static_cast<size_t>(step.normal_run);
      } else {
        DrawOne(step, rng, theta, stride, holds, z);
        ++k;
      }
    }
  }
  if (correlated) ResolveCorrelated(z, &rng, theta, stride, holds);
}

void GameModel::DrawFromUniforms(const double* u, double* theta, int64_t stride,
                                 uint8_t* holds) const {
  const bool correlated = !copula_.empty();
  double* z = nullptr;  // the members' latents; only scenarios with a copula pay for it
  if (correlated) z = LatentBuffer(copula_.num_members());
  for (size_t k = 0; k < steps_.size(); ++k) {
    const DrawStep& step = steps_[k];
    if (step.is_gate) {
      const int member = correlated ? copula_.member_of(step.index) : -1;
      if (member >= 0) {
        z[member] = u[k];
        holds[step.index] = 1;
      } else {
        holds[step.index] = Holds(step.index, u[k]);
      }
    } else {
      const Atom& atom = atoms_[step.index];
      theta[step.index * stride] =
          atom.gate < 0 || holds[atom.gate] ? atom.distribution.Quantile(u[k]) : 0.0;
    }
  }
  // Designs refuse conditioned copulas (see the header), so no redraws.
  if (correlated) ResolveCorrelated(z, nullptr, theta, stride, holds);
}

Status GameModel::CheckUniformDesigns() const {
  if (copula_.empty() || !copula_.conditioned()) return OkStatus();
  return InvalidArgument(
      "--with/--without force correlated arguments: the others are then drawn from their "
      "conditional law, with a varying number of random numbers per sample, while quasi-random "
      "sampling and sensitivity designs need a fixed number of inputs; use the philox sampler, "
      "or force no correlated argument");
}

bool GameModel::uniform_is_uncertain(int step) const {
  const DrawStep& s = steps_[step];
  if (s.is_gate) {
    const int member = copula_.empty() ? -1 : copula_.member_of(s.index);
    if (member >= 0) return copula_.input_matters(member);
    return argument_modes_[s.index] == ArgumentMode::kDrawn && credences_[s.index] > 0.0 &&
           credences_[s.index] < 1.0;
  }
  const Atom& atom = atoms_[s.index];
  return atom.distribution.is_random() &&
         (atom.gate < 0 || argument_modes_[atom.gate] != ArgumentMode::kForcedOff);
}

void GameModel::EvaluatePayoffs(const Eigen::MatrixXd& thetas, Eigen::MatrixXd& tables) const {
  // tables = thetas * A^T + b, one table entry (column) at a time: each term
  // is a contiguous axpy over the block's samples.
  tables.resize(thetas.rows(), a_.rows());
  for (Eigen::Index i = 0; i < a_.rows(); ++i) {
    auto column = tables.col(i);
    column.setConstant(b_[i]);
    for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(a_, i); it; ++it) {
      column.noalias() += it.value() * thetas.col(it.col());
    }
  }
}

std::vector<int32_t> GameModel::EntryOffsets(int64_t stride) const {
  const int players = num_players();
  const int probabilities = sequential_ ? tree_.num_probabilities() : 0;
  std::vector<int32_t> offsets(static_cast<size_t>(num_cells_) * players + probabilities);
  for (int64_t q = 0; q < num_cells_; ++q) {
    for (int p = 0; p < players; ++p) {
      offsets[q * players + p] =
          static_cast<int32_t>((static_cast<int64_t>(class_of_[q]) * players + p) * stride);
    }
  }
  const int64_t first = static_cast<int64_t>(num_classes_) * players;
  for (int i = 0; i < probabilities; ++i) {
    offsets[num_cells_ * players + i] = static_cast<int32_t>((first + i) * stride);
  }
  return offsets;
}

std::vector<int32_t> GameModel::ProgramOffsets(int width) const {
  std::vector<int32_t> offsets = EntryOffsets(1);  // table entry numbers
  for (int32_t& o : offsets) o = program_.row_slot(o) * width;
  return offsets;
}

std::vector<double> GameModel::MeanTable() const {
  const std::vector<double> draws = MeanDraws();
  const Eigen::VectorXd theta =
      Eigen::Map<const Eigen::VectorXd>(draws.data(), static_cast<Eigen::Index>(draws.size()));
  Eigen::VectorXd table = a_ * theta + b_;
  return {table.data(), table.data() + table.size()};
}

std::vector<double> GameModel::MeanDraws() const {
  std::vector<double> theta(atoms_.size());
  for (size_t i = 0; i < atoms_.size(); ++i) {
    double weight = 1.0;
    if (atoms_[i].gate >= 0) {
      switch (argument_modes_[atoms_[i].gate]) {
        case ArgumentMode::kDrawn: {
          // Forcing a correlated argument moves the others' hold chances.
          const int member = copula_.empty() ? -1 : copula_.member_of(atoms_[i].gate);
          weight = member >= 0 ? copula_.hold_probability(member) : credences_[atoms_[i].gate];
          break;
        }
        case ArgumentMode::kForcedOn:
          weight = 1.0;
          break;
        case ArgumentMode::kForcedOff:
          weight = 0.0;
          break;
      }
    }
    theta[i] = weight * atoms_[i].distribution.Mean();
  }
  return theta;
}

}  // namespace parley

namespace parley {

std::vector<double> GameModel::SampleTable(uint64_t seed, uint64_t index) const {
  const std::vector<double> draws = SampleDraws(seed, index);
  Eigen::MatrixXd theta = Eigen::Map<const Eigen::MatrixXd>(draws.data(), 1, num_draws());
  Eigen::MatrixXd tables;
  EvaluatePayoffs(theta, tables);
  return {tables.data(), tables.data() + tables.size()};
}

std::vector<double> GameModel::SampleDraws(uint64_t seed, uint64_t index) const {
  std::vector<double> theta(static_cast<size_t>(num_draws()), 0.0);
  std::vector<uint8_t> holds(argument_modes_.size() + 1);
  SampleRng rng(seed, index, RngStream::kScenario);
  DrawSample(rng, theta.data(), 1, holds.data());
  return theta;
}

NormalFormGame GameModel::ToNormalForm(const ScenarioSpec& spec,
                                       const std::vector<double>& table) const {
  const int players = num_players();
  const std::vector<int32_t> offsets = EntryOffsets(1);
  std::vector<double> payoffs(offsets.size());
  for (size_t i = 0; i < offsets.size(); ++i) payoffs[i] = table[offsets[i]];
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> strategies;
  for (int a = 0; a < players; ++a) {
    names.push_back(spec.actors[a].id);
    strategies.push_back(spec.actors[a].options);
  }
  // The scenario was compiled from the same actors, so the sizes agree.
  return std::move(
      *NormalFormGame::Make(std::move(names), std::move(strategies), std::move(payoffs)));
}

ExtensiveFormGame GameModel::ToExtensiveForm(const ScenarioSpec& spec,
                                             const std::vector<double>& table) const {
  ExtensiveFormGame g;
  g.title = spec.name;
  g.tree = tree_;
  const int players = num_players();
  const std::vector<int32_t> offsets = EntryOffsets(1);
  std::vector<double> payoffs(static_cast<size_t>(num_cells_) * players);
  for (size_t i = 0; i < payoffs.size(); ++i) payoffs[i] = table[offsets[i]];
  std::vector<double> probabilities(tree_.num_probabilities());
  for (size_t i = 0; i < probabilities.size(); ++i) {
    probabilities[i] = table[offsets[payoffs.size() + i]];
  }
  g.tree.set_default_probabilities(std::move(probabilities));
  for (int t = 0; t < tree_.num_terminals(); ++t) {
    g.tree.set_label(tree_.terminal_node(t), spec.outcomes[outcome_of(t)].id);
  }
  g.SetPayoffs(payoffs);
  return g;
}

}  // namespace parley
