// GameModel: a scenario compiled once for sampling many times.
//
// Everything that does not depend on the random draw is done here: the
// profile -> outcome map, the payoff classes, and the linear map from a
// sample's random draws (theta) to its payoff table. Payoffs are linear in the
// draws (base value + argument effects + modifiers), so a block of samples is
// evaluated as one sparse matrix product, P = A * Theta + b (Eigen).
//
// Blocks are stored sample-minor (one row per sample, one column per draw or
// table entry), so the product runs as contiguous column updates over all the
// samples of a block at once.
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/distribution.h"
#include "sim/core/rng.h"
#include "sim/core/status.h"
#include "sim/game/game_tree.h"
#include "sim/game/normal_form.h"
#include "sim/scenario/copula.h"
#include "sim/scenario/payoff_program.h"
#include "sim/scenario/spec.h"

namespace parley {

struct CompileOptions {
  std::vector<ArgumentMode> argument_modes;  // per argument; empty = all drawn
  // Draw every argument's hold independently, leaving out the scenario's
  // correlations: for Shapley attribution, which switches arguments on and
  // off itself (its coalition values never look at drawn holds).
  bool independent_holds = false;
};

// A multi-round negotiation (ScenarioSpec::rounds), compiled: what the
// runner needs to play a sampled game round after round (sim/mc/runner.cc).
struct CompiledRounds {
  int max_rounds = 1;
  bool forward_looking = false;
  // Learning models go on from where the last round left them.
  bool carry_learning = false;
  std::vector<uint8_t> continues;  // per outcome slot (the last, unresolved, ends)
  std::vector<double> discount;    // per player
  struct State {
    // The initial value from a sample's draws: constant + sum of
    // coefficient * draw (the parameter's value, argument effects included).
    double constant = 0.0;
    std::vector<std::pair<int32_t, double>> draws;
    // How a unit change moves the table (EntryOffsets(1) layout): entry,
    // coefficient.
    std::vector<std::pair<int32_t, double>> entries;
    std::vector<std::pair<int, Distribution>> changes;  // continuing outcome -> change
    std::vector<StateVariableSpec::Bound> bounds;
  };
  std::vector<State> state;
  // Whether any continuing outcome changes the state differently from
  // another: then which one a round ended in must be drawn.
  bool changes_differ = false;
};

class GameModel {
 public:
  static StatusOr<GameModel> Compile(const ScenarioSpec& spec, const CompileOptions& options = {});

  // Normal-form scenarios: the strategy profiles are the game's cells.
  const ProfileSpace& space() const { return space_; }
  int num_players() const { return num_players_; }
  // Sequential scenarios: the game tree, whose terminal histories are the
  // cells (terminal t has payoff class class_of()[t]).
  bool sequential() const { return sequential_; }
  const GameTree& tree() const { return tree_; }
  // The stage that moves at each tree node (-1 at terminals).
  const std::vector<int32_t>& stage_of_node() const { return stage_of_node_; }
  // Per declared threat: the decision nodes where it applies.
  const std::vector<std::vector<int32_t>>& threat_nodes() const { return threat_nodes_; }
  // The threatened action of declared threat k.
  int threat_action(int k) const { return threat_actions_[k]; }
  // Profiles (normal form) or terminal histories (sequential).
  int64_t num_cells() const { return num_cells_; }
  int num_outcomes() const { return num_outcomes_; }
  int num_arguments() const { return static_cast<int>(argument_modes_.size()); }
  int num_classes() const { return num_classes_; }
  int num_draws() const { return static_cast<int>(atoms_.size()); }
  // The argument that gates draw `draw` (its value is 0 when the argument
  // does not hold), or -1. Attribution zeroes draws to switch arguments off.
  int draw_gate(int draw) const { return atoms_[draw].gate; }
  // The scenario's rounds, or null for a one-round scenario.
  const CompiledRounds* rounds() const { return rounds_ ? &*rounds_ : nullptr; }
  // The correlated arguments' copula (empty without correlations).
  const HoldsCopula& copula() const { return copula_; }

  int outcome_of(int64_t cell) const { return outcome_of_class_[class_of_[cell]]; }
  const std::vector<int32_t>& class_of() const { return class_of_; }
  const std::vector<int32_t>& outcome_of_class() const { return outcome_of_class_; }

  // Draws one sample's random values into theta[0], theta[stride], ...
  // (num_draws() entries) and whether each argument holds into `holds`
  // (num_arguments() entries). The draws depend only on the scenario and
  // `rng`; forced arguments consume their draws too, so runs with and without
  // forcing share random numbers.
  void DrawSample(SampleRng& rng, double* theta, int64_t stride, uint8_t* holds) const;

