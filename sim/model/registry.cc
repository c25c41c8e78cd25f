#include <algorithm>
#include <cassert>
#include <map>
#include <string>

#include "sim/model/model.h"

namespace parley {
namespace {

struct Entry {
  ModelInfo info;
  ModelRegistry::Factory factory;
};

std::map<std::string, Entry, std::less<>>& Models() {
  static auto* models = new std::map<std::string, Entry, std::less<>>();
  return *models;
}

std::string KnownModels() {
  std::string known;
  for (const auto& [n, e] : Models()) known += (known.empty() ? "" : ", ") + n;
  return known;
}

}  // namespace

bool ModelRegistry::Register(ModelInfo info, Factory factory) {
  std::string name = info.name;
  auto [it, inserted] = Models().emplace(std::move(name), Entry{std::move(info), std::move(factory)});
  assert(inserted && "two models share a name");
  (void)it;
  return inserted;
}

StatusOr<const ModelInfo*> ModelRegistry::Find(std::string_view name) {
  auto it = Models().find(name);
  if (it != Models().end()) return &it->second.info;
  return NotFound("unknown model '" + std::string(name) + "' (models: " + KnownModels() + ")");
}

std::vector<const ModelInfo*> ModelRegistry::All() {
  std::vector<const ModelInfo*> out;
  for (const auto& [n, e] : Models()) out.push_back(&e.info);
  return out;
}

StatusOr<std::unique_ptr<Model>> ModelRegistry::Make(const ModelRequest& request) {
  auto it = Models().find(request.name);
  if (it == Models().end()) {
    return NotFound("unknown model '" + request.name + "' (models: " + KnownModels() + ")");
  }
  const Entry& entry = it->second;
  PARLEY_ASSIGN_OR_RETURN(
      ModelParameters parameters,
      ResolveParameters(request.name, entry.info.parameters, request.parameters));
  return entry.factory(entry.info,
                       ModelConfig{request.selection, std::move(parameters), request.anchors});
}

StatusOr<std::unique_ptr<Model>> MakeModel(std::string_view name, Selection selection) {
  return ModelRegistry::Make(ModelRequest{std::string(name), {}, selection});
}

StatusOr<ModelRequest> ParseModelRequest(std::string_view text, std::string_view where) {
  const std::string prefix = where.empty() ? "" : std::string(where) + ": ";
  ModelRequest request;
  const size_t colon = text.find(':');
  request.name = std::string(text.substr(0, colon));
  if (request.name.empty()) {
    return InvalidArgument(prefix + "expected a model name, as in 'qre' or 'qre:lambda=2', got '" +
                           std::string(text) + "'");
  }
  if (colon == std::string_view::npos) return request;
  std::string_view rest = text.substr(colon + 1);
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == item.size()) {
      return InvalidArgument(prefix + "expected NAME=VALUE after '" + request.name +
                             ":' (as in 'qre:lambda=2'), got '" + std::string(item) + "'");
    }
    request.parameters.push_back(ParameterSetting{std::string(item.substr(0, eq)),
                                                  std::string(item.substr(eq + 1)),
                                                  std::string(where)});
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return request;
}

}  // namespace parley
