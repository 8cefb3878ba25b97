#include "state/lock_wait.h"

#include <algorithm>

#include "state/lock_message.h"

namespace spotform {

Result<LockInfo> AcquireLockWaiting(Clock& clock, std::chrono::milliseconds wait,
                                    const std::string& state_name,
                                    const std::function<Result<LockAttempt>()>& attempt) {
  const Clock::SteadyTime deadline = clock.SteadyNow() + wait;
  while (true) {
    Result<LockAttempt> tried = attempt();
    if (!tried.ok()) return tried.error();
    if (tried->acquired.has_value()) return *std::move(tried->acquired);
    const auto remaining = deadline - clock.SteadyNow();
    if (remaining <= std::chrono::nanoseconds::zero()) {
      return Error(ErrorKind::kConflict,
                   LockHeldMessage(state_name, tried->holder, clock.Now(), wait));
    }
    clock.SleepFor(std::min<std::chrono::nanoseconds>(remaining, kLockPollInterval));
  }
}

}  // namespace spotform
