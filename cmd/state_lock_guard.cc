#include "cmd/state_lock_guard.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <vector>

#include "state/lock_message.h"

namespace spotform {

std::string ThisHostName() {
  char host[256] = {};
  return gethostname(host, sizeof(host) - 1) == 0 ? host : "unknown";
}

std::string ThisUserName() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): spotform never calls setenv
  const char* user = std::getenv("USER");
  if (user != nullptr && *user != '\0') return user;
  // cron, systemd units and containers often run without $USER: the account name then.
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr && *found->pw_name != '\0') {
    return found->pw_name;
  }
  return "uid " + std::to_string(getuid());
}

LockHolderStatus CheckLockHolder(const LockInfo& holder) {
  if (holder.host != ThisHostName()) return LockHolderStatus::kOtherHost;
  if (holder.pid <= 0) return LockHolderStatus::kGoneHere;
  // EPERM: the process exists but belongs to someone else; it still runs.
  if (kill(static_cast<pid_t>(holder.pid), 0) != 0 && errno == ESRCH) {
    return LockHolderStatus::kGoneHere;
  }
  return LockHolderStatus::kRunningHere;
}

Result<std::unique_ptr<StateLockGuard>> StateLockGuard::Acquire(StateStore& store,
                                                                const std::string& operation,
                                                                std::chrono::milliseconds wait,
                                                                std::ostream& notes) {
  LockRequest request;
  request.operation = operation;
  request.user = ThisUserName();
  request.host = ThisHostName();
  request.pid = getpid();
  request.wait = std::chrono::milliseconds(0);
  Result<LockInfo> lock = store.Lock(request);
  if (!lock.ok() && lock.error().kind() == ErrorKind::kConflict) {
    Result<std::optional<LockInfo>> holder = store.CurrentLock();
    if (holder.ok() && holder->has_value()) {
      const LockInfo& held = **holder;
      if (held.pid > 0 && CheckLockHolder(held) == LockHolderStatus::kGoneHere) {
        // A lock whose holder was a process of this host that no longer exists (killed with
        // -9, machine rebooted) protects nothing.
        notes << "spotform: lock " << held.id << " was held by pid " << held.pid
              << " on this host, which no longer runs; taking it over\n";
        if (store.ForceUnlock(held.id).ok()) lock = store.Lock(request);
      } else if (wait.count() > 0) {
        notes << "spotform: the state is locked by " << held.user << "@" << held.host << " (pid "
              << held.pid << ") for " << held.operation << "; waiting up to " << FormatLockAge(wait)
              << " for it...\n"
              << std::flush;
        request.wait = wait;
        lock = store.Lock(request);
      }
    } else if (holder.ok()) {
      request.wait = wait;  // let go in the meantime
      lock = store.Lock(request);
    }
  }
  if (!lock.ok()) {
    if (lock.error().kind() == ErrorKind::kConflict && wait.count() == 0) {
      return Error(ErrorKind::kConflict,
                   lock.error().message() +
                       "; to wait for it instead, pass --lock-timeout DURATION (e.g. "
                       "--lock-timeout 5m)");
    }
    return lock.error();
  }
  return std::make_unique<StateLockGuard>(store, lock->id);
}

StateLockGuard::~StateLockGuard() {
  Status released = store_.Unlock(lock_id_);
  (void)released;  // nothing better to do on the way out; force-unlock clears a leftover
}

}  // namespace spotform