  // The same sample driven by uniforms instead of a random stream: u holds
  // one number in (0, 1) per draw step (num_uniforms(), in draw order: the
  // atoms of parameters, payoffs, modifiers and chance probabilities in file
  // order, then each argument's gate followed by its effects). An atom takes
  // its distribution's Quantile(u); an argument holds when u < credence
  // (forced arguments ignore u). Used by quasi-random sampling and
  // sensitivity designs. Correlated arguments (copula()): their uniforms are
  // the independent inputs z = Phi^-1(u) of the copula's Cholesky factor
  // (see copula.h); designs refuse forced correlated arguments
  // (copula().conditioned()), whose exact draw needs a variable number of
  // uniforms.
  void DrawFromUniforms(const double* u, double* theta, int64_t stride, uint8_t* holds) const;
  int num_uniforms() const { return static_cast<int>(steps_.size()); }
  // Whether DrawFromUniforms can serve this model: not when forced arguments
  // condition correlated ones (an exact conditional draw takes a variable
  // number of uniforms). Quasi-random sampling and sensitivity designs ask.
  Status CheckUniformDesigns() const;
  // The name of each draw step (docs: names.md scheme): param.<id>,
  // payoff.<outcome>.<actor>, modifier.<n>.<actor>, chance.<stage>.<option>,
  // effect.<argument>.<n>, argument.<id>.
  const std::vector<std::string>& uniform_names() const { return step_names_; }
  // The draw (atom) that step `step` makes, or -1 for an argument's gate.
  int step_draw(int step) const { return steps_[step].is_gate ? -1 : steps_[step].index; }
  // Whether a draw step is uncertain: a random atom whose argument is not
  // forced off, or a drawn argument with 0 < credence < 1 (a correlated
  // argument: one whose uniform moves a drawn member's latent). The others give
  // the same value for every u and are not sensitivity inputs.
  bool uniform_is_uncertain(int step) const;

  // Payoff tables for a block of samples. Row s of `thetas` holds sample s's
  // draws; row s of `tables` receives its table, num_classes() *
  // num_players() entries [class * players + player], so sample s's table
  // starts at tables.data() + s with stride tables.rows().
  void EvaluatePayoffs(const Eigen::MatrixXd& thetas, Eigen::MatrixXd& tables) const;

  // Offsets of every (cell, player) payoff in a table stored with
  // `stride` between consecutive entries (the block size for a block, 1 for
  // a single table such as MeanTable()), followed in sequential scenarios by
  // the offsets of the tree's chance probabilities; see GameView, TreeView.
  std::vector<int32_t> EntryOffsets(int64_t stride) const;
  // The game whose table entry e is table[e * stride], given EntryOffsets(stride).
  GameView View(const double* table, const std::vector<int32_t>& offsets) const {
    return {&space_, offsets.data(), table};
  }

  TreeView Tree(const double* table, const std::vector<int32_t>& offsets) const {
    return {&tree_, offsets.data(), offsets.data() + num_cells_ * num_players_, table};
  }

  // The Monte Carlo hot path: the table as a PayoffProgram (the same numbers
  // as EvaluatePayoffs, bit for bit, with shared partial sums computed once)
  // and the offsets of every (cell, player) payoff and chance probability in
  // its value buffer, laid out as EntryOffsets lays out a table, for a
  // buffer of `width` samples.
  const PayoffProgram& payoff_program() const { return program_; }
  std::vector<int32_t> ProgramOffsets(int width) const;

  // The game with every draw at its mean (gated draws weighted by their
  // argument's credence): the "typical" game for explanations and solves.
  std::vector<double> MeanTable() const;
  // The draws those two tables are made of (num_draws() values).
  std::vector<double> MeanDraws() const;
  std::vector<double> SampleDraws(uint64_t seed, uint64_t index) const;
  // The table of sample `index` of a run with `seed`, as RunMonteCarlo sees it.
  std::vector<double> SampleTable(uint64_t seed, uint64_t index) const;

  // A table (stride 1, as from MeanTable or SampleTable) as a labelled
  // normal-form game: players are actor ids, strategies option ids.
  NormalFormGame ToNormalForm(const ScenarioSpec& spec, const std::vector<double>& table) const;
  // Sequential scenarios: a table as an extensive-form game, terminals
  // labelled with their outcome ids and chance moves at the table's
  // probabilities.
  ExtensiveFormGame ToExtensiveForm(const ScenarioSpec& spec,
                                    const std::vector<double>& table) const;

