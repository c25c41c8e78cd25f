#include "sim/mc/doctor.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>
#include <utility>

#include "sim/game/normal_form.h"
#include "sim/mc/non_finite.h"
#include "sim/mc/parallel.h"
#include "sim/mc/runner.h"
#include "sim/scenario/game_model.h"
#include "sim/solve/pure_nash.h"
#include "sim/solve/strategic.h"

namespace parley {

const char* FindingKindName(FindingKind kind) {
  switch (kind) {
    case FindingKind::kInert:
      return "inert";
    case FindingKind::kNeverApplies:
      return "never-applies";
    case FindingKind::kDoubleCounting:
      return "double-counting";
    case FindingKind::kNoMeasurableEffect:
      return "no-measurable-effect";
    case FindingKind::kDominated:
      return "dominated";
    case FindingKind::kBestResponseCycle:
      return "best-response-cycle";
  }
  return "?";
}

namespace {

std::string Percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * share);
  return buf;
}

std::string At(const std::string& element, const SourceLoc& loc) {
  return element + " at " + loc.ToString();
}

std::string EffectName(const ScenarioSpec& spec, int argument, int effect) {
  return "argument " + spec.arguments[argument].id + " effect " + std::to_string(effect + 1);
}

// ---------------------------------------------------------------------------
// The cells of the game, for the structural checks.

struct Cells {
  bool tree = false;
  int players = 0;
  std::vector<std::vector<int>> move;  // per cell: the profile, or the history
  std::vector<int> outcome;            // per cell, the first outcome matching it
  ProfileSpace space;                  // normal form
  // Game tree, in preorder: each node's stage (-1 at a terminal), parent
  // (-1 at the root) and cell (-1 at a decision or chance node).
  std::vector<int> node_stage, node_parent, node_cell;

  int64_t size() const { return static_cast<int64_t>(move.size()); }
};

// A shift of one actor's payoff: its coefficient on every cell.
struct Shift {
  int actor = -1;
  std::vector<double> coefficient;
};

class Structure {
 public:
  Structure(const ScenarioSpec& spec, Cells cells) : spec_(spec), cells_(std::move(cells)) {
    for (size_t o = 0; o < spec.outcomes.size(); ++o) {
      std::vector<double> in(cells_.size(), 0.0);
      for (int64_t c = 0; c < cells_.size(); ++c) in[c] = cells_.outcome[c] == static_cast<int>(o);
      outcome_support_.push_back(std::move(in));
    }
  }

  const Cells& cells() const { return cells_; }

