#include "sim/mc/runner.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <chrono>
#include <cmath>
#include <limits>

#include "sim/mc/non_finite.h"
#include "sim/mc/parallel.h"
#include "sim/mc/qmc.h"

namespace parley {
namespace {

constexpr int64_t kMaxBlockSize = 256;
// Entries of the per-block payoff tables and draws: about 32 MiB of doubles.
constexpr int64_t kBlockEntriesBudget = int64_t{1} << 22;

struct BlockScratch {
  std::vector<double> values;  // a chunk's PayoffProgram slots
  std::vector<uint8_t> holds;
  std::vector<double> payoffs;
  std::vector<double> slot_probabilities;
  // What each actor does: a sample's option probabilities, its profiles
  // with a positive probability, a pure profile's strategies.
  std::vector<double> option_probabilities;
  std::vector<std::pair<int64_t, double>> profile_probabilities;
  std::vector<int> strategies;
  std::vector<int32_t> key, stack;
  std::vector<std::pair<int32_t, int32_t>> pairs;
  // The last path counted and its count in `path_counts` (consecutive
  // samples often share a path: no map lookup then).
  std::vector<int32_t> last_key;
  const Accumulator* path_counts = nullptr;
  int64_t* last_path_count = nullptr;
  std::vector<double> uniforms, points;  // the sobol sampler
  Eigen::MatrixXd thetas, tables;        // PredictPoints
  std::vector<double> sample_table;      // PredictPoints, sequential games
  std::unique_ptr<ModelScratch> model;   // made by the model on first use
  std::vector<SampleRng> rngs;           // a chunk's model streams
  std::vector<Prediction> predictions;   // and its predictions
  NonFinite* non_finite = nullptr;       // the run's; null outside RunMonteCarlo
  double* sample_slots = nullptr;        // RunControl::sample_slots
};

// Writes sample `i`'s outcome-slot probabilities to s.sample_slots, when the
// caller asked for them: `slot` takes the whole sample, or (slot < 0) the
// distribution in s.slot_probabilities.
void RecordSample(BlockScratch& s, int64_t i, int slot) {
  if (s.sample_slots == nullptr) return;
  const size_t slots = s.slot_probabilities.size();
  double* out = s.sample_slots + static_cast<size_t>(i) * slots;
  if (slot >= 0) {
    std::fill(out, out + slots, 0.0);
    out[slot] = 1.0;
  } else {
    std::copy(s.slot_probabilities.begin(), s.slot_probabilities.end(), out);
  }
}

// Equilibrium play of one sequential-game sample: its outcome distribution
// (into s.slot_probabilities), the root's value (into s.payoffs) and its path
// (into s.key). Returns the number of terminals play reaches, each counted
// once per way of reaching it (more than one only in a DAG), and, in
// `last_terminal`, the last one.
int TreeOutcome(const GameModel& game, const SubgamePerfect& play, BlockScratch& s,
                int* last_terminal) {
  const GameTree& tree = game.tree();
  const GameTree::Flat f = tree.flat();
  const int players = game.num_players();
  std::fill(s.slot_probabilities.begin(), s.slot_probabilities.end(), 0.0);
  // The path: every node equilibrium play reaches, found by following the
  // choices and the chance moves with positive reach, as (node, move)
  // pairs, the move -1 at chance nodes and -2 at terminals. Children go on
  // the stack last action first, so a tree's path comes out in preorder:
  // sorted, as the key needs.
  s.key.clear();
  s.stack.assign(1, 0);
  int terminals = 0;
  bool sorted = true;
  int32_t previous = -1;
  while (!s.stack.empty()) {
    const int v = s.stack.back();
    s.stack.pop_back();
    sorted = sorted && v > previous;
    previous = v;
    const NodeKind kind = static_cast<NodeKind>(f.kind[v]);
    if (kind == NodeKind::kTerminal) {
      s.key.insert(s.key.end(), {v, -2});
      ++terminals;
      continue;
    }
    const int32_t* kids = f.children + f.child_begin[v];
    if (kind == NodeKind::kDecision) {
      s.key.insert(s.key.end(), {v, play.choice[v]});
      s.stack.push_back(kids[play.choice[v]]);
    } else {
      s.key.insert(s.key.end(), {v, -1});
      for (int a = f.child_begin[v + 1] - f.child_begin[v] - 1; a >= 0; --a) {
        if (play.reach[kids[a]] > 0.0) s.stack.push_back(kids[a]);
      }
    }
  }
  if (!sorted) {
    // A DAG: paths may meet. Each node once, by node.
    s.pairs.clear();
    for (size_t i = 0; i < s.key.size(); i += 2) s.pairs.emplace_back(s.key[i], s.key[i + 1]);
    std::sort(s.pairs.begin(), s.pairs.end());
    s.pairs.erase(std::unique(s.pairs.begin(), s.pairs.end()), s.pairs.end());
    s.key.clear();
    for (const auto& [v, move] : s.pairs) s.key.insert(s.key.end(), {v, move});
  }
  *last_terminal = -1;
  for (size_t i = 0; i < s.key.size(); i += 2) {
    if (s.key[i + 1] != -2) continue;
    *last_terminal = f.terminal_or_offset[s.key[i]];
    s.slot_probabilities[game.outcome_of(*last_terminal)] += play.reach[s.key[i]];
  }
  for (int p = 0; p < players; ++p) s.payoffs[p] = play.value[p];  // the root's value
  return terminals;
}

// One sample of a sequential game into the accumulator: its outcomes and
// payoffs, its path, and whether each declared threat is credible (optimal
// for its actor wherever it applies) and carried out.
// Returns false, counting nothing, when the outcome probabilities or payoffs
// are not finite.
bool AddTreeSample(const GameModel& game, const TreePrediction& prediction, const uint8_t* holds,
                   BlockScratch& s, Accumulator& acc) {
  const int slots = game.num_outcomes() + 1;
  if (prediction.play == nullptr) {
    acc.AddPure(slots - 1, prediction.num_equilibria, nullptr, holds);
    return true;
  }
  const SubgamePerfect& play = *prediction.play;
  const GameTree& tree = game.tree();
  const int players = game.num_players();
  int last_terminal = -1;
  const int terminals = TreeOutcome(game, play, s, &last_terminal);
  if (!AllFinite(s.slot_probabilities.data(), slots) || !AllFinite(s.payoffs.data(), players)) {
    return false;
  }
  if (terminals == 1) {
    acc.AddPure(game.outcome_of(last_terminal), prediction.num_equilibria, s.payoffs.data(), holds);
  } else {
    acc.Add(s.slot_probabilities.data(), prediction.num_equilibria, s.payoffs.data(), holds);
  }
  // Each stage's options, weighted by the probability that play reaches
  // the node (chance moves on the path): summed per option over the
  // stage's nodes on the path, so a sample adds at most 1 to a stage.
  const auto& stage_of = game.stage_of_node();
  for (size_t i = 0; i < s.key.size(); i += 2) {
    if (s.key[i + 1] < 0) continue;
    s.option_probabilities[acc.option_offsets[stage_of[s.key[i]]] + s.key[i + 1]] +=
        play.reach[s.key[i]];
  }
  acc.AddOptionMass(s.option_probabilities.data());
  for (size_t i = 0; i < s.key.size(); i += 2) {
    if (s.key[i + 1] >= 0)
      s.option_probabilities[acc.option_offsets[stage_of[s.key[i]]] + s.key[i + 1]] = 0.0;
  }
  if (s.path_counts == &acc && s.key == s.last_key) {
    ++*s.last_path_count;
  } else {
    // std::map entries stay put as others are added.
    int64_t& count = acc.paths[s.key];
    ++count;
    s.last_key = s.key;
    s.path_counts = &acc;
    s.last_path_count = &count;
  }
  const auto& threats = game.threat_nodes();
  for (size_t k = 0; k < threats.size(); ++k) {
    bool credible = true, carried_out = true;
    for (const int32_t v : threats[k]) {
      const int action = game.threat_action(static_cast<int>(k));
      const int mover = tree.mover(v);
      const auto kids = tree.children(v);
      const double threatened = play.value[static_cast<size_t>(kids[action]) * players + mover];
      const double best = play.value[static_cast<size_t>(v) * players + mover];
      credible = credible && (threatened >= best || Ties(threatened, best));
      carried_out = carried_out && play.choice[v] == action;
    }
    acc.threat_credible[k] += credible;
    acc.threat_carried_out[k] += carried_out;
  }
  return true;
}

// The outcome distribution and expected payoffs a mixed prediction induces,
// into s.slot_probabilities and s.payoffs; with `profiles`, also each
// profile of positive probability into s.profile_probabilities.
void MixedOutcome(const GameModel& game, const GameView& view, const Prediction& prediction,
                  BlockScratch& s, bool profiles = false) {
  s.profile_probabilities.clear();
  const int players = game.num_players();
  std::fill(s.slot_probabilities.begin(), s.slot_probabilities.end(), 0.0);
  std::fill(s.payoffs.begin(), s.payoffs.end(), 0.0);
  const ProfileSpace& space = game.space();
  for (int64_t q = 0; q < space.num_profiles(); ++q) {
    double probability = 1.0;
    for (int p = 0; p < players && probability != 0.0; ++p) {
      probability *= prediction.strategies[p](space.StrategyOf(q, p));
    }
    if (probability == 0.0) continue;
    if (profiles) s.profile_probabilities.emplace_back(q, probability);
    s.slot_probabilities[game.outcome_of(q)] += probability;
    for (int p = 0; p < players; ++p) s.payoffs[p] += probability * view.Payoff(q, p);
  }
}

// One sample of a normal-form game, given the model's prediction: the
// outcome distribution and payoffs it induces. Returns false, counting
// nothing, when a mixed prediction's probabilities or payoffs are not finite.
bool AddPrediction(const GameModel& game, const GameView& view, const Prediction& prediction,
                   const uint8_t* holds, int slots, BlockScratch& s, Accumulator& acc) {
  const int players = game.num_players();
  if (prediction.mixed) {
    MixedOutcome(game, view, prediction, s, acc.counted_profiles > 0);
    if (!AllFinite(s.slot_probabilities.data(), slots) || !AllFinite(s.payoffs.data(), players)) {
      return false;
    }
    // Each player's strategy as predicted: every entry finite (one that
    // only meets zero probabilities elsewhere leaves the outcomes finite).
    for (int p = 0; p < players; ++p) {
      const Eigen::VectorXd& x = prediction.strategies[p];
      if (!x.allFinite()) return false;
      std::copy(x.data(), x.data() + x.size(),
                s.option_probabilities.begin() + acc.option_offsets[p]);
    }
    acc.Add(s.slot_probabilities.data(), prediction.num_equilibria, s.payoffs.data(), holds);
    acc.AddOptionMass(s.option_probabilities.data());
    acc.AddProfileMass(s.profile_probabilities.data(), s.profile_probabilities.size());
  } else if (prediction.profile >= 0) {
    for (int p = 0; p < players; ++p) s.payoffs[p] = view.Payoff(prediction.profile, p);
    acc.AddPure(game.outcome_of(prediction.profile), prediction.num_equilibria, s.payoffs.data(),
                holds);
    if (acc.counted_profiles > 0) {
      acc.AddPureProfile(prediction.profile);
    } else {
      for (int p = 0; p < players; ++p)
        s.strategies[p] = view.space->StrategyOf(prediction.profile, p);
      acc.AddPureOptions(s.strategies.data());
    }
  } else {
    acc.AddPure(slots - 1, prediction.num_equilibria, nullptr, holds);
  }
  acc.not_converged += prediction.converged ? 0 : 1;
  return true;
}

// The chunk width for `game`: PayoffProgram::kWidth samples unless the
// program's values for that many would pass the memory budget.
int ChunkWidthFor(const GameModel& game) {
  const int64_t slots = game.payoff_program().num_slots();
  return slots * PayoffProgram::kWidth <= kBlockEntriesBudget ? PayoffProgram::kWidth : 1;
}

// Samples [first, first + count) of a run, `width` at a time: their draws go
// into one buffer, the payoff program computes their tables side by side,
// and each is then solved and counted in sample order (so the totals are
// those of one sample at a time). Every block has `block` rows (the last one
// may use fewer), so that the per-block sums are the same for any split.
void ProcessBlock(const GameModel& game, const Model& model, const RunOptions& options,
                  const std::vector<int32_t>& offsets, int width, int64_t block, int64_t first,
                  int64_t count, BlockScratch& s, Accumulator& acc,
                  const ShiftedSobol* sobol = nullptr, const std::vector<int>* uncertain = nullptr,
                  int64_t replicate_first = 0) {
  const int players = game.num_players();
  const int args = game.num_arguments();
  const PayoffProgram& program = game.payoff_program();
  if (s.values.empty()) {
    s.values.assign(static_cast<size_t>(program.num_slots()) * width, 0.0);
    program.Initialize(s.values.data(), width);
    s.holds.resize(static_cast<size_t>(block) * std::max(args, 1));
    s.payoffs.resize(players);
    s.slot_probabilities.resize(game.num_outcomes() + 1);
    s.option_probabilities.assign(static_cast<size_t>(acc.num_option_slots()), 0.0);
    s.strategies.resize(players);
    s.rngs.reserve(static_cast<size_t>(width));
    s.predictions.resize(static_cast<size_t>(width));
  }
  acc.ReserveActions();
  const int slots = game.num_outcomes() + 1;
  TreePrediction tree_prediction;
  for (int64_t chunk = 0; chunk < count; chunk += width) {
    const int64_t n = std::min<int64_t>(width, count - chunk);
    if (sobol != nullptr) {
      // Sample first + chunk + i is point first + chunk + i - replicate_first
      // of the replicate's shifted sequence; steps that cannot vary take 1/2.
      const int d = sobol->dimension();
      s.uniforms.assign(static_cast<size_t>(game.num_uniforms()), 0.5);
      s.points.resize(static_cast<size_t>(n * d));
      sobol->Points(static_cast<uint64_t>(first + chunk - replicate_first), n, s.points.data());
      for (int64_t i = 0; i < n; ++i) {
        for (int j = 0; j < d; ++j) s.uniforms[(*uncertain)[j]] = s.points[i * d + j];
        game.DrawFromUniforms(s.uniforms.data(), s.values.data() + i, width,
                              s.holds.data() + (chunk + i) * args);
      }
    } else {
      for (int64_t i = 0; i < n; ++i) {
        SampleRng rng(options.seed, static_cast<uint64_t>(first + chunk + i), RngStream::kScenario);
        game.DrawSample(rng, s.values.data() + i, width, s.holds.data() + (chunk + i) * args);
      }
    }
    // Every table entry is a sum of finite multiples of the draws, so
    // finite draws make a finite table. (Lanes past n hold the previous
    // chunk's draws, already checked, or zeros.)
    if (s.non_finite != nullptr &&
        !AllFinite(s.values.data(), static_cast<int64_t>(program.num_draws()) * width)) {
      for (int64_t i = 0; i < n; ++i) {
        for (int d = 0; d < program.num_draws(); ++d) {
          if (!std::isfinite(s.values[static_cast<size_t>(d) * width + i])) {
            s.non_finite->Note(first + chunk + i, NonFinite::kDraw);
            break;
          }
        }
      }
    }
    program.Evaluate(s.values.data(), width);
    if (game.sequential()) {
      for (int64_t j = chunk; j < chunk + n; ++j) {
        SampleRng rng(options.seed, static_cast<uint64_t>(first + j), RngStream::kModel);
        const TreeView view = game.Tree(s.values.data() + (j - chunk), offsets);
        model.PredictTree(view, rng, *s.model, tree_prediction);
        if (!AddTreeSample(game, tree_prediction, s.holds.data() + j * args, s, acc) &&
            s.non_finite != nullptr) {
          s.non_finite->Note(first + j, NonFinite::kPrediction);
        }
        // AddTreeSample left the sample's distribution in s.slot_probabilities.
        RecordSample(s, first + j, tree_prediction.play == nullptr ? slots - 1 : -1);
      }
      continue;
    }
    // The chunk's games are solved together (Model::PredictChunk), then
    // counted in sample order.
    s.rngs.clear();
    for (int64_t j = chunk; j < chunk + n; ++j) {
      s.rngs.emplace_back(options.seed, static_cast<uint64_t>(first + j), RngStream::kModel);
    }
    const ChunkView view{&game.space(), offsets.data(), s.values.data(), width,
                         static_cast<int>(n)};
    model.PredictChunk(view, s.rngs.data(), *s.model, s.predictions.data());
    for (int i = 0; i < n; ++i) {
      const Prediction& prediction = s.predictions[i];
      if (!AddPrediction(game, view.game(i), prediction, s.holds.data() + (chunk + i) * args, slots,
                         s, acc) &&
          s.non_finite != nullptr) {
        s.non_finite->Note(first + chunk + i, NonFinite::kPrediction);
      }
      // A mixed prediction's distribution is in s.slot_probabilities.
      RecordSample(s, first + chunk + i,
                   prediction.mixed          ? -1
                   : prediction.profile >= 0 ? game.outcome_of(prediction.profile)
                                             : slots - 1);
    }
  }
}

}  // namespace

bool RunOptions::IsValid(std::string* why) const {
  if (samples < 1) {
    *why = "the sample count must be at least 1";
    return false;
  }
  if (samples > (int64_t{1} << 40)) {
    *why = "the sample count must be at most 2^40";
    return false;
  }
  if (sampler == Sampler::kSobol && (sobol_replicates < 2 || sobol_replicates > 1024)) {
    *why = "the Sobol sampler needs between 2 and 1024 replicates";
    return false;
  }
  return ValidThreadCount(threads, why);
}

std::vector<int32_t> OptionOffsets(const GameModel& game) {
  std::vector<int32_t> offsets(1, 0);
  if (!game.sequential()) {
    for (int p = 0; p < game.num_players(); ++p) {
      offsets.push_back(offsets.back() + game.space().num_strategies(p));
    }
    return offsets;
  }
  // Every node of a stage has the stage's options; chance stages get none.
  std::vector<int32_t> options;
  const GameTree& tree = game.tree();
  for (int v = 0; v < tree.num_nodes(); ++v) {
    const int32_t stage = game.stage_of_node()[v];
    if (stage < 0) continue;
    if (options.size() <= static_cast<size_t>(stage)) options.resize(stage + 1, 0);
    if (tree.kind(v) == NodeKind::kDecision) {
      options[stage] = static_cast<int32_t>(tree.children(v).size());
    }
  }
  for (const int32_t n : options) offsets.push_back(offsets.back() + n);
  return offsets;
}

int64_t BlockSizeFor(const GameModel& game) {
  const int64_t per_sample = static_cast<int64_t>(game.num_classes()) * game.num_players() +
                             game.num_draws() + game.tree().num_probabilities() + 1;
  return std::clamp<int64_t>(kBlockEntriesBudget / per_sample, 1, kMaxBlockSize);
}

int64_t BatchSizeFor(const GameModel& game) { return BlockSizeFor(game) * kBlocksPerBatch; }

StatusOr<RunResult> RunMonteCarlo(const GameModel& game, const Model& model,
                                  const RunOptions& options) {
  return RunMonteCarlo(game, model, options, RunControl{});
}

StatusOr<RunResult> RunMonteCarlo(const GameModel& game, const Model& model,
                                  const RunOptions& options, const RunControl& control) {
  std::string why;
  if (!options.IsValid(&why)) return InvalidArgument(why);
  if (options.sampler == Sampler::kSobol) PARLEY_RETURN_IF_ERROR(game.CheckUniformDesigns());
  RunResult result;
  result.block_size = BlockSizeFor(game);
  const int64_t block = result.block_size;
  const int64_t blocks = (options.samples + block - 1) / block;

  const int width = ChunkWidthFor(game);
  const std::vector<int32_t> offsets = game.ProgramOffsets(width);
  if (game.sequential() ? !model.sequential() : !model.normal_form()) {
    return InvalidArgument("model '" + std::string(model.name()) + "' does not solve " +
                           (game.sequential() ? "sequential" : "normal-form") + " games");
  }
  Accumulator empty(game.num_outcomes(), game.num_players(), game.num_arguments());
  empty.threat_credible.assign(game.threat_nodes().size(), 0);
  empty.threat_carried_out.assign(game.threat_nodes().size(), 0);
  empty.CountActions(OptionOffsets(game),
                     !game.sequential() && game.space().num_profiles() <= kMaxCountedProfiles
                         ? game.space().num_profiles()
                         : 0);
  const auto start = std::chrono::steady_clock::now();
  ThreadArena arena(options.threads);
  result.threads_used = arena.threads();
  const std::vector<int> uncertain = UncertainSteps(game);
  NonFinite non_finite;
  // The run's error when a sample was not finite.
  auto non_finite_error = [&]() {
    return NonFiniteError(non_finite, model.name(), options.seed, "sample");
  };
  // Adds blocks [b0, b1) of the samples [begin, end) (begin a multiple of
  // the block size, or a replicate's first sample) into acc.
  auto add_blocks = [&](int64_t begin, int64_t end, const ShiftedSobol* sobol, int64_t b0,
                        int64_t b1, Accumulator& acc) {
    BlockScratch scratch;
    scratch.model = model.NewScratch();
    scratch.non_finite = &non_finite;
    scratch.sample_slots = control.sample_slots;
    for (int64_t b = b0; b != b1; ++b) {
      const int64_t first = begin + b * block;
      ProcessBlock(game, model, options, offsets, width, block, first, std::min(block, end - first),
                   scratch, acc, sobol, &uncertain, begin);
    }
  };
  result.totals = empty;
  if (options.sampler == Sampler::kPhilox) {
    // The hooks run between batches, so stopping early yields the totals
    // of a plain run of the samples done.
    DeterministicReduceInBatches(
        arena, blocks, kBlocksPerBatch, empty,
        [&](int64_t b0, int64_t b1, Accumulator& acc) {
          add_blocks(0, options.samples, nullptr, b0, b1, acc);
        },
        &result.totals,
        [&](const Accumulator& totals, int64_t end_block) {
          // A non-finite sample ends the run (with the error below).
          if (non_finite.first.load() != NonFinite::kNone) return false;
          if (control.progress) control.progress(totals.samples, options.samples);
          return !(control.stop && end_block < blocks && control.stop(totals));
        });
    PARLEY_RETURN_IF_ERROR(non_finite_error());
  } else {
    // Replicate r holds samples [r m, (r + 1) m) and shift r, its blocks
    // counted from r m. (No early stop: a replicate is one quasi-random
    // sequence.)
    const int64_t replicates = std::min<int64_t>(options.sobol_replicates, options.samples);
    const int64_t m = (options.samples + replicates - 1) / replicates;
    for (int64_t r = 0; r * m < options.samples; ++r) {
      auto sobol = ShiftedSobol::Make(static_cast<int>(uncertain.size()), options.seed,
                                      static_cast<uint64_t>(r));
      if (!sobol.ok()) return sobol.status();
      const int64_t begin = r * m, end = std::min(options.samples, (r + 1) * m);
      Accumulator replicate;
      arena.Execute([&] {
        replicate = DeterministicReduce(0, (end - begin + block - 1) / block, empty,
                                        [&](int64_t b0, int64_t b1, Accumulator& acc) {
                                          add_blocks(begin, end, &*sobol, b0, b1, acc);
                                        });
      });
      result.replicates.push_back(std::move(replicate));
      PARLEY_RETURN_IF_ERROR(non_finite_error());
      result.totals.Merge(result.replicates.back());
      if (control.progress) control.progress(result.totals.samples, options.samples);
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::vector<int> UncertainSteps(const GameModel& game) {
  std::vector<int> steps;
  for (int k = 0; k < game.num_uniforms(); ++k) {
    if (game.uniform_is_uncertain(k)) steps.push_back(k);
  }
  return steps;
}

void PredictPoints(const GameModel& game, const Model& model, uint64_t seed,
                   const Eigen::MatrixXd& thetas, const uint64_t* model_keys, int64_t count,
                   double* slots_out, double* payoffs_out, NonFinite& non_finite) {
  const int players = game.num_players();
  const int slots = game.num_outcomes() + 1;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  BlockScratch s;
  s.model = model.NewScratch();
  s.slot_probabilities.resize(slots);
  s.payoffs.resize(players);
  game.EvaluatePayoffs(thetas, s.tables);
  const std::vector<int32_t> offsets = game.EntryOffsets(game.sequential() ? 1 : thetas.rows());
  for (int64_t i = 0; i < count; ++i) {
    double* slot = slots_out + i * slots;
    double* pay = payoffs_out + i * players;
    std::fill(slot, slot + slots, 0.0);
    std::fill(pay, pay + players, kNaN);
    SampleRng rng(seed, model_keys[i], RngStream::kModel);
    const int64_t key = static_cast<int64_t>(model_keys[i]);
    if (!thetas.row(i).allFinite()) {
      non_finite.Note(key, NonFinite::kDraw);
      continue;
    }
    if (game.sequential()) {
      const Eigen::Index entries = s.tables.cols();
      s.sample_table.resize(static_cast<size_t>(entries));
      for (Eigen::Index e = 0; e < entries; ++e) s.sample_table[e] = s.tables(i, e);
      TreePrediction prediction;
      model.PredictTree(game.Tree(s.sample_table.data(), offsets), rng, *s.model, prediction);
      if (prediction.play == nullptr) {
        slot[slots - 1] = 1.0;
        continue;
      }
      int last_terminal = -1;
      if (TreeOutcome(game, *prediction.play, s, &last_terminal) == 1) {
        slot[game.outcome_of(last_terminal)] = 1.0;
      } else {
        std::copy(s.slot_probabilities.begin(), s.slot_probabilities.end(), slot);
      }
      std::copy(s.payoffs.begin(), s.payoffs.end(), pay);
      if (!AllFinite(slot, slots) || !AllFinite(pay, players)) {
        non_finite.Note(key, NonFinite::kPrediction);
      }
      continue;
    }
    const GameView view = game.View(s.tables.data() + i, offsets);
    Prediction prediction;
    model.Predict(view, rng, *s.model, prediction);
    if (prediction.mixed) {
      MixedOutcome(game, view, prediction, s);
      std::copy(s.slot_probabilities.begin(), s.slot_probabilities.end(), slot);
      std::copy(s.payoffs.begin(), s.payoffs.end(), pay);
    } else if (prediction.profile >= 0) {
      slot[game.outcome_of(prediction.profile)] = 1.0;
      for (int p = 0; p < players; ++p) pay[p] = view.Payoff(prediction.profile, p);
    } else {
      slot[slots - 1] = 1.0;
      continue;  // no payoffs: they stay NaN
    }
    if (!AllFinite(slot, slots) || !AllFinite(pay, players)) {
      non_finite.Note(key, NonFinite::kPrediction);
    }
  }
}

}  // namespace parley
