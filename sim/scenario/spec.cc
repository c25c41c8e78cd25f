#include "sim/scenario/spec.h"

#include <limits>

namespace parley {

bool Condition::Matches(const std::vector<int>& profile) const {
  for (size_t a = 0; a < allowed.size(); ++a) {
    if (!allowed[a].empty() && (profile[a] < 0 || !allowed[a][profile[a]])) return false;
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

int ScenarioSpec::FindStage(const std::string& id) const { return FindById(stages, id); }

namespace {

struct SequenceWalk {
  const ScenarioSpec& spec;
  int64_t max_nodes;
  const std::function<int(int, int, int, const std::vector<int>&)>& on_node;
  std::vector<int> history;
  int64_t nodes = 0;

  // The node after the moves so far, reached from `parent` by `action`;
  // stages before `first` have been decided (played or skipped).
  bool Visit(size_t first, int parent, int action) {
    if (++nodes > max_nodes) return false;
    size_t k = first;
    while (k < spec.stages.size() && spec.stages[k].has_when &&
           !spec.stages[k].when.Matches(history)) {
      ++k;
    }
    if (k == spec.stages.size()) {
      on_node(-1, parent, action, history);
      return true;
    }
    const int node = on_node(static_cast<int>(k), parent, action, history);
    const int n = static_cast<int>(spec.stages[k].options.size());
    for (int o = 0; o < n; ++o) {
      history[k] = o;
      if (!Visit(k + 1, node, o)) return false;
    }
    history[k] = -1;
    return true;
  }
};

}  // namespace

bool ScenarioSpec::WalkSequence(
    int64_t max_nodes,
    const std::function<int(int, int, int, const std::vector<int>&)>& on_node) const {
  SequenceWalk walk{*this, max_nodes, on_node, std::vector<int>(stages.size(), -1)};
  return walk.Visit(0, -1, 0);
}

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