  std::vector<double> Support(const ProfileRule& rule) const {
    std::vector<double> in(cells_.size(), 0.0);
    for (int64_t c = 0; c < cells_.size(); ++c) in[c] = rule.Matches(cells_.move[c]);
    return in;
  }
  const std::vector<double>& OutcomeSupport(int outcome) const { return outcome_support_[outcome]; }
  static bool Empty(const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return x == 0.0; });
  }

  // The cells an effect's shift applies to (its own support; the value's
  // size, even a parameter's, scales it as a whole).
  std::vector<double> EffectSupport(const EffectSpec& e) const {
    return e.target == EffectSpec::Target::kOutcomePayoff ? OutcomeSupport(e.outcome)
                                                          : Support(e.rule);
  }

  // Where parameter p enters, grouped by what switches it on: group -1 (base
  // payoffs and modifiers, always there) and each argument's effects.
  std::map<int, std::vector<Shift>> ParameterUses(int p) const {
    std::map<int, std::vector<Shift>> groups;
    auto add = [&](int group, int actor, const std::vector<double>& support, double scale) {
      std::vector<Shift>& shifts = groups[group];
      auto it = std::find_if(shifts.begin(), shifts.end(),
                             [&](const Shift& s) { return s.actor == actor; });
      if (it == shifts.end()) {
        shifts.push_back({actor, std::vector<double>(cells_.size(), 0.0)});
        it = shifts.end() - 1;
      }
      for (int64_t c = 0; c < cells_.size(); ++c) it->coefficient[c] += scale * support[c];
    };
    for (size_t o = 0; o < spec_.outcomes.size(); ++o) {
      for (size_t a = 0; a < spec_.actors.size(); ++a) {
        const ValueSpec& v = spec_.payoffs[o][a];
        if (v.parameter == p)
          add(-1, static_cast<int>(a), OutcomeSupport(static_cast<int>(o)), v.scale);
      }
    }
    for (const ModifierSpec& m : spec_.modifiers) {
      for (const auto& [actor, v] : m.add) {
        if (v.parameter == p) add(-1, actor, Support(m.rule), v.scale);
      }
    }
    for (size_t g = 0; g < spec_.arguments.size(); ++g) {
      for (const EffectSpec& e : spec_.arguments[g].effects) {
        if (e.add.parameter != p || e.target == EffectSpec::Target::kParameter) continue;
        add(static_cast<int>(g), e.actor, EffectSupport(e), e.add.scale);
      }
    }
    return groups;
  }

  // Whether adding `shift` to its actor's payoff can change no best
  // response (see doctor.h).
  bool Inert(const Shift& shift) const {
    const std::vector<double>& c = shift.coefficient;
    if (!cells_.tree) {
      const ProfileSpace& space = cells_.space;
      const int a = shift.actor;
      for (int64_t p = 0; p < space.num_profiles(); ++p) {
        if (space.StrategyOf(p, a) != 0) continue;
        for (int k = 1; k < space.num_strategies(a); ++k) {
          if (c[space.Deviate(p, a, k)] != c[p]) return false;
        }
      }
      return true;
    }
    // Preorder: children come after their parent, so one backward pass
    // gives every subtree's range of the shift.
    const size_t n = cells_.node_stage.size();
    std::vector<double> lo(n, INFINITY), hi(n, -INFINITY);
    for (size_t v = n; v-- > 0;) {
      if (cells_.node_cell[v] >= 0) lo[v] = hi[v] = c[cells_.node_cell[v]];
      const int stage = cells_.node_stage[v];
      if (stage >= 0 && spec_.stages[stage].actor == shift.actor && lo[v] != hi[v]) return false;
      if (const int up = cells_.node_parent[v]; up >= 0) {
        lo[up] = std::min(lo[up], lo[v]);
        hi[up] = std::max(hi[up], hi[v]);
      }
    }
    return true;
  }
  bool AllInert(const std::vector<Shift>& shifts) const {
    return std::all_of(shifts.begin(), shifts.end(), [&](const Shift& s) { return Inert(s); });
  }

  std::string WhyInert(const std::string& actor) const {
    return cells_.tree ? "at every decision of " + actor +
                             " it shifts every history ahead by the same amount"
                       : "for every choice of the other actors it shifts each of " + actor +
                             "'s options by the same amount";
  }

 private:
  const ScenarioSpec& spec_;
  Cells cells_;
  std::vector<std::vector<double>> outcome_support_;
};

StatusOr<Cells> EnumerateCells(const ScenarioSpec& spec, std::vector<std::string>* skipped) {
  Cells cells;
  cells.tree = spec.sequential();
  cells.players = static_cast<int>(spec.actors.size());
  auto outcome_of = [&](const std::vector<int>& move) {
    for (size_t o = 0; o < spec.outcomes.size(); ++o) {
      if (spec.outcomes[o].rule.Matches(move)) return static_cast<int>(o);
    }
    return -1;
  };
  if (!cells.tree) {
    std::vector<int> counts;
    for (const auto& a : spec.actors) counts.push_back(static_cast<int>(a.options.size()));
    auto space = ProfileSpace::Make(counts, kMaxDoctorCells);
    if (!space.ok()) {
      skipped->push_back("structural checks: the game has more than " +
                         std::to_string(kMaxDoctorCells) + " profiles");
      return space.status();
    }
    cells.space = *space;
    for (int64_t p = 0; p < cells.space.num_profiles(); ++p) {
      cells.move.push_back(cells.space.Decode(p));
      cells.outcome.push_back(outcome_of(cells.move.back()));
    }
    return cells;
  }
  const bool fits = spec.WalkSequence(
      kMaxDoctorCells, [&](int stage, int parent, int, const std::vector<int>& history) {
        const int v = static_cast<int>(cells.node_stage.size());
        cells.node_stage.push_back(stage);
        cells.node_parent.push_back(parent);
        cells.node_cell.push_back(stage < 0 ? static_cast<int>(cells.move.size()) : -1);
        if (stage < 0) {
          cells.move.push_back(history);
          cells.outcome.push_back(outcome_of(history));
        }
        return v;
      });
  if (!fits) {
    skipped->push_back("structural checks: the game tree has more than " +
                       std::to_string(kMaxDoctorCells) + " nodes");
    return ResourceExhausted("tree too large");
  }
  return cells;
}

