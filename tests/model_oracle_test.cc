// Property tests on random scenarios: the compiled GameModel's payoffs equal a
// direct evaluation of the scenario's rules, and every equilibrium nash-pure
// reports passes an independent best-response (regret) check.
//
// The generator keeps its own description of each random scenario and writes
// it out as YAML, so the oracle below never looks at the loader's or the
// compiler's data structures.
#include <gtest/gtest.h>

#include <sstream>

#include "sim/model/model.h"
#include "sim/core/rng.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/pure_nash.h"

namespace parley {
namespace {

// A conjunction: for each actor, the allowed options (empty = any).
using Cond = std::vector<std::vector<int>>;

struct RandomScenario {
  std::vector<int> options;                 // per actor
  std::vector<double> params;               // constant parameters
  std::vector<std::vector<Cond>> outcomes;  // any-of conditions; last is `otherwise`
  // payoff[o][a] = constant + scale * param (param -1 for none)
  struct Value {
    double constant = 0;
    int param = -1;
    double scale = 1;
  };
  std::vector<std::vector<Value>> payoffs;
  struct Shift {
    std::vector<Cond> rule;
    int actor;
    double add;
  };
  std::vector<Shift> modifiers;
  struct Effect {
    int kind;  // 0 outcome payoff, 1 profile payoff, 2 parameter
    int outcome = -1, actor = -1, param = -1;
    std::vector<Cond> rule;
    double add;
  };
  std::vector<std::vector<Effect>> arguments;
  std::vector<bool> forced_on;  // per argument

  static bool Matches(const std::vector<Cond>& rule, const std::vector<int>& profile) {
    for (const Cond& c : rule) {
      bool ok = true;
      for (size_t a = 0; a < c.size() && ok; ++a) {
        if (!c[a].empty() && std::find(c[a].begin(), c[a].end(), profile[a]) == c[a].end()) {
          ok = false;
        }
      }
      if (ok) return true;
    }
    return false;
  }

  int OutcomeOf(const std::vector<int>& profile) const {
    for (size_t o = 0; o + 1 < outcomes.size(); ++o) {
      if (Matches(outcomes[o], profile)) return static_cast<int>(o);
    }
    return static_cast<int>(outcomes.size()) - 1;
  }

  // The payoff straight from the rules.
  double Payoff(const std::vector<int>& profile, int actor) const {
    std::vector<double> p = params;
    for (size_t g = 0; g < arguments.size(); ++g) {
      if (!forced_on[g]) continue;
      for (const Effect& e : arguments[g]) {
        if (e.kind == 2) p[e.param] += e.add;
      }
    }
    const int o = OutcomeOf(profile);
    const Value& v = payoffs[o][actor];
    double x = v.constant + (v.param >= 0 ? v.scale * p[v.param] : 0.0);
    for (const Shift& s : modifiers) {
      if (s.actor == actor && Matches(s.rule, profile)) x += s.add;
    }
    for (size_t g = 0; g < arguments.size(); ++g) {
      if (!forced_on[g]) continue;
      for (const Effect& e : arguments[g]) {
        if (e.kind == 0 && e.outcome == o && e.actor == actor) x += e.add;
        if (e.kind == 1 && e.actor == actor && Matches(e.rule, profile)) x += e.add;
      }
    }
    return x;
  }
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed, 0) {}
  int Int(int lo, int hi) { return lo + static_cast<int>(rng_.NextU32() % (hi - lo + 1)); }

  Cond RandomCond(const std::vector<int>& options) {
    Cond c(options.size());
    bool any = false;
    for (size_t a = 0; a < options.size(); ++a) {
      if (Int(0, 2) == 0) continue;
      for (int o = 0; o < options[a]; ++o) {
        if (Int(0, 1)) c[a].push_back(o);
      }
      if (c[a].empty()) c[a].push_back(Int(0, options[a] - 1));
      any = true;
    }
    if (!any) c[0].push_back(Int(0, options[0] - 1));
    return c;
  }
  std::vector<Cond> RandomRule(const std::vector<int>& options) {
    std::vector<Cond> rule;
    for (int i = Int(1, 2); i > 0; --i) rule.push_back(RandomCond(options));
    return rule;
  }

