// cognitive-hierarchy: the Poisson cognitive hierarchy model (Camerer, Ho &
// Chong 2004, QJE 119(3)). The population's levels of thinking follow a
// Poisson distribution with mean tau: f(j) = e^-tau tau^j / j!. Level 0
// plays uniformly (or the actors' anchors, as in level-k); level j >= 1
// best-responds, ties split evenly, to the others being spread over the
// lower levels 0..j-1 in proportion to f (the normalised Poisson mixture
// f(h) / (f(0) + ... + f(j-1))). The prediction is the population mixture
// over levels: sum_j f(j) L_j. Levels stop at `max_level`; the Poisson
// mass above it is left out, the rest renormalised, and the run's outputs
// state how much was left out (Note).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <vector>

#include "models/strategy_values.h"
#include "sim/model/model.h"

namespace parley {
namespace {

class CognitiveHierarchy final : public Model {
 public:
  static ModelInfo Info() {
    return {
        .name = "cognitive-hierarchy",
        .summary =
            "Poisson cognitive hierarchy: level j best-responds to the Poisson(tau) "
            "mixture of levels below j; predicts the population mixture",
        .pure = false,
        .parameters = {ParameterDecl::Number("tau", 1.5, 0.0, 20.0,
                                             "mean number of thinking steps of the Poisson "
                                             "distribution of levels (0: everyone plays level 0)"),
                       ParameterDecl::Integer(
                           "max_level", 10, 1, 40,
                           "highest level computed; the Poisson mass above it is "
                           "left out (reported) and the rest renormalised")},
        .unresolved = "never: cognitive-hierarchy predicts every game",
        .equilibria = false};
  }
  CognitiveHierarchy(const ModelInfo& info, ModelConfig config)
      : Model(info, std::move(config)),
        tau_(parameters().Number("tau")),
        max_level_(static_cast<int>(parameters().Integer("max_level"))) {
    // f(j) by the recurrence f(j) = f(j-1) tau / j, from f(0) = e^-tau.
    weights_.resize(max_level_ + 1);
    weights_[0] = std::exp(-tau_);
    for (int j = 1; j <= max_level_; ++j) weights_[j] = weights_[j - 1] * tau_ / j;
    // remaining_[j]: f(j) + ... + f(max_level), summed from the top.
    remaining_.assign(max_level_ + 2, 0.0);
    for (int j = max_level_; j >= 0; --j) remaining_[j] = remaining_[j + 1] + weights_[j];
    kept_mass_ = remaining_[0];
  }

  std::string Note() const override {
    return fmt::format(
        "levels 0 to {} of Poisson(tau = {}); the mass above level {} ({:.3g}) is "
        "left out and the rest renormalised",
        max_level_, ShortestText(tau_), max_level_, std::max(0.0, 1.0 - kept_mass_));
  }

  struct Scratch : ModelScratch {
    PayoffTensor game_values;
    std::vector<double> level, cumulative, belief, values;
    std::vector<double> computed;              // the belief the last values came from
    std::vector<double> margin, range, moved;  // per player
    std::vector<int> pure;                     // the best responses, when pure
    std::vector<double> path;                  // SettledOnPath's polynomials
    std::vector<double> factor;                // and change of basis
  };
  std::unique_ptr<ModelScratch> NewScratch() const override { return std::make_unique<Scratch>(); }

