#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "engine/model/state_store.h"

namespace spotform {

// How often a waiting Lock() looks at the lock again.
inline constexpr std::chrono::milliseconds kLockPollInterval{250};

// One attempt at taking a lock: the new lock, or nullopt with the holders in conflict.
struct LockAttempt {
  std::optional<LockInfo> acquired;
  std::vector<LockInfo> holders;  // meaningful when !acquired
};

// The locks of `held` that conflict with `wanted`, in their order.
std::vector<LockInfo> ConflictingLocks(const std::vector<LockInfo>& held, const LockScope& wanted);

// The lock `request` takes at `now`, under a fresh random id.
LockInfo NewLock(const LockRequest& request, Clock::WallTime now);

// Calls `attempt` until it acquires the lock or `wait` has passed on `clock` (sleeping
// kLockPollInterval between tries, through the clock). Errors from `attempt` end the wait.
// When the wait ends with the lock still held, returns kConflict with LockHeldMessage.
Result<LockInfo> AcquireLockWaiting(Clock& clock, std::chrono::milliseconds wait,
                                    const std::string& state_name, const LockScope& wanted,
                                    const std::function<Result<LockAttempt>()>& attempt);

}  // namespace spotform