// The sign every draw of a shift has: +1 never negative, -1 never positive,
// 0 either (a parameter's shift takes its distribution's support).
int ShiftSign(const ScenarioSpec& spec, const ValueSpec& v) {
  const Distribution& d = v.parameter >= 0 ? spec.parameters[v.parameter].value : v.distribution;
  double lo = v.scale * d.SupportMin(), hi = v.scale * d.SupportMax();
  if (lo > hi) std::swap(lo, hi);
  if (lo >= 0) return 1;
  if (hi <= 0) return -1;
  return 0;
}

// One double-counting finding for `effects` (argument, effect) if they come
// from two or more arguments.
// `verb` says how they move `what` ("raise", "lower", or "shift" when one
// may move it either way).
void ReportDoubleCounting(const ScenarioSpec& spec, const std::vector<std::pair<int, int>>& effects,
                          const std::string& verb, const std::string& what,
                          std::vector<Finding>& out) {
  std::vector<int> arguments;
  for (const auto& [g, n] : effects) arguments.push_back(g);
  std::sort(arguments.begin(), arguments.end());
  arguments.erase(std::unique(arguments.begin(), arguments.end()), arguments.end());
  if (arguments.size() < 2) return;
  const auto& [g0, n0] = effects.front();
  Finding f{FindingKind::kDoubleCounting, spec.arguments[g0].effects[n0].loc,
            EffectName(spec, g0, n0),
            std::to_string(arguments.size()) + " arguments " + verb + " " + what +
                ": if they restate one claim, it is counted " + std::to_string(arguments.size()) +
                " times",
            "keep one effect per distinct claim, or declare the arguments correlated "
            "(`factors`) if they share a worldview"};
  for (const auto& [g, n] : effects) {
    f.related.push_back(At(EffectName(spec, g, n), spec.arguments[g].effects[n].loc));
  }
  out.push_back(std::move(f));
}

