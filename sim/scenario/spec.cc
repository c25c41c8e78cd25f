#include "sim/scenario/spec.h"

#include <limits>

namespace parley {

bool Condition::Matches(const std::vector<int>& profile) const {
  for (size_t a = 0; a < allowed.size(); ++a) {
    if (!allowed[a].empty() && !allowed[a][profile[a]]) return false;
  }
  return true;
}

bool ProfileRule::Matches(const std::vector<int>& profile) const {
  if (otherwise) return true;
  for (const Condition& c : any_of) {
    if (c.Matches(profile)) return true;
  }
  return false;
}

namespace {
template <typename T>
int FindById(const std::vector<T>& v, const std::string& id) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].id == id) return static_cast<int>(i);
  }
  return -1;
}
}  // namespace

int ScenarioSpec::FindActor(const std::string& id) const { return FindById(actors, id); }
int ScenarioSpec::FindOutcome(const std::string& id) const { return FindById(outcomes, id); }
int ScenarioSpec::FindArgument(const std::string& id) const { return FindById(arguments, id); }

int64_t ScenarioSpec::NumProfiles() const {
  int64_t n = 1;
  for (const auto& a : actors) {
    const auto k = static_cast<int64_t>(a.options.size());
    if (k == 0) return 0;
    if (n > std::numeric_limits<int64_t>::max() / k) return std::numeric_limits<int64_t>::max();
    n *= k;
  }
  return n;
}

}  // namespace parley
