// `parley doctor FILE` (doctor_command.cc): findings about a scenario. Its
// flags are those of every sampling command (SamplingFlags, commands.h).
#pragma once

#include <string>

#include "sim/cli/commands.h"

namespace parley {

struct DoctorFlags : SamplingFlags {
  std::string file;
};
CLI::App* AddDoctorCommand(CLI::App& app, DoctorFlags& flags);
int Doctor(const DoctorFlags& flags);

}  // namespace parley