void StructuralChecks(const ScenarioSpec& spec, const Structure& st, std::vector<Finding>& out) {
  const bool tree = st.cells().tree;
  const std::string cell_word = tree ? "history" : "profile";
  // Outcomes that earlier ones leave no cell.
  for (size_t o = 0; o < spec.outcomes.size(); ++o) {
    if (!Structure::Empty(st.OutcomeSupport(static_cast<int>(o)))) continue;
    out.push_back({FindingKind::kNeverApplies, spec.outcomes[o].loc,
                   "outcome " + spec.outcomes[o].id,
                   "no " + cell_word +
                       " reaches it: earlier outcomes match all of its cases (outcomes are "
                       "matched in order), so its payoffs and effects never apply",
                   "move it before the outcome that takes its cases, or remove it"});
  }
  // Modifiers.
  for (size_t n = 0; n < spec.modifiers.size(); ++n) {
    const ModifierSpec& m = spec.modifiers[n];
    const std::string element = "modifier " + std::to_string(n + 1);
    const std::vector<double> support = st.Support(m.rule);
    if (Structure::Empty(support)) {
      out.push_back({FindingKind::kNeverApplies, m.loc, element,
                     "its condition matches no " + cell_word + " of the game, so it never applies",
                     "check the option ids and stages its `when` names; remove it if the case "
                     "cannot happen"});
      continue;
    }
    std::vector<std::string> inert_actors;
    bool all = true;
    for (const auto& [actor, v] : m.add) {
      if (st.Inert({actor, support})) {
        inert_actors.push_back(spec.actors[actor].id);
      } else {
        all = false;
      }
    }
    if (all && !m.add.empty()) {
      std::string who;
      for (const auto& id : inert_actors) who += (who.empty() ? "" : ", ") + id;
      out.push_back({FindingKind::kInert, m.loc, element,
                     "it cannot change any best response of " + who + ": " +
                         st.WhyInert(inert_actors.front()),
                     "make its condition depend on the shifted actor's own choice, or remove it"});
    }
  }
  // Arguments and their effects; effects grouped by what they shift, for
  // double counting.
  std::map<std::pair<int, std::vector<double>>, std::vector<std::pair<int, int>>> same_shift;
  std::map<int, std::vector<std::pair<int, int>>> same_parameter;
  for (size_t g = 0; g < spec.arguments.size(); ++g) {
    const ArgumentSpec& arg = spec.arguments[g];
    std::vector<Finding> effect_findings;
    int inert_or_never = 0;
    for (size_t n = 0; n < arg.effects.size(); ++n) {
      const EffectSpec& e = arg.effects[n];
      const std::string element = EffectName(spec, static_cast<int>(g), static_cast<int>(n));
      if (e.target == EffectSpec::Target::kParameter) {
        same_parameter[e.parameter].emplace_back(g, n);
        const auto uses = st.ParameterUses(e.parameter);
        bool inert = true;
        for (const auto& [group, shifts] : uses) inert = inert && st.AllInert(shifts);
        if (inert) {
          ++inert_or_never;
          const std::string& pid = spec.parameters[e.parameter].id;
          effect_findings.push_back(
              {FindingKind::kInert, e.loc, element,
               uses.empty() ? "it shifts parameter " + pid + ", which enters no payoff"
                            : "it shifts parameter " + pid +
                                  ", which cannot change any best response where it enters",
               "shift a payoff that depends on the actor's own choice instead, or remove it"});
        }
        continue;
      }
      const std::vector<double> support = st.EffectSupport(e);
      const std::string& actor = spec.actors[e.actor].id;
      if (Structure::Empty(support)) {
        ++inert_or_never;
        effect_findings.push_back(
            {FindingKind::kNeverApplies, e.loc, element,
             e.target == EffectSpec::Target::kOutcomePayoff
                 ? "outcome " + spec.outcomes[e.outcome].id + " is reached by no " + cell_word +
                       ", so the effect never applies"
                 : "its condition matches no " + cell_word + " of the game, so it never applies",
             "check the option ids and stages it names; remove it if the case cannot happen"});
        continue;
      }
      same_shift[{e.actor, support}].emplace_back(g, n);
      if (st.Inert({e.actor, support})) {
        ++inert_or_never;
        effect_findings.push_back(
            {FindingKind::kInert, e.loc, element,
             "it cannot change any best response of " + actor + ": " + st.WhyInert(actor),
             "condition it on " + actor + "'s own choice (an outcome or a `when` that " + actor +
                 "'s option decides), or remove it"});
      }
    }
    if (!arg.effects.empty() && inert_or_never == static_cast<int>(arg.effects.size())) {
      Finding f{FindingKind::kInert, arg.loc, "argument " + arg.id,
                (arg.effects.size() == 1
                     ? std::string("its one effect cannot")
                     : "none of its " + std::to_string(arg.effects.size()) + " effects can") +
                    " change a best response: whether it holds cannot move any outcome",
                "give the claim an effect on what the actor it concerns chooses, or remove it"};
      for (const Finding& e : effect_findings) {
        f.related.push_back(At(e.element, e.loc) + " (" + FindingKindName(e.kind) + ")");
      }
      out.push_back(std::move(f));
      // A never-applies effect is a mistake in its own right.
      for (Finding& e : effect_findings) {
        if (e.kind == FindingKind::kNeverApplies) out.push_back(std::move(e));
      }
    } else {
      for (Finding& e : effect_findings) out.push_back(std::move(e));
    }
  }
  // Parameters.
  for (size_t p = 0; p < spec.parameters.size(); ++p) {
    const auto uses = st.ParameterUses(static_cast<int>(p));
    bool inert = true;
    for (const auto& [group, shifts] : uses) inert = inert && st.AllInert(shifts);
    if (!inert) continue;
    out.push_back({FindingKind::kInert, spec.parameters[p].loc,
                   "parameter " + spec.parameters[p].id,
                   uses.empty() ? "it enters no payoff, so its value cannot matter"
                                : "every payoff it enters is shifted in a way that cannot "
                                  "change a best response",
                   uses.empty() ? "use it in a payoff, or remove it"
                                : "use it where it depends on the actor's own choice, or "
                                  "remove it"});
  }
  // The same quantity shifted by several arguments. Two shifts of opposite
  // signs (one never negative, the other never positive) cannot restate one
  // claim, so each direction is a group of its own; a shift that may take
  // either sign belongs to both, and then the whole set is one group.
  auto report_group = [&](const std::vector<std::pair<int, int>>& effects,
                          const std::string& what) {
    std::vector<std::pair<int, int>> raise, lower;
    bool either = false;
    for (const auto& e : effects) {
      const int sign = ShiftSign(spec, spec.arguments[e.first].effects[e.second].add);
      if (sign >= 0) raise.push_back(e);
      if (sign <= 0) lower.push_back(e);
      either = either || sign == 0;
    }
    if (either) {
      ReportDoubleCounting(spec, effects, "shift", what, out);
    } else {
      ReportDoubleCounting(spec, raise, "raise", what, out);
      ReportDoubleCounting(spec, lower, "lower", what, out);
    }
  };
  for (const auto& [key, effects] : same_shift) {
    const EffectSpec& e = spec.arguments[effects.front().first].effects[effects.front().second];
    std::string where = e.target == EffectSpec::Target::kOutcomePayoff
                            ? "under outcome " + spec.outcomes[e.outcome].id
                            : std::string(tree ? "on the same histories" : "on the same profiles");
    report_group(effects, spec.actors[key.first].id + "'s payoff " + where);
  }
  for (const auto& [p, effects] : same_parameter) {
    report_group(effects, "parameter " + spec.parameters[p].id);
  }
}

