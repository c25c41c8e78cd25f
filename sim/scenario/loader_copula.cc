// The scenario loader's `factors` and `correlations`: arguments that share a
// worldview (docs/reference/scenario-schema.md, "Correlated arguments"). The
// matrix they make is checked by BuildArgumentCopula once every section is read.
#include <yaml-cpp/yaml.h>

#include <set>

#include "sim/scenario/copula.h"
#include "sim/scenario/loader_internal.h"

namespace parley::scenario_internal {

int Loader::ArgumentOrError(const YAML::Node& node, const std::string& what, Status* st) const {
  std::string id;
  *st = ReadId(node, what, &id);
  if (!st->ok()) return -1;
  const int g = spec_.FindArgument(id);
  if (g >= 0) return g;
  std::vector<std::string> ids;
  for (const auto& a : spec_.arguments) ids.push_back(a.id);
  std::string msg = what + ": the scenario has no argument '" + id + "'";
  const std::string guess = DidYouMean(id, ids);
  if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
  *st = Error(node, msg + (ids.empty() ? " (it has no arguments)" : ""));
  return -1;
}

Status Loader::ReadFactors(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckSequence(node, "`factors`"));
  spec_.factors.clear();  // a variant's `factors` replace the base's
  for (const auto& item : node) {
    PARLEY_RETURN_IF_ERROR(
        CheckMap(item, "a factor", {"id", "description", "loadings"}, {"id", "loadings"}));
    FactorSpec f;
    f.loc = Loc(item);
    PARLEY_RETURN_IF_ERROR(ReadId(item["id"], "factor `id`", &f.id));
    for (const FactorSpec& other : spec_.factors) {
      if (other.id == f.id) return Error(item["id"], "duplicate factor id '" + f.id + "'");
    }
    if (item["description"]) {
      PARLEY_RETURN_IF_ERROR(ReadString(item["description"], "`description`", &f.description));
    }
    const YAML::Node loadings = item["loadings"];
    if (!loadings.IsMap() || loadings.size() == 0) {
      return Error(loadings, "`loadings` of factor " + f.id +
                                 " must be a mapping from argument id to a loading in [-1, 1], "
                                 "for example {moscow-stalls: 0.8, kyiv-holds-out: 0.5}");
    }
    std::set<int> seen;
    for (const auto& kv : loadings) {
      Status st;
      const int g = ArgumentOrError(kv.first, "`loadings` of factor " + f.id, &st);
      PARLEY_RETURN_IF_ERROR(st);
      if (!seen.insert(g).second) {
        return Error(kv.first,
                     "argument '" + spec_.arguments[g].id + "' has two loadings on factor " + f.id);
      }
      double lambda = 0.0;
      const std::string what =
          "the loading of argument " + spec_.arguments[g].id + " on factor " + f.id;
      PARLEY_RETURN_IF_ERROR(ReadNumber(kv.second, what, &lambda));
      if (lambda < -1.0 || lambda > 1.0) {
        return Error(kv.second,
                     what + " is a correlation and must be in [-1, 1], got " + kv.second.Scalar());
      }
      f.loadings.emplace_back(g, lambda);
      f.loading_locs.push_back(Loc(kv.second));
    }
    spec_.factors.push_back(std::move(f));
  }
  return OkStatus();
}

Status Loader::ReadCorrelations(const YAML::Node& node) {
  PARLEY_RETURN_IF_ERROR(CheckSequence(node, "`correlations`"));
  spec_.correlations.clear();  // a variant's `correlations` replace the base's
  std::set<std::pair<int, int>> seen;
  for (const auto& item : node) {
    PARLEY_RETURN_IF_ERROR(CheckMap(item, "a correlation", {"between", "rho"}, {"between", "rho"}));
    const YAML::Node between = item["between"];
    if (!between.IsSequence() || between.size() != 2) {
      return Error(between, "`between` must list two argument ids, for example [a, b]");
    }
    CorrelationSpec c;
    Status st;
    c.first = ArgumentOrError(between[0], "`between`", &st);
    PARLEY_RETURN_IF_ERROR(st);
    c.second = ArgumentOrError(between[1], "`between`", &st);
    PARLEY_RETURN_IF_ERROR(st);
    if (c.first == c.second) {
      return Error(between[1], "`between` names argument '" + spec_.arguments[c.first].id +
                                   "' twice; a correlation is between two arguments");
    }
    if (c.first > c.second) std::swap(c.first, c.second);
    const std::string pair = spec_.arguments[c.first].id + " and " + spec_.arguments[c.second].id;
    if (!seen.insert({c.first, c.second}).second) {
      return Error(between, "the correlation of " + pair + " is given twice");
    }
    PARLEY_RETURN_IF_ERROR(ReadNumber(item["rho"], "`rho` of " + pair, &c.rho));
    if (c.rho < -1.0 || c.rho > 1.0) {
      return Error(item["rho"], "`rho` of " + pair +
                                    " is a correlation and must be in [-1, 1], got " +
                                    item["rho"].Scalar());
    }
    c.loc = Loc(item["rho"]);
    spec_.correlations.push_back(c);
  }
  return OkStatus();
}

Status Loader::ReadCopula(const YAML::Node& root) {
  if (root["factors"]) PARLEY_RETURN_IF_ERROR(ReadFactors(root["factors"]));
  if (root["correlations"]) PARLEY_RETURN_IF_ERROR(ReadCorrelations(root["correlations"]));
  // The matrix, from the sections read now or taken from the base.
  auto copula = BuildArgumentCopula(spec_);
  if (!copula.ok()) return InvalidArgument(copula.status().message() + note_);
  return OkStatus();
}

}  // namespace parley::scenario_internal