  void Predict(const GameView& game, SampleRng& /*rng*/, ModelScratch& scratch,
               Prediction& out) const override {
    auto& s = static_cast<Scratch&>(scratch);
    s.game_values.Load(game);
    const FlatLayout& l = s.game_values.layout();
    for (auto* v : {&s.level, &s.cumulative, &s.belief, &s.values, &s.computed}) {
      v->resize(l.total);
    }
    for (auto* v : {&s.margin, &s.range, &s.moved}) v->resize(l.players);
    double largest = 0.0;
    for (int p = 0; p < l.players; ++p) {
      double low = 0.0, high = 0.0;
      s.game_values.Bounds(p, &low, &high);
      s.range[p] = high - low;
      largest = std::max({largest, std::abs(low), std::abs(high)});
    }
    const double tie_guard = 2e-9 * (1.0 + largest);  // twice PayoffsTie's tolerance
    const int n = l.total;
    NaivePlay(l, anchors(), s.level.data());
    // cumulative = sum over computed levels h of f(h) L_h; below = sum of f(h).
    double below = weights_[0];
    for (int i = 0; i < n; ++i) s.cumulative[i] = weights_[0] * s.level[i];
    bool computed_any = false;  // level 0 is not a best response
    bool settled = false;       // every level from here on plays s.level
    for (int j = 1; j <= max_level_; ++j) {
      if (weights_[j] == 0.0) break;  // tau = 0, or underflow: no mass left to compute
      if (settled) {
        // Levels j and up all play s.level: their additions to each entry
        // of `cumulative` in one pass (the same additions, in the same
        // order, as a pass per level), the entry kept in a register.
        int last = j;
        while (last < max_level_ && weights_[last + 1] != 0.0) ++last;
        AddScaledLevels(weights_.data() + j, last - j + 1, s.level.data(), s.cumulative.data(), n);
        for (int k = j; k <= last; ++k) below += weights_[k];
        break;
      }
      for (int i = 0; i < n; ++i) s.belief[i] = s.cumulative[i] / below;
      if (!computed_any || !BestResponsesCertain(l, s, s.belief.data(), tie_guard)) {
        s.game_values.Compute(s.belief.data(), s.values.data(), /*keep_chain=*/true);
        std::copy(s.belief.begin(), s.belief.end(), s.computed.begin());
        for (int p = 0; p < l.players; ++p) {
          const double* v = s.values.data() + l.offset[p];
          const int ties = SplitBestResponse(v, l.count[p], s.level.data() + l.offset[p]);
          s.margin[p] = ties > 1 ? 0.0 : Margin(v, l.count[p]);
        }
        computed_any = true;
        // If every level from j on plays these best responses, level
        // j' >= j believes (cumulative + (mass to j') L) / (below + mass
        // to j'): on the segment from the belief just used towards L,
        // further from it the larger j'. A certificate at the last level
        // therefore holds at every level between (by induction on j'),
        // and no level from here on needs a check.
        for (int i = 0; i < n; ++i) {
          s.belief[i] = (s.cumulative[i] + remaining_[j] * s.level[i]) / kept_mass_;
        }
        settled = BestResponsesCertain(l, s, s.belief.data(), tie_guard) ||
                  SettledOnPath(l, s, remaining_[j] / kept_mass_, tie_guard, largest);
      }
      AddScaled(weights_[j], s.level.data(), s.cumulative.data(), n);
      below += weights_[j];
    }
    for (int i = 0; i < n; ++i) s.belief[i] = s.cumulative[i] / below;
    StorePrediction(*game.space, l, s.belief.data(), out);
    out.converged = true;
  }

 private:
  // y += a x over n entries: every level adds its play to the population's
  // (through restrict pointers, so that the compiler vectorises it).
  static void AddScaled(double a, const double* __restrict x, double* __restrict y, int n) {
    for (int i = 0; i < n; ++i) y[i] += a * x[i];
  }
  // AddScaled(a[k], x, y, n) for k = 0 .. levels - 1, in one pass over y.
  static void AddScaledLevels(const double* a, int levels, const double* __restrict x,
                              double* __restrict y, int n) {
    for (int i = 0; i < n; ++i) {
      double sum = y[i];
      for (int k = 0; k < levels; ++k) sum += a[k] * x[i];
      y[i] = sum;
    }
  }

  // Whether the best responses last computed (from the belief s.computed)
  // are still every player's unique best response to `belief`, without
  // computing the values. A strategy's value is multilinear in the other
  // players' marginals: moving player q's marginal by t_q in total
  // variation moves it by at most t_q x range_p, so the lead of the best
  // strategy moves by at most 2 range_p (sum of t_q over q != p). A lead
  // larger than that (plus twice the tie tolerance, and a relative margin
  // for the rounding of the t_q) keeps the same unique best response, so
  // skipping the pass changes no digit of the prediction. The new levels
  // mostly repeat the old best responses, so the marginals move much less
  // than the Poisson mass added: at tau 1.5 most samples compute two or
  // three levels.
  static bool BestResponsesCertain(const FlatLayout& l, Scratch& s, const double* belief,
                                   double tie_guard) {
    double total = 0.0;
    for (int q = 0; q < l.players; ++q) {
      double distance = 0.0;
      for (int i = l.offset[q]; i < l.offset[q] + l.count[q]; ++i) {
        distance += std::abs(belief[i] - s.computed[i]);
      }
      s.moved[q] = 0.5 * distance;
      total += s.moved[q];
    }
    for (int p = 0; p < l.players; ++p) {
      const double others = (total - s.moved[p]) * (1.0 + 1e-9);
      if (s.margin[p] <= 2.0 * others * s.range[p] + tie_guard) return false;
    }
    return true;
  }

