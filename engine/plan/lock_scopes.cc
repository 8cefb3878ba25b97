#include "engine/plan/lock_scopes.h"

#include <algorithm>

namespace spotform {

LockScope ScopeOfTargets(const std::vector<std::string>& targets) {
  std::vector<std::string> names;
  for (const std::string& target : targets) names.push_back(EnvironmentNameOf(target));
  return LockScope::Environments(std::move(names));
}

LockScope ScopeOfRun(const Config& config, const StateSnapshot& state,
                     const std::vector<std::string>& targets) {
  if (!targets.empty()) return ScopeOfTargets(targets);
  std::vector<std::string> names;
  for (const auto& [name, spec] : config.environments) names.push_back(name);
  for (const auto& [name, environment] : state.environments) names.push_back(name);
  return LockScope::Environments(std::move(names));
}

LockScope ScopeOfPlan(const Plan& plan) {
  std::vector<std::string> names;
  for (const Change& change : plan.changes) {
    if (change.action != ChangeAction::kNoOp) names.push_back(EnvironmentNameOf(change.address));
  }
  return LockScope::Environments(std::move(names));
}

LockScope ScopeOfKeeper(const StateSnapshot& state, const std::vector<LockInfo>& held) {
  std::vector<std::string> names;
  for (const auto& [name, environment] : state.environments) names.push_back(name);
  for (const JournalEntry& entry : state.open_intents) names.push_back(entry.environment);
  std::erase_if(names, [&](const std::string& name) {
    return std::any_of(held.begin(), held.end(),
                       [&](const LockInfo& lock) { return lock.scope.Covers(name); });
  });
  return LockScope::Environments(std::move(names));
}

}  // namespace spotform
