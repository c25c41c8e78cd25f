#include "sim/mc/runner.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <chrono>
#include <cmath>
#include <limits>
#include <span>
#include <tuple>
#include <utility>

#include "sim/core/bytes.h"
#include "sim/core/ranks.h"
#include "sim/mc/negotiation.h"
#include "sim/mc/non_finite.h"
#include "sim/mc/parallel.h"
#include "sim/mc/qmc.h"
#include "sim/mc/stage_outcome.h"

namespace parley {
namespace {

constexpr int64_t kMaxBlockSize = 256;
// Entries of the per-block payoff tables and draws: about 32 MiB of doubles.
constexpr int64_t kBlockEntriesBudget = int64_t{1} << 22;

// A chunk's draws and payoff tables: computed once, read by every model of
// the run (RunLanes).
struct DrawScratch {
  std::vector<double> values;  // a chunk's PayoffProgram slots
  std::vector<uint8_t> holds;
  std::vector<double> uniforms, points;  // the sobol sampler
};

// One model's working memory in a block: its scratch, its predictions, and
// the buffers that count them.
struct BlockScratch : StageBuffers {
  bool ready = false;  // sized for the run's game by ProcessBlock
  // What each actor does: a sample's option probabilities, a pure
  // profile's strategies.
  std::vector<double> option_probabilities;
  std::vector<int> strategies;
  // The last path counted and its count in `path_counts` (consecutive
  // samples often share a path: no map lookup then).
  std::vector<int32_t> last_key;
  const Accumulator* path_counts = nullptr;
  int64_t* last_path_count = nullptr;
  Eigen::MatrixXd thetas, tables;                  // PredictPoints
  std::vector<double> sample_table;                // PredictPoints, sequential games
  std::unique_ptr<ModelScratch> model;             // made by the model on first use
  std::unique_ptr<NegotiationPlayer> negotiation;  // multi-round scenarios
  std::vector<SampleRng> rngs;                     // a chunk's model streams
  std::vector<Prediction> predictions;             // and its predictions
  NonFinite* non_finite = nullptr;                 // the run's; null outside RunMonteCarlo
  double* sample_slots = nullptr;                  // RunControl::sample_slots
  SampleBatch* batch = nullptr;                    // RunControl::per_sample's current batch
  int64_t batch_samples = 0;                       // samples per batch
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

// Records sample `index` into the per-sample batch, when the run keeps one:
// its draws (values[k * width]), holds, outcome distribution (`slot`, or
// s.slot_probabilities when slot < 0), what each actor plays (normal-form
// predictions) and, in a negotiation, the mean number of rounds.
void RecordRow(BlockScratch& s, int64_t index, const double* values, int width,
               const uint8_t* holds, int slot, const Prediction* prediction, const GameModel& game,
               const NegotiationPlayer* negotiation = nullptr) {
  SampleBatch* b = s.batch;
  if (b == nullptr) return;
  const int64_t i = index % s.batch_samples;
  double* draws = b->draws.data() + i * b->num_draws;
  for (int k = 0; k < b->num_draws; ++k) draws[k] = values[static_cast<size_t>(k) * width];
  std::copy_n(holds, b->num_arguments, b->holds.data() + i * b->num_arguments);
  double* out = b->slots.data() + i * b->num_slots;
  if (slot >= 0) {
    std::fill(out, out + b->num_slots, 0.0);
    out[slot] = 1.0;
  } else {
    std::copy(s.slot_probabilities.begin(), s.slot_probabilities.end(), out);
  }
  double* options = b->options.data() + i * b->num_option_slots;
  std::fill(options, options + b->num_option_slots, 0.0);
  if (prediction != nullptr && b->num_option_slots > 0) {
    for (int p = 0; p < game.num_players(); ++p) {
      if (prediction->mixed) {
        const Eigen::VectorXd& x = prediction->strategies[p];
        std::copy(x.data(), x.data() + x.size(), options + b->option_offsets[p]);
      } else if (prediction->profile >= 0) {
        options[b->option_offsets[p] + game.space().StrategyOf(prediction->profile, p)] = 1.0;
      }
    }
  }
  if (negotiation != nullptr) {
    double rounds = 0.0;
    for (const double alive : negotiation->path().alive) rounds += alive;
    b->rounds[i] = rounds;
  }
}

// One sample of a sequential game into the accumulator: its outcomes and
// payoffs, its path, and whether each declared threat is credible (optimal
// for its actor wherever it applies) and carried out.
// Returns false, counting nothing, when the outcome probabilities or payoffs
// are not finite.
bool AddTreeSample(const GameModel& game, const TreePrediction& prediction, const uint8_t* holds,
                   BlockScratch& s, Accumulator& acc,
                   const NegotiationPlayer* negotiation = nullptr) {
  const int slots = game.num_outcomes() + 1;
  if (prediction.play == nullptr) {
    if (negotiation != nullptr) {
      negotiation->AddTo(acc, prediction.num_equilibria, holds);
    } else {
      acc.AddPure(slots - 1, prediction.num_equilibria, nullptr, holds);
    }
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
  if (negotiation != nullptr) {
    negotiation->AddTo(acc, prediction.num_equilibria, holds);
  } else if (terminals == 1) {
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

// One sample of a normal-form game, given the model's prediction: the
// outcome distribution and payoffs it induces. Returns false, counting
// nothing, when a mixed prediction's probabilities or payoffs are not finite.
bool AddPrediction(const GameModel& game, const GameView& view, const Prediction& prediction,
                   const uint8_t* holds, int slots, BlockScratch& s, Accumulator& acc,
                   const NegotiationPlayer* negotiation = nullptr, bool outcome_ready = false) {
  const int players = game.num_players();
  // A negotiation counts how it ended; the prediction (its first round)
  // counts what each actor does.
  auto add_outcome = [&](auto add_own) {
    if (negotiation != nullptr) {
      negotiation->AddTo(acc, prediction.num_equilibria, holds);
    } else {
      add_own();
    }
  };
  if (prediction.mixed) {
    if (!outcome_ready) MixedOutcome(game, view, prediction, s, acc.counted_profiles > 0);
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
    add_outcome([&] {
      acc.Add(s.slot_probabilities.data(), prediction.num_equilibria, s.payoffs.data(), holds);
    });
    acc.AddOptionMass(s.option_probabilities.data());
    if (s.dense_profiles) {
      acc.AddDenseProfileMass(s.products.data(), s.products.size());
    } else {
      acc.AddProfileMass(s.profile_probabilities.data(), s.profile_probabilities.size());
    }
  } else if (prediction.profile >= 0) {
    for (int p = 0; p < players; ++p) s.payoffs[p] = view.Payoff(prediction.profile, p);
    add_outcome([&] {
      acc.AddPure(game.outcome_of(prediction.profile), prediction.num_equilibria, s.payoffs.data(),
                  holds);
    });
    if (acc.counted_profiles > 0) {
      acc.AddPureProfile(prediction.profile);
    } else {
      for (int p = 0; p < players; ++p)
        s.strategies[p] = view.space->StrategyOf(prediction.profile, p);
      acc.AddPureOptions(s.strategies.data());
    }
  } else {
    add_outcome([&] { acc.AddPure(slots - 1, prediction.num_equilibria, nullptr, holds); });
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

// One model's part of a run: the model, its working memory, the
// accumulator it counts into, and (timed runs) where its time adds up.
struct Lane {
  const Model* model = nullptr;
  BlockScratch* scratch = nullptr;
  Accumulator* acc = nullptr;
  int64_t* nanoseconds = nullptr;  // null: not timed
};

int64_t NanosecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              start)
      .count();
}

// Prepares a lane's buffers for `game` on first use.
void PrepareLane(const GameModel& game, const RunOptions& options, int width, Lane& lane) {
  BlockScratch& s = *lane.scratch;
  lane.acc->ReserveActions();
  if (s.ready) return;
  if (game.rounds() != nullptr) {
    s.negotiation = std::make_unique<NegotiationPlayer>(game, *lane.model, options.seed, width);
  }
  const int players = game.num_players();
  s.payoffs.resize(players);
  s.slot_probabilities.resize(game.num_outcomes() + 1);
  s.option_probabilities.assign(static_cast<size_t>(lane.acc->num_option_slots()), 0.0);
  s.strategies.resize(players);
  s.rngs.reserve(static_cast<size_t>(width));
  s.predictions.resize(static_cast<size_t>(width));
  s.ready = true;
}

// Multi-round scenarios: each sample's negotiation (sim/mc/negotiation.h),
// counted by how it ended, with its first round's play as what each actor
// does. Myopic actors' first round is the chunk's prediction, as in a
// one-round run; forward-looking actors' is the negotiation's own.
void PlayNegotiations(const GameModel& game, const RunOptions& options,
                      const std::vector<int32_t>& offsets, int width, int64_t first, int64_t chunk,
                      int64_t n, const DrawScratch& d, Lane& lane) {
  const int args = game.num_arguments();
  const int slots = game.num_outcomes() + 1;
  const Model& model = *lane.model;
  BlockScratch& s = *lane.scratch;
  Accumulator& acc = *lane.acc;
  NegotiationPlayer& negotiation = *s.negotiation;
  const bool forward = game.rounds()->forward_looking;
  const ChunkView chunk_view{&game.space(), offsets.data(), d.values.data(), width,
                             static_cast<int>(n)};
  if (!forward && !game.sequential()) {
    s.rngs.clear();
    for (int64_t j = chunk; j < chunk + n; ++j) {
      s.rngs.emplace_back(options.seed, static_cast<uint64_t>(first + j), RngStream::kModel);
    }
    model.PredictChunk(chunk_view, s.rngs.data(), *s.model, s.predictions.data());
  }
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t index = static_cast<uint64_t>(first + chunk + i);
    const uint8_t* holds = d.holds.data() + (chunk + i) * args;
    const double* values = d.values.data() + i;
    bool finite = true;
    if (game.sequential()) {
      TreePrediction tree;
      if (forward) {
        negotiation.Play(index, values, nullptr);
        tree = negotiation.first_tree();
      } else {
        SampleRng rng(options.seed, index, RngStream::kModel);
        model.PredictTree(game.Tree(values, offsets), rng, *s.model, tree);
        TreePredictionOutcome(game, tree, s);
        negotiation.Play(index, values, &s);
      }
      finite = AddTreeSample(game, tree, holds, s, acc, &negotiation);
    } else if (forward) {
      negotiation.Play(index, values, nullptr);
      finite = AddPrediction(game, negotiation.first_view(), negotiation.first_prediction(), holds,
                             slots, s, acc, &negotiation);
    } else {
      const Prediction& prediction = s.predictions[i];
      const GameView view = chunk_view.game(static_cast<int>(i));
      PredictionOutcome(game, view, prediction, s, acc.counted_profiles > 0);
      negotiation.Play(index, values, &s);
      finite = AddPrediction(game, view, prediction, holds, slots, s, acc, &negotiation,
                             /*outcome_ready=*/true);
    }
    if (!finite && s.non_finite != nullptr) {
      s.non_finite->Note(static_cast<int64_t>(index), NonFinite::kPrediction);
    }
    const std::vector<double>& ended = negotiation.final_slots();
    std::copy(ended.begin(), ended.end(), s.slot_probabilities.begin());
    RecordSample(s, static_cast<int64_t>(index), -1);
    RecordRow(s, static_cast<int64_t>(index), values, width, holds, -1,
              game.sequential() ? nullptr
              : forward         ? &negotiation.first_prediction()
                                : &s.predictions[i],
              game, &negotiation);
  }
}

// Predicts and counts samples [chunk, chunk + n) of the block (first: the
// block's first sample index) for one lane, from the chunk's tables.
void PredictChunk(const GameModel& game, const RunOptions& options,
                  const std::vector<int32_t>& offsets, int width, int64_t first, int64_t chunk,
                  int64_t n, const DrawScratch& d, Lane& lane) {
  const int args = game.num_arguments();
  const int slots = game.num_outcomes() + 1;
  const Model& model = *lane.model;
  BlockScratch& s = *lane.scratch;
  Accumulator& acc = *lane.acc;
  if (s.negotiation != nullptr) {
    PlayNegotiations(game, options, offsets, width, first, chunk, n, d, lane);
    return;
  }
  if (game.sequential()) {
    TreePrediction tree_prediction;
    for (int64_t j = chunk; j < chunk + n; ++j) {
      SampleRng rng(options.seed, static_cast<uint64_t>(first + j), RngStream::kModel);
      const TreeView view = game.Tree(d.values.data() + (j - chunk), offsets);
      model.PredictTree(view, rng, *s.model, tree_prediction);
      if (!AddTreeSample(game, tree_prediction, d.holds.data() + j * args, s, acc) &&
          s.non_finite != nullptr) {
        s.non_finite->Note(first + j, NonFinite::kPrediction);
      }
      // AddTreeSample left the sample's distribution in s.slot_probabilities.
      RecordSample(s, first + j, tree_prediction.play == nullptr ? slots - 1 : -1);
      RecordRow(s, first + j, d.values.data() + (j - chunk), width, d.holds.data() + j * args,
                tree_prediction.play == nullptr ? slots - 1 : -1, nullptr, game);
    }
    return;
  }
  // The chunk's games are solved together (Model::PredictChunk), then
  // counted in sample order.
  s.rngs.clear();
  for (int64_t j = chunk; j < chunk + n; ++j) {
    s.rngs.emplace_back(options.seed, static_cast<uint64_t>(first + j), RngStream::kModel);
  }
  const ChunkView view{&game.space(), offsets.data(), d.values.data(), width, static_cast<int>(n)};
  model.PredictChunk(view, s.rngs.data(), *s.model, s.predictions.data());
  for (int i = 0; i < n; ++i) {
    const Prediction& prediction = s.predictions[i];
    if (!AddPrediction(game, view.game(i), prediction, d.holds.data() + (chunk + i) * args, slots,
                       s, acc) &&
        s.non_finite != nullptr) {
      s.non_finite->Note(first + chunk + i, NonFinite::kPrediction);
    }
    // A mixed prediction's distribution is in s.slot_probabilities.
    const int slot = prediction.mixed          ? -1
                     : prediction.profile >= 0 ? game.outcome_of(prediction.profile)
                                               : slots - 1;
    RecordSample(s, first + chunk + i, slot);
    RecordRow(s, first + chunk + i, d.values.data() + i, width, d.holds.data() + (chunk + i) * args,
              slot, &prediction, game);
  }
}

// Samples [first, first + count) of a run, `width` at a time: their draws go
// into one buffer, the payoff program computes their tables side by side,
// and each lane's model then solves them and counts them in sample order
// (so each lane's totals are those of one sample at a time, whatever the
// other lanes). Every block has `block` rows (the last one may use fewer),
// so that the per-block sums are the same for any split. When timed
// (`draw_ns` set), the draws' time and each lane's time are added up.
void ProcessBlock(const GameModel& game, std::span<Lane> lanes, const RunOptions& options,
                  const std::vector<int32_t>& offsets, int width, int64_t block, int64_t first,
                  int64_t count, DrawScratch& d, int64_t* draw_ns,
                  const ShiftedSobol* sobol = nullptr, const std::vector<int>* uncertain = nullptr,
                  int64_t replicate_first = 0) {
  const int args = game.num_arguments();
  const PayoffProgram& program = game.payoff_program();
  if (d.values.empty()) {
    d.values.assign(static_cast<size_t>(program.num_slots()) * width, 0.0);
    program.Initialize(d.values.data(), width);
    d.holds.resize(static_cast<size_t>(block) * std::max(args, 1));
  }
  for (Lane& lane : lanes) PrepareLane(game, options, width, lane);
  using TimePoint = std::chrono::steady_clock::time_point;
  const bool timed = draw_ns != nullptr;
  for (int64_t chunk = 0; chunk < count; chunk += width) {
    const auto draw_start = timed ? std::chrono::steady_clock::now() : TimePoint{};
    const int64_t n = std::min<int64_t>(width, count - chunk);
    if (sobol != nullptr) {
      // Sample first + chunk + i is point first + chunk + i - replicate_first
      // of the replicate's shifted sequence; steps that cannot vary take 1/2.
      const int dims = sobol->dimension();
      d.uniforms.assign(static_cast<size_t>(game.num_uniforms()), 0.5);
      d.points.resize(static_cast<size_t>(n * dims));
      sobol->Points(static_cast<uint64_t>(first + chunk - replicate_first), n, d.points.data());
      for (int64_t i = 0; i < n; ++i) {
        for (int j = 0; j < dims; ++j) d.uniforms[(*uncertain)[j]] = d.points[i * dims + j];
        game.DrawFromUniforms(d.uniforms.data(), d.values.data() + i, width,
                              d.holds.data() + (chunk + i) * args);
      }
    } else {
      for (int64_t i = 0; i < n; ++i) {
        SampleRng rng(options.seed, static_cast<uint64_t>(first + chunk + i), RngStream::kScenario);
        game.DrawSample(rng, d.values.data() + i, width, d.holds.data() + (chunk + i) * args);
      }
    }
    // Every table entry is a sum of finite multiples of the draws, so
    // finite draws make a finite table. (Lanes past n hold the previous
    // chunk's draws, already checked, or zeros.) A draw that is not finite
    // fails every model's run.
    if (!AllFinite(d.values.data(), static_cast<int64_t>(program.num_draws()) * width)) {
      for (int64_t i = 0; i < n; ++i) {
        for (int v = 0; v < program.num_draws(); ++v) {
          if (!std::isfinite(d.values[static_cast<size_t>(v) * width + i])) {
            for (Lane& lane : lanes) {
              if (lane.scratch->non_finite != nullptr) {
                lane.scratch->non_finite->Note(first + chunk + i, NonFinite::kDraw);
              }
            }
            break;
          }
        }
      }
    }
    program.Evaluate(d.values.data(), width);
    if (timed) *draw_ns += NanosecondsSince(draw_start);
    for (Lane& lane : lanes) {
      const auto lane_start = timed ? std::chrono::steady_clock::now() : draw_start;
      PredictChunk(game, options, offsets, width, first, chunk, n, d, lane);
      if (timed) *lane.nanoseconds += NanosecondsSince(lane_start);
    }
  }
}

// Every lane's totals: what the runner's reduction joins (lane by lane, in
// the same fixed tree as a run of one model, so each lane's sums are
// bit-identical to that run's).
struct LaneTotals {
  std::vector<Accumulator> lanes;
  void Merge(const LaneTotals& other) {
    for (size_t k = 0; k < lanes.size(); ++k) lanes[k].Merge(other.lanes[k]);
  }
};

// What RunLanes needs beyond the models: the hooks of lane 0 (the only lane
// of a plain run) and each lane's per-sample slots.
struct LaneControl {
  std::function<bool(const Accumulator& totals)> stop;
  std::function<void(int64_t done, int64_t planned)> progress;
  std::vector<double*> sample_slots;  // per lane; entries may be null
  bool timed = false;
  SampleSink per_sample;  // lane 0's records (RunControl::per_sample)
};

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

namespace {

// The runner proper: every model of `models` on the same samples, one lane
// each. A plain run is one lane.
StatusOr<ModelsRunResult> RunLanes(const GameModel& game, const std::vector<const Model*>& models,
                                   const RunOptions& options, const LaneControl& control) {
  std::string why;
  if (!options.IsValid(&why)) return InvalidArgument(why);
  if (models.empty()) return InvalidArgument("no model to run");
  if (options.sampler == Sampler::kSobol) PARLEY_RETURN_IF_ERROR(game.CheckUniformDesigns());
  for (const Model* model : models) {
    if (game.sequential() ? !model->sequential() : !model->normal_form()) {
      return InvalidArgument("model '" + std::string(model->name()) + "' does not solve " +
                             (game.sequential() ? "sequential" : "normal-form") + " games");
    }
  }
  const size_t lanes = models.size();
  const int64_t block = BlockSizeFor(game);
  const int64_t blocks = (options.samples + block - 1) / block;
  const int width = ChunkWidthFor(game);
  const std::vector<int32_t> offsets = game.ProgramOffsets(width);
  Accumulator empty(game.num_outcomes(), game.num_players(), game.num_arguments());
  empty.threat_credible.assign(game.threat_nodes().size(), 0);
  empty.threat_carried_out.assign(game.threat_nodes().size(), 0);
  if (const CompiledRounds* rounds = game.rounds(); rounds != nullptr) {
    PARLEY_RETURN_IF_ERROR(CheckRoundsPlayable(game));
    empty.rounds.Declare(rounds->max_rounds, game.num_outcomes() + 1,
                         static_cast<int>(rounds->state.size()));
  }
  empty.CountActions(OptionOffsets(game),
                     !game.sequential() && game.space().num_profiles() <= kMaxCountedProfiles
                         ? game.space().num_profiles()
                         : 0);
  const LaneTotals empty_lanes{std::vector<Accumulator>(lanes, empty)};
  // Per-sample records (lane 0): one batch of samples at a time, handed to
  // the sink between batches in sample order.
  const int64_t batch_samples = kBlocksPerBatch * block;
  std::optional<SampleBatch> batch;
  Status sink_error;
  if (control.per_sample) {
    if (options.sampler != Sampler::kPhilox) {
      return InvalidArgument("per-sample records need the philox sampler");
    }
    batch.emplace();
    SampleBatch& b = *batch;
    b.num_draws = game.num_draws();
    b.num_arguments = game.num_arguments();
    b.num_slots = game.num_outcomes() + 1;
    if (!game.sequential()) {
      b.option_offsets = OptionOffsets(game);
      b.num_option_slots = b.option_offsets.back();
    }
    const auto n = static_cast<size_t>(std::min(batch_samples, options.samples));
    b.draws.resize(n * b.num_draws);
    b.holds.resize(n * b.num_arguments);
    b.slots.resize(n * b.num_slots);
    b.options.resize(n * b.num_option_slots);
    if (game.rounds() != nullptr) b.rounds.resize(n);
  }
  const auto start = std::chrono::steady_clock::now();
  ThreadArena arena(options.threads);
  const std::vector<int> uncertain = UncertainSteps(game);
  std::vector<NonFinite> non_finite(lanes);
  auto any_non_finite = [&] {
    return std::any_of(non_finite.begin(), non_finite.end(),
                       [](const NonFinite& n) { return n.found(); });
  };
  // Time spent, summed over threads: the draws once, each lane its own.
  std::atomic<int64_t> draw_ns{0};
  std::vector<std::atomic<int64_t>> lane_ns(lanes);
  // Adds blocks [b0, b1) of the samples [begin, end) (begin a multiple of
  // the block size, or a replicate's first sample) into acc.
  auto add_blocks = [&](int64_t begin, int64_t end, const ShiftedSobol* sobol, int64_t b0,
                        int64_t b1, LaneTotals& acc) {
    DrawScratch draws;
    std::vector<BlockScratch> scratch(lanes);
    std::vector<int64_t> ns(lanes, 0);
    int64_t draws_ns = 0;
    std::vector<Lane> work(lanes);
    for (size_t k = 0; k < lanes; ++k) {
      scratch[k].model = models[k]->NewScratch();
      scratch[k].non_finite = &non_finite[k];
      scratch[k].sample_slots = k < control.sample_slots.size() ? control.sample_slots[k] : nullptr;
      if (k == 0 && batch) {
        scratch[k].batch = &*batch;
        scratch[k].batch_samples = batch_samples;
      }
      work[k] = {models[k], &scratch[k], &acc.lanes[k], &ns[k]};
    }
    for (int64_t b = b0; b != b1; ++b) {
      const int64_t first = begin + b * block;
      ProcessBlock(game, work, options, offsets, width, block, first, std::min(block, end - first),
                   draws, control.timed ? &draws_ns : nullptr, sobol, &uncertain, begin);
    }
    if (control.timed) {
      draw_ns += draws_ns;
      for (size_t k = 0; k < lanes; ++k) lane_ns[k] += ns[k];
    }
  };
  LaneTotals totals = empty_lanes;
  std::vector<std::vector<Accumulator>> replicates(lanes);
  // With several ranks, what a rank sends for the part of the samples it
  // computed ([first, first + count)): the totals, then what the part wrote
  // outside them (the first non-finite sample each lane noted, each lane's
  // per-sample slots, the per-sample records), which every rank copies in
  // before using the part.
  const int slot_count = game.num_outcomes() + 1;
  const Ranks& ranks = WorldRanks();
  Status exchange_error;
  auto pack_part = [&](int64_t first, int64_t count, const LaneTotals& part, ByteWriter& out) {
    for (const Accumulator& lane : part.lanes) lane.Save(out);
    for (const NonFinite& n : non_finite) out.Put(n.first.load());
    for (size_t k = 0; k < lanes; ++k) {
      if (k < control.sample_slots.size() && control.sample_slots[k] != nullptr) {
        out.PutArray(control.sample_slots[k] + first * slot_count, count * slot_count);
      }
    }
    if (batch) {
      const SampleBatch& b = *batch;
      out.PutArray(b.draws.data(), count * b.num_draws);
      out.PutArray(b.holds.data(), count * b.num_arguments);
      out.PutArray(b.slots.data(), count * b.num_slots);
      out.PutArray(b.options.data(), count * b.num_option_slots);
      if (!b.rounds.empty()) out.PutArray(b.rounds.data(), count);
    }
  };
  auto unpack_part = [&](int64_t first, int64_t count, ByteReader& in) {
    LaneTotals part = empty_lanes;
    for (Accumulator& lane : part.lanes) lane.Load(in);
    for (NonFinite& n : non_finite) {
      int64_t code = NonFinite::kNone;
      in.Get(code);
      if (code != NonFinite::kNone) n.Note(code / 2, static_cast<NonFinite::Kind>(code % 2));
    }
    for (size_t k = 0; k < lanes; ++k) {
      if (k < control.sample_slots.size() && control.sample_slots[k] != nullptr) {
        in.GetArray(control.sample_slots[k] + first * slot_count, count * slot_count);
      }
    }
    if (batch) {
      SampleBatch& b = *batch;
      in.GetArray(b.draws.data(), count * b.num_draws);
      in.GetArray(b.holds.data(), count * b.num_arguments);
      in.GetArray(b.slots.data(), count * b.num_slots);
      in.GetArray(b.options.data(), count * b.num_option_slots);
      if (!b.rounds.empty()) in.GetArray(b.rounds.data(), count);
    }
    if (!in.done() && exchange_error.ok()) {
      exchange_error = Internal("samples from " + std::to_string(first) +
                                " arrived from their rank incomplete; nothing was written");
    }
    return part;
  };
  if (options.sampler == Sampler::kPhilox) {
    // Batch i is blocks [i kBlocksPerBatch, (i + 1) kBlocksPerBatch),
    // reduced in DeterministicReduce's tree and folded left to right; with
    // several ranks, each computes every K-th batch (DistributeInOrder). The
    // hooks run between batches, so stopping early yields the totals of a
    // plain run of the samples done.
    const int64_t batches = (blocks + kBlocksPerBatch - 1) / kBlocksPerBatch;
    auto batch_blocks = [&](int64_t i) {
      return std::pair{i * kBlocksPerBatch, std::min(blocks, (i + 1) * kBlocksPerBatch)};
    };
    auto batch_samples_of = [&](int64_t i) {
      const int64_t first = i * batch_samples;
      return std::pair{first, std::min(options.samples, first + batch_samples) - first};
    };
    auto compute = [&](int64_t i) {
      // Not a structured binding: Clang 14 cannot capture one in a lambda.
      const std::pair<int64_t, int64_t> range = batch_blocks(i);
      const int64_t b0 = range.first, b1 = range.second;
      LaneTotals part;
      arena.Execute([&] {
        part = DeterministicReduce(b0, b1, empty_lanes,
                                   [&](int64_t begin, int64_t end, LaneTotals& acc) {
                                     add_blocks(0, options.samples, nullptr, begin, end, acc);
                                   });
      });
      return part;
    };
    auto use = [&](int64_t i, LaneTotals&& part) {
      totals.Merge(part);
      // A non-finite sample ends the run (with the error below).
      if (any_non_finite() || !exchange_error.ok()) return false;
      if (batch) {
        std::tie(batch->first, batch->count) = batch_samples_of(i);
        sink_error = control.per_sample(*batch);
        if (!sink_error.ok()) return false;
      }
      const Accumulator& first = totals.lanes.front();
      if (control.progress) control.progress(first.samples, options.samples);
      return !(control.stop && i + 1 < batches && control.stop(first));
    };
    DistributeInOrder(
        ranks, batches, compute,
        [&](int64_t i, const LaneTotals& part, ByteWriter& out) {
          const auto [first, count] = batch_samples_of(i);
          pack_part(first, count, part, out);
        },
        [&](int64_t i, ByteReader& in) {
          const auto [first, count] = batch_samples_of(i);
          return unpack_part(first, count, in);
        },
        use);
    PARLEY_RETURN_IF_ERROR(exchange_error);
  } else {
    // Replicate r holds samples [r m, (r + 1) m) and shift r, its blocks
    // counted from r m. (No early stop: a replicate is one quasi-random
    // sequence.)
    const int64_t count = std::min<int64_t>(options.sobol_replicates, options.samples);
    const int64_t m = (options.samples + count - 1) / count;
    const int64_t count_replicates = (options.samples + m - 1) / m;
    PARLEY_RETURN_IF_ERROR(
        ShiftedSobol::Make(static_cast<int>(uncertain.size()), options.seed, 0).status());
    auto range_of = [&](int64_t r) {
      return std::pair{r * m, std::min(options.samples, (r + 1) * m) - r * m};
    };
    Status sobol_error;
    DistributeInOrder(
        ranks, count_replicates,
        [&](int64_t r) {
          LaneTotals replicate = empty_lanes;
          auto sobol = ShiftedSobol::Make(static_cast<int>(uncertain.size()), options.seed,
                                          static_cast<uint64_t>(r));
          if (!sobol.ok()) {
            sobol_error = sobol.status();
            return replicate;
          }
          const int64_t begin = r * m, end = std::min(options.samples, (r + 1) * m);
          arena.Execute([&] {
            replicate = DeterministicReduce(0, (end - begin + block - 1) / block, empty_lanes,
                                            [&](int64_t b0, int64_t b1, LaneTotals& acc) {
                                              add_blocks(begin, end, &*sobol, b0, b1, acc);
                                            });
          });
          return replicate;
        },
        [&](int64_t r, const LaneTotals& part, ByteWriter& out) {
          const auto [first, count] = range_of(r);
          pack_part(first, count, part, out);
        },
        [&](int64_t r, ByteReader& in) {
          const auto [first, count] = range_of(r);
          return unpack_part(first, count, in);
        },
        [&](int64_t, LaneTotals&& replicate) {
          if (any_non_finite() || !sobol_error.ok() || !exchange_error.ok()) return false;
          totals.Merge(replicate);
          for (size_t k = 0; k < lanes; ++k) {
            replicates[k].push_back(std::move(replicate.lanes[k]));
          }
          if (control.progress) control.progress(totals.lanes.front().samples, options.samples);
          return true;
        });
    PARLEY_RETURN_IF_ERROR(sobol_error);
    PARLEY_RETURN_IF_ERROR(exchange_error);
  }
  PARLEY_RETURN_IF_ERROR(sink_error);
  for (size_t k = 0; k < lanes; ++k) {
    PARLEY_RETURN_IF_ERROR(
        NonFiniteError(non_finite[k], models[k]->name(), options.seed, "sample"));
  }
  ModelsRunResult result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.threads_used = arena.threads();
  result.draw_seconds = 1e-9 * static_cast<double>(draw_ns.load());
  for (size_t k = 0; k < lanes; ++k) {
    RunResult run;
    run.totals = std::move(totals.lanes[k]);
    run.replicates = std::move(replicates[k]);
    run.threads_used = result.threads_used;
    run.block_size = block;
    run.seconds = control.timed ? 1e-9 * static_cast<double>(lane_ns[k].load()) : result.seconds;
    result.runs.push_back(std::move(run));
  }
  return result;
}

}  // namespace

StatusOr<RunResult> RunMonteCarlo(const GameModel& game, const Model& model,
                                  const RunOptions& options) {
  return RunMonteCarlo(game, model, options, RunControl{});
}

StatusOr<RunResult> RunMonteCarlo(const GameModel& game, const Model& model,
                                  const RunOptions& options, const RunControl& control) {
  LaneControl lane{
      control.stop, control.progress, {control.sample_slots}, false, control.per_sample};
  PARLEY_ASSIGN_OR_RETURN(ModelsRunResult run, RunLanes(game, {&model}, options, lane));
  return std::move(run.runs.front());
}

StatusOr<ModelsRunResult> RunMonteCarloModels(const GameModel& game,
                                              const std::vector<const Model*>& models,
                                              const RunOptions& options,
                                              const std::vector<double*>& sample_slots,
                                              std::function<void(int64_t, int64_t)> progress) {
  if (!sample_slots.empty() && sample_slots.size() != models.size()) {
    return InvalidArgument("sample_slots: one entry per model, or none");
  }
  return RunLanes(game, models, options,
                  LaneControl{{}, std::move(progress), sample_slots, true, {}});
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
    if (game.rounds() != nullptr) {
      // A point's outputs are how its negotiation ends by the round limit.
      if (!s.negotiation) s.negotiation = std::make_unique<NegotiationPlayer>(game, model, seed, 1);
      s.negotiation->PlayTable(model_keys[i], s.tables.data() + i, s.tables.rows(),
                               thetas.data() + i, thetas.rows());
      const std::vector<double>& ended = s.negotiation->final_slots();
      std::copy(ended.begin(), ended.end(), slot);
      if (const double* value = s.negotiation->value(); value != nullptr) {
        std::copy(value, value + players, pay);
      }
      if (!AllFinite(slot, slots)) non_finite.Note(key, NonFinite::kPrediction);
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
