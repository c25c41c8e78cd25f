// WriteOutput (commands.h): a command's output to stdout or, atomically, to a file.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/report/report.h"

namespace parley {

int WriteOutput(const std::optional<std::string>& path, const std::string& text) {
  if (!path || *path == "-") {
    std::cout << text;
    return 0;
  }
  const Status written = WriteFileAtomically(*path, text);
  return written.ok() ? 0 : Fail(written);
}

}  // namespace parley
