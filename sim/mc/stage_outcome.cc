#include "sim/mc/stage_outcome.h"

#include <algorithm>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parley {

namespace {

// How AddProfiles adds each profile's probability to its outcome's slot.
enum class Slots {
  kMemory,    // slots[outcome] += p: any number of slots
  kList,      // the same, and each profile of positive probability listed
  kRegister,  // at most four slots, kept in two SSE2 registers
};

// MixedOutcome's inner loop over one block of profiles [base, base +
// block), for kPlayers players (0: any number, read from the game). With
// the count known the expected payoffs are summed in registers; through
// memory every addition would be stored and reloaded (the compiler cannot
// tell those stores from the table's loads). The list is a template
// argument because its emplace_back may call the allocator: around a call
// the sums could not stay in (caller-saved) registers, and GCC then kept
// them on the stack for the whole loop. Slots::kRegister keeps the outcome
// sums in registers too: through memory, consecutive profiles of one
// outcome waited for each other's store (the loop's longest chain). Each
// slot gets p where the outcome is its own and +0 elsewhere; a sum is +0
// or positive (or NaN), to which adding +0 changes no bit. The same
// additions in the same order in every mode, so the same bits.
template <int kPlayers, Slots kMode>
void AddProfiles(const GameModel& game, const GameView& view, StageBuffers& s, int tabulated,
                 int64_t base, double* slots, double* payoffs) {
  const int players = kPlayers > 0 ? kPlayers : game.num_players();
  const int32_t* offset = view.offset;
  const double* table = view.table;
  const double* products = s.products.data();
  const double* factors = s.factors.data();
  const int32_t* class_of = game.class_of().data();
  const int32_t* outcome_of_class = game.outcome_of_class().data();
  const int64_t block = static_cast<int64_t>(s.products.size());
  double sum[kPlayers > 0 ? kPlayers : 1];
  if constexpr (kPlayers > 0) std::copy(payoffs, payoffs + kPlayers, sum);
  double* total = kPlayers > 0 ? sum : payoffs;
#if defined(__SSE2__)
  constexpr bool kInRegisters = kMode == Slots::kRegister;
  const int num_slots = kInRegisters ? static_cast<int>(s.slot_probabilities.size()) : 0;
  alignas(16) double four[4] = {0.0, 0.0, 0.0, 0.0};
  std::copy(slots, slots + num_slots, four);
  __m128d slot01 = _mm_load_pd(four), slot23 = _mm_load_pd(four + 2);
  const __m128d id01 = _mm_set_pd(1.0, 0.0), id23 = _mm_set_pd(3.0, 2.0);
#else
  static_assert(kMode != Slots::kRegister, "Slots::kRegister needs SSE2");
#endif
  // Every player tabulated (one block: a small game): no factor to apply.
  const bool whole = tabulated >= players;
  for (int64_t i = 0; i < block; ++i) {
    double probability = products[i];
    if (!whole) {
      for (int p = tabulated; p < players && probability != 0.0; ++p) probability *= factors[p];
    }
    if (probability == 0.0) continue;
    const int64_t q = base + i;
    if constexpr (kMode == Slots::kList) s.profile_probabilities.emplace_back(q, probability);
    const int outcome = outcome_of_class[class_of[q]];
#if defined(__SSE2__)
    if constexpr (kInRegisters) {
      const __m128d p2 = _mm_set1_pd(probability);
      const __m128d o2 = _mm_set1_pd(static_cast<double>(outcome));
      slot01 = _mm_add_pd(slot01, _mm_and_pd(_mm_cmpeq_pd(o2, id01), p2));
      slot23 = _mm_add_pd(slot23, _mm_and_pd(_mm_cmpeq_pd(o2, id23), p2));
    } else {
      slots[outcome] += probability;
    }
#else
    slots[outcome] += probability;
#endif
    const int32_t* row = offset + q * players;
    for (int p = 0; p < players; ++p) total[p] += probability * table[row[p]];
  }
#if defined(__SSE2__)
  if constexpr (kInRegisters) {
    _mm_store_pd(four, slot01);
    _mm_store_pd(four + 2, slot23);
    std::copy(four, four + num_slots, slots);
  }
#endif
  if constexpr (kPlayers > 0) std::copy(sum, sum + kPlayers, payoffs);
}

// AddProfiles for 0 (any number) to 6 players, with the count built in
// from 2 to 6.
template <Slots kMode>
constexpr decltype(&AddProfiles<0, kMode>) kAddProfiles[7] = {
    AddProfiles<0, kMode>, AddProfiles<0, kMode>, AddProfiles<2, kMode>, AddProfiles<3, kMode>,
    AddProfiles<4, kMode>, AddProfiles<5, kMode>, AddProfiles<6, kMode>};

// out[i] = in[i] x, or 0 where in[i] is 0 (whatever x is): the products of
// one more player's probabilities, from one array into another (in place,
// each pass had to run backwards over entries it had just written). GCC
// keeps the ?: as a branch, so the loop is not vectorised.
void ScaleProducts(const double* __restrict in, double x, int64_t n, double* __restrict out) {
  for (int64_t i = 0; i < n; ++i) out[i] = in[i] == 0.0 ? 0.0 : in[i] * x;
}

}  // namespace

