#include "sim/app/game_export.h"

#include "sim/game/efg.h"
#include "sim/game/nfg.h"
#include "sim/game/reduced_normal_form.h"
#include "sim/version.h"

namespace parley {
namespace {

// "parley 0.1.0 from FILE (sample 3 (seed 1))".
std::string ExportedFrom(const GameInput& input) {
  return "parley " + std::string(kParleyVersion) + " from " + input.file + " (" + input.source +
         ")";
}

}  // namespace

Status CheckExportFormat(bool tree, const std::string& format) {
  if (tree && format != "efg" && format != "nfg") {
    return InvalidArgument(
        "--format: a sequential game is exported as efg (Gambit's extensive form) or nfg (its "
        "reduced normal form), not '" +
        format + "'");
  }
  if (!tree && format != "nfg") {
    return InvalidArgument("--format: unknown format '" + format +
                           "' for a normal-form game (formats: nfg; efg is for sequential "
                           "games)");
  }
  return OkStatus();
}

StatusOr<std::string> ExportGame(GameInput input, const std::string& format) {
  PARLEY_RETURN_IF_ERROR(CheckExportFormat(input.tree.has_value(), format));
  if (input.normal_form) {
    const NfgDocument doc{input.name, "Exported by " + ExportedFrom(input),
                          std::move(*input.normal_form)};
    return WriteNfg(doc);
  }
  ExtensiveFormGame& game = *input.tree;
  if (format == "nfg") {
    // The reduced normal form: one strategy per plan (an action at every
    // information set the player's own choices do not exclude).
    auto reduced = BuildReducedNormalForm(game.view());
    if (!reduced.ok()) {
      return Status(reduced.status().code(), input.file + ": " + reduced.status().message());
    }
    const NfgDocument doc{game.title.empty() ? input.name : game.title,
                          "Reduced normal form, exported by " + ExportedFrom(input),
                          std::move(reduced->game)};
    return WriteNfg(doc);
  }
  game.comment = "Exported by " + ExportedFrom(input);
  if (game.title.empty()) game.title = input.name;
  return WriteEfg(game);
}

}  // namespace parley
