#include "sim/mc/attribution.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <numeric>

#include "sim/core/bytes.h"
#include "sim/core/ranks.h"
#include "sim/mc/negotiation.h"
#include "sim/mc/non_finite.h"
#include "sim/mc/parallel.h"
#include "sim/mc/runner.h"

namespace parley {
namespace {

// Fixed, so part of the determinism contract: samples per block (each
// sample is many solves), blocks per batch (progress is reported between
// batches, which are folded left to right).
constexpr int64_t kSamplesPerBlock = 8;
constexpr int64_t kBlocksPerAttributionBatch = 64;
// Table entries and draws of one chunk of coalitions: about 32 MiB.
constexpr int64_t kChunkEntriesBudget = int64_t{1} << 22;
constexpr int kMaxCoalitionRows = 256;
// Beyond this many arguments 2^k coalitions are never enumerated.
constexpr int kMaxExactArguments = 20;

// What a block of samples adds up; joined in a fixed order.
struct Totals {
  int64_t samples = 0;
  std::vector<double> mass;       // exact: [mask][slot]; sampled: [none, all][slot]
  std::vector<RunningStats> phi;  // [player][slot]: per-sample Shapley values

  void Merge(const Totals& o) {
    samples += o.samples;
    for (size_t i = 0; i < mass.size(); ++i) mass[i] += o.mass[i];
    for (size_t i = 0; i < phi.size(); ++i) phi[i].Merge(o.phi[i]);
  }
};

// Evaluates coalitions of one sample: its draws with the draws of the
// players outside each coalition zeroed, as a block of payoff tables, then
// the model on each. Per-thread buffers.
class CoalitionEvaluator {
 public:
  CoalitionEvaluator(const GameModel& game, const Model& model, const AttributionOptions& options,
                     const std::vector<int>& player_of_argument)
      : game_(game), model_(model), options_(options), player_of_argument_(player_of_argument) {
    const int64_t entries = static_cast<int64_t>(game.num_classes()) * game.num_players() +
                            game.tree().num_probabilities();
    rows_ = static_cast<int>(std::clamp<int64_t>(
        kChunkEntriesBudget / (entries + game.num_draws() + 1), 1, kMaxCoalitionRows));
    slots_ = game.num_outcomes() + 1;
    probabilities_.resize(slots_);
    payoffs_.resize(game.num_players());
    sample_theta_.resize(game.num_draws());
    holds_.resize(std::max(game.num_arguments(), 1));
  }

  // Draws sample `index` with every player holding.
  void Draw(int64_t index) {
    SampleRng rng(options_.seed, static_cast<uint64_t>(index), RngStream::kScenario);
    game_.DrawSample(rng, sample_theta_.data(), 1, holds_.data());
    index_ = index;
  }

  // Whether the sample drawn has only finite draws.
  bool DrawIsFinite() const {
    return AllFinite(sample_theta_.data(), static_cast<int64_t>(sample_theta_.size()));
  }

  // Coalition r is in[r * k .. r * k + k) (1: the player holds); its slot
  // probabilities go to v[r * slots ...].
  void Evaluate(const uint8_t* in, int k, int64_t count, double* v) {
    const int draws = game_.num_draws();
    for (int64_t first = 0; first < count; first += rows_) {
      const int64_t n = std::min<int64_t>(rows_, count - first);
      // Exactly n rows, so no table is computed for nothing (a sampled
      // sample needs k + 1 rows); the offsets follow the row count.
      if (thetas_.rows() != n) {
        thetas_.setZero(n, draws);
        offsets_ = game_.EntryOffsets(game_.sequential() ? 1 : n);
      }
      for (int64_t r = 0; r < n; ++r) {
        const uint8_t* row_in = in + (first + r) * k;
        for (int d = 0; d < draws; ++d) {
          const int gate = game_.draw_gate(d);
          const int player = gate < 0 ? -1 : player_of_argument_[gate];
          thetas_(r, d) = player < 0 || row_in[player] ? sample_theta_[d] : 0.0;
        }
      }
      game_.EvaluatePayoffs(thetas_, tables_);
      for (int64_t r = 0; r < n; ++r) Predict(r, v + (first + r) * slots_);
    }
  }

