#include "sim/mc/attribution.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "sim/core/rng.h"
#include "sim/mc/runner.h"
#include "sim/mc/test_scenarios.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

ScenarioSpec Load(const std::string& text) {
  auto spec = LoadScenarioString(text, "t.yaml");
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  return *spec;
}

AttributionResult Attribute(const ScenarioSpec& spec, const char* model_name, int64_t samples,
                            int threads = 2, int exact_max = 12,
                            const std::vector<ArgumentMode>& modes = {}) {
  AttributionOptions options;
  options.samples = samples;
  options.seed = 5;
  options.threads = threads;
  options.exact_max_arguments = exact_max;
  auto r = ShapleyAttribution(spec, modes, **MakeModel(model_name), options);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return *r;
}

void ExpectEfficient(const AttributionResult& r) {
  for (size_t o = 0; o < r.all_hold.size(); ++o) {
    double sum = 0.0;
    for (const auto& phi : r.shapley) sum += phi[o];
    EXPECT_NEAR(sum, r.all_hold[o] - r.none_hold[o], 1e-12) << "slot " << o;
  }
}

// The subset formula against the definition: the average marginal
// contribution over all k! orders.
std::vector<double> ByPermutations(int k, const std::vector<double>& v) {
  std::vector<int> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> phi(k, 0.0);
  int count = 0;
  do {
    uint64_t mask = 0;
    for (int i : order) {
      phi[i] += v[mask | uint64_t{1} << i] - v[mask];
      mask |= uint64_t{1} << i;
    }
    ++count;
  } while (std::next_permutation(order.begin(), order.end()));
  for (double& x : phi) x /= count;
  return phi;
}

TEST(ShapleyValues, HandComputedTwoPlayerGames) {
  // Complements: only both together move v; each gets half.
  EXPECT_EQ(ShapleyValues(2, {0, 0, 0, 1}), (std::vector<double>{0.5, 0.5}));
  // v(none) 0.1, v({1}) 0.4, v({2}) 0.2, v(both) 0.9:
  // phi1 = ((0.4 - 0.1) + (0.9 - 0.2)) / 2 = 0.5; phi2 = ((0.2 - 0.1) + (0.9 - 0.4)) / 2 = 0.3.
  const auto phi = ShapleyValues(2, {0.1, 0.4, 0.2, 0.9});
  EXPECT_NEAR(phi[0], 0.5, 1e-15);
  EXPECT_NEAR(phi[1], 0.3, 1e-15);
  // Additive: v(S) = 2 + sum of a_i over S gives phi_i = a_i.
  const std::vector<double> a = {0.3, -1.0, 0.25};
  std::vector<double> v(8);
  for (int mask = 0; mask < 8; ++mask) {
    v[mask] = 2.0;
    for (int i = 0; i < 3; ++i) v[mask] += (mask >> i & 1) * a[i];
  }
  const auto additive = ShapleyValues(3, v);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(additive[i], a[i], 1e-15);
}

TEST(ShapleyValues, MatchesTheAverageOverAllOrders) {
  for (int k = 1; k <= 6; ++k) {
    SampleRng rng(99, static_cast<uint64_t>(k));
    std::vector<double> v(size_t{1} << k);
    for (double& x : v) x = rng.Uniform();
    const auto phi = ShapleyValues(k, v);
    const auto expected = ByPermutations(k, v);
    double sum = 0.0;
    for (int i = 0; i < k; ++i) {
      EXPECT_NEAR(phi[i], expected[i], 1e-12);
      sum += phi[i];
    }
    EXPECT_NEAR(sum, v.back() - v.front(), 1e-12);
  }
}

// Actor a plays "deal" when its payoff there beats walking away (0): a base
// of -1 plus what each argument adds when it holds. No other randomness, so
// every sample is the same game and v is exact.
constexpr const char* kTwoArguments = R"(name: Two arguments
actors:
  - {id: a, options: [deal, walk]}
  - {id: b, options: [wait]}
outcomes:
  - {id: deal, when: {a: deal}}
  - {id: walk, otherwise: true}
