#include "models/strategy_values.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace parley {
FlatLayout::FlatLayout(const ProfileSpace& space)
    : players(space.num_players()), offset(players + 1, 0), count(players) {
  for (int p = 0; p < players; ++p) {
    count[p] = space.num_strategies(p);
    offset[p + 1] = offset[p] + count[p];
  }
  total = offset[players];
}

bool FlatLayout::Matches(const ProfileSpace& space) const {
  if (space.num_players() != players) return false;
  for (int p = 0; p < players; ++p) {
    if (space.num_strategies(p) != count[p]) return false;
  }
  return true;
}

namespace {

// Load's gather for kPlayers players: out[p * profiles + q] = table[offset[q
// kPlayers + p]], and each player's smallest and largest payoff, a
// profile's row at a time. With SSE2, two players share a register: a
// lane's min (max) is v < lo ? v : lo (v > hi ? v : hi) over the same
// values in the same order as the scalar loop, so the same bits, NaN
// included.
template <int kPlayers>
void GatherRows(const int32_t* offset, const double* table, int64_t profiles, double* out,
                double* low, double* high) {
  double lo[kPlayers], hi[kPlayers];
  for (int p = 0; p < kPlayers; ++p) lo[p] = hi[p] = table[offset[p]];
#if defined(__SSE2__)
  constexpr int kPairs = kPlayers / 2;
  __m128d lo2[kPairs], hi2[kPairs];
  for (int k = 0; k < kPairs; ++k) {
    lo2[k] = _mm_loadu_pd(lo + 2 * k);
    hi2[k] = _mm_loadu_pd(hi + 2 * k);
  }
#else
  constexpr int kPairs = 0;
#endif
  for (int64_t q = 0; q < profiles; ++q) {
    const int32_t* row = offset + q * kPlayers;
#if defined(__SSE2__)
    for (int k = 0; k < kPairs; ++k) {
      const __m128d v = _mm_loadh_pd(_mm_load_sd(table + row[2 * k]), table + row[2 * k + 1]);
      _mm_storel_pd(out + 2 * k * profiles + q, v);
      _mm_storeh_pd(out + (2 * k + 1) * profiles + q, v);
      lo2[k] = _mm_min_pd(v, lo2[k]);
      hi2[k] = _mm_max_pd(v, hi2[k]);
    }
#endif
    for (int p = 2 * kPairs; p < kPlayers; ++p) {
      const double v = table[row[p]];
      out[p * profiles + q] = v;
      lo[p] = v < lo[p] ? v : lo[p];
      hi[p] = v > hi[p] ? v : hi[p];
    }
  }
#if defined(__SSE2__)
  for (int k = 0; k < kPairs; ++k) {
    _mm_storeu_pd(lo + 2 * k, lo2[k]);
    _mm_storeu_pd(hi + 2 * k, hi2[k]);
  }
#endif
  std::copy(lo, lo + kPlayers, low);
  std::copy(hi, hi + kPlayers, high);
}

}  // namespace

void PayoffTensor::Load(const GameView& game) {
  const ProfileSpace& space = *game.space;
  if (!layout_.Matches(space)) {
    layout_ = FlatLayout(space);
    profiles_ = space.num_profiles();
    stride_.resize(layout_.players);
    for (int p = 0; p < layout_.players; ++p) stride_[p] = space.stride(p);
    payoffs_.resize(static_cast<size_t>(profiles_ * layout_.players));
    low_.resize(layout_.players);
    high_.resize(layout_.players);
    work_.resize(static_cast<size_t>(2 * profiles_));
    // Compute's steps for player p contract d = players - 1 .. 0, d != p,
    // each dividing the size by d's options.
    const int n = layout_.players;
    chain_offset_.assign(static_cast<size_t>(n * n), 0);
    int64_t end = 0;
    for (int p = 0; p < n; ++p) {
      int64_t size = profiles_;
      for (int d = n - 1; d >= 0; --d) {
        if (d == p) continue;
        size /= layout_.count[d];
        chain_offset_[p * n + d] = end;
        end += size;
      }
    }
    chain_size_ = end;  // chain_ is sized on first use: only path users keep it
    chain_step_.assign(static_cast<size_t>(n * n), nullptr);
  }
  chain_valid_ = false;
  const int n = layout_.players;
  const int32_t* offset = game.offset;
  const double* table = game.table;
  // Two to six players: a profile's row at a time, the bounds in registers.
  using GatherFn = decltype(&GatherRows<2>);
  static constexpr GatherFn kGather[] = {nullptr,       nullptr,       GatherRows<2>, GatherRows<3>,
                                         GatherRows<4>, GatherRows<5>, GatherRows<6>};
  if (n < static_cast<int>(std::size(kGather)) && kGather[n] != nullptr) {
    kGather[n](offset, table, profiles_, payoffs_.data(), low_.data(), high_.data());
    return;
  }
  for (int p = 0; p < n; ++p) {
    // One player at a time, its bounds in locals: the loads are as strided
    // either way, and the loop carries nothing through memory.
    double* out = payoffs_.data() + p * profiles_;
    double low = table[offset[p]], high = low;
    for (int64_t q = 0; q < profiles_; ++q) {
      const double v = table[offset[q * n + p]];
      out[q] = v;
      low = v < low ? v : low;
      high = v > high ? v : high;
    }
    low_[p] = low;
    high_[p] = high;
  }
}

