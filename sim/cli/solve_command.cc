// `parley solve` and `parley export`: one game, solved or written out. The
// game is a scenario (at its mean payoffs, or at one Monte Carlo sample) or a
// Gambit .nfg file.
#include <fmt/format.h>

#include <charconv>
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

bool IsNfgPath(const std::string& path) {
  return path.size() > 4 && path.compare(path.size() - 4, 4, ".nfg") == 0;
}

StatusOr<LoadedGame> LoadGame(const std::string& file, const std::optional<std::string>& sample,
                              const std::optional<std::string>& seed_flag) {
  if (IsNfgPath(file)) {
    if (sample || seed_flag) return InvalidArgument("--sample and --seed apply to scenarios only");
    auto doc = ReadNfgFile(file);
    if (!doc.ok()) return doc.status();
    return LoadedGame{doc->title, "nfg file", std::move(doc->game)};
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
  std::optional<double> lambda;  // qre and logit
  std::string termination;       // qre and logit
};

StatusOr<Solution> SolveGame(const NormalFormGame& g, const std::optional<std::string>& method,
                             const std::optional<double>& lambda) {
  const bool two_players = g.space.num_players() == 2;
  Solution s;
  s.method = method.value_or(two_players ? "vertex" : "pure");
  if (lambda && s.method != "qre") return InvalidArgument("--lambda applies to --method qre only");
  if (s.method == "qre" || s.method == "logit") {
    if (s.method == "qre" && !lambda) return InvalidArgument("--method qre needs --lambda L");
    auto r = s.method == "qre" ? LogitQre(g.view(), *lambda) : LogitLimit(g.view());
    if (!r.ok()) return r.status();
    s.lambda = r->lambda;
    s.termination = r->termination;
    s.equilibria.push_back(std::move(r->profile));
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

std::string FormatSolution(const LoadedGame& loaded, const Solution& s) {
  const NormalFormGame& g = loaded.game;
  std::string out =
      s.method == "qre"
          ? fmt::format("{} ({}), method qre: the logit quantal response equilibrium\n",
                        loaded.name, loaded.source)
          : fmt::format("{} ({}), method {}: {} equilibri{}\n", loaded.name, loaded.source,
                        s.method, s.equilibria.size(), s.equilibria.size() == 1 ? "um" : "a");
  if (s.lambda) {
    out += fmt::format("logit path: lambda {:.6g} ({}); regret is the profile's Nash regret\n",
                       *s.lambda, s.termination);
  }
  if (s.degenerate) {
    out +=
        "warning: the game is degenerate; vertex enumeration reports the equilibria it "
        "finds at vertices (a component of equilibria may contain more)\n";
  }
  for (size_t i = 0; i < s.equilibria.size(); ++i) {
    const MixedEquilibrium& e = s.equilibria[i];
    out += fmt::format("\n#{}  (regret {:.3g})\n", i + 1, e.regret);
    for (int p = 0; p < g.space.num_players(); ++p) {
      std::string mix;
      for (int k = 0; k < g.space.num_strategies(p); ++k) {
        const double x = e.strategies[p](k);
        if (x > 1e-12)
          mix += fmt::format("{}{} {:.4g}", mix.empty() ? "" : ", ", g.strategies[p][k], x);
      }
      out += fmt::format("  {:<12} {:<48} payoff {:.6g}\n", g.players[p], mix, e.payoffs[p]);
    }
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
    j["termination"] = s.termination;
  }
  J list = J::array();
  for (const MixedEquilibrium& e : s.equilibria) {
    J strategies = J::object(), payoffs = J::object();
    for (int p = 0; p < g.space.num_players(); ++p) {
      J mix = J::object();
      for (int k = 0; k < g.space.num_strategies(p); ++k)
        mix[g.strategies[p][k]] = e.strategies[p](k);
      strategies[g.players[p]] = mix;
      payoffs[g.players[p]] = e.payoffs[p];
    }
    list.push_back({{"strategies", strategies}, {"payoffs", payoffs}, {"regret", e.regret}});
  }
  j["equilibria"] = list;
  return j;
}

}  // namespace

StatusOr<uint64_t> ParseUnsigned(const std::string& flag, const std::string& text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return InvalidArgument(flag + " must be a whole number from 0 to " +
                           std::to_string(std::numeric_limits<uint64_t>::max()) + ", got '" + text +
                           "'");
  }
  return value;
}

int Solve(const SolveFlags& flags) {
  auto loaded = LoadGame(flags.file, flags.sample, flags.seed);
  if (!loaded.ok()) return Fail(loaded.status());
  auto solution = SolveGame(loaded->game, flags.method, flags.lambda);
  if (!solution.ok()) return Fail(solution.status());
  if (flags.json) {
    const std::string text = SolutionJson(*loaded, flags.file, *solution).dump(2) + "\n";
    if (*flags.json == "-") {
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
  if (flags.format != "nfg") {
    return Fail(InvalidArgument("--format: unknown format '" + flags.format + "' (formats: nfg)"));
  }
  auto loaded = LoadGame(flags.file, flags.sample, flags.seed);
  if (!loaded.ok()) return Fail(loaded.status());
  NfgDocument doc{loaded->name,
                  "Exported by parley " + std::string(kParleyVersion) + " from " + flags.file +
                      " (" + loaded->source + ")",
                  std::move(loaded->game)};
  const std::string text = WriteNfg(doc);
  if (!flags.output || *flags.output == "-") {
    std::cout << text;
    return 0;
  }
  const Status written = WriteFileAtomically(*flags.output, text);
  return written.ok() ? 0 : Fail(written);
}

}  // namespace parley