payoffs:
  deal: {a: -1, b: 0}
  walk: {a: 0, b: 0}
arguments:
  - id: first
    analyst: One
    claim: Adds ADD1 to a's deal.
    credence: 0.5
    effects:
      - {outcome: deal, actor: a, add: ADD1}
  - id: second
    analyst: Two
    claim: Adds ADD2 to a's deal.
    credence: 0.3
    effects:
      - {outcome: deal, actor: a, add: ADD2}
)";

std::string TwoArguments(double add1, double add2) {
  // Split at the placeholders and joined (std::string::replace trips a
  // false -Wrestrict in GCC 12).
  const std::string text = kTwoArguments;
  const size_t a = text.find("ADD1"), b = text.find("ADD1", a + 4);
  const size_t c = text.find("ADD2"), d = text.find("ADD2", c + 4);
  const std::string x = std::to_string(add1), y = std::to_string(add2);
  return text.substr(0, a) + x + text.substr(a + 4, b - a - 4) + x + text.substr(b + 4, c - b - 4) +
         y + text.substr(c + 4, d - c - 4) + y + text.substr(d + 4);
}

TEST(ShapleyAttribution, TwoArgumentInteractionsByHand) {
  struct Case {
    double add1, add2;
    std::vector<double> deal_v;  // v(none), v({first}), v({second}), v(both)
    double phi1, phi2;
  };
  const std::vector<Case> cases = {
      // Complements: 0.6 + 0.6 > 1, neither alone. phi = 1/2 each.
      {0.6, 0.6, {0, 0, 0, 1}, 0.5, 0.5},
      // Substitutes: either alone suffices. phi = 1/2 each.
      {1.5, 1.5, {0, 1, 1, 1}, 0.5, 0.5},
      // The first alone suffices and the second adds nothing: phi = 1, 0.
      {1.5, 0.6, {0, 1, 0, 1}, 1.0, 0.0},
      // The second undoes the first: v(first) = 1, v(both) = 0.
      // phi1 = ((1 - 0) + (0 - 0)) / 2 = 1/2, phi2 = ((0 - 0) + (0 - 1)) / 2 = -1/2.
      {1.5, -2.0, {0, 1, 0, 0}, 0.5, -0.5},
  };
  for (const Case& c : cases) {
    const ScenarioSpec spec = Load(TwoArguments(c.add1, c.add2).c_str());
    for (int exact_max : {12, 0}) {  // exact, and sampled permutations
      const AttributionResult r = Attribute(spec, "nash-pure", 400, 2, exact_max);
      EXPECT_EQ(r.exact, exact_max == 12);
      ASSERT_EQ(r.shapley.size(), 2u);
      EXPECT_EQ(r.none_hold[0], c.deal_v[0]);
      EXPECT_EQ(r.all_hold[0], c.deal_v[3]);
      ExpectEfficient(r);
      if (r.exact) {
        EXPECT_EQ(r.coalitions, 4);
        for (int mask = 0; mask < 4; ++mask) EXPECT_EQ(r.coalition_values[mask][0], c.deal_v[mask]);
        EXPECT_NEAR(r.shapley[0][0], c.phi1, 1e-15);
        EXPECT_NEAR(r.shapley[1][0], c.phi2, 1e-15);
        EXPECT_NEAR(r.shapley[0][1], -c.phi1, 1e-15);    // walk is the complement
        EXPECT_EQ(r.ci95[0][0].low, r.ci95[0][0].high);  // every sample the same game
      } else {
        // Each sample draws one order; the average over 400 is near the
        // exact value, inside its interval.
        EXPECT_EQ(r.permutations, 400);
        for (int i = 0; i < 2; ++i) {
          const double exact = i == 0 ? c.phi1 : c.phi2;
          EXPECT_NEAR(r.shapley[i][0], exact, 0.1);
          EXPECT_LE(r.ci95[i][0].low, exact + 1e-12);
          EXPECT_GE(r.ci95[i][0].high, exact - 1e-12);
        }
      }
    }
  }
}