 private:
  // Compile's working state: the linear form of every payoff, shift and
  // chance probability, and the payoff classes found so far.
  struct CompileState;
  // Compile's steps, in order. The atoms are made in draw order (see
  // DrawFromUniforms): values (parameters, payoffs, modifiers), chance
  // probabilities, then arguments (each gate followed by its effects).
  Status SetUpPlayers(const ScenarioSpec& spec, const CompileOptions& options);
  void AddValueAtoms(CompileState& state);
  void AddChanceAtoms(CompileState& state);
  void AddArgumentAtoms(CompileState& state);
  // The cells and their payoff classes: a sequential scenario's tree (with
  // its information sets, chance sets and threat nodes), or every profile.
  Status BuildTree(CompileState& state);
  std::vector<int> AddChanceSets(const CompileState& state);
  Status ClassifyProfiles(CompileState& state);
  // a_, b_ and program_ from the classes' forms.
  void BuildLinearMap(const CompileState& state);
  // rounds_, given each state variable's coefficient in each table entry.
  void BuildRounds(const CompileState& state,
                   const std::vector<std::map<int32_t, double>>& state_entries);
  void FindNormalRuns();
  struct DrawStep;
  // z: the copula members' latents (null without a copula).
  void DrawOne(const DrawStep& step, SampleRng& rng, double* theta, int64_t stride, uint8_t* holds,
               double* z) const;
  // Draws steps [k, k + normal_run) of a normal run (see DrawStep).
  void DrawNormalRun(SampleRng& rng, size_t k, double* theta, int64_t stride,
                     const uint8_t* holds) const;

  // Whether `argument` holds when its gate's uniform is u (its credence, or
  // its --with/--without mode).
  uint8_t Holds(int argument, double u) const;
  // With a copula: the members' latents from their gates' uniforms (z, in
  // place), their holds from those, then the draws of members that do not
  // hold zeroed (they were drawn as if held).
  void ResolveCorrelated(double* z, const SampleRng* rng, double* theta, int64_t stride,
                         uint8_t* holds) const;

  // One random scalar drawn per sample, zeroed when its gating argument
  // does not hold. Its draws are made whether or not the argument holds (a
  // fixed-size draw is computed and masked, a variable-size one drawn and
  // discarded), so the stream position never depends on the gates.
  //
  // An overridden entry (ValueSpec::overridden) first consumes the draws of
  // the file's distribution, exactly as the file's atom would (drawing and
  // discarding when the number of units varies, which also keeps the polar
  // method's spare normal in step), and then draws its new value from its
  // own substream. So `--set` and sweep points leave every other entry's
  // draws where they were (common random numbers), and scenarios without
  // overrides draw exactly what they drew before. A fixed unit budget per
  // atom would have changed every existing result and wasted draws.
  struct Atom {
    Distribution distribution = Distribution::Constant(0.0);
    int gate = -1;  // argument index, or -1
    bool overridden = false;
    Distribution original = Distribution::Constant(0.0);  // consumed, then discarded
    int original_units = 0;                               // original.FixedUnits()
    uint32_t stream = 0;                                  // the new value's substream
  };
  // Draw order: parameters, payoffs and modifiers in file order, then each
  // argument's gate followed by its effects.
  struct DrawStep {
    bool is_gate;
    int index;
    // Steps k .. k + normal_run - 1 are normal atoms, not overridden (gated
    // or not): DrawSample draws their normals together
    // (SampleRng::Normals). 0 where that does not apply.
    int normal_run = 0;
  };

  ProfileSpace space_;
  int num_players_ = 0;
  int64_t num_cells_ = 0;
  bool sequential_ = false;
  GameTree tree_;
  std::vector<int32_t> stage_of_node_;
  std::vector<std::vector<int32_t>> threat_nodes_;
  std::vector<int> threat_actions_;
  int num_outcomes_ = 0;
  int num_classes_ = 0;
  std::vector<int32_t> class_of_;          // per profile
  std::vector<int32_t> outcome_of_class_;  // per class
  std::vector<Atom> atoms_;
  std::vector<double> credences_;
  std::vector<ArgumentMode> argument_modes_;
  HoldsCopula copula_;
  std::vector<int32_t> correlated_atoms_;  // atoms gated by a copula member
  std::vector<DrawStep> steps_;
  bool has_normal_runs_ = false;  // a run of at least kMinNormalRun (FindNormalRuns)
  // What DrawNormalRun needs of each step's atom, packed (an Atom is about
  // 120 bytes): per step, set where normal_run > 0.
  struct NormalStep {
    int32_t index;
    int32_t gate;
    double mean, sd;
  };
  std::vector<NormalStep> normal_steps_;
  std::vector<std::string> step_names_;             // per step
  Eigen::SparseMatrix<double, Eigen::RowMajor> a_;  // (classes * players + probabilities) x draws
  Eigen::VectorXd b_;                               // constant part of each table entry
  PayoffProgram program_;                           // a_ and b_ for the sampling loop
  std::optional<CompiledRounds> rounds_;
};

}  // namespace parley