  RandomScenario Make() {
    RandomScenario s;
    s.options.resize(Int(2, 4));
    for (int& k : s.options) k = Int(1, 3);
    s.params.resize(Int(0, 2));
    for (double& p : s.params) p = Int(-4, 4);
    s.outcomes.resize(Int(1, 7));
    for (size_t o = 0; o + 1 < s.outcomes.size(); ++o) s.outcomes[o] = RandomRule(s.options);
    const int actors = static_cast<int>(s.options.size());
    s.payoffs.assign(s.outcomes.size(), std::vector<RandomScenario::Value>(actors));
    for (auto& row : s.payoffs) {
      for (auto& v : row) {
        if (!s.params.empty() && Int(0, 3) == 0) {
          v.param = Int(0, static_cast<int>(s.params.size()) - 1);
          v.scale = Int(0, 1) ? 1 : -1;
        } else {
          v.constant = Int(-20, 20);
        }
      }
    }
    for (int i = Int(0, 5); i > 0; --i) {
      s.modifiers.push_back({RandomRule(s.options), Int(0, actors - 1), double(Int(-9, 9))});
    }
    for (int g = Int(0, 3); g > 0; --g) {
      std::vector<RandomScenario::Effect> effects;
      for (int e = Int(1, 3); e > 0; --e) {
        RandomScenario::Effect eff;
        eff.kind = Int(0, s.params.empty() ? 1 : 2);
        eff.add = Int(-2, 2);
        if (eff.kind == 0) {
          eff.outcome = Int(0, static_cast<int>(s.outcomes.size()) - 1);
          eff.actor = Int(0, actors - 1);
        } else if (eff.kind == 1) {
          eff.rule = RandomRule(s.options);
          eff.actor = Int(0, actors - 1);
        } else {
          eff.param = Int(0, static_cast<int>(s.params.size()) - 1);
        }
        effects.push_back(eff);
      }
      s.arguments.push_back(effects);
      s.forced_on.push_back(Int(0, 1));
    }
    return s;
  }

