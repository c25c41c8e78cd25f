#include "sim/report/report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "sim/core/ranks.h"
#include "sim/report/json_values.h"
#include "sim/version.h"

namespace parley {
namespace {

std::string Percent(double p) { return fmt::format("{:5.1f}%", 100.0 * p); }

std::string Ci(const Interval& ci) {
  return fmt::format("[{:5.1f}%, {:5.1f}%]", 100.0 * ci.low, 100.0 * ci.high);
}

// Whole sample counts for pure models; expected counts for mixed ones.
nlohmann::ordered_json Count(const RunSummary& s, const OutcomeEstimate& o) {
  if (s.pure_model) return static_cast<int64_t>(std::llround(o.count));
  return o.count;
}

// From the sampling time alone: attribution and loading are not sampling.
double SamplesPerSecond(const RunSummary& s) {
  return s.sampling_seconds > 0 ? static_cast<double>(s.samples) / s.sampling_seconds : 0.0;
}

// Multi-round scenarios: the negotiation round by round, how long it
// lasts, and (where it applies) the exact Markov chain beside the sampled
// figures.
template <typename Line>
void FormatRounds(const RunSummary& summary, const Line& line) {
  if (!summary.rounds) return;
  const RoundsSummary& r = *summary.rounds;
  std::string discount;
  for (const auto& [actor, d] : r.discount) {
    if (d != 1.0) discount += fmt::format("{}{} {}", discount.empty() ? "" : ", ", actor, d);
  }
  line("");
  line(
      fmt::format("Rounds: up to {}, {} actors{}{}; {} continue{} the negotiation, the other "
                  "outcomes end it.",
                  r.max_rounds, r.foresight, discount.empty() ? "" : " (discount " + discount + ")",
                  r.learning == "carried" ? ", learning carried from round to round" : "",
                  fmt::join(r.continuing, ", "), r.continuing.size() == 1 ? "s" : ""));
  line(fmt::format("The outcomes above are where each negotiation stood after round {}.",
                   r.max_rounds));
  // The unresolved column only when some negotiation has unresolved mass.
  std::vector<size_t> columns;
  for (size_t k = 0; k < r.ending.size(); ++k) {
    if (k + 1 < r.ending.size() || (!r.rounds.empty() && r.rounds.back().ended_by[k] > 0.0)) {
      columns.push_back(k);
    }
  }
  std::string header = fmt::format("{:>5}  {:>11}", "Round", "negotiating");
  for (const size_t k : columns) header += fmt::format("  {:<24}", r.ending[k] + " by then");
  header += fmt::format("  {:>7}", "hazard");
  for (const auto& v : r.state_variables) header += fmt::format("  {:>15}", v + " (sd)");
  line("");
  line(header);
  // Long negotiations: the first rounds, then the last; the JSON has all.
  constexpr int kShownRounds = 12;
  for (const RoundEstimate& e : r.rounds) {
    const bool last = e.round == r.max_rounds;
    if (e.round > kShownRounds && !last) continue;
    if (e.round > kShownRounds && r.max_rounds > kShownRounds + 1) {
      line(fmt::format("{:>5}", "..."));
    }
    std::string row = fmt::format("{:>5}  {:>11}", e.round, Percent(e.negotiating));
    for (const size_t k : columns) {
      row += fmt::format("  {} {:<16}", Percent(e.ended_by[k]), Ci(e.ended_by_ci95[k]));
    }
    row += fmt::format("  {:>7}", e.hazard ? Percent(*e.hazard) : "-");
    for (size_t v = 0; v < e.state_mean.size(); ++v) {
      row += std::isnan(e.state_mean[v])
                 ? fmt::format("  {:>15}", "-")
                 : fmt::format("  {:>15}",
                               fmt::format("{:.3g} ({:.2g})", e.state_mean[v], e.state_sd[v]));
    }
    line(row);
  }
  line(
      fmt::format("(hazard: P(it ends in that round | still negotiating at its start); state: "
                  "mean among the negotiations still going)"));
  line(fmt::format("Rounds played: mean {:.3f} [{:.3f}, {:.3f}]", r.mean_rounds,
                   r.mean_rounds_ci95.low, r.mean_rounds_ci95.high));
  if (r.markov) {
    std::string eventual;
    for (const size_t k : columns) {
      eventual += fmt::format("{}{} {} {}", eventual.empty() ? "" : ", ", r.ending[k],
                              Percent(r.eventual[k]), Ci(r.eventual_ci95[k]));
    }
    line(
        fmt::format("Markov chain without a round limit (each sample's rounds play one game; "
                    "exact per sample): {}",
                    eventual));
    if (r.markov_mean_rounds) {
      line(fmt::format("  mean rounds {:.3f} [{:.3f}, {:.3f}]{}", *r.markov_mean_rounds,
                       r.markov_mean_rounds_ci95.low, r.markov_mean_rounds_ci95.high,
                       r.never_ending > 0
                           ? fmt::format(" over the {} samples that end; {} never end",
                                         r.markov_samples - r.never_ending, r.never_ending)
                           : ""));
    } else {
      line("  no sample's negotiation ever ends");
    }
  }
}

nlohmann::ordered_json RoundsJson(const RoundsSummary& r) {
  using J = nlohmann::ordered_json;
  auto number = [](double x) { return std::isfinite(x) ? J(x) : J(nullptr); };
  J discount = J::object();
  for (const auto& [actor, d] : r.discount) discount[actor] = d;
  J rounds = J::array();
  for (const RoundEstimate& e : r.rounds) {
    J ended = J::object();
    for (size_t k = 0; k < r.ending.size(); ++k) {
      ended[r.ending[k]] = {{"probability", e.ended_by[k]},
                            {"ci95", IntervalPair(e.ended_by_ci95[k])}};
    }
    J state = J::object();
    for (size_t v = 0; v < r.state_variables.size(); ++v) {
      state[r.state_variables[v]] = {{"mean", number(e.state_mean[v])},
                                     {"sd", number(e.state_sd[v])}};
    }
    rounds.push_back({{"round", e.round},
                      {"negotiating", e.negotiating},
                      {"ended_by", ended},
                      {"hazard", e.hazard ? J(*e.hazard) : J(nullptr)},
                      {"state", state}});
  }
  J j = {{"max_rounds", r.max_rounds},
         {"foresight", r.foresight},
         {"learning", r.learning},
         {"discount", discount},
         {"continuing", r.continuing},
         {"ending", r.ending},
         {"state_variables", r.state_variables},
         {"by_round", rounds},
         {"duration",
          {{"distribution", r.duration},
           {"mean", r.mean_rounds},
           {"ci95", IntervalPair(r.mean_rounds_ci95)}}}};
  if (r.markov) {
    J eventual = J::object();
    for (size_t k = 0; k < r.ending.size(); ++k) {
      eventual[r.ending[k]] = {{"probability", r.eventual[k]},
                               {"ci95", IntervalPair(r.eventual_ci95[k])}};
    }
    j["markov"] = {{"samples", r.markov_samples},
                   {"never_ending", r.never_ending},
                   {"eventual", eventual},
                   {"mean_rounds", r.markov_mean_rounds ? J(*r.markov_mean_rounds) : J(nullptr)},
                   {"mean_rounds_ci95",
                    r.markov_mean_rounds ? IntervalPair(r.markov_mean_rounds_ci95) : J(nullptr)}};
  } else {
    j["markov"] = nullptr;
  }
  return j;
}

// "What each actor does" and, for normal-form games, "Most frequent
// profiles" (nothing when the summary has no actions).
template <typename Line>
void FormatActions(const RunSummary& s, const Line& line) {
  if (s.actors.empty()) return;
  line("");
  const int64_t unresolved = s.samples - s.resolved_samples;
  if (s.resolved_samples == 0) {
    line("What each actor does: no resolved sample, so nothing to count");
    return;
  }
  line(fmt::format("What each actor does ({}{}; 95% CI, {})",
                   unresolved == 0
                       ? "share of samples"
                       : fmt::format("share of the {} resolved samples", s.resolved_samples),
                   unresolved == 0 ? "" : fmt::format("; {} unresolved left out", unresolved),
                   s.pure_model ? "Wilson" : "normal approximation"));
  size_t aw = 5, ow = 6;
  auto name = [&](const OptionShare& o) { return o.stage.empty() ? o.id : o.stage + ": " + o.id; };
  for (const auto& a : s.actors) {
    aw = std::max(aw, a.actor.size());
    for (const auto& o : a.options) ow = std::max(ow, name(o).size());
    for (const auto& st : a.stages) ow = std::max(ow, st.id.size() + 13);
  }
  line(fmt::format("{:<{}}  {:<{}}  {:>7}  {}", "Actor", aw, "Option", ow, "Share", "95% CI"));
  for (const auto& a : s.actors) {
    bool first = true;
    auto row = [&](const std::string& option, const std::string& rest) {
      line(fmt::format("{:<{}}  {:<{}}  {}", first ? a.actor : "", aw, option, ow, rest));
      first = false;
    };
    for (size_t k = 0; k < a.options.size(); ++k) {
      const OptionShare& o = a.options[k];
      row(name(o), fmt::format("{:>7}  {}", Percent(o.share), Ci(o.ci95)));
      // Sequential: after a stage's last option, how often play skips it.
      const bool last = k + 1 == a.options.size() || a.options[k + 1].stage != o.stage;
      if (!last) continue;
      for (const auto& st : a.stages) {
        if (st.id == o.stage && st.reached < 1.0) {
          row(o.stage + ": not reached", fmt::format("{:>7}", Percent(1.0 - st.reached)));
        }
      }
    }
    if (a.options.empty()) row("(no move)", "");
  }
  if (s.sequential) return;  // the equilibrium paths follow
  line("");
  if (!s.profiles_counted) {
    line(fmt::format("Most frequent profiles: not counted (the game has {} profiles, over {})",
                     s.num_profiles, kMaxCountedProfiles));
    return;
  }
  line(fmt::format("Most frequent profiles ({} of {} profiles predicted{})", s.distinct_profiles,
                   s.num_profiles,
                   s.distinct_profiles > static_cast<int64_t>(s.profiles.size())
                       ? fmt::format("; the {} most frequent", s.profiles.size())
                       : std::string()));
  for (const auto& p : s.profiles) {
    std::string text;
    for (size_t a = 0; a < p.options.size() && a < s.actors.size(); ++a) {
      text += fmt::format("{}{} {}", a ? ", " : "", s.actors[a].actor, p.options[a]);
    }
    line(fmt::format("  {}  {}  {} -> {}", Percent(p.share), Ci(p.ci95), text, p.outcome));
  }
}

}  // namespace

std::string ModelParametersSuffix(const RunSummary& s) {
  std::string out;
  for (size_t i = 0; i < s.model_parameters.decls().size(); ++i) {
    out += fmt::format(", {} {}", s.model_parameters.decls()[i].name, s.model_parameters.Text(i));
  }
  return out;
}

std::string FormatText(const RunSummary& s) {
  std::string out;
  auto line = [&out](const std::string& l) { out += l + "\n"; };
  line(fmt::format("{}", s.scenario));
  line(fmt::format("model {} (selection: {}{}), {} samples, seed {}", s.model, s.selection,
                   ModelParametersSuffix(s), s.samples, s.seed));
  if (!s.model_note.empty()) line(fmt::format("({}: {})", s.model, s.model_note));
  line("");

  size_t width = std::string("unresolved").size();
  for (const auto& o : s.outcomes) width = std::max(width, o.id.size());
  // With unresolved samples, each outcome also among the resolved ones.
  const bool among_resolved = s.unresolved.count > 0 && s.resolved_samples > 0;
  const std::string ci_title = s.pure_model ? "95% CI (Wilson)" : "95% CI (normal approximation)";
  line(fmt::format("{:<{}}  {:>7}  {:<{}}{}", "Outcome", width, "P", ci_title,
                   among_resolved ? Ci({}).size() : 0,
                   among_resolved ? "  P among resolved samples" : ""));
  for (const auto& o : s.outcomes) {
    std::string row =
        fmt::format("{:<{}}  {:>7}  {}", o.id, width, Percent(o.probability), Ci(o.ci95));
    if (among_resolved) {
      row += fmt::format("  {:>7}  {}", Percent(o.probability_resolved), Ci(o.ci95_resolved));
    }
    line(row);
  }
  line(fmt::format("{:<{}}  {:>7}  {}", "unresolved", width, Percent(s.unresolved.probability),
                   Ci(s.unresolved.ci95)));
  FormatRounds(s, line);
  if (s.unresolved.count > 0 && !s.unresolved_meaning.empty()) {
    line(fmt::format("(unresolved: {} made no prediction; {})", s.model, s.unresolved_meaning));
  }
  if (s.ReportsConvergence()) {
    line(fmt::format("not converged: {} of samples {} ({}: {}; counted in the outcomes above)",
                     Percent(s.not_converged_probability), Ci(s.not_converged_ci95), s.model,
                     s.not_converged_meaning));
  }
  line("");

  if (s.equilibrium_model) {
    line(fmt::format("{} per sampled game: none {}, one {}, several {}",
                     s.sequential   ? "Subgame-perfect equilibria (several: ties left a choice)"
                     : s.pure_model ? "Pure equilibria"
                                    : "Equilibria found",
                     Percent(s.equilibria_none), Percent(s.equilibria_unique),
                     Percent(s.equilibria_multiple)));
    line("");
  }

  size_t actor_width = 5;
  for (const auto& p : s.payoffs) actor_width = std::max(actor_width, p.actor.size());
  line(fmt::format("{:<{}}  {:>9}  {}", "Actor", actor_width, "E[payoff]",
                   "95% CI (resolved samples)"));
  for (const auto& p : s.payoffs) {
    if (p.n == 0) {
      line(fmt::format("{:<{}}  {:>9}  (no resolved sample)", p.actor, actor_width, "-"));
    } else {
      line(fmt::format("{:<{}}  {:>9.3f}  [{:.3f}, {:.3f}]", p.actor, actor_width, p.mean,
                       p.ci95.low, p.ci95.high));
    }
  }
  FormatActions(s, line);

  if (!s.arguments.empty()) {
    line("");
    line("Argument effects: P(outcome | argument holds) - P(outcome | it does not), in points");
    size_t arg_width = 8;
    for (const auto& a : s.arguments) arg_width = std::max(arg_width, a.id.size());
    std::string header = fmt::format("{:<{}}  {:>5}", "Argument", arg_width, "holds");
    for (const auto& o : s.outcomes)
      header += fmt::format("  {:>{}}", o.id, std::max<size_t>(o.id.size(), 7));
    header += "  unresolved";
    line(header);
    bool any_na = false;
    for (const auto& a : s.arguments) {
      const double held = static_cast<double>(a.samples_holding) /
                          static_cast<double>(std::max<int64_t>(s.samples, 1));
      const std::string holds = a.mode == "drawn"       ? fmt::format("{:.0f}%", 100.0 * held)
                                : a.mode == "forced-on" ? "on"
                                                        : "off";
      std::string row = fmt::format("{:<{}}  {:>5}", a.id, arg_width, holds);
      for (size_t o = 0; o < a.effects.size(); ++o) {
        const size_t w = o < s.outcomes.size() ? std::max<size_t>(s.outcomes[o].id.size(), 7) : 10;
        const auto& e = a.effects[o];
        any_na |= !e.effect.has_value();
        row += e.effect ? fmt::format("  {:>+{}.1f}", 100.0 * *e.effect, w)
                        : fmt::format("  {:>{}}", "n/a", w);
      }
      line(row);
    }
    if (any_na) {
      line("(n/a: the argument held in every sample or in none - forced with --with/--without,");
      line(" or a credence of 1 or 0 - so there is nothing to compare)");
    }
  }
  if (s.sequential) {
    line("");
    line(fmt::format("Equilibrium paths ({} distinct{})", s.distinct_paths,
                     s.distinct_paths > static_cast<int64_t>(s.paths.size())
                         ? fmt::format("; the {} most frequent", s.paths.size())
                         : std::string()));
    for (const auto& p : s.paths) {
      std::string text;
      for (size_t b = 0; b < p.branches.size(); ++b) {
        std::string moves;
        for (const auto& m : p.branches[b]) moves += (moves.empty() ? "" : " -> ") + m;
        text += (b ? "  |  " : "") + moves;
      }
      line(fmt::format("  {}  {}  {}", Percent(p.probability), Ci(p.ci95), text));
    }
    if (!s.threats.empty()) {
      line("");
      line("Threats: credible = carrying it out is optimal wherever it applies (subgame perfect)");
      size_t tw = 6;
      for (const auto& t : s.threats) tw = std::max(tw, t.id.size());
      line(fmt::format("{:<{}}  {:>8}  {:<18}  {:>11}", "Threat", tw, "credible", "95% CI",
                       "carried out"));
      for (const auto& t : s.threats) {
        line(fmt::format("{:<{}}  {:>8}  {:<18}  {:>11}   ({}: {})", t.id, tw, Percent(t.credible),
                         Ci(t.credible_ci95), Percent(t.carried_out), t.stage, t.action));
      }
    }
  }
  line("");
  // Under mpirun, the ranks first (threads are per rank).
  const int ranks = WorldRanks().size();
  const std::string on_ranks = ranks > 1 ? fmt::format("{} ranks x ", ranks) : "";
  line(fmt::format("{}{} thread{}, {:.3f} s (sampling {:.3f} s, {:.0f} samples/s)", on_ranks,
                   s.threads, s.threads == 1 ? "" : "s", s.seconds, s.sampling_seconds,
                   SamplesPerSecond(s)));
  return out;
}

nlohmann::ordered_json ResultHeaderJson(std::string_view kind, const RunSummary& s) {
  nlohmann::ordered_json j;
  j["kind"] = kind;  // what `parley report` renders
  j["parley_version"] = kParleyVersion;
  j["scenario"] = {{"name", s.scenario}, {"file", s.scenario_path}};
  j["model"] = s.model;
  j["selection"] = s.selection;
  if (s.lambda) j["lambda"] = *s.lambda;
  j["samples"] = s.samples;
  j["seed"] = s.seed;
  return j;
}

nlohmann::ordered_json NotConvergedJson(const RunSummary& s) {
  return {{"probability", s.not_converged_probability},
          {"ci95", IntervalPair(s.not_converged_ci95)},
          {"count", s.not_converged},
          {"meaning", s.not_converged_meaning}};
}

nlohmann::ordered_json PayoffsJson(const RunSummary& s) {
  auto payoffs = nlohmann::ordered_json::array();
  for (const auto& p : s.payoffs) {
    nlohmann::ordered_json entry = {
        {"actor", p.actor}, {"mean", nullptr}, {"ci95", nullptr}, {"n", p.n}};
    if (p.n > 0) {
      entry["mean"] = p.mean;
      entry["ci95"] = IntervalPair(p.ci95);
    }
    payoffs.push_back(entry);
  }
  return payoffs;
}

nlohmann::ordered_json ToJson(const RunSummary& s) {
  using J = nlohmann::ordered_json;
  J j = ResultHeaderJson("run", s);
  J outcomes = J::array();
  for (const auto& o : s.outcomes) {
    outcomes.push_back(
        {{"id", o.id},
         {"label", o.label},
         {"probability", o.probability},
         {"ci95", IntervalPair(o.ci95)},
         {"count", Count(s, o)},
         {"among_resolved", s.resolved_samples > 0 ? J{{"probability", o.probability_resolved},
                                                       {"ci95", IntervalPair(o.ci95_resolved)}}
                                                   : J(nullptr)}});
  }
  j["outcomes"] = outcomes;
  j["unresolved"] = {{"probability", s.unresolved.probability},
                     {"ci95", IntervalPair(s.unresolved.ci95)},
                     {"count", Count(s, s.unresolved)},
                     {"meaning", s.unresolved_meaning}};
  if (s.rounds) j["rounds"] = RoundsJson(*s.rounds);
  if (s.ReportsConvergence()) j["not_converged"] = NotConvergedJson(s);
  if (!s.model_note.empty()) j["model_note"] = s.model_note;
  j["payoffs"] = PayoffsJson(s);
  if (s.equilibrium_model) {
    j["equilibria"] = {{"none", s.equilibria_none},
                       {"unique", s.equilibria_unique},
                       {"multiple", s.equilibria_multiple}};
  }
  J args = J::array();
  for (const auto& a : s.arguments) {
    J effects = J::object();
    for (const auto& e : a.effects) {
      effects[e.outcome] = e.effect ? J{{"effect", *e.effect}, {"ci95", IntervalPair(e.ci95)}}
                                    : J{{"effect", nullptr}, {"ci95", nullptr}};
    }
    args.push_back({{"id", a.id},
                    {"analyst", a.analyst},
                    {"claim", a.claim},
                    {"credence", a.credence},
                    {"mode", a.mode},
                    {"holds", s.samples ? static_cast<double>(a.samples_holding) /
                                              static_cast<double>(s.samples)
                                        : 0.0},
                    {"effects", effects}});
  }
  j["arguments"] = args;
  if (!s.actors.empty()) {
    // A whole count for pure models, else the expected count.
    auto count = [&](double c) {
      return s.pure_model ? J(static_cast<int64_t>(std::llround(c))) : J(c);
    };
    J actors = J::array();
    for (const auto& a : s.actors) {
      J options = J::array();
      for (const auto& o : a.options) {
        J entry = J::object();
        if (!o.stage.empty()) entry["stage"] = o.stage;
        entry["id"] = o.id;
        entry["label"] = o.label;
        entry["share"] = o.share;
        entry["ci95"] = IntervalPair(o.ci95);
        entry["count"] = count(o.count);
        options.push_back(std::move(entry));
      }
      J actor = {{"id", a.actor}, {"options", options}};
      if (s.sequential) {
        J stages = J::array();
        for (const auto& st : a.stages) stages.push_back({{"id", st.id}, {"reached", st.reached}});
        actor["stages"] = stages;
      }
      actors.push_back(std::move(actor));
    }
    j["actors"] = actors;
    if (!s.sequential) {
      J list = J::array();
      for (const auto& p : s.profiles) {
        J options = J::object();
        for (size_t a = 0; a < p.options.size() && a < s.actors.size(); ++a) {
          options[s.actors[a].actor] = p.options[a];
        }
        list.push_back({{"options", options},
                        {"outcome", p.outcome},
                        {"share", p.share},
                        {"ci95", IntervalPair(p.ci95)},
                        {"count", count(p.count)}});
      }
      j["profiles"] = {{"counted", s.profiles_counted},
                       {"total", s.num_profiles},
                       {"distinct", s.profiles_counted ? J(s.distinct_profiles) : J(nullptr)},
                       {"most_frequent", list}};
    }
  }
  if (s.sequential) {
    J paths = J::array();
    for (const auto& p : s.paths) {
      paths.push_back({{"branches", p.branches},
                       {"probability", p.probability},
                       {"ci95", IntervalPair(p.ci95)},
                       {"count", p.count}});
    }
    j["paths"] = {{"distinct", s.distinct_paths}, {"most_frequent", paths}};
    J threats = J::array();
    for (const auto& t : s.threats) {
      threats.push_back({{"id", t.id},
                         {"claim", t.claim},
                         {"stage", t.stage},
                         {"action", t.action},
                         {"applies_at_nodes", t.applies_at},
                         {"credible", t.credible},
                         {"credible_ci95", IntervalPair(t.credible_ci95)},
                         {"carried_out", t.carried_out},
                         {"carried_out_ci95", IntervalPair(t.carried_out_ci95)}});
    }
    j["threats"] = threats;
  }
  j["run"] = {{"ranks", WorldRanks().size()},
              {"threads", s.threads},
              {"seconds", s.seconds},
              {"sampling_seconds", s.sampling_seconds},
              {"samples_per_second", SamplesPerSecond(s)}};
  return j;
}

}  // namespace parley
