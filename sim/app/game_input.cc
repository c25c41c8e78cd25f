#include "sim/app/game_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "sim/app/numbers.h"
#include "sim/game/efg.h"
#include "sim/game/nfg.h"
#include "sim/scenario/loader.h"

namespace parley {
namespace {

// A Gambit game file: the name ends in `ext` (".nfg", ".efg"), in any case.
bool HasExtension(const std::string& path, std::string_view ext) {
  if (path.size() <= ext.size()) return false;
  std::string tail = path.substr(path.size() - ext.size());
  std::transform(tail.begin(), tail.end(), tail.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return tail == ext;
}

Status GambitFileTakesNoSample(const GameRequest& request) {
  if (request.sample || request.seed) {
    return InvalidArgument("--sample and --seed apply to scenarios only");
  }
  return OkStatus();
}

// The sample's seed (the scenario's unless --seed) and index, the game's
// table and its source; `input.spec` and `input.model` are set. (Trees and
// normal forms check a --seed without --sample apart, with other messages.)
Status PickTable(const GameRequest& request, GameInput& input) {
  TreeSettings& at = input.tree_settings;
  at.seed = input.spec->simulation.seed;
  if (request.seed) {
    PARLEY_ASSIGN_OR_RETURN(at.seed, ParseUnsigned("--seed", *request.seed));
  }
  if (request.sample) {
    PARLEY_ASSIGN_OR_RETURN(at.index, ParseUnsigned("--sample", *request.sample));
    input.table = input.model->SampleTable(at.seed, at.index);
    input.draws = input.model->SampleDraws(at.seed, at.index);
    input.source = fmt::format("sample {} (seed {})", at.index, at.seed);
  } else {
    input.table = input.model->MeanTable();
    input.draws = input.model->MeanDraws();
    input.source = "mean payoffs";
  }
  // Validation keeps every draw finite; should one not be, say so rather
  // than solve, explain or export (as "nan") a game that is not one.
  for (const double x : input.table) {
    if (!std::isfinite(x)) {
      return Internal(input.file + ": the game of " + input.source +
                      " has a payoff or probability that is not a finite number. This is a bug "
                      "in Parley: please report it with the scenario");
    }
  }
  return OkStatus();
}

Status SeedNeedsSample(const GameRequest& request) {
  if (request.seed && !request.sample) return InvalidArgument("--seed applies with --sample only");
  return OkStatus();
}

// A normal-form game to explain: its pure-strategy analysis needs no
// selection rule, which is refused rather than ignored.
Status SelectionNeedsTree(const GameRequest& request) {
  if (request.selection) {
    return InvalidArgument(
        "--selection applies to sequential games; `parley explain` of a normal-form game shows "
        "every pure equilibrium");
  }
  return OkStatus();
}

// A Gambit strategic game as the input's normal-form game, named by its title.
Status ReadNfgInput(const std::string& file, GameInput& input) {
  PARLEY_ASSIGN_OR_RETURN(NfgDocument doc, ReadNfgFile(file));
  input.name = std::move(doc.title);
  input.source = "nfg file";
  input.normal_form = std::move(doc.game);
  return OkStatus();
}

StatusOr<GameInput> LoadToExplain(const GameRequest& request) {
  GameInput input;
  input.file = request.file;
  if (HasExtension(request.file, ".nfg")) {
    PARLEY_RETURN_IF_ERROR(GambitFileTakesNoSample(request));
    PARLEY_RETURN_IF_ERROR(SelectionNeedsTree(request));
    PARLEY_RETURN_IF_ERROR(ReadNfgInput(request.file, input));
    return input;
  }
  PARLEY_ASSIGN_OR_RETURN(input.spec, LoadScenarioFile(request.file));
  const ScenarioSpec& spec = *input.spec;
  if (!spec.sequential()) {
    PARLEY_RETURN_IF_ERROR(SelectionNeedsTree(request));
    input.name = spec.name;
    PARLEY_ASSIGN_OR_RETURN(input.model, GameModel::Compile(spec));
    PARLEY_RETURN_IF_ERROR(SeedNeedsSample(request));
    PARLEY_RETURN_IF_ERROR(PickTable(request, input));
    input.normal_form = input.model->ToNormalForm(spec, input.table);
    return input;
  }
  auto rule = SelectionFromName(request.selection.value_or(spec.simulation.selection));
  if (!rule.ok()) {
    const std::string& why = rule.status().message();
    return InvalidArgument(request.selection
                               ? "--selection: " + why
                               : spec.simulation.selection_loc.ToString() + ": error: " + why);
  }
  input.tree_settings.selection = *rule;
  input.name = spec.name;
  PARLEY_ASSIGN_OR_RETURN(input.model, GameModel::Compile(spec));
  if (!input.model->tree().perfect_information()) {
    auto d = SubgameDecomposition::Make(input.model->tree());
    if (!d.ok()) return Status(d.status().code(), request.file + ": " + d.status().message());
    input.decomposition = std::move(*d);
  }
  PARLEY_RETURN_IF_ERROR(SeedNeedsSample(request));
  PARLEY_RETURN_IF_ERROR(PickTable(request, input));
  input.tree = input.model->ToExtensiveForm(spec, input.table);
  return input;
}

}  // namespace

StatusOr<GameInput> LoadGame(const GameRequest& request) {
  if (request.use == GameUse::kExplain) return LoadToExplain(request);
  GameInput input;
  input.file = request.file;
  if (HasExtension(request.file, ".efg")) {
    PARLEY_RETURN_IF_ERROR(GambitFileTakesNoSample(request));
    PARLEY_ASSIGN_OR_RETURN(input.tree, ReadEfgFile(request.file));
    input.name = input.tree->title;
    input.source = "efg file";
    return input;
  }
  auto spec = LoadScenarioFile(request.file);
  if (spec.ok() && spec->sequential()) {
    input.spec = std::move(*spec);
    input.name = input.spec->name;
    PARLEY_ASSIGN_OR_RETURN(input.model, GameModel::Compile(*input.spec));
    // A rule the scenario's validation let through is a bug elsewhere; the
    // tree is then solved with the uniform rule.
    auto rule = SelectionFromName(input.spec->simulation.selection);
    if (rule.ok()) input.tree_settings.selection = *rule;
    PARLEY_RETURN_IF_ERROR(SeedNeedsSample(request));
    PARLEY_RETURN_IF_ERROR(PickTable(request, input));
    input.tree = input.model->ToExtensiveForm(*input.spec, input.table);
    return input;
  }
  // A normal-form game: a .nfg file, or a scenario (which may not load).
  if (HasExtension(request.file, ".nfg")) {
    PARLEY_RETURN_IF_ERROR(GambitFileTakesNoSample(request));
    PARLEY_RETURN_IF_ERROR(ReadNfgInput(request.file, input));
    return input;
  }
  if (request.seed && !request.sample) {
    // The mean game does not depend on a seed; accepting it silently would
    // suggest it had an effect.
    return InvalidArgument(
        "--seed applies only with --sample N (it picks the run that sample N comes from); "
        "without --sample the game is the mean game, which has no seed");
  }
  if (!spec.ok()) return spec.status();
  input.spec = std::move(*spec);
  input.name = input.spec->name;
  PARLEY_ASSIGN_OR_RETURN(input.model, GameModel::Compile(*input.spec));
  PARLEY_RETURN_IF_ERROR(PickTable(request, input));
  input.normal_form = input.model->ToNormalForm(*input.spec, input.table);
  return input;
}

bool IsSequentialInput(const std::string& file) {
  if (HasExtension(file, ".efg")) return true;
  auto spec = LoadScenarioFile(file);
  return spec.ok() && spec->sequential();
}

}  // namespace parley