 private:
  SampleRng rng_;
};

std::string Opt(int o) { return "o" + std::to_string(o); }
std::string Act(int a) { return "a" + std::to_string(a); }

std::string CondYaml(const Cond& c) {
  std::string out = "{";
  bool first = true;
  for (size_t a = 0; a < c.size(); ++a) {
    if (c[a].empty()) continue;
    out += (first ? "" : ", ") + Act(static_cast<int>(a)) + ": [";
    for (size_t i = 0; i < c[a].size(); ++i) out += (i ? ", " : "") + Opt(c[a][i]);
    out += "]";
    first = false;
  }
  return out + "}";
}

std::string RuleYaml(const std::vector<Cond>& rule) {
  std::string out = "when_any: [";
  for (size_t i = 0; i < rule.size(); ++i) out += (i ? ", " : "") + CondYaml(rule[i]);
  return out + "]";
}

std::string ToYaml(const RandomScenario& s) {
  std::ostringstream y;
  y << "name: random\nactors:\n";
  for (size_t a = 0; a < s.options.size(); ++a) {
    y << "  - {id: " << Act(static_cast<int>(a)) << ", options: [";
    for (int o = 0; o < s.options[a]; ++o) y << (o ? ", " : "") << Opt(o);
    y << "]}\n";
  }
  if (!s.params.empty()) {
    y << "parameters:\n";
    for (size_t p = 0; p < s.params.size(); ++p) y << "  p" << p << ": " << s.params[p] << "\n";
  }
  y << "outcomes:\n";
  for (size_t o = 0; o < s.outcomes.size(); ++o) {
    y << "  - {id: out" << o << ", "
      << (o + 1 < s.outcomes.size() ? RuleYaml(s.outcomes[o]) : "otherwise: true") << "}\n";
  }
  y << "payoffs:\n";
  for (size_t o = 0; o < s.payoffs.size(); ++o) {
    y << "  out" << o << ": {";
    for (size_t a = 0; a < s.payoffs[o].size(); ++a) {
      const auto& v = s.payoffs[o][a];
      y << (a ? ", " : "") << Act(static_cast<int>(a)) << ": ";
      if (v.param >= 0) {
        y << (v.scale < 0 ? "-" : "") << "p" << v.param;
      } else {
        y << v.constant;
      }
    }
    y << "}\n";
  }
  if (!s.modifiers.empty()) {
    y << "modifiers:\n";
    for (const auto& m : s.modifiers) {
      y << "  - {" << RuleYaml(m.rule) << ", add: {" << Act(m.actor) << ": " << m.add << "}}\n";
    }
  }
  if (!s.arguments.empty()) {
    y << "arguments:\n";
    for (size_t g = 0; g < s.arguments.size(); ++g) {
      y << "  - id: g" << g << "\n    analyst: A\n    claim: C\n    credence: 0.5\n    effects:\n";
      for (const auto& e : s.arguments[g]) {
        y << "      - {";
        if (e.kind == 0) y << "outcome: out" << e.outcome << ", actor: " << Act(e.actor);
        if (e.kind == 1) y << RuleYaml(e.rule) << ", actor: " << Act(e.actor);
        if (e.kind == 2) y << "parameter: p" << e.param;
        y << ", add: " << e.add << "}\n";
      }
    }
  }
  return y.str();
}

TEST(ModelOracle, CompiledPayoffsMatchTheRulesAndEquilibriaHaveZeroRegret) {
  const auto nash = *MakeModel("nash-pure");
  int resolved = 0, unresolved = 0;
  for (uint64_t trial = 0; trial < 600; ++trial) {
    Generator gen(1000 + trial);
    const RandomScenario scenario = gen.Make();
    const std::string yaml = ToYaml(scenario);
    auto spec = LoadScenarioString(yaml, "random.yaml");
    ASSERT_TRUE(spec.ok()) << spec.status().message() << "\n" << yaml;
    CompileOptions options;
    for (bool on : scenario.forced_on) {
      options.argument_modes.push_back(on ? ArgumentMode::kForcedOn : ArgumentMode::kForcedOff);
    }
    auto game = GameModel::Compile(*spec, options);
    ASSERT_TRUE(game.ok()) << game.status().message();

    Eigen::MatrixXd theta = Eigen::MatrixXd::Zero(1, game->num_draws()), tables;
    std::vector<uint8_t> holds(scenario.arguments.size() + 1);
    SampleRng rng(1, trial);
    game->DrawSample(rng, theta.data(), 1, holds.data());
    game->EvaluatePayoffs(theta, tables);
    const auto offsets = game->EntryOffsets(1);
    const GameView view = game->View(tables.data(), offsets);

    const ProfileSpace& space = game->space();
    for (int64_t q = 0; q < space.num_profiles(); ++q) {
      const std::vector<int> profile = space.Decode(q);
      ASSERT_EQ(game->outcome_of(q), scenario.OutcomeOf(profile)) << yaml;
      for (int a = 0; a < space.num_players(); ++a) {
        ASSERT_DOUBLE_EQ(view.Payoff(q, a), scenario.Payoff(profile, a))
            << "profile " << q << " actor " << a << "\n"
            << yaml;
      }
    }

    const std::unique_ptr<ModelScratch> scratch = nash->NewScratch();
    Prediction prediction;
    SampleRng model_rng(1, trial, RngStream::kModel);
    nash->Predict(view, model_rng, *scratch, prediction);
    int64_t zero_regret = 0;
    for (int64_t q = 0; q < space.num_profiles(); ++q) zero_regret += MaxRegret(view, q) <= 0.0;
    ASSERT_EQ(prediction.num_equilibria, zero_regret) << yaml;
    if (prediction.profile >= 0) {
      ++resolved;
      EXPECT_LE(MaxRegret(view, prediction.profile), 0.0) << yaml;
    } else {
      ++unresolved;
    }
  }
  // The generator must exercise both cases.
  EXPECT_GT(resolved, 50);
  EXPECT_GT(unresolved, 0) << "resolved " << resolved;
}

}  // namespace
}  // namespace parley