// Additive in probability: a takes the deal when a uniform draw d is below
// 0.3 plus the effects of the arguments that hold, so
// v(S) = P(deal | S) = 0.3 + sum of effects in S, and phi_i = effect_i.
constexpr const char* kAdditive = R"(name: Additive
actors:
  - {id: a, options: [deal, walk]}
  - {id: b, options: [wait]}
parameters:
  d: {uniform: [0, 1]}
outcomes:
  - {id: deal, when: {a: deal}}
  - {id: walk, otherwise: true}
payoffs:
  deal: {a: 0.3, b: 0}
  walk: {a: d, b: 0}
arguments:
  - {id: up, analyst: A, claim: up, credence: 0.5, effects: [{outcome: deal, actor: a, add: 0.2}]}
  - {id: down, analyst: B, claim: down, credence: 0.5, effects: [{outcome: deal, actor: a, add: -0.15}]}
  - {id: more, analyst: C, claim: more, credence: 0.9, effects: [{outcome: deal, actor: a, add: {uniform: [0, 0.2]}}]}
)";

TEST(ShapleyAttribution, AdditiveEffectsAreTheirOwnShapleyValues) {
  const ScenarioSpec spec = Load(kAdditive);
  const AttributionResult r = Attribute(spec, "nash-pure", 20000);
  ASSERT_TRUE(r.exact);
  EXPECT_EQ(r.coalitions, 8);
  ExpectEfficient(r);
  const std::vector<double> effect = {0.2, -0.15, 0.1};  // E[uniform(0, 0.2)] = 0.1
  for (int i = 0; i < 3; ++i) {
    const double half = 0.5 * (r.ci95[i][0].high - r.ci95[i][0].low);
    EXPECT_GT(half, 0.0);
    EXPECT_LT(half, 0.01);
    EXPECT_NEAR(r.shapley[i][0], effect[i], 4 * half / 1.96) << i;
    EXPECT_NEAR(r.shapley[i][1], -r.shapley[i][0], 1e-12);
  }
  EXPECT_NEAR(r.none_hold[0], 0.3, 0.015);
  EXPECT_NEAR(r.all_hold[0], 0.45, 0.015);
}

// v(S) is exactly what a run with S forced on and the rest forced off
// counts on the same samples (common random numbers, no recompiling).
TEST(ShapleyAttribution, CoalitionValuesEqualForcedRuns) {
  const ScenarioSpec spec = Load(kAdditive);
  const int64_t samples = 3000;
  const AttributionResult r = Attribute(spec, "nash-pure", samples, 3);
  const auto model = *MakeModel("nash-pure");
  for (int mask = 0; mask < 8; ++mask) {
    std::vector<ArgumentMode> modes(3);
    for (int i = 0; i < 3; ++i) {
      modes[i] = mask >> i & 1 ? ArgumentMode::kForcedOn : ArgumentMode::kForcedOff;
    }
    auto game = GameModel::Compile(spec, {modes});
    ASSERT_TRUE(game.ok());
    RunOptions options;
    options.samples = samples;
    options.seed = 5;
    auto run = RunMonteCarlo(*game, *model, options);
    ASSERT_TRUE(run.ok());
    for (int o = 0; o < 3; ++o) {
      EXPECT_EQ(r.coalition_values[mask][o], run->totals.outcome_mass[o] / samples)
          << "mask " << mask << " slot " << o;
    }
  }
}

TEST(ShapleyAttribution, SampledAgreesWithExactAndBothAreThreadIndependent) {
  const ScenarioSpec spec = Load(kAdditive);
  const AttributionResult exact = Attribute(spec, "nash-pure", 8000, 1);
  const AttributionResult exact3 = Attribute(spec, "nash-pure", 8000, 3);
  EXPECT_EQ(exact.shapley, exact3.shapley);
  const AttributionResult sampled = Attribute(spec, "nash-pure", 8000, 1, 0);
  const AttributionResult sampled3 = Attribute(spec, "nash-pure", 8000, 3, 0);
  EXPECT_EQ(sampled.shapley, sampled3.shapley);
  ASSERT_FALSE(sampled.exact);
  EXPECT_EQ(sampled.coalitions, 2 + 2);  // none, all, two proper prefixes
  ExpectEfficient(sampled);
  // Same samples, so v(all) and v(none) agree exactly.
  EXPECT_EQ(sampled.all_hold, exact.all_hold);
  EXPECT_EQ(sampled.none_hold, exact.none_hold);
  for (int i = 0; i < 3; ++i) {
    const double half = 0.5 * (sampled.ci95[i][0].high - sampled.ci95[i][0].low);
    EXPECT_NEAR(sampled.shapley[i][0], exact.shapley[i][0], 2 * half);
  }
}

