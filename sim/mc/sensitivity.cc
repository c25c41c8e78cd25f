#include "sim/mc/sensitivity.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "sim/core/bytes.h"
#include "sim/core/ranks.h"
#include "sim/core/rng.h"
#include "sim/mc/parallel.h"
#include "sim/mc/qmc.h"

namespace parley {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Stored evaluations (points x outputs): at most 1 GiB of doubles.
constexpr int64_t kMaxStoredValues = int64_t{1} << 27;
// Points per call of f: enough to amortise a batch, few enough to spread
// the work over threads. Fixed by the design, never by the thread count.
constexpr int64_t kPointsPerBatch = 512;

// Counts evaluated points for SensitivityOptions::progress. In a
// distributed run each rank evaluates an equal share (DistributedBlocks)
// and only rank 0 shows progress, so its own count times the number of
// ranks stands for the whole run's.
class EvaluationCounter {
 public:
  EvaluationCounter(const SensitivityOptions& options, int64_t planned)
      : progress_(options.progress), planned_(planned), ranks_(WorldRanks().size()) {}
  void Add(int64_t points) {
    if (!progress_) return;
    const int64_t done = done_.fetch_add(points, std::memory_order_relaxed) + points;
    progress_(std::min(planned_, done * ranks_), planned_);
  }