  // The exact form of the certificate above, where the bound by distances
  // is too loose (at tau 1.5 level 1's best responses are final in 86% of
  // Istanbul's samples, but that bound settled few of them). If every
  // level from here on plays the best responses L just computed, every
  // later level's belief lies on the segment b(t) = (1 - t) b + t L,
  // 0 <= t <= t_max, from the belief b they were computed from (the same
  // t for every player). Along it each value is a polynomial in t
  // (PayoffTensor::PathPolynomials); on [0, t_max] a polynomial is at least
  // its smallest Bernstein coefficient. If each best response's lead over
  // every other strategy has every coefficient above the tie guard (plus a
  // bound on the rounding of these sums), it stays the unique best
  // response at every later level: the levels skipped would compute
  // exactly the responses they keep.
  bool SettledOnPath(const FlatLayout& l, Scratch& s, double t_max, double tie_guard,
                     double largest) const {
    const int players = l.players;
    const int degree = players - 1;
    if (degree > kMaxPathDegree) return false;
    s.pure.resize(players);
    int widest = 1;
    for (int p = 0; p < players; ++p) {
      if (!(s.margin[p] > tie_guard)) return false;  // a tie: L is not pure
      const double* x = s.level.data() + l.offset[p];
      s.pure[p] = static_cast<int>(std::max_element(x, x + l.count[p]) - x);
      widest = std::max(widest, l.count[p]);
    }
    // Rounding: players - 1 contractions of at most `widest` terms bounded
    // by `largest`, a difference, then the change of basis (power-basis
    // coefficients below 2^degree times `largest`, summed degree + 1 at a
    // time).
    const double slack = 16.0 * std::numeric_limits<double>::epsilon() * (degree + 2) *
                         (widest + 2) * std::ldexp(1.0 + largest, degree);
    const double need = tie_guard + slack;
    // The change of basis on [0, t_max] (in t / t_max): a polynomial's
    // Bernstein coefficients are beta_j = sum_k factor[j (degree + 1) + k]
    // path_k, factor = C(j, k) / C(degree, k) t_max^k, k <= j. The same for
    // every player and strategy, so computed once.
    s.factor.assign(static_cast<size_t>((degree + 1) * (degree + 1)), 0.0);
    for (int j = 0; j <= degree; ++j) {
      double ratio = 1.0, scale = 1.0;
      for (int k = 0; k <= j; ++k, scale *= t_max) {
        s.factor[j * (degree + 1) + k] = ratio * scale;
        ratio = ratio * (j - k) / (degree - k);
      }
    }
    const double* factor = s.factor.data();
    // The lead check, its loops unrolled for degrees 1 to 4 (2 to 5 actors).
    using LeadsFn = decltype(&LeadsClear<0>);
    static constexpr LeadsFn kLeads[] = {LeadsClear<0>, LeadsClear<1>, LeadsClear<2>, LeadsClear<3>,
                                         LeadsClear<4>};
    const LeadsFn leads =
        degree < static_cast<int>(std::size(kLeads)) ? kLeads[degree] : LeadsClear<0>;
    for (int p = 0; p < players; ++p) {
      const int count = l.count[p];
      if (count == 1) continue;
      s.path.resize(static_cast<size_t>(players * count));
      s.game_values.PathPolynomials(p, s.pure.data(), s.path.data());
      // The best response's lead over each other strategy is a polynomial
      // too (coefficients: the differences of the two strategies'); each of
      // its Bernstein coefficients must clear `need`.
      if (!leads(s.path.data(), count, s.pure[p], factor, degree, need)) return false;
    }
    return true;
  }

  // Whether every Bernstein coefficient of the lead of strategy `best` over
  // each other strategy clears `need`: the leads' power-basis coefficients
  // are differences of `path`'s (path[k count + s]: t^k of strategy s),
  // changed to the Bernstein basis by factor[j (degree + 1) + k].
  // kDegree > 0: the degree, built in; 0: `degree` says it.
  template <int kDegree>
  static bool LeadsClear(const double* path, int count, int best, const double* factor, int degree,
                         double need) {
    const int d = kDegree > 0 ? kDegree : degree;
    for (int a = 0; a < count; ++a) {
      if (a == best) continue;
      double lead[kMaxPathDegree + 1];
      for (int k = 0; k <= d; ++k) lead[k] = path[k * count + best] - path[k * count + a];
      for (int j = 0; j <= d; ++j) {
        double beta = 0.0;
        for (int k = 0; k <= j; ++k) beta += factor[j * (d + 1) + k] * lead[k];
        if (!(beta > need)) return false;
      }
    }
    return true;
  }

  // The best value minus the second best (infinity with one option).
  static double Margin(const double* values, int count) {
    double best = -std::numeric_limits<double>::infinity(), second = best;
    for (int k = 0; k < count; ++k) {
      if (values[k] > best) {
        second = best;
        best = values[k];
      } else if (values[k] > second) {
        second = values[k];
      }
    }
    return best - second;
  }

  // SettledOnPath is tried up to this degree (players - 1): beyond it the
  // power basis loses too much to rounding to certify anything.
  static constexpr int kMaxPathDegree = 12;

  double tau_;
  int max_level_;
  std::vector<double> weights_;    // f(0..max_level)
  std::vector<double> remaining_;  // f(j) + ... + f(max_level), for j = 0..max_level + 1
  double kept_mass_ = 1.0;
};

}  // namespace

PARLEY_REGISTER_MODEL(CognitiveHierarchy);

}  // namespace parley