namespace {

using strategy_values_internal::Support;

Support SupportOf(const double* w, int options) {
  Support support;
  support.listed = options <= 8;
  for (int s = 0; s < options && support.listed; ++s) {
    if (w[s] != 0.0) support.index[support.used++] = s;
  }
  return support;
}

// The option a mixture puts all its weight on, or -1.
int PureOption(const double* w, int options, const Support& support) {
  if (support.listed) {
    return support.used == 1 && w[support.index[0]] == 1.0 ? support.index[0] : -1;
  }
  int used = 0, only = 0;
  for (int s = 0; s < options; ++s) {
    if (w[s] != 0.0) ++used, only = s;
  }
  return used == 1 && w[only] == 1.0 ? only : -1;
}

// dst[a inner + b] = sum over s of w[s] src[(a options + s) inner + b], the
// terms added in the order of s and those of weight 0 left out (0 when
// every weight is 0); `support` is SupportOf(w, options). The cases below
// only remove loop overhead: each element is computed by the same
// operations in the same order, so every path gives the same bits.
void Contract(const double* __restrict src, const double* __restrict w, const Support& support,
              int options, int64_t outer, int64_t inner, double* __restrict dst) {
  const bool dense = support.listed;
  const int used = support.used;
  const int* index = support.index;
  if (dense && used == 0) {
    std::fill(dst, dst + outer * inner, 0.0);
    return;
  }
  if (dense && used == 3) {
    // Three options held (the common case): one pass instead of three.
    const double w0 = w[index[0]], w1 = w[index[1]], w2 = w[index[2]];
    if (inner == 1) {
      for (int64_t a = 0; a < outer; ++a) {
        const double* x = src + a * options;
        dst[a] = w0 * x[index[0]] + w1 * x[index[1]] + w2 * x[index[2]];
      }
      return;
    }
    for (int64_t a = 0; a < outer; ++a) {
      const double* x0 = src + (a * options + index[0]) * inner;
      const double* x1 = src + (a * options + index[1]) * inner;
      const double* x2 = src + (a * options + index[2]) * inner;
      double* out = dst + a * inner;
      for (int64_t b = 0; b < inner; ++b) out[b] = w0 * x0[b] + w1 * x1[b] + w2 * x2[b];
    }
    return;
  }
  if (dense && inner == 1) {
    // The fastest dimension: one short dot product per output.
    for (int64_t a = 0; a < outer; ++a) {
      const double* x = src + a * options;
      double sum = w[index[0]] * x[index[0]];
      for (int k = 1; k < used; ++k) sum += w[index[k]] * x[index[k]];
      dst[a] = sum;
    }
    return;
  }
  for (int64_t a = 0; a < outer; ++a) {
    double* out = dst + a * inner;
    bool first = true;
    for (int s = 0; s < options; ++s) {
      const double weight = w[s];
      if (weight == 0.0) continue;
      const double* x = src + (a * options + s) * inner;
      if (first) {
        for (int64_t b = 0; b < inner; ++b) out[b] = weight * x[b];
        first = false;
      } else {
        for (int64_t b = 0; b < inner; ++b) out[b] += weight * x[b];
      }
    }
    if (first) std::fill(out, out + inner, 0.0);
  }
}

// PathPolynomials' step to the next plane, over `rows` rows of `n`:
// out[a n + b] (+)= x[a x_stride + b] - y[a n + b]. Three distinct arrays
// (planes of one buffer do not overlap).
void AddDifference(const double* __restrict x, int64_t x_stride, const double* __restrict y,
                   int64_t rows, int64_t n, double* __restrict out) {
  for (int64_t a = 0; a < rows; ++a, x += x_stride, y += n, out += n) {
    for (int64_t b = 0; b < n; ++b) out[b] += x[b] - y[b];
  }
}
void Difference(const double* __restrict x, int64_t x_stride, const double* __restrict y,
                int64_t rows, int64_t n, double* __restrict out) {
  for (int64_t a = 0; a < rows; ++a, x += x_stride, y += n, out += n) {
    for (int64_t b = 0; b < n; ++b) out[b] = x[b] - y[b];
  }
}

}  // namespace

