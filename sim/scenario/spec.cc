#include "sim/scenario/spec.h"

#include <limits>
#include <map>
#include <tuple>

namespace parley {

bool Condition::Matches(const std::vector<int>& profile) const {
  if (constrained.empty()) {
    for (size_t a = 0; a < allowed.size(); ++a) {
      if (!allowed[a].empty() && (profile[a] < 0 || !allowed[a][profile[a]])) return false;
    }
    return true;
  }
  for (const int32_t a : constrained) {
    if (profile[a] < 0 || !allowed[a][profile[a]]) return false;
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

bool ScenarioSpec::perfect_information() const {
  for (const auto& st : stages) {
    if (!st.unobserved.empty()) return false;
  }
  return true;
}

namespace {

struct SequenceWalk {
  const ScenarioSpec& spec;
  int64_t max_nodes;
  bool share;
  const ScenarioSpec::NodeVisitor& on_node;
  const ScenarioSpec::SharedVisitor& on_shared;
  std::vector<int> history;
  int64_t nodes = 0;
  // Subgame sharing: every `when` condition of the scenario is alive while
  // the stages decided so far satisfy it. Two histories with the same next
  // stage and the same live conditions face the same game.
  std::vector<std::vector<std::pair<int, const std::vector<bool>*>>> constraints_on{};  // per stage
  std::vector<uint64_t> alive{};
  std::map<std::pair<size_t, std::vector<uint64_t>>, int> seen{};

  void CollectConditions() {
    constraints_on.assign(spec.stages.size(), {});
    int count = 0;
    auto add_rule = [&](const ProfileRule& rule) {
      for (const Condition& c : rule.any_of) {
        for (size_t k = 0; k < c.allowed.size(); ++k) {
          if (!c.allowed[k].empty()) constraints_on[k].emplace_back(count, &c.allowed[k]);
        }
        ++count;
      }
    };
    for (const auto& st : spec.stages) add_rule(st.when);
    for (const auto& o : spec.outcomes) add_rule(o.rule);
    for (const auto& m : spec.modifiers) add_rule(m.rule);
    for (const auto& a : spec.arguments) {
      for (const auto& e : a.effects) add_rule(e.rule);
    }
    for (const auto& t : spec.threats) add_rule(t.condition);
    alive.assign((count + 63) / 64, ~uint64_t{0});
  }

  // Stage k is decided: played with option o, or skipped (o = -1).
  void Decide(size_t k, int o) {
    if (!share) return;
    for (const auto& [c, allowed] : constraints_on[k]) {
      if (o < 0 || !(*allowed)[o]) alive[c / 64] &= ~(uint64_t{1} << (c % 64));
    }
  }

  // The node after the moves so far, reached from `parent` by `action`;
  // stages before `first` have been decided (played or skipped).
  bool Visit(size_t first, int parent, int action) {
    const std::vector<uint64_t> saved = share ? alive : std::vector<uint64_t>();
    size_t k = first;
    while (k < spec.stages.size() && spec.stages[k].has_when &&
           !spec.stages[k].when.Matches(history)) {
      Decide(k, -1);
      ++k;
    }
    std::map<std::pair<size_t, std::vector<uint64_t>>, int>::iterator slot;
    if (share && parent >= 0) {
      bool inserted;
      std::tie(slot, inserted) = seen.try_emplace({k, alive}, -1);
      if (!inserted) {
        on_shared(parent, action, slot->second);
        alive = saved;
        return true;
      }
    }
    if (++nodes > max_nodes) return false;
    const int stage = k == spec.stages.size() ? -1 : static_cast<int>(k);
    const int node = on_node(stage, parent, action, history);
    if (share && parent >= 0) slot->second = node;
    if (stage >= 0) {
      const int n = static_cast<int>(spec.stages[k].options.size());
      for (int o = 0; o < n; ++o) {
        const std::vector<uint64_t> before = share ? alive : std::vector<uint64_t>();
        history[k] = o;
        Decide(k, o);
        if (!Visit(k + 1, node, o)) return false;
        if (share) alive = before;
      }
      history[k] = -1;
    }
    if (share) alive = saved;
    return true;
  }
};

}  // namespace

bool ScenarioSpec::WalkSequence(int64_t max_nodes, bool share_subgames, const NodeVisitor& on_node,
                                const SharedVisitor& on_shared) const {
  SequenceWalk walk{*this,   max_nodes, share_subgames,
                    on_node, on_shared, std::vector<int>(stages.size(), -1)};
  if (share_subgames) walk.CollectConditions();
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
