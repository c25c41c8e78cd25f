#include "sim/solve/pure_nash.h"

#include <algorithm>
#include <bit>
#include <cmath>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace parley {

namespace {

// The payoff at or above which a strategy is a best response, given the best.
double Cutoff(double best) { return best - kPayoffTolerance * (1.0 + std::abs(best)); }

}  // namespace

void FindPureEquilibria(const GameView& game, PureNashScratch& scratch, std::vector<int64_t>& out) {
  const ProfileSpace& space = *game.space;
  const int64_t profiles = space.num_profiles();
  const int players = space.num_players();
  auto& candidates = scratch.candidates;
  candidates.clear();

  // Player 0 (stride 1): scan each group of its strategies once.
  const int k0 = space.num_strategies(0);
  for (int64_t base = 0; base < profiles; base += k0) {
    double best = game.Payoff(base, 0);
    for (int s = 1; s < k0; ++s) best = std::max(best, game.Payoff(base + s, 0));
    const double cutoff = Cutoff(best);
    for (int s = 0; s < k0; ++s) {
      if (game.Payoff(base + s, 0) >= cutoff) candidates.push_back(base + s);
    }
  }
  // Other players: filter the survivors.
  for (int p = 1; p < players && !candidates.empty(); ++p) {
    const int64_t stride = space.stride(p);
    const int k = space.num_strategies(p);
    size_t kept = 0;
    for (const int64_t q : candidates) {
      const int64_t base = q - space.StrategyOf(q, p) * stride;
      double best = game.Payoff(base, p);
      for (int s = 1; s < k; ++s) best = std::max(best, game.Payoff(base + s * stride, p));
      if (game.Payoff(q, p) >= Cutoff(best)) candidates[kept++] = q;
    }
    candidates.resize(kept);
  }
  out.assign(candidates.begin(), candidates.end());
}

namespace {

constexpr int kLanes = kSideBySideWidth;

#ifdef __SSE2__
// The kLanes games' copies of one payoff, two per register.
struct Lanes {
  __m128d v[kLanes / 2];
};

Lanes Load(const double* p) {
  Lanes x;
  for (int i = 0; i < kLanes / 2; ++i) x.v[i] = _mm_loadu_pd(p + 2 * i);
  return x;
}

// Bit i: whether game i's strategy is a best response on its line. The
// operations are the scalar path's, lane by lane and in the same order, so
// every comparison comes out the same bit for bit: _mm_max_pd(x, best) is
// x > best ? x : best, i.e. std::max(best, x) (NaNs included), and the
// cutoff is Cutoff's best - tolerance * (1 + |best|).
struct LineCutoff {
  __m128d cutoff[kLanes / 2];

  LineCutoff(const double* const* line, int k) {
    Lanes best = Load(line[0]);
    for (int s = 1; s < k; ++s) {
      const Lanes x = Load(line[s]);
      for (int i = 0; i < kLanes / 2; ++i) best.v[i] = _mm_max_pd(x.v[i], best.v[i]);
    }
    const __m128d sign = _mm_set1_pd(-0.0), one = _mm_set1_pd(1.0);
    const __m128d tolerance = _mm_set1_pd(kPayoffTolerance);
    for (int i = 0; i < kLanes / 2; ++i) {
      const __m128d magnitude = _mm_andnot_pd(sign, best.v[i]);  // std::abs
      cutoff[i] = _mm_sub_pd(best.v[i], _mm_mul_pd(tolerance, _mm_add_pd(one, magnitude)));
    }
  }
  unsigned BestResponses(const double* payoffs) const {
    const Lanes x = Load(payoffs);
    unsigned bits = 0;
    for (int i = 0; i < kLanes / 2; ++i) {
      bits |= static_cast<unsigned>(_mm_movemask_pd(_mm_cmpge_pd(x.v[i], cutoff[i]))) << (2 * i);
    }
    return bits;
  }
};
#else
struct LineCutoff {
  double cutoff[kLanes];

  LineCutoff(const double* const* line, int k) {
    for (int i = 0; i < kLanes; ++i) {
      double best = line[0][i];
      for (int s = 1; s < k; ++s) best = std::max(best, line[s][i]);
      cutoff[i] = Cutoff(best);
    }
  }
  unsigned BestResponses(const double* payoffs) const {
    unsigned bits = 0;
    for (int i = 0; i < kLanes; ++i) bits |= static_cast<unsigned>(payoffs[i] >= cutoff[i]) << i;
    return bits;
  }
};
#endif

}  // namespace

bool SideBySideApplies(const ChunkView& chunk) {
  const ProfileSpace& space = *chunk.space;
  for (int p = 0; p < space.num_players(); ++p) {
    if (space.num_strategies(p) > kMaxSideBySideStrategies) return false;
  }
  return chunk.width == kSideBySideWidth && chunk.count >= 1 && chunk.count <= kSideBySideWidth &&
         space.num_profiles() <= kMaxSideBySideProfiles;
}

void FindPureEquilibriaSideBySide(const ChunkView& chunk, PureNashScratch& scratch,
                                  std::vector<int64_t>* out) {
  const ProfileSpace& space = *chunk.space;
  const int64_t profiles = space.num_profiles();
  const int players = space.num_players();
  // survivors[q] bit i: profile q is a best response for every player so far
  // in game i. Padding games (i >= count) start out of the running.
  auto& survivors = scratch.lane_bits;
  survivors.assign(static_cast<size_t>(profiles), static_cast<uint8_t>((1u << chunk.count) - 1));
  const double* line[kMaxSideBySideStrategies];
  for (int p = 0; p < players; ++p) {
    const int64_t stride = space.stride(p);
    const int k = space.num_strategies(p);
    // Every line of player p's strategies: profiles base + s * stride.
    for (int64_t high = 0; high < profiles; high += stride * k) {
      for (int64_t base = high; base < high + stride; ++base) {
        for (int s = 0; s < k; ++s) {
          line[s] = chunk.values + chunk.offset[(base + s * stride) * players + p];
        }
        const LineCutoff cutoff(line, k);
        for (int s = 0; s < k; ++s) {
          survivors[base + s * stride] &= static_cast<uint8_t>(cutoff.BestResponses(line[s]));
        }
      }
    }
  }
  for (int i = 0; i < chunk.count; ++i) out[i].clear();
  for (int64_t q = 0; q < profiles; ++q) {
    for (unsigned bits = survivors[q]; bits != 0; bits &= bits - 1) {
      out[std::countr_zero(bits)].push_back(q);
    }
  }
}

double MaxRegret(const GameView& game, int64_t profile) {
  const ProfileSpace& space = *game.space;
  double regret = 0.0;
  for (int p = 0; p < space.num_players(); ++p) {
    const double current = game.Payoff(profile, p);
    for (int s = 0; s < space.num_strategies(p); ++s) {
      regret = std::max(regret, game.Payoff(space.Deviate(profile, p, s), p) - current);
    }
  }
  return regret;
}

}  // namespace parley