void PayoffTensor::Compute(const double* mix, double* values, bool keep_chain) {
  const int n = layout_.players;
  if (keep_chain) {
    if (static_cast<int64_t>(chain_.size()) < chain_size_) chain_.resize(chain_size_);
    chain_mix_.assign(mix, mix + layout_.total);
    chain_valid_ = true;
  }
  std::vector<Support>& supports = keep_chain ? chain_supports_ : supports_;
  supports.resize(n);
  for (int d = 0; d < n; ++d) supports[d] = SupportOf(mix + layout_.offset[d], layout_.count[d]);
  double* buffers[2] = {work_.data(), work_.data() + profiles_};
  for (int p = 0; p < n; ++p) {
    // The tensor of player p's payoffs, index q = sum_i s_i stride_i, seen
    // as (m_{n-1}, ..., m_0) with player 0 fastest. Contract the players
    // slower than p first (each the leading dimension: A = 1), then the
    // faster ones from p - 1 down (shape (m_p, m_d, stride_d): A = m_p).
    const double* current = payoffs_.data() + p * profiles_;
    int next_buffer = 0;
    for (int d = n - 1; d >= 0; --d) {
      if (d == p) continue;
      const int64_t outer = d > p ? 1 : layout_.count[p];
      const int options = layout_.count[d];
      const int64_t inner = stride_[d];
      const double* weight = mix + layout_.offset[d];
      bool sliced = false;
      if (outer == 1) {
        // A pure player selects a slice: no arithmetic, no copy.
        const int only = PureOption(weight, options, supports[d]);
        if (only >= 0) {
          current += only * inner;
          sliced = true;
        }
      }
      if (!sliced) {
        double* out = keep_chain ? chain_.data() + chain_offset_[p * n + d] : buffers[next_buffer];
        next_buffer ^= 1;
        Contract(current, weight, supports[d], options, outer, inner, out);
        current = out;
      }
      if (keep_chain) chain_step_[p * n + d] = current;
    }
    std::copy(current, current + layout_.count[p], values + layout_.offset[p]);
  }
}