 private:
  // The slot probabilities of the model's prediction for table row r, as
  // the runner records them.
  void Predict(int64_t r, double* out) {
    if (game_.rounds() != nullptr) {
      // A coalition's value is how its negotiation ends by the round limit.
      if (!negotiation_) {
        negotiation_ = std::make_unique<NegotiationPlayer>(game_, model_, options_.seed, 1);
      }
      negotiation_->PlayTable(static_cast<uint64_t>(index_), tables_.data() + r, tables_.rows(),
                              thetas_.data() + r, thetas_.rows());
      const std::vector<double>& ended = negotiation_->final_slots();
      std::copy(ended.begin(), ended.end(), out);
      return;
    }
    std::fill(out, out + slots_, 0.0);
    SampleRng rng(options_.seed, static_cast<uint64_t>(index_), RngStream::kModel);
    if (game_.sequential()) {
      const Eigen::Index entries = tables_.cols();
      sample_table_.resize(static_cast<size_t>(entries));
      for (Eigen::Index e = 0; e < entries; ++e) sample_table_[e] = tables_(r, e);
      const TreeView view = game_.Tree(sample_table_.data(), offsets_);
      TreePrediction prediction;
      model_.PredictTree(view, rng, *scratch_, prediction);
      if (prediction.play == nullptr) {
        out[slots_ - 1] = 1.0;
        return;
      }
      TreeSlots(*prediction.play, out);
      return;
    }
    const GameView view = game_.View(tables_.data() + r, offsets_);
    model_.Predict(view, rng, *scratch_, prediction_);
    if (prediction_.mixed) {
      const ProfileSpace& space = game_.space();
      const int players = game_.num_players();
      for (int64_t q = 0; q < space.num_profiles(); ++q) {
        double probability = 1.0;
        for (int p = 0; p < players && probability != 0.0; ++p) {
          probability *= prediction_.strategies[p](space.StrategyOf(q, p));
        }
        if (probability != 0.0) out[game_.outcome_of(q)] += probability;
      }
    } else if (prediction_.profile >= 0) {
      out[game_.outcome_of(prediction_.profile)] = 1.0;
    } else {
      out[slots_ - 1] = 1.0;
    }
  }

  // The outcome distribution of equilibrium play: the probability of each
  // terminal that play (and chance) reaches, each terminal counted once.
  void TreeSlots(const SubgamePerfect& play, double* out) {
    const GameTree& tree = game_.tree();
    terminals_.clear();
    stack_.assign(1, 0);
    while (!stack_.empty()) {
      const int v = stack_.back();
      stack_.pop_back();
      const TreeNode& node = tree.node(v);
      if (node.kind == NodeKind::kTerminal) {
        terminals_.push_back(v);
        continue;
      }
      const auto kids = tree.children(v);
      if (node.kind == NodeKind::kDecision) {
        stack_.push_back(kids[play.choice[v]]);
      } else {
        for (const int32_t child : kids) {
          if (play.reach[child] > 0.0) stack_.push_back(child);
        }
      }
    }
    std::sort(terminals_.begin(), terminals_.end());
    terminals_.erase(std::unique(terminals_.begin(), terminals_.end()), terminals_.end());
    if (terminals_.size() == 1) {
      out[game_.outcome_of(tree.node(terminals_[0]).terminal)] = 1.0;
      return;
    }
    for (const int32_t v : terminals_)
      out[game_.outcome_of(tree.node(v).terminal)] += play.reach[v];
  }