 private:
  const std::function<void(int64_t, int64_t)>& progress_;
  int64_t planned_;
  int64_t ranks_;
  std::atomic<int64_t> done_{0};
};

// Blocks of work (the design's evaluations, the bootstrap's resamples),
// spread over the ranks of a distributed run (sim/core/ranks.h): block b
// writes values[b * per_block ...] (per_block values; the last block up to
// `total`). Rank r computes a contiguous share of the blocks on its threads;
// then every rank receives every share (exact copies), so each holds every
// value, as one process would. Returns the threads used.
template <typename Body>
int DistributedBlocks(int threads, int64_t blocks, const Body& body, double* values,
                      int64_t per_block, int64_t total) {
  const Ranks& ranks = WorldRanks();
  const int64_t k = ranks.size();
  struct Share {
    int64_t first_block, end_block;  // blocks [first_block, end_block)
    int64_t first_value, values;     // the values they write
  };
  auto share = [&](int64_t r) {
    const int64_t b0 = r * blocks / k, b1 = (r + 1) * blocks / k;
    const int64_t v0 = std::min(total, b0 * per_block), v1 = std::min(total, b1 * per_block);
    return Share{b0, b1, v0, v1 - v0};
  };
  ThreadArena arena(threads);
  DistributeInOrder(
      ranks, k,
      [&](int64_t r) {
        const Share mine = share(r);
        ForEachBlock(arena, mine.end_block - mine.first_block,
                     [&](int64_t b) { body(mine.first_block + b); });
        return 0;
      },
      [&](int64_t r, int, ByteWriter& out) {
        const Share theirs = share(r);
        out.PutArray(values + theirs.first_value, theirs.values);
      },
      [&](int64_t r, ByteReader& in) {
        const Share theirs = share(r);
        in.GetArray(values + theirs.first_value, theirs.values);
        return 0;
      },
      [](int64_t, int) { return true; });
  return arena.threads();
}

Status CheckSize(int k, int m, int64_t points) {
  if (k < 1) return InvalidArgument("there are no uncertain inputs to analyse");
  if (m < 1) return InvalidArgument("there are no outputs to analyse");
  if (points > kMaxStoredValues / m) {
    return InvalidArgument("the design needs " + std::to_string(points) + " evaluations of " +
                           std::to_string(m) + " outputs, more than the " +
                           std::to_string(kMaxStoredValues) +
                           " values it can keep; use fewer samples");
  }
  return OkStatus();
}

// The Sobol estimators of one output. `v` holds its defined base rows
// contiguously, k + 2 values each (column 0 = A, 1 = B, 2 + i = A_B^i);
// row j counts weights[j] times (a bootstrap resample), or once when
// weights is null.
void Estimate(const double* v, int64_t rows, int k, const uint32_t* weights, double* s1, double* st,
              double* mean_out, double* variance_out) {
  const int64_t cols = k + 2;
  double n = 0, sum = 0;
  for (int64_t j = 0; j < rows; ++j) {
    const double w = weights ? weights[j] : 1.0;
    n += w;
    sum += w * (v[j * cols] + v[j * cols + 1]);
  }
  const double mean = sum / (2 * n);
  double ss = 0;
  for (int64_t j = 0; j < rows; ++j) {
    const double w = weights ? weights[j] : 1.0;
    const double a = v[j * cols] - mean, b = v[j * cols + 1] - mean;
    ss += w * (a * a + b * b);
  }
  const double variance = ss / (2 * n);
  if (mean_out) *mean_out = mean;
  if (variance_out) *variance_out = variance;
  std::fill(s1, s1 + k, 0.0);
  std::fill(st, st + k, 0.0);
  for (int64_t j = 0; j < rows; ++j) {
    const double w = weights ? weights[j] : 1.0;
    if (w == 0) continue;
    const double* row = v + j * cols;
    const double fa = row[0], wfb = w * row[1];
    for (int i = 0; i < k; ++i) {
      const double d = row[2 + i] - fa;
      s1[i] += wfb * d;
      st[i] += w * d * d;
    }
  }
  // Rounding can leave a constant output with a variance of a few ulps;
  // its indices are undefined, not huge.
  const bool defined = n > 0 && variance > 1e-24 * std::max(1.0, mean * mean);
  for (int i = 0; i < k; ++i) {
    s1[i] = defined ? s1[i] / n / variance : kNaN;
    st[i] = defined ? st[i] / (2 * n) / variance : kNaN;
  }
}

// The q-quantile of sorted values (NaNs, sorted last, are resamples whose
// variance was 0: they are left out), interpolating linearly between order
// statistics; NaN when no resample was defined.
double SortedQuantile(const std::vector<double>& sorted, double q) {
  const size_t n = static_cast<size_t>(
      std::find_if(sorted.begin(), sorted.end(), [](double x) { return std::isnan(x); }) -
      sorted.begin());
  if (n == 0) return kNaN;
  const double pos = q * static_cast<double>(n - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, n - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

bool SensitivityOptions::IsValid(std::string* why) const {
  if (samples < 2 || samples > (int64_t{1} << 32)) {
    *why = "the sample count must be between 2 and 2^32";
    return false;
  }
  if (!ValidThreadCount(threads, why)) return false;
  if (bootstrap < 0 || bootstrap > 100000) {
    *why = "the bootstrap resample count must be between 0 and 100000";
    return false;
  }
  if (levels < 2 || levels % 2 != 0 || levels > 1000) {
    *why = "the Morris grid needs an even number of levels between 2 and 1000";
    return false;
  }
  return true;
}

StatusOr<SobolResult> SobolIndices(int k, int m, const BatchFunction& f,
                                   const SensitivityOptions& options) {
  std::string why;
  if (!options.IsValid(&why)) return InvalidArgument(why);
  if (2 * k > ShiftedSobol::kMaxDimension) {
    return InvalidArgument("Sobol indices handle at most " +
                           std::to_string(ShiftedSobol::kMaxDimension / 2) + " inputs, got " +
                           std::to_string(k));
  }
  const int64_t n = options.samples;
  const int64_t cols = k + 2;
  PARLEY_RETURN_IF_ERROR(CheckSize(k, m, n * cols));
  auto qmc = ShiftedSobol::Make(2 * k, options.seed, 0);
  if (!qmc.ok()) return qmc.status();

  const auto start = std::chrono::steady_clock::now();
  SobolResult result;
  result.run.evaluations = n * cols;
  std::vector<double> values(static_cast<size_t>(n * cols * m));
  const int64_t rows_per_block = std::max<int64_t>(1, kPointsPerBatch / cols);
  const int64_t blocks = (n + rows_per_block - 1) / rows_per_block;
  EvaluationCounter counter(options, n * cols);
  result.run.threads_used = DistributedBlocks(
      options.threads, blocks,
      [&](int64_t b) {
        const int64_t first = b * rows_per_block;
        const int64_t rows = std::min(rows_per_block, n - first);
        std::vector<double> base(static_cast<size_t>(rows * 2 * k));
        qmc->Points(static_cast<uint64_t>(first), rows, base.data());
        std::vector<double> points(static_cast<size_t>(rows * cols * k));
        std::vector<uint64_t> keys(static_cast<size_t>(rows * cols));
        for (int64_t r = 0; r < rows; ++r) {
          const double* a = &base[r * 2 * k];
          const double* bb = a + k;
          for (int64_t c = 0; c < cols; ++c) {
            double* x = &points[(r * cols + c) * k];
            std::copy(c == 1 ? bb : a, (c == 1 ? bb : a) + k, x);
            if (c >= 2) x[c - 2] = bb[c - 2];
            keys[r * cols + c] = static_cast<uint64_t>(first + r);
          }
        }
        f(points.data(), keys.data(), rows * cols, &values[static_cast<size_t>(first * cols * m)]);
        counter.Add(rows * cols);
      },
      values.data(), rows_per_block * cols * m, n * cols * m);

  // Per output: its values on the rows where it is defined at all k + 2
  // points, contiguous (the estimators and the bootstrap read them often).
  std::vector<std::vector<double>> defined(m);
  std::vector<int64_t> defined_rows(m, 0);
  for (int o = 0; o < m; ++o) {
    for (int64_t j = 0; j < n; ++j) {
      bool ok = true;
      for (int64_t c = 0; c < cols && ok; ++c) ok = std::isfinite(values[(j * cols + c) * m + o]);
      if (!ok) continue;
      for (int64_t c = 0; c < cols; ++c) defined[o].push_back(values[(j * cols + c) * m + o]);
      ++defined_rows[o];
    }
  }
  std::vector<double>().swap(values);
  result.outputs.resize(m);
  std::vector<double> s1(k), st(k);
  for (int o = 0; o < m; ++o) {
    SobolOutput& out = result.outputs[o];
    out.rows_used = defined_rows[o];
    out.indices.resize(k);
    Estimate(defined[o].data(), defined_rows[o], k, nullptr, s1.data(), st.data(), &out.mean,
             &out.variance);
    if (defined_rows[o] == 0) out.mean = out.variance = kNaN;
    for (int i = 0; i < k; ++i) {
      out.indices[i].s1 = s1[i];
      out.indices[i].st = st[i];
    }
  }

  // Bootstrap: resample b of output o draws its rows (as counts) from
  // Philox keyed by (seed, b * m + o), whichever thread or rank computes it.
  // It costs more than the evaluations on the default design, so the
  // resamples are spread over the ranks too.
  const int resamples = options.bootstrap;
  std::vector<double> boot(static_cast<size_t>(resamples) * m * k * 2, kNaN);
  if (resamples > 0) {
    const int64_t per_resample = int64_t{m} * k * 2;
    DistributedBlocks(
        options.threads, resamples,
        [&](int64_t b) {
          std::vector<uint32_t> counts;
          std::vector<double> bs1(k), bst(k);
          for (int o = 0; o < m; ++o) {
            const int64_t rows = defined_rows[o];
            if (rows == 0) continue;
            SampleRng rng(options.seed, static_cast<uint64_t>(b) * m + o, RngStream::kDesign);
            counts.assign(static_cast<size_t>(rows), 0);
            const double size = static_cast<double>(rows);
            for (int64_t t = 0; t < rows; ++t) ++counts[static_cast<size_t>(rng.Uniform() * size)];
            Estimate(defined[o].data(), rows, k, counts.data(), bs1.data(), bst.data(), nullptr,
                     nullptr);
            double* slot = &boot[((static_cast<size_t>(b) * m + o) * k) * 2];
            for (size_t i = 0; i < static_cast<size_t>(k); ++i) {
              slot[2 * i] = bs1[i];
              slot[2 * i + 1] = bst[i];
            }
          }
        },
        boot.data(), per_resample, resamples * per_resample);
  }
  std::vector<double> column(static_cast<size_t>(resamples));
  for (int o = 0; o < m; ++o) {
    for (int i = 0; i < k; ++i) {
      SobolIndex& index = result.outputs[o].indices[i];
      for (int which = 0; which < 2; ++which) {
        for (int b = 0; b < resamples; ++b) {
          column[b] = boot[((static_cast<size_t>(b) * m + o) * k + i) * 2 + which];
        }
        // NaNs sort last, where SortedQuantile leaves them out.
        std::sort(column.begin(), column.end(), [](double x, double y) {
          return std::isnan(y) ? !std::isnan(x) : (!std::isnan(x) && x < y);
        });
        const double lo = SortedQuantile(column, 0.025), hi = SortedQuantile(column, 0.975);
        (which == 0 ? index.s1_lo : index.st_lo) = lo;
        (which == 0 ? index.s1_hi : index.st_hi) = hi;
      }
    }
  }
  result.run.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

StatusOr<MorrisResult> MorrisEffects(int k, int m, const BatchFunction& f,
                                     const SensitivityOptions& options) {
  std::string why;
  if (!options.IsValid(&why)) return InvalidArgument(why);
  const int64_t r = options.samples;
  const int64_t steps = k + 1;
  PARLEY_RETURN_IF_ERROR(CheckSize(k, m, r * steps));
  const int p = options.levels;
  const auto start = std::chrono::steady_clock::now();
  MorrisResult result;
  result.delta = 0.5;  // p/2 levels of width 1/p
  result.run.evaluations = r * steps;

  // The design, trajectory by trajectory from its own Philox stream: the
  // input moved at each step and the signed step taken.
  std::vector<int> moved(static_cast<size_t>(r * k));
  std::vector<double> step(static_cast<size_t>(r * k));
  std::vector<double> points(static_cast<size_t>(r * steps * k));
  std::vector<int> level(k);
  for (int64_t t = 0; t < r; ++t) {
    SampleRng rng(options.seed, static_cast<uint64_t>(t), RngStream::kDesign);
    for (int i = 0; i < k; ++i) {
      level[i] = std::min(p - 1, static_cast<int>(rng.Uniform() * p));
    }
    int* order = &moved[t * k];
    for (int i = 0; i < k; ++i) order[i] = i;
    for (int i = k - 1; i > 0; --i) {  // Fisher-Yates
      const int j = std::min(i, static_cast<int>(rng.Uniform() * (i + 1)));
      std::swap(order[i], order[j]);
    }
    double* x = &points[t * steps * k];
    for (int i = 0; i < k; ++i) x[i] = (level[i] + 0.5) / p;
    for (int s = 0; s < k; ++s) {
      double* next = x + k;
      std::copy(x, x + k, next);
      const int i = order[s];
      const bool up = level[i] < p / 2;
      level[i] += up ? p / 2 : -p / 2;
      next[i] = (level[i] + 0.5) / p;
      step[t * k + s] = up ? result.delta : -result.delta;
      x = next;
    }
  }

  std::vector<double> values(static_cast<size_t>(r * steps * m));
  const int64_t per_block = std::max<int64_t>(1, kPointsPerBatch / steps);
  const int64_t blocks = (r + per_block - 1) / per_block;
  EvaluationCounter counter(options, r * steps);
  result.run.threads_used = DistributedBlocks(
      options.threads, blocks,
      [&](int64_t b) {
        const int64_t first = b * per_block;
        const int64_t count = std::min(per_block, r - first);
        std::vector<uint64_t> keys(static_cast<size_t>(count * steps));
        for (int64_t q = 0; q < count * steps; ++q)
          keys[q] = static_cast<uint64_t>(first + q / steps);
        f(&points[first * steps * k], keys.data(), count * steps, &values[first * steps * m]);
        counter.Add(count * steps);
      },
      values.data(), per_block * steps * m, r * steps * m);

  // Elementary effects in trajectory order (Welford for sigma).
  result.outputs.assign(m, MorrisOutput{std::vector<MorrisIndex>(k)});
  std::vector<double> means(static_cast<size_t>(m) * k, 0.0), m2(static_cast<size_t>(m) * k, 0.0);
  for (int64_t t = 0; t < r; ++t) {
    for (int s = 0; s < k; ++s) {
      const int i = moved[t * k + s];
      for (int o = 0; o < m; ++o) {
        const double before = values[(t * steps + s) * m + o];
        const double after = values[(t * steps + s + 1) * m + o];
        if (!std::isfinite(before) || !std::isfinite(after)) continue;
        const double ee = (after - before) / step[t * k + s];
        MorrisIndex& index = result.outputs[o].indices[i];
        const size_t at = static_cast<size_t>(o) * k + i;
        ++index.effects;
        index.mu_star += std::abs(ee);
        const double d = ee - means[at];
        means[at] += d / static_cast<double>(index.effects);
        m2[at] += d * (ee - means[at]);
      }
    }
  }
  for (int o = 0; o < m; ++o) {
    for (int i = 0; i < k; ++i) {
      MorrisIndex& index = result.outputs[o].indices[i];
      const size_t at = static_cast<size_t>(o) * k + i;
      const double count = static_cast<double>(index.effects);
      if (index.effects == 0) {
        index.mu = index.mu_star = index.sigma = kNaN;
        continue;
      }
      index.mu = means[at];
      index.mu_star /= count;
      index.sigma = index.effects > 1 ? std::sqrt(m2[at] / (count - 1)) : 0.0;
    }
  }
  result.run.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace parley
