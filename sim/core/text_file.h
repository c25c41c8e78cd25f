// Reading a whole text file that a user named (a scenario, a .nfg game):
// what is not a regular file, or is larger than a limit, is refused with a
// message before anything large is read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/core/status.h"

namespace parley {

// `kind` names the file in messages, for example "scenario file".
StatusOr<std::string> ReadTextFile(const std::string& path, size_t max_bytes,
                                   std::string_view kind);

}  // namespace parley
