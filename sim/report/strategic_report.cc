#include "sim/report/strategic_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/version.h"

namespace parley {
namespace {

std::string Number(double x) {
  if (std::abs(x) < 5e-13) x = 0.0;  // no "-0" or "1e-17" from rounding
  return fmt::format("{:.6g}", x);
}

std::string ProfileName(const NormalFormGame& g, int64_t profile) {
  std::string s = "(";
  for (int i = 0; i < g.space.num_players(); ++i) {
    s += (i ? ", " : "") + g.strategies[i][g.space.StrategyOf(profile, i)];
  }
  return s + ")";
}

std::string Payoffs(const NormalFormGame& g, int64_t profile) {
  std::string s;
  for (int i = 0; i < g.space.num_players(); ++i) {
    s += (i ? ", " : "") + Number(g.view().Payoff(profile, i));
  }
  return s;
}

// One section's lines, cut after `max` of them.
class Section {
 public:
  explicit Section(size_t max) : max_(max) {}
  void Add(std::string line) {
    if (lines_.size() < max_) {
      lines_.push_back(std::move(line));
    } else {
      ++cut_;
    }
  }
  void AppendTo(std::string& out) const {
    for (const auto& l : lines_) out += l + "\n";
    if (cut_ > 0) {
      out +=
          fmt::format("... ({} more lines; cut at {} lines, --max-lines shows more)\n", cut_, max_);
    }
    out += "\n";
  }

 private:
  size_t max_;
  std::vector<std::string> lines_;
  size_t cut_ = 0;
};

// Rows of cells, left-aligned in columns two spaces apart.
void AddGrid(Section& section, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()), 0);
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  }
  for (const auto& r : rows) {
    std::string line = "  ";
    for (size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line += std::string(width[c] - r[c].size() + 3, ' ');
    }
    section.Add(line);
  }
}

// The matrices: the first player's strategies as rows, the second's as
// columns, one matrix per profile of the other players' strategies.
void AddMatrices(Section& section, const NormalFormGame& g, const StrategicAnalysis& a) {
  const ProfileSpace& space = g.space;
  const int n = space.num_players();
  const int rows = space.num_strategies(0);
  const int cols = n >= 2 ? space.num_strategies(1) : 1;
  int64_t others = 1;
  for (int i = 2; i < n; ++i) others *= space.num_strategies(i);
  std::vector<int> s(n, 0);
  for (int64_t o = 0; o < others; ++o) {
    int64_t rest = o;
    std::string label;
    for (int i = 2; i < n; ++i) {
      s[i] = static_cast<int>(rest % space.num_strategies(i));
      rest /= space.num_strategies(i);
      label += fmt::format("{}{} plays {}", label.empty() ? "" : ", ", g.players[i],
                           g.strategies[i][s[i]]);
    }
    if (n > 2) section.Add(fmt::format("When {}:", label));
    std::vector<std::vector<std::string>> grid;
    std::vector<std::string> head{n >= 2 ? g.players[0] + " \\ " + g.players[1] : g.players[0]};
    for (int c = 0; c < cols; ++c) head.push_back(n >= 2 ? g.strategies[1][c] : "payoff");
    grid.push_back(std::move(head));
    for (int r = 0; r < rows; ++r) {
      std::vector<std::string> line{g.strategies[0][r]};
      for (int c = 0; c < cols; ++c) {
        s[0] = r;
        if (n >= 2) s[1] = c;
        const int64_t p = space.Encode(s);
        std::string cell;
        for (int i = 0; i < n; ++i) {
          cell += (i ? ", " : "") + Number(g.view().Payoff(p, i)) +
                  (a.best_response[static_cast<size_t>(p) * n + i] ? "*" : "");
        }
        line.push_back(std::move(cell));
      }
      grid.push_back(std::move(line));
    }
    AddGrid(section, grid);
    if (o + 1 < others) section.Add("");
  }
}

std::string Removed(const NormalFormGame& g, const Domination& d) {
  return fmt::format("{}'s {} (by {})", g.players[d.player], g.strategies[d.player][d.dominated],
                     g.strategies[d.player][d.by]);
}

}  // namespace

