// `parley export`: one game (sim/app/game_input.h) as a Gambit file, with a
// comment that says which parley wrote it from which file and game.
#pragma once

#include <string>

#include "sim/app/game_input.h"
#include "sim/core/status.h"

namespace parley {

// Refuses a format that games of the kind (`tree`: sequential) are not
// written in: normal forms as nfg; trees as efg or nfg (the reduced normal
// form).
Status CheckExportFormat(bool tree, const std::string& format);

// The file's text, in a format CheckExportFormat accepts.
StatusOr<std::string> ExportGame(GameInput input, const std::string& format);

}  // namespace parley
