#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/model/lock_scope.h"
#include "engine/model/state_snapshot.h"
#include "engine/plan/plan.h"

namespace spotform {

// What each command locks (issue 16): only the environments it touches, so that teams
// sharing one state do not wait for each other. Pure; the commands take the locks.

// The environments of `--target env.NAME` addresses (already checked by CheckTargets).
LockScope ScopeOfTargets(const std::vector<std::string>& targets);

// apply, destroy, refresh and import: the targets when there are any, else every
// environment declared in `config` or recorded in `state` (all that an untargeted run may
// refresh, create, change or remove).
LockScope ScopeOfRun(const Config& config, const StateSnapshot& state,
                     const std::vector<std::string>& targets);

// Applying a saved plan: the environments it changes (its no-ops touch nothing).
LockScope ScopeOfPlan(const Plan& plan);

// A watch round: the environments of `state` (recorded, or named by an open intent) that no
// lock of `held` covers, so that a long apply of one environment does not stop the others
// being kept. Empty when a whole-state lock is held.
LockScope ScopeOfKeeper(const StateSnapshot& state, const std::vector<LockInfo>& held);

}  // namespace spotform
