// maximin against answers worked out by hand (a safe option beats a risky
// best reply; matching pennies ties everywhere; the Prisoner's Dilemma
// defects) and against an independent computation of every security level
// on random games. The checks every model passes are in
// tests/model_conformance_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/rng.h"
#include "sim/core/status_matchers.h"
#include "sim/game/normal_form.h"
#include "sim/model/model.h"

namespace parley {
namespace {

// Every player's predicted probabilities, pure or mixed.
std::vector<std::vector<double>> Predict(std::string_view model_name, const NormalFormGame& game) {
  auto model = MakeModel(model_name);
  EXPECT_THAT(model, IsOk());
  auto scratch = (*model)->NewScratch();
  SampleRng rng(1, 0, RngStream::kModel);
  Prediction out;
  (*model)->Predict(game.view(), rng, *scratch, out);
  std::vector<std::vector<double>> mix;
  for (int p = 0; p < game.space.num_players(); ++p) {
    std::vector<double> x(game.space.num_strategies(p), 0.0);
    for (int k = 0; k < game.space.num_strategies(p); ++k) {
      x[k] = out.mixed ? out.strategies[p](k) : (game.space.StrategyOf(out.profile, p) == k);
    }
    mix.push_back(x);
  }
  return mix;
}

// Two players; the row player's strategy varies fastest: {a(r0,c0),
// b(r0,c0), a(r1,c0), b(r1,c0), a(r0,c1), ...}.
NormalFormGame TwoByTwo(const std::vector<double>& payoffs) {
  return *NormalFormGame::Make({"row", "column"}, {{"r0", "r1"}, {"c0", "c1"}}, payoffs);
}

using ::testing::ElementsAre;

TEST(Maximin, TakesTheSafeOptionWhereNashTakesTheRiskyBestReply) {
  // Column's c0 strictly dominates (2 > 0). Row's r0 is the best reply to it
  // (10 > 1) but loses 100 against c1; r1 earns 1 whatever column does.
  // Security levels: row r0 -100, r1 1; column c0 2, c1 0.
  const NormalFormGame game = TwoByTwo({10, 2, 1, 2, -100, 0, 1, 0});
  EXPECT_THAT(Predict("maximin", game), ElementsAre(ElementsAre(0.0, 1.0), ElementsAre(1.0, 0.0)));
  EXPECT_THAT(Predict("nash-pure", game),
              ElementsAre(ElementsAre(1.0, 0.0), ElementsAre(1.0, 0.0)));
}

TEST(Maximin, MatchingPenniesTiesEveryOption) {
  // Every option's worst payoff is -1: each player splits evenly.
  const NormalFormGame game = TwoByTwo({1, -1, -1, 1, -1, 1, 1, -1});
  EXPECT_THAT(Predict("maximin", game), ElementsAre(ElementsAre(0.5, 0.5), ElementsAre(0.5, 0.5)));
}

TEST(Maximin, PrisonersDilemmaDefects) {
  // r0/c0 cooperate. Worst payoffs: cooperate 0 (the sucker's payoff),
  // defect 1 (mutual defection).
  const NormalFormGame game = TwoByTwo({3, 3, 5, 0, 0, 5, 1, 1});
  EXPECT_THAT(Predict("maximin", game), ElementsAre(ElementsAre(0.0, 1.0), ElementsAre(0.0, 1.0)));
}

TEST(Maximin, OneActorPlaysItsBestOption) {
  const NormalFormGame game = *NormalFormGame::Make({"solo"}, {{"a", "b", "c"}}, {1, 3, 2});
  EXPECT_THAT(Predict("maximin", game), ElementsAre(ElementsAre(0.0, 1.0, 0.0)));
}

// Independent oracle: each security level by enumerating the others'
// choices with Encode, not by one pass over the profiles.
TEST(Maximin, RandomGamesMatchSecurityLevelsComputedByEnumeration) {
  for (int trial = 0; trial < 200; ++trial) {
    // Philox, keyed by the trial: the same games on every platform (the
    // standard distributions are implementation-defined).
    SampleRng rng(20261203, static_cast<uint64_t>(trial));
    auto between = [&](int low, int high) {
      return low + static_cast<int>(rng.NextU64() % static_cast<uint64_t>(high - low + 1));
    };
    const int n = between(2, 4);
    std::vector<std::string> names;
    std::vector<std::vector<std::string>> options(n);
    std::vector<int> counts(n);
    int64_t profiles = 1;
    for (int p = 0; p < n; ++p) {
      names.push_back("p" + std::to_string(p));
      counts[p] = between(1, 4);
      for (int k = 0; k < counts[p]; ++k) options[p].push_back("o" + std::to_string(k));
      profiles *= counts[p];
    }
    // Small integer payoffs make ties common.
    std::vector<double> payoffs(static_cast<size_t>(profiles * n));
    for (double& v : payoffs) v = between(-3, 3);
    const NormalFormGame game = *NormalFormGame::Make(names, options, payoffs);
    const auto got = Predict("maximin", game);
    for (int p = 0; p < n; ++p) {
      std::vector<double> security(counts[p], std::numeric_limits<double>::infinity());
      for (int k = 0; k < counts[p]; ++k) {
        std::vector<int> s(n, 0);
        s[p] = k;
        while (true) {
          const int64_t q = game.space.Encode(s);
          security[k] = std::min(security[k], payoffs[q * n + p]);
          int i = 0;  // the next profile of the others (an odometer skipping p)
          for (; i < n; ++i) {
            if (i == p) continue;
            if (++s[i] < counts[i]) break;
            s[i] = 0;
          }
          if (i == n) break;
        }
      }
      const double best = *std::max_element(security.begin(), security.end());
      const auto ties = std::count(security.begin(), security.end(), best);
      for (int k = 0; k < counts[p]; ++k) {
        EXPECT_DOUBLE_EQ(got[p][k], security[k] == best ? 1.0 / ties : 0.0)
            << "trial " << trial << " player " << p << " option " << k;
      }
    }
  }
}

}  // namespace
}  // namespace parley