  const GameModel& game_;
  const Model& model_;
  const AttributionOptions& options_;
  const std::vector<int>& player_of_argument_;
  int rows_ = 1;
  int slots_ = 1;
  int64_t index_ = 0;
  Eigen::MatrixXd thetas_, tables_;
  std::vector<int32_t> offsets_;
  std::vector<double> sample_theta_, sample_table_, probabilities_, payoffs_;
  std::vector<uint8_t> holds_;
  std::vector<int32_t> terminals_, stack_;
  Prediction prediction_;
  std::unique_ptr<ModelScratch> scratch_ = model_.NewScratch();
  std::unique_ptr<NegotiationPlayer> negotiation_;  // multi-round scenarios
};

// |S|! (k - |S| - 1)! / k! for |S| = 0 .. k-1, and 0 for |S| = k (the full
// coalition, which has no one left to add), so any popcount indexes it.
std::vector<double> ShapleyWeights(int k) {
  std::vector<double> w(k + 1, 0.0);
  for (int s = 0; s < k; ++s) {
    // 1 / (k * C(k-1, s)), computed without large factorials.
    double c = 1.0;
    for (int j = 1; j <= s; ++j) c = c * (k - 1 - s + j) / j;
    w[s] = 1.0 / (k * c);
  }
  return w;
}

}  // namespace

std::vector<double> ShapleyValues(int k, const std::vector<double>& v) {
  const std::vector<double> w = ShapleyWeights(k);
  std::vector<double> phi(k, 0.0);
  const uint64_t coalitions = uint64_t{1} << k;
  for (uint64_t mask = 0; mask < coalitions; ++mask) {
    const int s = std::popcount(mask);
    for (int i = 0; i < k; ++i) {
      if (mask >> i & 1) continue;
      phi[i] += w[s] * (v[mask | uint64_t{1} << i] - v[mask]);
    }
  }
  return phi;
}

StatusOr<AttributionResult> ShapleyAttribution(const ScenarioSpec& spec,
                                               const std::vector<ArgumentMode>& modes,
                                               const Model& model,
                                               const AttributionOptions& options) {
  RunOptions run_options;
  run_options.samples = options.samples;
  run_options.threads = options.threads;
  std::string why;
  if (!run_options.IsValid(&why)) return InvalidArgument(why);
  if (options.permutations_per_sample < 1 || options.permutations_per_sample > 1024) {
    return InvalidArgument("permutations per sample must be between 1 and 1024");
  }
  // Every player forced on: its draws are made, and zeroed per coalition.
  std::vector<ArgumentMode> on(spec.arguments.size(), ArgumentMode::kDrawn);
  std::copy_n(modes.begin(), std::min(modes.size(), on.size()), on.begin());
  AttributionResult result;
  std::vector<int> player_of_argument(spec.arguments.size(), -1);
  for (size_t g = 0; g < on.size(); ++g) {
    if (on[g] != ArgumentMode::kDrawn) continue;
    player_of_argument[g] = static_cast<int>(result.players.size());
    result.players.push_back(static_cast<int>(g));
    on[g] = ArgumentMode::kForcedOn;
  }
  // Coalitions switch arguments on and off whatever their drawn holds, so
  // correlations between holds play no part (the copula is left out).
  auto compiled = GameModel::Compile(spec, {on, /*independent_holds=*/true});
  if (!compiled.ok()) return compiled.status();
  const GameModel& game = *compiled;
  if (game.sequential() ? !model.sequential() : !model.normal_form()) {
    return InvalidArgument("model '" + std::string(model.name()) + "' does not solve " +
                           (game.sequential() ? "sequential" : "normal-form") + " games");
  }
  PARLEY_RETURN_IF_ERROR(CheckRoundsPlayable(game));

  const int k = static_cast<int>(result.players.size());
  const int slots = game.num_outcomes() + 1;
  result.exact = k <= std::min(options.exact_max_arguments, kMaxExactArguments);
  result.samples = options.samples;
  const int m = options.permutations_per_sample;
  // The coalitions every sample evaluates, k bytes each. Exact: all masks.
  // Sampled: none, all, then each permutation's proper non-empty prefixes
  // (filled per sample).
  const int64_t rows = result.exact ? int64_t{1} << k : 2 + int64_t{m} * std::max(k - 1, 0);
  result.coalitions = rows;
  result.permutations = result.exact ? 0 : options.samples * m;
  const std::vector<double> weights = ShapleyWeights(k);

  Totals empty;
  empty.mass.assign(static_cast<size_t>(result.exact ? rows : 2) * slots, 0.0);
  empty.phi.assign(static_cast<size_t>(k) * slots, {});

  NonFinite non_finite;
  auto process_sample = [&](int64_t index, CoalitionEvaluator& eval, std::vector<uint8_t>& in,
                            std::vector<double>& v, std::vector<double>& phi,
                            std::vector<int>& perm, Totals& acc) {
    in.assign(static_cast<size_t>(rows) * k, 0);
    if (result.exact) {
      for (int64_t mask = 0; mask < rows; ++mask) {
        for (int j = 0; j < k; ++j) in[mask * k + j] = mask >> j & 1;
      }
    } else {
      SampleRng rng(options.seed, static_cast<uint64_t>(index), RngStream::kAttribution);
      std::fill(in.begin() + k, in.begin() + 2 * k, 1);  // row 1: all
      perm.resize(static_cast<size_t>(m) * k);
      for (int p = 0; p < m; ++p) {
        int* order = perm.data() + static_cast<size_t>(p) * k;
        std::iota(order, order + k, 0);
        for (int j = k - 1; j > 0; --j) {  // Fisher-Yates
          const int pick = static_cast<int>(rng.Uniform() * (j + 1));
          std::swap(order[j], order[std::min(pick, j)]);
        }
        for (int j = 0; j + 1 < k; ++j) {  // prefix of j + 1 players
          uint8_t* row = in.data() + (2 + static_cast<int64_t>(p) * (k - 1) + j) * k;
          for (int i = 0; i <= j; ++i) row[order[i]] = 1;
        }
      }
    }
    v.resize(static_cast<size_t>(rows) * slots);
    eval.Draw(index);
    if (!eval.DrawIsFinite()) {
      non_finite.Note(index, NonFinite::kDraw);
      return;
    }
    eval.Evaluate(in.data(), k, rows, v.data());
    // Unresolved predictions are 1 in the last slot: every value is finite
    // unless a model produced NaN or infinity.
    if (!AllFinite(v.data(), static_cast<int64_t>(v.size()))) {
      non_finite.Note(index, NonFinite::kPrediction);
      return;
    }
    phi.assign(static_cast<size_t>(k) * slots, 0.0);
    if (result.exact) {
      for (int64_t mask = 0; mask < rows; ++mask) {
        const double w = weights[std::popcount(static_cast<uint64_t>(mask))];
        for (int i = 0; i < k; ++i) {
          if (mask >> i & 1) continue;
          const double* with = v.data() + (mask | int64_t{1} << i) * slots;
          const double* without = v.data() + mask * slots;
          for (int o = 0; o < slots; ++o) phi[i * slots + o] += w * (with[o] - without[o]);
        }
      }
      for (size_t e = 0; e < v.size(); ++e) acc.mass[e] += v[e];
    } else {
      for (int p = 0; p < m; ++p) {
        const int* order = perm.data() + static_cast<size_t>(p) * k;
        const double* previous = v.data();  // none
        for (int j = 0; j < k; ++j) {
          const double* current =
              j + 1 == k ? v.data() + slots
                         : v.data() + (2 + static_cast<int64_t>(p) * (k - 1) + j) * slots;
          for (int o = 0; o < slots; ++o) {
            phi[order[j] * slots + o] += (current[o] - previous[o]) / m;
          }
          previous = current;
        }
      }
      for (int e = 0; e < 2 * slots; ++e) acc.mass[e] += v[e];
    }
    for (size_t e = 0; e < phi.size(); ++e) acc.phi[e].Add(phi[e]);
    ++acc.samples;
  };

  const int64_t blocks = (options.samples + kSamplesPerBlock - 1) / kSamplesPerBlock;
  Totals totals = empty;
  const auto start = std::chrono::steady_clock::now();
  ThreadArena arena(options.threads);
  // On several ranks, a batch travels with the first non-finite sample its
  // rank noted.
  Status exchange_error;
  DistributedReduceInBatches(
      arena, WorldRanks(), blocks, kBlocksPerAttributionBatch, empty,
      [&](int64_t b0, int64_t b1, Totals& acc) {
        CoalitionEvaluator eval(game, model, options, player_of_argument);
        std::vector<uint8_t> in;
        std::vector<double> v, phi;
        std::vector<int> perm;
        for (int64_t b = b0; b != b1; ++b) {
          const int64_t end = std::min(options.samples, (b + 1) * kSamplesPerBlock);
          for (int64_t i = b * kSamplesPerBlock; i < end; ++i) {
            process_sample(i, eval, in, v, phi, perm, acc);
          }
        }
      },
      &totals,
      [&](const Totals& done, int64_t) {
        if (options.progress) options.progress(done.samples, options.samples);
        return !non_finite.found();  // the attribution fails: no need to go on
      },
      [&](const Totals& part, ByteWriter& out) {
        out.Put(part.samples);
        out.PutVector(part.mass);
        out.PutVector(part.phi);
        out.Put(non_finite.first.load());
      },
      [&](ByteReader& in, Totals& part) {
        in.Get(part.samples);
        in.GetVector(part.mass);
        in.GetVector(part.phi);
        int64_t code = NonFinite::kNone;
        in.Get(code);
        if (code != NonFinite::kNone) {
          non_finite.Note(code / 2, static_cast<NonFinite::Kind>(code % 2));
        }
        if (!in.done() && exchange_error.ok()) {
          exchange_error = Internal("a batch of the attribution arrived from its rank incomplete");
        }
      });
  PARLEY_RETURN_IF_ERROR(exchange_error);
  PARLEY_RETURN_IF_ERROR(NonFiniteError(non_finite, model.name(), options.seed, "sample"));

  const double n = static_cast<double>(totals.samples);
  result.none_hold.resize(slots);
  result.all_hold.resize(slots);
  const int64_t all_row = result.exact ? rows - 1 : 1;
  for (int o = 0; o < slots; ++o) {
    result.none_hold[o] = totals.mass[o] / n;
    result.all_hold[o] = totals.mass[all_row * slots + o] / n;
  }
  result.shapley.assign(k, std::vector<double>(slots, 0.0));
  result.ci95.assign(k, std::vector<Interval>(slots));
  if (result.exact) {
    result.coalition_values.assign(rows, std::vector<double>(slots));
    for (int64_t mask = 0; mask < rows; ++mask) {
      for (int o = 0; o < slots; ++o) {
        result.coalition_values[mask][o] = totals.mass[mask * slots + o] / n;
      }
    }
    std::vector<double> column(rows);
    for (int o = 0; o < slots; ++o) {
      for (int64_t mask = 0; mask < rows; ++mask) column[mask] = result.coalition_values[mask][o];
      const std::vector<double> phi = ShapleyValues(k, column);
      for (int i = 0; i < k; ++i) result.shapley[i][o] = phi[i];
    }
  }
  for (int i = 0; i < k; ++i) {
    for (int o = 0; o < slots; ++o) {
      const RunningStats& r = totals.phi[i * slots + o];
      if (!result.exact) result.shapley[i][o] = r.mean;
      const double half = r.n > 1 ? kZ95 * std::sqrt(r.Variance() / static_cast<double>(r.n)) : 0.0;
      result.ci95[i][o] = {result.shapley[i][o] - half, result.shapley[i][o] + half};
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace parley
