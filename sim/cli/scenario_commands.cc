// `parley validate FILE` and `parley models`.
#include <fmt/format.h>

#include <iostream>

#include "sim/app/sampling.h"
#include "sim/cli/commands.h"
#include "sim/model/model.h"

namespace parley {

int Validate(const std::string& file) {
  // Everything a run checks: the scenario, its model and parameters, and
  // the compiled game.
  SamplingRequest request;
  request.files = {file};
  auto prepared = PrepareSampling(request);
  if (!prepared.ok()) return Fail(prepared.status());
  const ScenarioSpec& s = prepared->scenarios.front().spec;
  const std::optional<GameModel>& game = prepared->scenarios.front().game;
  // More lines when credences are correlated (results depend on it) and
  // when the scenario records what happened.
  const std::string correlated = FormatCorrelatedCredences(prepared->scenarios.front().provenance);
  std::string extra_lines =
      correlated.empty() ? "" : "  credences: correlated (" + correlated + ")\n";
  // What happened, for `parley score`.
  if (s.observed) {
    extra_lines +=
        fmt::format("  observed: {} on {}\n", s.outcomes[s.observed->outcome].id, s.observed->date);
  }
  auto count = [](size_t n, std::string_view noun) {
    if (n == 1) return fmt::format("1 {}", noun);
    if (noun.ends_with("s")) return fmt::format("{} {}es", n, noun);  // class -> classes
    if (noun.ends_with("y")) {
      return fmt::format("{} {}ies", n, noun.substr(0, noun.size() - 1));  // history
    }
    return fmt::format("{} {}s", n, noun);
  };
  if (s.sequential()) {
    const GameTree& tree = game->tree();
    std::cout << fmt::format(
        "{}: ok: \"{}\": {}, {} ({}, {}{}) in {}, {}, {}, {}, {}, {} per sample\n", file, s.name,
        count(s.actors.size(), "actor"), count(s.stages.size(), "stage"),
        count(tree.num_nodes(), "tree node"), count(tree.num_terminals(), "terminal history"),
        tree.is_tree() ? "" : ", shared subgames merged",
        count(game->num_classes(), "payoff class"), count(s.outcomes.size(), "outcome"),
        count(s.parameters.size(), "parameter"), count(s.arguments.size(), "argument"),
        count(s.threats.size(), "threat"), count(game->num_draws(), "sampled value"));
    std::cout << extra_lines;
    return 0;
  }
  std::cout << fmt::format(
      "{}: ok: \"{}\": {}, {} in {}, {}, {}, {}, {} per sample\n", file, s.name,
      count(s.actors.size(), "actor"), count(game->space().num_profiles(), "strategy profile"),
      count(game->num_classes(), "payoff class"), count(s.outcomes.size(), "outcome"),
      count(s.parameters.size(), "parameter"), count(s.arguments.size(), "argument"),
      count(game->num_draws(), "sampled value"));
  std::cout << extra_lines;
  return 0;
}

int ListModels() {
  for (const ModelInfo* m : ModelRegistry::All()) {
    std::cout << fmt::format("{:<12} {}\n", m->name, m->summary);
    for (const ParameterDecl& p : m->parameters) {
      std::cout << fmt::format("{:<12}   {}={}  {}; {}\n", "", p.name, p.DefaultText(),
                               p.RangeText(), p.doc);
    }
  }
  return 0;
}

}  // namespace parley
