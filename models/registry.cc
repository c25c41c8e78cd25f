#include <algorithm>
#include <map>
#include <string>

#include "models/model.h"

namespace parley {
namespace {

std::map<std::string, std::unique_ptr<Model>, std::less<>>& Models() {
  static auto* models = new std::map<std::string, std::unique_ptr<Model>, std::less<>>();
  return *models;
}

}  // namespace

bool ModelRegistry::Register(std::unique_ptr<Model> model) {
  const std::string name(model->name());
  auto [it, inserted] = Models().emplace(name, std::move(model));
  assert(inserted && "two models share a name");
  (void)it;
  return inserted;
}

StatusOr<const Model*> ModelRegistry::Find(std::string_view name) {
  auto it = Models().find(name);
  if (it != Models().end()) return static_cast<const Model*>(it->second.get());
  std::string known;
  for (const auto& [n, m] : Models()) known += (known.empty() ? "" : ", ") + n;
  return NotFound("unknown model '" + std::string(name) + "' (models: " + known + ")");
}

std::vector<const Model*> ModelRegistry::All() {
  std::vector<const Model*> out;
  for (const auto& [n, m] : Models()) out.push_back(m.get());
  return out;
}

}  // namespace parley