// ---------------------------------------------------------------------------
// Sampled checks.

constexpr int64_t kBlock = 256;

// Sample i's draws in a column-major block of samples. A game without
// uncertain inputs has an empty block, whose data() may be null: offsetting a
// null pointer is undefined, so it gets the null pointer itself.
double* DrawColumn(Eigen::MatrixXd& thetas, int64_t i) {
  return thetas.size() == 0 ? thetas.data() : thetas.data() + i;
}

// Paired forcing of one argument: the mean change of each outcome slot
// (outcomes, then unresolved) and its standard error.
struct Paired {
  std::vector<double> mean, se;
};

StatusOr<Paired> PairedForcing(const ScenarioSpec& spec, const Model& model,
                               const DoctorOptions& options, int argument) {
  GameModel games[2];
  for (int side = 0; side < 2; ++side) {
    CompileOptions compile;
    compile.argument_modes = options.modes;
    compile.argument_modes.resize(spec.arguments.size(), ArgumentMode::kDrawn);
    compile.argument_modes[argument] =
        side == 0 ? ArgumentMode::kForcedOn : ArgumentMode::kForcedOff;
    PARLEY_ASSIGN_OR_RETURN(games[side], GameModel::Compile(spec, compile));
  }
  const int slots = games[0].num_outcomes() + 1;
  std::vector<double> sum(slots, 0.0), sum2(slots, 0.0);
  std::vector<double> out[2];
  std::vector<double> payoffs(static_cast<size_t>(kBlock) * games[0].num_players());
  std::vector<uint8_t> holds(spec.arguments.size());
  std::vector<uint64_t> keys(kBlock);
  NonFinite non_finite;
  for (int64_t first = 0; first < options.samples; first += kBlock) {
    const int64_t count = std::min(kBlock, options.samples - first);
    for (int64_t i = 0; i < count; ++i) keys[i] = static_cast<uint64_t>(first + i);
    for (int side = 0; side < 2; ++side) {
      const GameModel& game = games[side];
      Eigen::MatrixXd thetas(count, game.num_draws());
      for (int64_t i = 0; i < count; ++i) {
        SampleRng rng(options.seed, keys[i], RngStream::kScenario);
        game.DrawSample(rng, DrawColumn(thetas, i), count, holds.data());
      }
      out[side].assign(static_cast<size_t>(count) * slots, 0.0);
      PredictPoints(game, model, options.seed, thetas, keys.data(), count, out[side].data(),
                    payoffs.data(), non_finite);
    }
    for (int64_t i = 0; i < count; ++i) {
      for (int s = 0; s < slots; ++s) {
        const double d = out[0][i * slots + s] - out[1][i * slots + s];
        sum[s] += d;
        sum2[s] += d * d;
      }
    }
  }
  PARLEY_RETURN_IF_ERROR(NonFiniteError(non_finite, model.info().name, options.seed, "sample"));
  Paired r;
  const double n = static_cast<double>(options.samples);
  for (int s = 0; s < slots; ++s) {
    const double mean = sum[s] / n;
    const double var = n > 1 ? std::max(0.0, (sum2[s] - n * mean * mean) / (n - 1)) : 0.0;
    r.mean.push_back(mean);
    r.se.push_back(std::sqrt(var / n));
  }
  return r;
}

// Per-block tallies of the sampled normal-form checks.
struct GameTally {
  // dominated[(player, option) * options + by]: samples in which `by`
  // strictly dominates the option; any_dominated[(player, option)]: by any.
  std::vector<int64_t> dominated, any_dominated;
  int64_t unresolved = 0;
  std::map<std::vector<int64_t>, int64_t> cycles;  // profile cycle -> samples

  void Merge(const GameTally& o) {
    for (size_t i = 0; i < dominated.size(); ++i) dominated[i] += o.dominated[i];
    for (size_t i = 0; i < any_dominated.size(); ++i) any_dominated[i] += o.any_dominated[i];
    unresolved += o.unresolved;
    for (const auto& [c, k] : o.cycles) cycles[c] += k;
  }
};