std::string ExplainNormalForm(const NormalFormGame& g, const StrategicAnalysis& a,
                              const StrategicReportOptions& options) {
  const int n = g.space.num_players();
  const size_t max = options.max_lines;
  std::string players;
  for (int i = 0; i < n; ++i) players += (i ? ", " : "") + g.players[i];
  std::string out = fmt::format("{}: normal-form game, {}\n", options.name, options.what);

  Section matrix(max);
  matrix.Add(n >= 2 ? fmt::format("Payoffs ({}), rows: {}'s strategies, columns: {}'s.", players,
                                  g.players[0], g.players[1])
                    : fmt::format("Payoffs ({}).", players));
  matrix.Add("* marks a best response to the others' strategies.");
  matrix.Add("");
  AddMatrices(matrix, g, a);
  matrix.AppendTo(out);

  Section nash(max);
  if (a.pure_equilibria.empty()) {
    nash.Add("No pure Nash equilibrium: no cell has every payoff starred.");
  } else {
    nash.Add(
        fmt::format("Pure Nash equilibria (every payoff starred): {}", a.pure_equilibria.size()));
    for (const int64_t e : a.pure_equilibria) {
      nash.Add(fmt::format("  {}  payoffs {}", ProfileName(g, e), Payoffs(g, e)));
    }
  }
  nash.AppendTo(out);

  Section dominance(max);
  dominance.Add("Dominance (by another pure strategy):");
  if (a.dominated.empty()) dominance.Add("  no strategy is dominated");
  for (const Domination& d : a.dominated) {
    dominance.Add(fmt::format("  {}: {} is {} dominated by {}", g.players[d.player],
                              g.strategies[d.player][d.dominated], d.strict ? "strictly" : "weakly",
                              g.strategies[d.player][d.by]));
  }
  dominance.Add("Iterated elimination of strictly dominated strategies:");
  if (a.elimination_rounds.empty()) dominance.Add("  nothing is strictly dominated");
  for (size_t r = 0; r < a.elimination_rounds.size(); ++r) {
    std::string removed;
    for (const Domination& d : a.elimination_rounds[r]) {
      removed += (removed.empty() ? "" : ", ") + Removed(g, d);
    }
    dominance.Add(fmt::format("  round {} removes {}", r + 1, removed));
  }
  std::string survive;
  bool single = true;
  for (int i = 0; i < n; ++i) {
    std::string list;
    for (const int s : a.survivors[i]) list += (list.empty() ? "" : ", ") + g.strategies[i][s];
    survive += fmt::format("{}{}: {}", i ? "; " : "", g.players[i], list);
    single = single && a.survivors[i].size() == 1;
  }
  dominance.Add("  survive: " + survive +
                (single && !a.elimination_rounds.empty()
                     ? " (one profile: the game is solved by dominance)"
                     : ""));
  dominance.AppendTo(out);

  Section pareto(max);
  pareto.Add("Pareto (another profile every player likes at least as much, one more):");
  if (a.pure_equilibria.empty()) {
    pareto.Add("  no pure equilibrium to compare");
  } else if (a.pareto.empty()) {
    pareto.Add("  no pure equilibrium is Pareto-dominated");
  }
  for (const auto& note : a.pareto) {
    for (const int64_t q : note.dominated_by) {
      pareto.Add(fmt::format("  {} ({}) is Pareto-dominated by {} ({})",
                             ProfileName(g, note.equilibrium), Payoffs(g, note.equilibrium),
                             ProfileName(g, q), Payoffs(g, q)));
    }
  }
  pareto.AppendTo(out);

  out += fmt::format("Mixed equilibria: parley solve {}{}\n", options.file,
                     n == 2 ? " (all of them, by vertex enumeration)"
                            : " --method logit (one, by the logit path)");
  return out;
}

nlohmann::ordered_json NormalFormExplainJson(const NormalFormGame& g, const StrategicAnalysis& a,
                                             const StrategicReportOptions& options) {
  using J = nlohmann::ordered_json;
  const int n = g.space.num_players();
  auto names = [&](int64_t profile) {
    J list = J::array();
    for (int i = 0; i < n; ++i) list.push_back(g.strategies[i][g.space.StrategyOf(profile, i)]);
    return list;
  };
  auto domination = [&](const Domination& d, bool with_strict) {
    J j = {{"player", g.players[d.player]},
           {"strategy", g.strategies[d.player][d.dominated]},
           {"by", g.strategies[d.player][d.by]}};
    if (with_strict) j["strict"] = d.strict;
    return j;
  };
  J j;
  j["parley_version"] = kParleyVersion;
  j["game"] = {{"name", options.name}, {"file", options.file}, {"source", options.what}};
  j["players"] = g.players;
  j["strategies"] = g.strategies;
  J profiles = J::array();
  for (int64_t p = 0; p < g.space.num_profiles(); ++p) {
    J payoffs = J::array();
    J best = J::array();
    for (int i = 0; i < n; ++i) {
      payoffs.push_back(g.view().Payoff(p, i));
      best.push_back(a.best_response[static_cast<size_t>(p) * n + i] != 0);
    }
    profiles.push_back({{"strategies", names(p)}, {"payoffs", payoffs}, {"best_response", best}});
  }
  j["profiles"] = profiles;
  J equilibria = J::array();
  for (const int64_t e : a.pure_equilibria) equilibria.push_back(names(e));
  j["pure_equilibria"] = equilibria;
  J dominated = J::array();
  for (const Domination& d : a.dominated) dominated.push_back(domination(d, true));
  j["dominated"] = dominated;
  J rounds = J::array();
  for (const auto& round : a.elimination_rounds) {
    J removed = J::array();
    for (const Domination& d : round) removed.push_back(domination(d, false));
    rounds.push_back(removed);
  }
  j["elimination_rounds"] = rounds;
  J survivors = J::array();  // per player, as `strategies` (names need not be unique)
  for (int i = 0; i < n; ++i) {
    J list = J::array();
    for (const int s : a.survivors[i]) list.push_back(g.strategies[i][s]);
    survivors.push_back(list);
  }
  j["survivors"] = survivors;
  J pareto = J::array();
  for (const auto& note : a.pareto) {
    J by = J::array();
    for (const int64_t q : note.dominated_by) by.push_back(names(q));
    pareto.push_back({{"equilibrium", names(note.equilibrium)}, {"dominated_by", by}});
  }
  j["pareto"] = pareto;
  return j;
}

}  // namespace parley
