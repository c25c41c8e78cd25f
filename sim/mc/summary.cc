#include "sim/mc/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

#include "sim/game/play_paths.h"

namespace parley {

Interval WilsonInterval(int64_t successes, int64_t trials, double z) {
  if (trials <= 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / n;
  const double center = (p + z2 / (2.0 * n)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
  // At 0 or n successes the bound is exactly 0 or 1; rounding must not leave
  // the estimate outside its own interval.
  return {successes == 0 ? 0.0 : std::max(0.0, center - half),
          successes == trials ? 1.0 : std::min(1.0, center + half)};
}

std::vector<std::vector<std::string>> DescribePath(const ScenarioSpec& spec, const GameModel& game,
                                                   const std::vector<int32_t>& key) {
  std::map<int32_t, int32_t> move;
  for (size_t i = 0; i + 1 < key.size(); i += 2) move[key[i]] = key[i + 1];
  std::vector<std::vector<std::string>> branches;
  // A recorded move of -2 ends a path; -1 marks a chance node, which
  // branches into each child the path reached.
  WalkPlayPaths(
      game.tree(),
      [&](int v) {
        const auto it = move.find(v);
        if (it == move.end()) return PathNode::kOffPath;
        return it->second == -2 ? PathNode::kLeaf : PathNode::kFollow;
      },
      [&](int v, int a) {
        const int recorded = move.find(v)->second;
        if (recorded >= 0) return a == recorded;
        return move.count(game.tree().children(v)[a]) > 0;
      },
      [&](int, const std::vector<PathMove>& path) {
        std::vector<std::string> moves;
        for (const PathMove& m : path) {
          const StageSpec& stage = spec.stages[game.stage_of_node()[m.node]];
          moves.push_back(stage.id + ": " + stage.options[m.action]);
        }
        branches.push_back(std::move(moves));
      });
  return branches;
}

namespace {

// The interval of a slot's mean over n samples whose slot masses sum to
// `mass` (squares: `squares`); samples outside the n add nothing to either.
// The mean of n per-sample values (their sum and sum of squares) with its
// normal-approximation interval from their sample variance. The sum of
// squares minus n mean^2 cancels: a difference within the rounding of the
// sum (say every sample has the same value) is a variance of 0, not an
// interval about 1e-9 wide.
Interval ValueInterval(double sum, double squares, int64_t n) {
  const double n_samples = static_cast<double>(std::max<int64_t>(n, 1));
  const double mean = n ? sum / n_samples : 0.0;
  const double deviation = squares - n_samples * mean * mean;
  const double rounding = 4.0 * n_samples * std::numeric_limits<double>::epsilon() * squares;
  const double var = n > 1 && deviation > rounding ? deviation / (n_samples - 1.0) : 0.0;
  const double half = kZ95 * std::sqrt(var / n_samples);
  return {mean - half, mean + half};
}

// A probability's interval: Wilson's for whole counts (pure models), else
// the normal approximation over the samples' probabilities, within [0, 1].
Interval MeanInterval(double mass, double squares, int64_t n, bool pure_model) {
  if (pure_model) return WilsonInterval(std::llround(mass), n);
  const Interval ci = ValueInterval(mass, squares, n);
  return {std::max(0.0, ci.low), std::min(1.0, ci.high)};
}

RoundsSummary SummarizeRounds(const ScenarioSpec& spec, const RoundTotals& t, int64_t samples,
                              bool pure_model) {
  const RoundsSpec& r = *spec.rounds;
  RoundsSummary s;
  s.max_rounds = t.rounds;
  s.foresight = r.foresight == Foresight::kMyopic ? "myopic" : "forward-looking";
  s.learning = r.learning == RoundsLearning::kFresh ? "fresh" : "carried";
  for (size_t a = 0; a < spec.actors.size(); ++a) {
    s.discount.emplace_back(spec.actors[a].id, r.discount[a]);
  }
  for (size_t o = 0; o < spec.outcomes.size(); ++o) {
    if (r.continues[o]) {
      s.continuing.push_back(spec.outcomes[o].id);
    } else {
      s.ending.push_back(spec.outcomes[o].id);
      s.ending_slots.push_back(static_cast<int>(o));
    }
  }
  s.ending.push_back("unresolved");
  s.ending_slots.push_back(static_cast<int>(spec.outcomes.size()));
  for (const auto& v : r.state) s.state_variables.push_back(v.id);
  if (t.alive.empty()) return s;  // no samples
  const double n = static_cast<double>(std::max<int64_t>(samples, 1));
  const int slots = t.slots, variables = t.variables;
  double ended_before = 0.0;  // sum over ending slots of ended_by at the round before
  for (int k = 0; k < t.rounds; ++k) {
    RoundEstimate e;
    e.round = k + 1;
    e.negotiating = t.alive[k] / n;
    double ended_now = 0.0;
    for (const int slot : s.ending_slots) {
      const size_t i = static_cast<size_t>(k) * slots + slot;
      e.ended_by.push_back(t.ended_by[i] / n);
      e.ended_by_ci95.push_back(
          MeanInterval(t.ended_by[i], t.ended_by_squares[i], samples, pure_model));
      ended_now += t.ended_by[i];
    }
    if (t.alive[k] > 0.0) e.hazard = (ended_now - ended_before) / t.alive[k];
    ended_before = ended_now;
    for (int v = 0; v < variables; ++v) {
      const size_t i = static_cast<size_t>(k) * variables + v;
      if (t.alive[k] > 0.0) {
        const double mean = t.state_sum[i] / t.alive[k];
        e.state_mean.push_back(mean);
        // E[x^2] - mean^2 cancels: a difference within its rounding is 0.
        const double squares = t.state_squares[i] / t.alive[k];
        const double var = squares - mean * mean;
        const double rounding = 8.0 * std::numeric_limits<double>::epsilon() * squares;
        e.state_sd.push_back(var > rounding ? std::sqrt(var) : 0.0);
      } else {
        e.state_mean.push_back(std::numeric_limits<double>::quiet_NaN());
        e.state_sd.push_back(std::numeric_limits<double>::quiet_NaN());
      }
    }
    s.duration.push_back((t.alive[k] - (k + 1 < t.rounds ? t.alive[k + 1] : 0.0)) / n);
    s.rounds.push_back(std::move(e));
  }
  s.mean_rounds = t.duration[0] / n;
  s.mean_rounds_ci95 = ValueInterval(t.duration[0], t.duration_squares[0], samples);
  s.markov = t.markov_samples > 0;
  if (s.markov) {
    s.markov_samples = t.markov_samples;
    s.never_ending = t.never_ending;
    for (const int slot : s.ending_slots) {
      s.eventual.push_back(t.eventual[slot] / static_cast<double>(t.markov_samples));
      s.eventual_ci95.push_back(
          MeanInterval(t.eventual[slot], t.eventual_squares[slot], t.markov_samples, false));
    }
    const int64_t ending = t.markov_samples - t.never_ending;
    if (ending > 0) {
      s.markov_mean_rounds = t.markov_rounds[0] / static_cast<double>(ending);
      s.markov_mean_rounds_ci95 =
          ValueInterval(t.markov_rounds[0], t.markov_rounds_squares[0], ending);
    }
  }
  return s;
}

}  // namespace

Interval SlotInterval(const Accumulator& t, int slot, bool pure_model) {
  return MeanInterval(t.outcome_mass[slot], t.outcome_mass_squares[slot], t.samples, pure_model);
}

RunSummary Summarize(const ScenarioSpec& spec, const std::vector<ArgumentMode>& modes,
                     const Accumulator& t, bool pure_model, const GameModel* game) {
  RunSummary s;
  s.scenario = spec.name;
  s.scenario_path = spec.path;
  s.samples = t.samples;
  s.pure_model = pure_model;
  const double n_samples = static_cast<double>(std::max<int64_t>(t.samples, 1));
  auto estimate = [&](std::string id, std::string label, int slot) {
    return OutcomeEstimate{std::move(id), std::move(label), t.outcome_mass[slot],
                           t.samples ? t.outcome_mass[slot] / n_samples : 0.0,
                           SlotInterval(t, slot, pure_model)};
  };
  // Among resolved samples: an unresolved sample puts all its mass in the
  // last slot (and none in the others), so the outcome sums are over the
  // resolved samples already.
  s.resolved_samples = t.samples - t.count(t.num_outcomes);
  for (int o = 0; o < t.num_outcomes; ++o) {
    s.outcomes.push_back(estimate(spec.outcomes[o].id, spec.outcomes[o].label, o));
    OutcomeEstimate& e = s.outcomes.back();
    if (s.resolved_samples > 0) {
      e.probability_resolved = t.outcome_mass[o] / static_cast<double>(s.resolved_samples);
      e.ci95_resolved = MeanInterval(t.outcome_mass[o], t.outcome_mass_squares[o],
                                     s.resolved_samples, pure_model);
    }
  }
  s.unresolved = estimate("unresolved", "unresolved", t.num_outcomes);
  if (spec.rounds && t.rounds.rounds > 0) {
    s.rounds = SummarizeRounds(spec, t.rounds, t.samples, pure_model);
  }
  s.not_converged = t.not_converged;
  s.not_converged_probability = static_cast<double>(t.not_converged) / n_samples;
  s.not_converged_ci95 = WilsonInterval(t.not_converged, t.samples);

  for (size_t p = 0; p < t.payoffs.size(); ++p) {
    const RunningStats& r = t.payoffs[p];
    const double half = r.n > 1 ? kZ95 * std::sqrt(r.Variance() / static_cast<double>(r.n)) : 0.0;
    s.payoffs.push_back({spec.actors[p].id, r.n, r.mean, {r.mean - half, r.mean + half}});
  }

  const double n = static_cast<double>(std::max<int64_t>(t.samples, 1));
  s.equilibria_none = t.equilibrium_counts[Accumulator::kNone] / n;
  s.equilibria_unique = t.equilibrium_counts[Accumulator::kUnique] / n;
  s.equilibria_multiple = t.equilibrium_counts[Accumulator::kMultiple] / n;

  const int slots = t.num_outcomes + 1;
  for (int g = 0; g < t.num_arguments; ++g) {
    const ArgumentSpec& spec_arg = spec.arguments[g];
    ArgumentEstimate a;
    a.id = spec_arg.id;
    a.analyst = spec_arg.analyst;
    a.claim = spec_arg.claim;
    a.credence = spec_arg.credence;
    const ArgumentMode mode =
        static_cast<size_t>(g) < modes.size() ? modes[g] : ArgumentMode::kDrawn;
    a.mode = mode == ArgumentMode::kDrawn      ? "drawn"
             : mode == ArgumentMode::kForcedOn ? "forced-on"
                                               : "forced-off";
    a.samples_holding = t.argument_holds[g];
    const int64_t n1 = t.argument_holds[g];
    const int64_t n0 = t.samples - n1;
    for (int o = 0; o < slots; ++o) {
      ArgumentEffect e;
      e.outcome = o < t.num_outcomes ? spec.outcomes[o].id : "unresolved";
      if (n1 > 0 && n0 > 0) {
        const double c1 = t.mass_when_holds[static_cast<size_t>(g) * slots + o];
        const double c0 = t.outcome_mass[o] - c1;
        const double p1 = c1 / static_cast<double>(n1);
        const double p0 = std::clamp(c0 / static_cast<double>(n0), 0.0, 1.0);
        const double d = p1 - p0;
        const double half = kZ95 * std::sqrt(p1 * (1 - p1) / static_cast<double>(n1) +
                                             p0 * (1 - p0) / static_cast<double>(n0));
        e.effect = d;
        e.ci95 = {d - half, d + half};
      }
      a.effects.push_back(e);
    }
    s.arguments.push_back(std::move(a));
  }

  if (game != nullptr) SummarizeActions(spec, *game, t, s);
  if (game != nullptr && game->sequential()) {
    s.sequential = true;
    s.distinct_paths = static_cast<int64_t>(t.paths.size());
    // Most frequent first; equal counts in the (deterministic) key order.
    std::vector<std::pair<int64_t, const std::vector<int32_t>*>> ranked;
    for (const auto& [path, count] : t.paths) ranked.emplace_back(count, &path);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = 0; i < ranked.size() && i < kMaxReportedPaths; ++i) {
      PathEstimate path;
      path.branches = DescribePath(spec, *game, *ranked[i].second);
      path.count = ranked[i].first;
      path.probability = static_cast<double>(path.count) / n;
      path.ci95 = WilsonInterval(path.count, t.samples);
      s.paths.push_back(std::move(path));
    }
    for (size_t k = 0; k < spec.threats.size(); ++k) {
      const ThreatSpec& threat = spec.threats[k];
      ThreatEstimate e;
      e.id = threat.id;
      e.claim = threat.claim;
      e.stage = spec.stages[threat.stage].id;
      e.action = spec.stages[threat.stage].options[threat.action];
      e.applies_at = static_cast<int64_t>(game->threat_nodes()[k].size());
      const int64_t resolved = t.samples - t.count(t.num_outcomes);
      const int64_t credible = k < t.threat_credible.size() ? t.threat_credible[k] : 0;
      const int64_t carried = k < t.threat_carried_out.size() ? t.threat_carried_out[k] : 0;
      const double denom = static_cast<double>(std::max<int64_t>(resolved, 1));
      e.credible = static_cast<double>(credible) / denom;
      e.credible_ci95 = WilsonInterval(credible, resolved);
      e.carried_out = static_cast<double>(carried) / denom;
      e.carried_out_ci95 = WilsonInterval(carried, resolved);
      s.threats.push_back(std::move(e));
    }
  }
  return s;
}

void SummarizeActions(const ScenarioSpec& spec, const GameModel& game, const Accumulator& t,
                      RunSummary& s) {
  s.actors.clear();
  s.profiles.clear();
  const int slots = t.num_option_slots();
  if (slots == 0) return;
  // Per option slot: mass and squares over the samples, pure predictions'
  // whole counts (1 each, so squares alike) added to the mixed ones'.
  std::vector<double> mass(t.option_mass), squares(t.option_mass_squares);
  mass.resize(slots, 0.0);
  squares.resize(slots, 0.0);
  auto add_count = [&](int slot, int64_t n) {
    mass[slot] += static_cast<double>(n);
    squares[slot] += static_cast<double>(n);
  };
  for (size_t k = 0; k < t.option_counts.size(); ++k)
    add_count(static_cast<int>(k), t.option_counts[k]);
  const int64_t profiles = static_cast<int64_t>(t.profile_counts.size());
  if (!game.sequential()) {
    const ProfileSpace& space = game.space();
    for (int64_t q = 0; q < profiles; ++q) {
      if (t.profile_counts[q] == 0) continue;
      for (int p = 0; p < space.num_players(); ++p) {
        add_count(t.option_offsets[p] + space.StrategyOf(q, p), t.profile_counts[q]);
      }
    }
  }
  const int64_t n = s.resolved_samples;
  auto share = [&](double m, double sq) {
    return std::make_pair(n > 0 ? m / static_cast<double>(n) : 0.0,
                          n > 0 ? MeanInterval(m, sq, n, s.pure_model) : Interval{0.0, 0.0});
  };
  auto option = [&](std::string stage, const std::string& id, const std::string& label, int slot) {
    OptionShare o;
    o.stage = std::move(stage);
    o.id = id;
    o.label = label;
    o.count = mass[slot];
    std::tie(o.share, o.ci95) = share(mass[slot], squares[slot]);
    return o;
  };
  for (size_t a = 0; a < spec.actors.size(); ++a) {
    ActorActions actions;
    actions.actor = spec.actors[a].id;
    if (!game.sequential()) {
      const ActorSpec& actor = spec.actors[a];
      for (size_t k = 0; k < actor.options.size(); ++k) {
        actions.options.push_back(option("", actor.options[k], actor.option_labels[k],
                                         t.option_offsets[a] + static_cast<int>(k)));
      }
    } else {
      for (size_t st = 0; st < spec.stages.size() && st + 1 < t.option_offsets.size(); ++st) {
        const StageSpec& stage = spec.stages[st];
        const int first = t.option_offsets[st];
        const int count = t.option_offsets[st + 1] - first;
        if (stage.actor != static_cast<int>(a) || count == 0) continue;
        double reached = 0.0;
        for (int k = 0; k < count; ++k) {
          actions.options.push_back(option(stage.id, stage.options[k],
                                           k < static_cast<int>(stage.option_labels.size())
                                               ? stage.option_labels[k]
                                               : stage.options[k],
                                           first + k));
          reached += mass[first + k];
        }
        actions.stages.push_back(
            {stage.id, n > 0 ? std::min(1.0, reached / static_cast<double>(n)) : 0.0});
      }
    }
    s.actors.push_back(std::move(actions));
  }

  if (game.sequential()) return;  // its profiles are the equilibrium paths
  s.num_profiles = game.space().num_profiles();
  s.profiles_counted = profiles > 0;
  if (!s.profiles_counted) return;
  auto profile_mass = [&](int64_t q) {
    return static_cast<double>(t.profile_counts[q]) +
           (t.profile_mass.empty() ? 0.0 : t.profile_mass[q]);
  };
  // Most frequent first; equal shares in profile order.
  std::vector<std::pair<double, int64_t>> ranked;
  for (int64_t q = 0; q < profiles; ++q) {
    const double m = profile_mass(q);
    if (m > 0.0) ranked.emplace_back(m, q);
  }
  s.distinct_profiles = static_cast<int64_t>(ranked.size());
  const size_t keep = std::min(ranked.size(), kMaxReportedProfiles);
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep),
                    ranked.end(), [](const auto& x, const auto& y) {
                      return x.first != y.first ? x.first > y.first : x.second < y.second;
                    });
  for (size_t i = 0; i < keep; ++i) {
    const int64_t q = ranked[i].second;
    ProfileShare p;
    for (int a = 0; a < game.space().num_players(); ++a) {
      p.options.push_back(spec.actors[a].options[game.space().StrategyOf(q, a)]);
    }
    const int outcome = game.outcome_of(q);
    p.outcome = outcome < static_cast<int>(spec.outcomes.size()) ? spec.outcomes[outcome].id : "";
    p.count = ranked[i].first;
    const double sq = static_cast<double>(t.profile_counts[q]) +
                      (t.profile_mass_squares.empty() ? 0.0 : t.profile_mass_squares[q]);
    std::tie(p.share, p.ci95) = share(p.count, sq);
    s.profiles.push_back(std::move(p));
  }
}

void DescribeModel(const Model& model, RunSummary& summary) {
  summary.model = std::string(model.name());
  summary.unresolved_meaning = model.info().unresolved;
  summary.not_converged_meaning = model.info().not_converged;
  summary.model_note = model.Note();
  summary.equilibrium_model = model.info().equilibria;
  summary.selection = std::string(SelectionName(model.selection()));
  summary.model_parameters = model.parameters();
  summary.lambda.reset();
  const auto& decls = model.parameters().decls();
  for (size_t i = 0; i < decls.size(); ++i) {
    if (decls[i].name == "lambda") summary.lambda = model.parameters().values()[i].number;
  }
}

}  // namespace parley