void PayoffTensor::PathPolynomials(int player, const int* pure, double* out) {
  assert(chain_valid_ && "PathPolynomials needs Compute(mix, values, true) first");
  const int n = layout_.players;
  const int p = player;
  const double* mix = chain_mix_.data();
  // After contracting k of the others, each entry of the tensor is a
  // polynomial of degree k: k + 1 planes of `size` entries (the
  // coefficients of t^0 ... t^k). Plane 0 is the kept chain's; planes 1..k
  // lie one after another in a work buffer. Contracting player d, whose
  // weights are w(t) = w + t (e_L - w), turns the planes P into
  //   B(t) + t (P_L(t) - B(t)),  B = the planes contracted with w,
  // P_L the planes' slices at L. Planes shrink by d's options as they grow
  // by one, so the two work buffers of `profiles_` entries suffice.
  const double* plane0 = payoffs_.data() + p * profiles_;
  const double* upper = nullptr;  // planes 1 .. planes - 1
  int64_t size = profiles_;
  int planes = 1;
  double* buffers[2] = {work_.data(), work_.data() + profiles_};
  int next_buffer = 0;
  for (int d = n - 1; d >= 0; --d) {
    if (d == p) continue;
    const int64_t outer = d > p ? 1 : layout_.count[p];
    const int options = layout_.count[d];
    const int64_t inner = stride_[d];
    const int64_t next_size = size / options;
    const int at = pure[d];
    const double* b0 = chain_step_[p * n + d];  // plane 0 contracted with w
    double* dst = buffers[next_buffer];
    next_buffer ^= 1;
    // The upper planes lie one after another as (outer, options, inner)
    // tensors: one contraction with (planes - 1) x outer rows does them all.
    if (planes > 1) {
      Contract(upper, mix + layout_.offset[d], chain_supports_[d], options, (planes - 1) * outer,
               inner, dst);
    }
    // (A single option is its own pure strategy: nothing moves.)
    const bool grows = options > 1;
    if (grows) {
      // From the top plane down, so that plane c - 1 still holds B_c-1;
      // the top plane (B is 0 there) is the difference alone.
      for (int c = planes; c >= 1; --c) {
        const double* in = c == 1 ? plane0 : upper + (c - 2) * size;
        const double* b_below = c == 1 ? b0 : dst + (c - 2) * next_size;
        double* o = dst + (c - 1) * next_size;
        const double* slice = in + at * inner;
        const int64_t slice_stride = options * inner;
        if (c == planes) {
          Difference(slice, slice_stride, b_below, outer, inner, o);
        } else {
          AddDifference(slice, slice_stride, b_below, outer, inner, o);
        }
      }
    }
    plane0 = b0;
    upper = dst;
    size = next_size;
    if (grows) ++planes;
  }
  const int count = layout_.count[p];
  std::copy(plane0, plane0 + count, out);
  if (planes > 1) std::copy(upper, upper + (planes - 1) * count, out + count);
  std::fill(out + planes * count, out + n * count, 0.0);  // degrees single options left out
}

double PayoffTensor::Regret(const double* mix, double* values) {
  Compute(mix, values);
  double regret = 0.0;
  for (int p = 0; p < layout_.players; ++p) {
    const double* v = values + layout_.offset[p];
    const double* x = mix + layout_.offset[p];
    double best = v[0], value = 0.0;
    for (int s = 0; s < layout_.count[p]; ++s) {
      best = std::max(best, v[s]);
      value += x[s] * v[s];
    }
    regret = std::max(regret, best - value);
  }
  return regret;
}

double PayoffTensor::Range() const {
  return *std::max_element(high_.begin(), high_.end()) -
         *std::min_element(low_.begin(), low_.end());
}

int SplitBestResponse(const double* values, int count, double* out) {
  double best = values[0];
  for (int s = 1; s < count; ++s) best = std::max(best, values[s]);
  const double scale = 1.0 + std::abs(best);
  int ties = 0;
  for (int s = 0; s < count; ++s) {
    const bool tie = PayoffsTie(values[s], best, scale);
    out[s] = tie ? 1.0 : 0.0;
    ties += tie ? 1 : 0;
  }
  if (ties > 1) {
    for (int s = 0; s < count; ++s) out[s] /= ties;
  }
  return ties;
}

void NaivePlay(const FlatLayout& layout, const std::vector<int>& anchors, double* mix) {
  for (int p = 0; p < layout.players; ++p) {
    double* x = mix + layout.offset[p];
    const int anchor = static_cast<size_t>(p) < anchors.size() ? anchors[p] : -1;
    for (int s = 0; s < layout.count[p]; ++s) {
      x[s] = anchor >= 0 ? (s == anchor ? 1.0 : 0.0) : 1.0 / layout.count[p];
    }
  }
}

void StorePrediction(const ProfileSpace& space, const FlatLayout& layout, const double* mix,
                     Prediction& out) {
  out.num_equilibria = 1;
  int64_t profile = 0;
  bool pure = true;
  for (int p = 0; p < layout.players && pure; ++p) {
    const double* x = mix + layout.offset[p];
    pure = false;
    for (int s = 0; s < layout.count[p]; ++s) {
      if (x[s] == 1.0) {
        profile += s * space.stride(p);
        pure = true;
        break;
      }
    }
  }
  if (pure) {
    out.mixed = false;
    out.profile = profile;
    return;
  }
  out.mixed = true;
  out.profile = -1;
  out.strategies.resize(static_cast<size_t>(layout.players));
  for (int p = 0; p < layout.players; ++p) {
    Eigen::VectorXd& v = out.strategies[p];
    if (v.size() != layout.count[p]) v.resize(layout.count[p]);
    for (int s = 0; s < layout.count[p]; ++s) v(s) = mix[layout.offset[p] + s];
  }
}

}  // namespace parley