// The outcome distribution and expected payoffs a mixed prediction induces,
// into s.slot_probabilities and s.payoffs; with `profiles`, also each
// profile of positive probability into s.profile_probabilities.
//
// A profile's probability is the product of its strategies' probabilities,
// multiplied in player order and stopped at the first zero. The products
// over the first players (player 0 varies fastest) are tabulated once, up
// to kTabulated entries, and the remaining players' factors follow an
// odometer: no profile is decoded, and every number is the one the
// product in player order gives, bit for bit.
void MixedOutcome(const GameModel& game, const GameView& view, const Prediction& prediction,
                  StageBuffers& s, bool profiles) {
  constexpr int64_t kTabulated = 4096;
  s.profile_probabilities.clear();
  const int players = game.num_players();
  std::fill(s.slot_probabilities.begin(), s.slot_probabilities.end(), 0.0);
  std::fill(s.payoffs.begin(), s.payoffs.end(), 0.0);
  const ProfileSpace& space = game.space();
  // products[i]: the product over players 0..tabulated-1 of the profile
  // whose first players' index is i.
  s.products.assign(1, 1.0);
  int tabulated = 0;
  while (tabulated < players &&
         static_cast<int64_t>(s.products.size()) * space.num_strategies(tabulated) <= kTabulated) {
    const Eigen::VectorXd& x = prediction.strategies[tabulated];
    const int64_t below = static_cast<int64_t>(s.products.size());
    s.next_products.resize(static_cast<size_t>(below * x.size()));
    for (Eigen::Index k = 0; k < x.size(); ++k) {
      ScaleProducts(s.products.data(), x(k), below, s.next_products.data() + k * below);
    }
    s.products.swap(s.next_products);
    ++tabulated;
  }
  s.digits.assign(players, 0);
  s.factors.resize(players);
  for (int p = tabulated; p < players; ++p) s.factors[p] = prediction.strategies[p](0);
  const int64_t block = static_cast<int64_t>(s.products.size());
  s.dense_profiles = profiles && tabulated == players;
  const bool list_profiles = profiles && !s.dense_profiles;
  double* slots = s.slot_probabilities.data();
  double* payoffs = s.payoffs.data();
  const auto& adders = list_profiles ? kAddProfiles<Slots::kList>
#if defined(__SSE2__)
                       : s.slot_probabilities.size() <= 4 ? kAddProfiles<Slots::kRegister>
#endif
                                                          : kAddProfiles<Slots::kMemory>;
  const auto add = players < static_cast<int>(std::size(adders)) ? adders[players] : adders[0];
  for (int64_t base = 0; base < space.num_profiles(); base += block) {
    add(game, view, s, tabulated, base, slots, payoffs);
    // The next block: the odometer over the untabulated players.
    for (int p = tabulated; p < players; ++p) {
      if (++s.digits[p] < space.num_strategies(p)) {
        s.factors[p] = prediction.strategies[p](s.digits[p]);
        break;
      }
      s.digits[p] = 0;
      s.factors[p] = prediction.strategies[p](0);
    }
  }
}

// Equilibrium play of one sequential-game sample: its outcome distribution
// (into s.slot_probabilities), the root's value (into s.payoffs) and its path
// (into s.key). Returns the number of terminals play reaches, each counted
// once per way of reaching it (more than one only in a DAG), and, in
// `last_terminal`, the last one.
int TreeOutcome(const GameModel& game, const SubgamePerfect& play, StageBuffers& s,
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

void PredictionOutcome(const GameModel& game, const GameView& view, const Prediction& prediction,
                       StageBuffers& s, bool profiles) {
  if (prediction.mixed) {
    MixedOutcome(game, view, prediction, s, profiles);
    return;
  }
  std::fill(s.slot_probabilities.begin(), s.slot_probabilities.end(), 0.0);
  if (prediction.profile < 0) {
    s.slot_probabilities.back() = 1.0;
    return;
  }
  s.slot_probabilities[game.outcome_of(prediction.profile)] = 1.0;
  for (int p = 0; p < game.num_players(); ++p) s.payoffs[p] = view.Payoff(prediction.profile, p);
}

void TreePredictionOutcome(const GameModel& game, const TreePrediction& prediction,
                           StageBuffers& s) {
  if (prediction.play == nullptr) {
    std::fill(s.slot_probabilities.begin(), s.slot_probabilities.end(), 0.0);
    s.slot_probabilities.back() = 1.0;
    return;
  }
  int last_terminal = -1;
  TreeOutcome(game, *prediction.play, s, &last_terminal);
}

}  // namespace parley