double Slack(double a, double b) {
  return kPayoffTolerance * (1.0 + std::max(std::abs(a), std::abs(b)));
}

// One sample's game: dominance tallies, and when it has no pure
// equilibrium, the cycles of best-response dynamics.
void TallyGame(const GameView& g, int max_options, GameTally& t) {
  const ProfileSpace& space = *g.space;
  const int players = space.num_players();
  const int64_t profiles = space.num_profiles();
  // first_best[profile * players + player]: the player's first best
  // response to the others' options in `profile`; is_best: whether its own
  // option there is one (ties within kPayoffTolerance, as FindPureEquilibria).
  std::vector<int> first_best(static_cast<size_t>(profiles) * players);
  std::vector<uint8_t> is_best(static_cast<size_t>(profiles) * players);
  for (int a = 0; a < players; ++a) {
    const int n = space.num_strategies(a);
    for (int64_t p = 0; p < profiles; ++p) {
      if (space.StrategyOf(p, a) != 0) continue;
      double best = g.Payoff(p, a);
      for (int k = 1; k < n; ++k) best = std::max(best, g.Payoff(space.Deviate(p, a, k), a));
      const double cutoff = best - kPayoffTolerance * (1.0 + std::abs(best));
      int first = -1;
      for (int k = 0; k < n; ++k) {
        const int64_t q = space.Deviate(p, a, k);
        is_best[q * players + a] = g.Payoff(q, a) >= cutoff;
        if (first < 0 && is_best[q * players + a]) first = k;
      }
      for (int k = 0; k < n; ++k) first_best[space.Deviate(p, a, k) * players + a] = first;
    }
    // Strict dominance of option s by option `by`.
    for (int s = 0; s < n; ++s) {
      bool any = false;
      for (int by = 0; by < n; ++by) {
        if (by == s) continue;
        bool strict = true;
        for (int64_t p = 0; p < profiles && strict; ++p) {
          if (space.StrategyOf(p, a) != s) continue;
          const double mine = g.Payoff(p, a);
          const double theirs = g.Payoff(space.Deviate(p, a, by), a);
          strict = theirs > mine + Slack(theirs, mine);
        }
        if (strict) {
          ++t.dominated[(static_cast<size_t>(a) * max_options + s) * max_options + by];
          any = true;
        }
      }
      if (any) ++t.any_dominated[static_cast<size_t>(a) * max_options + s];
    }
  }
  for (int64_t p = 0; p < profiles; ++p) {
    bool equilibrium = true;
    for (int a = 0; a < players && equilibrium; ++a) equilibrium = is_best[p * players + a];
    if (equilibrium) return;
  }
  ++t.unresolved;
  // Best-response dynamics as a map profile -> next profile; with no
  // equilibrium every profile moves, and the map's cycles are the cycles.
  std::vector<int64_t> next(profiles);
  for (int64_t p = 0; p < profiles; ++p) {
    for (int a = 0; a < players; ++a) {
      if (!is_best[p * players + a]) {
        next[p] = space.Deviate(p, a, first_best[p * players + a]);
        break;
      }
    }
  }
  std::vector<uint8_t> state(profiles, 0);  // 0 new, 1 on the current path, 2 done
  std::vector<int64_t> path;
  for (int64_t start = 0; start < profiles; ++start) {
    if (state[start]) continue;
    path.clear();
    int64_t p = start;
    while (state[p] == 0) {
      state[p] = 1;
      path.push_back(p);
      p = next[p];
    }
    if (state[p] == 1) {
      // A new cycle, from p on; rotated to start at its smallest profile.
      std::vector<int64_t> cycle(std::find(path.begin(), path.end(), p), path.end());
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
      ++t.cycles[cycle];
    }
    for (int64_t q : path) state[q] = 2;
  }
}

std::string ProfileName(const ScenarioSpec& spec, const ProfileSpace& space, int64_t p) {
  std::string s;
  for (int a = 0; a < space.num_players(); ++a) {
    s += (a ? " " : "") + spec.actors[a].id + "=" + spec.actors[a].options[space.StrategyOf(p, a)];
  }
  return s;
}

