// `parley solve` and `parley export`: one game, solved or written out. The
// game is a scenario (at its mean payoffs, or at one Monte Carlo sample) or a
// Gambit .nfg file.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/game/nfg.h"
#include "sim/report/report.h"
#include "sim/scenario/game_model.h"
#include "sim/scenario/loader.h"
#include "sim/solve/mixed.h"
#include "sim/solve/pure_nash.h"
#include "sim/solve/qre.h"
#include "sim/version.h"

namespace parley {
namespace {

struct LoadedGame {
  std::string name;
  std::string source;  // "mean payoffs", "sample 12 (seed 1)", "nfg file"
  NormalFormGame game;
};

// A Gambit strategic-game file: the name ends in .nfg, in any case (.NFG too).
bool IsNfgPath(const std::string& path) {
  if (path.size() <= 4) return false;
  std::string ext = path.substr(path.size() - 4);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".nfg";
}

StatusOr<LoadedGame> LoadGame(const std::string& file, const std::optional<std::string>& sample,
                              const std::optional<std::string>& seed_flag) {
  if (IsNfgPath(file)) {
    if (sample || seed_flag) return InvalidArgument("--sample and --seed apply to scenarios only");
    auto doc = ReadNfgFile(file);
    if (!doc.ok()) return doc.status();
    return LoadedGame{doc->title, "nfg file", std::move(doc->game)};
  }
  if (seed_flag && !sample) {
    // The mean game does not depend on a seed; accepting it silently would
    // suggest it had an effect.
    return InvalidArgument(
        "--seed applies only with --sample N (it picks the run that sample N comes from); "
        "without --sample the game is the mean game, which has no seed");
  }
  auto spec = LoadScenarioFile(file);
  if (!spec.ok()) return spec.status();
  auto model = GameModel::Compile(*spec);
  if (!model.ok()) return model.status();
  uint64_t seed = spec->simulation.seed;
  if (seed_flag) {
    auto parsed = ParseUnsigned("--seed", *seed_flag);
    if (!parsed.ok()) return parsed.status();
    seed = *parsed;
  }
  if (sample) {
    auto index = ParseUnsigned("--sample", *sample);
    if (!index.ok()) return index.status();
    return LoadedGame{spec->name, fmt::format("sample {} (seed {})", *index, seed),
                      model->ToNormalForm(*spec, model->SampleTable(seed, *index))};
  }
  return LoadedGame{spec->name, "mean payoffs", model->ToNormalForm(*spec, model->MeanTable())};
}

MixedEquilibrium PureAsMixed(const NormalFormGame& g, int64_t profile) {
  MixedProfile mixed;
  for (int p = 0; p < g.space.num_players(); ++p) {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(g.space.num_strategies(p));
    x(g.space.StrategyOf(profile, p)) = 1.0;
    mixed.push_back(std::move(x));
  }
  return Evaluate(g.view(), mixed);  // regret from the definition
}

struct Solution {
  std::string method;
  std::vector<MixedEquilibrium> equilibria;
  bool degenerate = false;
  std::optional<double> lambda;            // qre and logit: where the path stopped
  std::optional<double> requested_lambda;  // qre
  std::string termination;                 // qre and logit
  bool converged = true;                   // qre and logit: the path met its goal
  // qre and logit, when the path gave up (max steps, max lambda) at a profile
  // that is not an equilibrium: where it stopped, listed apart.
  std::optional<MixedEquilibrium> last_point;
};

// The largest |payoff| in the game, the scale for tolerances and display.
double PayoffScale(const NormalFormGame& g) {
  double scale = 0.0;
  for (int64_t q = 0; q < g.space.num_profiles(); ++q) {
    for (int p = 0; p < g.space.num_players(); ++p) {
      scale = std::max(scale, std::abs(g.view().Payoff(q, p)));
    }
  }
  return scale;
}

// Support enumeration's count of support pairs, sum over k of C(m,k) C(n,k),
// checked here so that the refusal prints it as a whole number.
Status CheckSupportPairs(int m, int n) {
  auto binomial = [](int a, int b) {
    double c = 1.0;
    for (int i = 1; i <= b; ++i) c = c * (a - b + i) / i;
    return std::round(c);
  };
  double pairs = 0.0;
  for (int k = 1; k <= std::min(m, n); ++k) pairs += binomial(m, k) * binomial(n, k);
  const double limit = SolveOptions{}.max_support_pairs;
  if (pairs <= limit) return Status();
  const std::string count =
      pairs < 1e15 ? fmt::format("{:.0f}", pairs) : fmt::format("{:.3g}", pairs);
  return ResourceExhausted(fmt::format(
      "support enumeration would try {} support pairs for a {}x{} game; use lemke-howson (or "
      "vertex) instead",
      count, m, n));
}

StatusOr<Solution> SolveGame(const NormalFormGame& g, const std::optional<std::string>& method,
                             const std::optional<double>& lambda) {
  const bool two_players = g.space.num_players() == 2;
  Solution s;
  s.method = method.value_or(two_players ? "vertex" : "pure");
  if (lambda && s.method != "qre") return InvalidArgument("--lambda applies to --method qre only");
  if (s.method == "qre" || s.method == "logit") {
    if (s.method == "qre" && !lambda) return InvalidArgument("--method qre needs --lambda L");
    if (lambda && !(std::isfinite(*lambda) && *lambda >= 0)) {
      return InvalidArgument(fmt::format("--lambda must be a finite number >= 0, got {}", *lambda));
    }
    if (lambda && *lambda > QreOptions{}.max_lambda) {
      return InvalidArgument(
          fmt::format("--lambda must be at most {:g} (double precision cannot resolve a larger "
                      "one); for the Nash equilibrium that a large lambda approaches, use --method "
                      "logit",
                      QreOptions{}.max_lambda));
    }
    auto r = s.method == "qre" ? LogitQre(g.view(), *lambda) : LogitLimit(g.view());
    if (!r.ok()) return r.status();
    s.lambda = r->lambda;
    if (s.method == "qre") s.requested_lambda = *lambda;
    s.termination = r->termination;
    s.converged = r->converged;
    // A path that gave up is not at the QRE asked for, nor at a Nash
    // equilibrium unless its regret happens to be within the tolerance.
    const bool listed =
        r->converged || (s.method == "logit" &&
                         r->profile.regret <= QreOptions{}.nash_tolerance * (1.0 + PayoffScale(g)));
    if (listed) {
      s.equilibria.push_back(std::move(r->profile));
    } else {
      s.last_point = std::move(r->profile);
    }
    return s;
  }
  if (s.method == "pure") {
    PureNashScratch scratch;
    std::vector<int64_t> profiles;
    FindPureEquilibria(g.view(), scratch, profiles);
    for (int64_t q : profiles) s.equilibria.push_back(PureAsMixed(g, q));
    return s;
  }
  if (s.method != "vertex" && s.method != "support" && s.method != "lemke-howson") {
    return InvalidArgument("--method: unknown method '" + s.method +
                           "' (methods: pure, vertex, support, lemke-howson, logit, qre)");
  }
  if (!two_players) {
    return InvalidArgument("--method " + s.method + " needs a two-player game; this game has " +
                           std::to_string(g.space.num_players()) + " players (use --method pure)");
  }
  auto bimatrix = ToBimatrix(g.view());
  if (!bimatrix.ok()) return bimatrix.status();
  if (s.method == "vertex") {
    auto r = EnumerateVertices(*bimatrix);
    if (!r.ok()) return r.status();
    s.equilibria = std::move(r->equilibria);
    s.degenerate = r->degenerate;
  } else if (s.method == "support") {
    const Status size = CheckSupportPairs(static_cast<int>(bimatrix->a.rows()),
                                          static_cast<int>(bimatrix->a.cols()));
    if (!size.ok()) return size;
    auto r = SupportEnumeration(*bimatrix);
    if (!r.ok()) return r.status();
    s.equilibria = std::move(*r);
  } else {
    s.equilibria = LemkeHowsonAll(*bimatrix);
  }
  // Every reported profile carries its regret, recomputed from the definition.
  for (MixedEquilibrium& e : s.equilibria) e = Evaluate(g.view(), e.strategies);
  return s;
}

// Why the logit path stopped short, for the warning on stdout (text) or
// stderr (JSON on stdout); empty when it met its goal.
std::string PathWarning(const Solution& s) {
  if (s.converged || !s.lambda) return "";
  if (s.method == "qre") {
    return fmt::format(
        "warning: the logit path gave up ({}) at lambda {:.6g}, short of the requested lambda "
        "{:.6g}; shown is the QRE at the lambda it reached, which is not the one asked for",
        s.termination, *s.lambda, *s.requested_lambda);
  }
  return fmt::format(
      "warning: the logit path gave up ({}) at lambda {:.6g} before its profile came within the "
      "Nash tolerance; {}",
      s.termination, *s.lambda,
      s.equilibria.empty() ? "shown is where it stopped, which is not an equilibrium"
                           : "its regret is within the tolerance all the same");
}

std::string FormatProfile(const NormalFormGame& g, const MixedEquilibrium& e, double scale) {
  // Expected payoffs that are zero up to rounding (say -3.7e-32 in Matching
  // Pennies) print as 0; the JSON keeps the computed values.
  auto shown = [scale](double x) { return std::abs(x) <= 1e-12 * scale ? 0.0 : x; };
  std::string out;
  for (int p = 0; p < g.space.num_players(); ++p) {
    std::string mix;
    for (int k = 0; k < g.space.num_strategies(p); ++k) {
      const double x = e.strategies[p](k);
      if (x > 1e-12)
        mix += fmt::format("{}{} {:.4g}", mix.empty() ? "" : ", ", g.strategies[p][k], x);
    }
    out += fmt::format("  {:<12} {:<48} payoff {:.6g}\n", g.players[p], mix, shown(e.payoffs[p]));
  }
  return out;
}

std::string FormatSolution(const LoadedGame& loaded, const Solution& s) {
  const NormalFormGame& g = loaded.game;
  std::string out;
  if (s.method == "qre") {
    out = s.converged ? fmt::format("{} ({}), method qre: the logit quantal response equilibrium\n",
                                    loaded.name, loaded.source)
                      : fmt::format("{} ({}), method qre: lambda {:.6g} not reached\n", loaded.name,
                                    loaded.source, *s.requested_lambda);
  } else if (s.last_point) {
    out = fmt::format("{} ({}), method {}: no equilibrium reached\n", loaded.name, loaded.source,
                      s.method);
  } else {
    out = fmt::format("{} ({}), method {}: {} equilibri{}\n", loaded.name, loaded.source, s.method,
                      s.equilibria.size(), s.equilibria.size() == 1 ? "um" : "a");
  }
  if (s.lambda) {
    out += fmt::format("logit path: lambda {:.6g} ({}); regret is the profile's Nash regret\n",
                       *s.lambda, s.termination);
  }
  if (const std::string warning = PathWarning(s); !warning.empty()) out += warning + "\n";
  if (s.degenerate) {
    out +=
        "warning: the game is degenerate; vertex enumeration reports the equilibria it "
        "finds at vertices (a component of equilibria may contain more)\n";
  }
  const double scale = PayoffScale(g);
  for (size_t i = 0; i < s.equilibria.size(); ++i) {
    const MixedEquilibrium& e = s.equilibria[i];
    out += fmt::format("\n#{}  (regret {:.3g})\n", i + 1, e.regret);
    out += FormatProfile(g, e, scale);
  }
  if (s.last_point) {
    out += fmt::format("\nwhere the path stopped  (regret {:.3g})\n", s.last_point->regret);
    out += FormatProfile(g, *s.last_point, scale);
  }
  return out;
}

nlohmann::ordered_json SolutionJson(const LoadedGame& loaded, const std::string& file,
                                    const Solution& s) {
  using J = nlohmann::ordered_json;
  const NormalFormGame& g = loaded.game;
  J j;
  j["parley_version"] = kParleyVersion;
  j["game"] = {{"name", loaded.name}, {"file", file}, {"source", loaded.source}};
  j["method"] = s.method;
  j["players"] = g.players;
  j["degenerate"] = s.degenerate;
  if (s.lambda) {
    j["lambda"] = *s.lambda;
    if (s.requested_lambda) j["requested_lambda"] = *s.requested_lambda;
    j["termination"] = s.termination;
    j["converged"] = s.converged;
  }
  auto profile = [&](const MixedEquilibrium& e) {
    J strategies = J::object(), payoffs = J::object();
    for (int p = 0; p < g.space.num_players(); ++p) {
      J mix = J::object();
      for (int k = 0; k < g.space.num_strategies(p); ++k)
        mix[g.strategies[p][k]] = e.strategies[p](k);
      strategies[g.players[p]] = mix;
      payoffs[g.players[p]] = e.payoffs[p];
    }
    return J{{"strategies", strategies}, {"payoffs", payoffs}, {"regret", e.regret}};
  };
  J list = J::array();
  for (const MixedEquilibrium& e : s.equilibria) list.push_back(profile(e));
  j["equilibria"] = list;
  if (s.last_point) j["last_point"] = profile(*s.last_point);
  return j;
}

}  // namespace

int WriteOutput(const std::optional<std::string>& path, const std::string& text) {
  if (!path || *path == "-") {
    std::cout << text;
    return 0;
  }
  const Status written = WriteFileAtomically(*path, text);
  return written.ok() ? 0 : Fail(written);
}

int Solve(const SolveFlags& flags) {
  if (IsSequentialInput(flags.file)) return SolveSequential(flags);
  auto loaded = LoadGame(flags.file, flags.sample, flags.seed);
  if (!loaded.ok()) return Fail(loaded.status());
  auto solution = SolveGame(loaded->game, flags.method, flags.lambda);
  if (!solution.ok()) return Fail(solution.status());
  if (flags.json) {
    const std::string text = SolutionJson(*loaded, flags.file, *solution).dump(2) + "\n";
    if (*flags.json == "-") {
      // The text (with its warning) is not printed; the warning goes to stderr.
      if (const std::string warning = PathWarning(*solution); !warning.empty()) {
        std::cerr << "parley: " << warning << "\n";
      }
      std::cout << text;
      return 0;
    }
    const Status written = WriteFileAtomically(*flags.json, text);
    if (!written.ok()) return Fail(written);
  }
  std::cout << FormatSolution(*loaded, *solution);
  return 0;
}

int Export(const ExportFlags& flags) {
  if (IsSequentialInput(flags.file)) {
    ExportFlags tree = flags;
    tree.format = flags.format.value_or("efg");
    return ExportSequential(tree);
  }
  const std::string format = flags.format.value_or("nfg");
  if (format != "nfg") {
    return Fail(InvalidArgument("--format: unknown format '" + format +
                                "' for a normal-form game (formats: nfg; efg is for sequential "
                                "games)"));
  }
  auto loaded = LoadGame(flags.file, flags.sample, flags.seed);
  if (!loaded.ok()) return Fail(loaded.status());
  NfgDocument doc{loaded->name,
                  "Exported by parley " + std::string(kParleyVersion) + " from " + flags.file +
                      " (" + loaded->source + ")",
                  std::move(loaded->game)};
  return WriteOutput(flags.output, WriteNfg(doc));
}

}  // namespace parley