TEST(ShapleyAttribution, ForcedArgumentsAreNotPlayers) {
  const ScenarioSpec spec = Load(TwoArguments(0.6, 0.6).c_str());
  // With "first" forced on, "second" alone decides: phi = 1.
  const AttributionResult r =
      Attribute(spec, "nash-pure", 100, 2, 12, {ArgumentMode::kForcedOn, ArgumentMode::kDrawn});
  ASSERT_EQ(r.players, std::vector<int>{1});
  EXPECT_EQ(r.shapley[0][0], 1.0);
  // Nothing left to attribute.
  const AttributionResult none = Attribute(spec, "nash-pure", 100, 2, 12,
                                           {ArgumentMode::kForcedOff, ArgumentMode::kForcedOff});
  EXPECT_TRUE(none.players.empty());
  EXPECT_EQ(none.all_hold, none.none_hold);
}

// A sequential game: the walker goes out unless it rains; an argument makes
// staying home worth 3 (more than going out), so it moves P(outing) from
// 1 - P(rain) to 0.
const std::string kWeather = testing::WeatherScenario(R"(arguments:
  - {id: cosy, analyst: A, claim: home is better, credence: 0.5, effects: [{outcome: home, actor: walker, add: 3}]}
  - {id: noise, analyst: B, claim: nothing, credence: 0.5, effects: [{outcome: wet, actor: city, add: 1}]}
)");

TEST(ShapleyAttribution, SequentialScenario) {
  const ScenarioSpec spec = Load(kWeather);
  const AttributionResult r = Attribute(spec, "spe", 5000);
  ASSERT_TRUE(r.exact);
  ExpectEfficient(r);
  // none: home with P(rain) (mean 0.25), outing otherwise; all: always home.
  EXPECT_NEAR(r.none_hold[2], 0.75, 0.01);
  EXPECT_EQ(r.all_hold[1], 1.0);
  EXPECT_EQ(r.all_hold[2], 0.0);
  EXPECT_NEAR(r.shapley[0][2], -r.none_hold[2], 1e-12);  // cosy does it all
  EXPECT_EQ(r.shapley[1][2], 0.0);                       // noise changes no choice
}

TEST(ShapleyAttribution, RejectsAModelForTheOtherKindOfGame) {
  const ScenarioSpec spec = Load(kWeather);
  AttributionOptions options;
  options.samples = 10;
  EXPECT_FALSE(ShapleyAttribution(spec, {}, **MakeModel("nash-pure"), options).ok());
}

// NaN predictions are never attributed: the attribution fails, naming the
// model and the first sample, on any thread count.
TEST(ShapleyAttribution, NonFinitePredictionsFailTheAttribution) {
  const ScenarioSpec spec = Load(TwoArguments(0.5, 0.8));
  AttributionOptions options;
  options.samples = 100;
  options.seed = 5;
  for (int threads : {1, 3}) {
    options.threads = threads;
    auto r = ShapleyAttribution(spec, {}, testing::NanModel(), options);
    ASSERT_FALSE(r.ok()) << "a NaN prediction was attributed";
    EXPECT_EQ(r.status().code(), StatusCode::kInternal);
    EXPECT_NE(r.status().message().find("model 'nan-test' predicted an outcome probability or "
                                        "payoff that is not a finite number for sample 0 (seed 5)"),
              std::string::npos)
        << r.status().message();
  }
}

}  // namespace
}  // namespace parley
