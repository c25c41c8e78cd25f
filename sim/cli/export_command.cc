// `parley export`: one game (sim/app/game_input.h) as a Gambit .nfg or .efg
// file (sim/app/game_export.h).
#include "sim/app/game_export.h"
#include "sim/app/game_input.h"
#include "sim/cli/commands.h"

namespace parley {

int Export(const ExportFlags& flags) {
  if (const Status output = CheckOutputFlags({{"--output", flags.output}}); !output.ok()) {
    return Fail(output);
  }
  const bool tree = IsSequentialInput(flags.file);
  const std::string format = flags.format.value_or(tree ? "efg" : "nfg");
  if (const Status checked = CheckExportFormat(tree, format); !checked.ok()) return Fail(checked);
  auto input = LoadGame({.file = flags.file, .sample = flags.sample, .seed = flags.seed});
  if (!input.ok()) return Fail(input.status());
  auto text = ExportGame(std::move(*input), format);
  if (!text.ok()) return Fail(text.status());
  return WriteOutput(flags.output, *text);
}

}  // namespace parley
