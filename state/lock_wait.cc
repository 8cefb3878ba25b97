#include "state/lock_wait.h"

#include <algorithm>

#include "engine/model/crypto.h"
#include "state/lock_message.h"

namespace spotform {

LockInfo NewLock(const LockRequest& request, Clock::WallTime now) {
  LockInfo lock;
  lock.id = RandomHex(16);
  lock.operation = request.operation;
  lock.user = request.user;
  lock.host = request.host;
  lock.pid = request.pid;
  lock.created = now;
  lock.scope = request.scope;
  return lock;
}

std::vector<LockInfo> ConflictingLocks(const std::vector<LockInfo>& held, const LockScope& wanted) {
  std::vector<LockInfo> conflicting;
  for (const LockInfo& lock : held) {
    if (lock.scope.ConflictsWith(wanted)) conflicting.push_back(lock);
  }
  return conflicting;
}

Result<LockInfo> AcquireLockWaiting(Clock& clock, std::chrono::milliseconds wait,
                                    const std::string& state_name, const LockScope& wanted,
                                    const std::function<Result<LockAttempt>()>& attempt) {
  const Clock::SteadyTime deadline = clock.SteadyNow() + wait;
  while (true) {
    Result<LockAttempt> tried = attempt();
    if (!tried.ok()) return tried.error();
    if (tried->acquired.has_value()) return *std::move(tried->acquired);
    const auto remaining = deadline - clock.SteadyNow();
    if (remaining <= std::chrono::nanoseconds::zero()) {
      return Error(ErrorKind::kConflict,
                   LockHeldMessage(state_name, tried->holders, wanted, clock.Now(), wait));
    }
    clock.SleepFor(std::min<std::chrono::nanoseconds>(remaining, kLockPollInterval));
  }
}

}  // namespace spotform
