// `parley params FILE`: every sweepable name of a scenario with its value or
// distribution, for --set, sweeps and sensitivity analyses.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "sim/app/sampling.h"
#include "sim/cli/commands.h"
#include "sim/report/html_report.h"
#include "sim/report/report.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/overrides.h"

namespace parley {

CLI::App* AddParamsCommand(CLI::App& app, ParamsFlags& flags) {
  CLI::App* cmd = app.add_subcommand(
      "params", "List every sweepable name of a scenario (for --set, sweep) with its value");
  cmd->add_option("file", flags.file, "Scenario YAML file")->required();
  cmd->add_option("--set", flags.set, "Override a name first: NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--json", flags.json, "Write the list as JSON to PATH, or '-' for stdout");
  return cmd;
}

int Params(const ParamsFlags& flags) {
  if (const Status output = CheckOutputFlags({{"--json", flags.json}}); !output.ok()) {
    return Fail(output);
  }
  auto spec = LoadScenarioFile(flags.file);
  if (!spec.ok()) return Fail(spec.status());
  const Status set = ApplySettings(*spec, flags.set);
  if (!set.ok()) return Fail(set);
  const std::vector<SweepableName> names = ListSweepableNames(*spec);
  if (flags.json) {
    using J = nlohmann::ordered_json;
    J list = J::array();
    for (const auto& n : names) {
      list.push_back({{"name", n.name},
                      {"kind", SweepableKindName(n.kind)},
                      {"value", n.value},
                      {"mean", n.mean},
                      {"note", n.note},
                      {"source", n.loc.ToString()}});
    }
    J j = {{"kind", "params"},
           {"scenario", {{"name", spec->name}, {"file", spec->path}}},
           {"names", list}};
    return WriteOutput(flags.json, j.dump(2) + "\n");
  }
  size_t width = 4, value_width = 5;
  for (const auto& n : names) {
    width = std::max(width, n.name.size());
    value_width = std::max(value_width, n.value.size());
  }
  std::string out = fmt::format("{}: {} sweepable names\n\n", flags.file, names.size());
  out += fmt::format("{:<{}}  {:<{}}  {:>8}  {}\n", "Name", width, "Value", value_width, "Mean",
                     "Note");
  for (const auto& n : names) {
    std::string note = n.note;
    if (note.size() > 60) note = note.substr(0, 57) + "...";
    out += fmt::format("{:<{}}  {:<{}}  {:>8.4g}  {}", n.name, width, n.value, value_width, n.mean,
                       note);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  }
  std::cout << out;
  return 0;
}

}  // namespace parley