Status SampledGameChecks(const ScenarioSpec& spec, const GameModel& game,
                         const DoctorOptions& options, DoctorResult& result) {
  const ProfileSpace& space = game.space();
  const int players = game.num_players();
  int max_options = 1;
  for (int a = 0; a < players; ++a) max_options = std::max(max_options, space.num_strategies(a));
  GameTally identity;
  identity.dominated.assign(static_cast<size_t>(players) * max_options * max_options, 0);
  identity.any_dominated.assign(static_cast<size_t>(players) * max_options, 0);
  const int64_t blocks = (options.samples + kBlock - 1) / kBlock;
  ThreadArena arena(options.threads);
  GameTally total;
  arena.Execute([&] {
    total = DeterministicReduce(0, blocks, identity, [&](int64_t begin, int64_t end, GameTally& t) {
      std::vector<uint8_t> holds(spec.arguments.size());
      Eigen::MatrixXd thetas, tables;
      for (int64_t b = begin; b < end; ++b) {
        const int64_t first = b * kBlock;
        const int64_t count = std::min(kBlock, options.samples - first);
        thetas.resize(count, game.num_draws());
        for (int64_t i = 0; i < count; ++i) {
          SampleRng rng(options.seed, static_cast<uint64_t>(first + i), RngStream::kScenario);
          game.DrawSample(rng, DrawColumn(thetas, i), count, holds.data());
        }
        game.EvaluatePayoffs(thetas, tables);
        const std::vector<int32_t> offsets = game.EntryOffsets(count);
        for (int64_t i = 0; i < count; ++i) {
          TallyGame(game.View(tables.data() + i, offsets), max_options, t);
        }
      }
    });
  });
  result.unresolved_samples = total.unresolved;
  const double n = static_cast<double>(options.samples);
  for (int a = 0; a < players; ++a) {
    const ActorSpec& actor = spec.actors[a];
    for (int s = 0; s < space.num_strategies(a); ++s) {
      const int64_t k = total.any_dominated[static_cast<size_t>(a) * max_options + s];
      if (k < kDominatedShare * n) continue;
      int by = -1;
      int64_t most = -1;
      for (int t = 0; t < space.num_strategies(a); ++t) {
        const int64_t c =
            total.dominated[(static_cast<size_t>(a) * max_options + s) * max_options + t];
        if (c > most) most = c, by = t;
      }
      Finding f{FindingKind::kDominated, actor.loc,
                "actor " + actor.id + " option " + actor.options[s],
                actor.id + "'s option " + actor.options[s] + " is strictly dominated in " +
                    Percent(k / n) + " of the samples (by " + actor.options[by] + " in " +
                    Percent(most / n) + "): " + actor.id +
                    " never plays it there, and effects that only reward or punish it cannot "
                    "matter",
                "check its payoffs against " + actor.options[by] +
                    "'s; if it is meant to be a real choice, give it a case where it is best"};
      f.share = k / n;
      result.findings.push_back(std::move(f));
    }
  }
  if (total.unresolved == 0) return OkStatus();
  // Cycles by how many samples they explain, then by their profiles.
  std::vector<std::pair<std::vector<int64_t>, int64_t>> cycles(total.cycles.begin(),
                                                               total.cycles.end());
  std::stable_sort(cycles.begin(), cycles.end(),
                   [](const auto& x, const auto& y) { return x.second > y.second; });
  const double unresolved = static_cast<double>(total.unresolved);
  for (const auto& [cycle, count] : cycles) {
    if (count < 0.01 * unresolved) break;
    std::string text = ProfileName(spec, space, cycle.front());
    std::vector<std::string> steps{text};
    int first_mover = -1;
    for (size_t i = 0; i < cycle.size(); ++i) {
      const int64_t from = cycle[i], to = cycle[(i + 1) % cycle.size()];
      for (int a = 0; a < players; ++a) {
        if (space.StrategyOf(from, a) != space.StrategyOf(to, a)) {
          if (first_mover < 0) first_mover = a;
          text += " -> " + spec.actors[a].id + " switches to " +
                  spec.actors[a].options[space.StrategyOf(to, a)];
        }
      }
      steps.push_back(ProfileName(spec, space, to));
    }
    Finding f{FindingKind::kBestResponseCycle, spec.actors[first_mover].loc,
              "cycle " + steps.front(),
              Percent(unresolved / n) +
                  " of the samples have no pure Nash equilibrium (unresolved under nash-pure); "
                  "this best-response cycle occurs in " +
                  Percent(count / unresolved) + " of them: " + text,
              "find the effect or modifier that rewards one of these switches; a shift that "
              "ignores the other actor's move (for example one that still applies after the "
              "other side walked out) often makes such a cycle"};
    f.share = count / unresolved;
    f.related = steps;
    result.findings.push_back(std::move(f));
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::vector<Finding>> StructuralFindings(const ScenarioSpec& spec,
                                                  std::vector<std::string>* skipped) {
  std::vector<Finding> out;
  auto cells = EnumerateCells(spec, skipped);
  if (!cells.ok()) {
    if (cells.status().code() == StatusCode::kResourceExhausted) return out;
    return cells.status();
  }
  Structure st(spec, std::move(*cells));
  StructuralChecks(spec, st, out);
  return out;
}

StatusOr<DoctorResult> Diagnose(const ScenarioSpec& scenario, const Model& model,
                                const DoctorOptions& options) {
  // A multi-round scenario's defects are its round's game's: the checks
  // look at round 1 (the state at its initial values).
  ScenarioSpec spec = scenario;
  DoctorResult result;
  if (spec.rounds) {
    spec.rounds.reset();
    result.skipped.push_back(
        "the rounds: a multi-round scenario is checked as its first round's game (the state at "
        "its initial values); how the rounds play out is not checked");
  }
  result.samples = options.samples;
  result.seed = options.seed;
  PARLEY_ASSIGN_OR_RETURN(result.findings, StructuralFindings(spec, &result.skipped));
  // Arguments already shown to be inert need no run to say so.
  std::vector<int> tested;
  for (size_t g = 0; g < spec.arguments.size(); ++g) {
    const std::string element = "argument " + spec.arguments[g].id;
    const bool proven = std::any_of(
        result.findings.begin(), result.findings.end(),
        [&](const Finding& f) { return f.kind == FindingKind::kInert && f.element == element; });
    const bool forced = g < options.modes.size() && options.modes[g] != ArgumentMode::kDrawn;
    if (!proven && !forced && !spec.arguments[g].effects.empty()) {
      tested.push_back(static_cast<int>(g));
    }
  }
  std::vector<StatusOr<Paired>> paired(tested.size(), Internal("not run"));
  {
    ThreadArena arena(options.threads);
    arena.Execute([&] {
      tbb::parallel_for(size_t{0}, tested.size(), [&](size_t i) {
        paired[i] = PairedForcing(spec, model, options, tested[i]);
      });
    });
  }
  for (size_t i = 0; i < tested.size(); ++i) {
    if (!paired[i].ok()) return paired[i].status();
    const Paired& p = *paired[i];
    bool measurable = false;
    size_t largest = 0;
    for (size_t s = 0; s < p.mean.size(); ++s) {
      measurable = measurable || std::abs(p.mean[s]) > 1.96 * p.se[s];
      if (std::abs(p.mean[s]) > std::abs(p.mean[largest])) largest = s;
    }
    if (measurable) continue;
    const ArgumentSpec& arg = spec.arguments[tested[i]];
    const std::string slot =
        largest < spec.outcomes.size() ? spec.outcomes[largest].id : std::string("unresolved");
    char change[96];
    std::snprintf(change, sizeof change, "%+.2f points (paired 95%% half-width %.2f)",
                  100.0 * p.mean[largest], 196.0 * p.se[largest]);
    result.findings.push_back(
        {FindingKind::kNoMeasurableEffect, arg.loc, "argument " + arg.id,
         "forcing it on versus off, paired on " + std::to_string(options.samples) +
             " samples, changes no outcome's probability beyond its Monte Carlo error (the "
             "largest change: " +
             slot + " " + change + ")",
         "its effects do not reach a choice that matters in this run: check where they "
         "apply, or run with more samples (-n) if the effect may be small"});
  }
  if (!spec.sequential()) {
    if (static_cast<int64_t>(spec.NumProfiles()) > kMaxStrategicAnalysisProfiles) {
      result.skipped.push_back("dominated, best-response-cycle: the game has more than " +
                               std::to_string(kMaxStrategicAnalysisProfiles) + " profiles");
    } else {
      CompileOptions compile;
      compile.argument_modes = options.modes;
      PARLEY_ASSIGN_OR_RETURN(GameModel game, GameModel::Compile(spec, compile));
      PARLEY_RETURN_IF_ERROR(SampledGameChecks(spec, game, options, result));
    }
  } else {
    result.skipped.push_back(
        "dominated, best-response-cycle: normal-form scenarios only (`parley explain` shows a "
        "sequential game's choices and why)");
  }
  std::stable_sort(
      result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
        return std::tuple(static_cast<int>(a.kind), a.loc.file, a.loc.line, a.loc.column) <
               std::tuple(static_cast<int>(b.kind), b.loc.file, b.loc.line, b.loc.column);
      });
  return result;
}

}  // namespace parley
