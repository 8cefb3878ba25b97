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
#include "state/lock_wait.h"

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

namespace {

// The locks held now in conflict with `scope`; empty when they cannot be read.
std::vector<LockInfo> HoldersInConflict(StateStore& store, const LockScope& scope) {
  Result<std::vector<LockInfo>> held = store.CurrentLocks();
  if (!held.ok()) return {};
  return ConflictingLocks(*held, scope);
}

}  // namespace

Result<std::unique_ptr<StateLockGuard>> StateLockGuard::Acquire(StateStore& store,
                                                                const std::string& operation,
                                                                const LockScope& scope,
                                                                std::chrono::milliseconds wait,
                                                                std::ostream& notes) {
  LockRequest request;
  request.operation = operation;
  request.user = ThisUserName();
  request.host = ThisHostName();
  request.pid = getpid();
  request.scope = scope;
  request.wait = std::chrono::milliseconds(0);
  Result<LockInfo> lock = store.Lock(request);
  if (!lock.ok() && lock.error().kind() == ErrorKind::kConflict) {
    const std::vector<LockInfo> holders = HoldersInConflict(store, scope);
    bool took_over = false;
    for (const LockInfo& held : holders) {
      if (held.pid <= 0 || CheckLockHolder(held) != LockHolderStatus::kGoneHere) continue;
      // A lock whose holder was a process of this host that no longer exists (killed with
      // -9, machine rebooted) protects nothing.
      notes << "spotform: lock " << held.id << " on " << held.scope.Describe()
            << " was held by pid " << held.pid
            << " on this host, which no longer runs; taking it over\n";
      took_over = store.ForceUnlock(held.id).ok() || took_over;
    }
    if (took_over) lock = store.Lock(request);
    if (!lock.ok() && lock.error().kind() == ErrorKind::kConflict && wait.count() > 0) {
      const std::vector<LockInfo> still = HoldersInConflict(store, scope);
      if (!still.empty()) {
        const LockInfo& first = still.front();
        notes << "spotform: " << first.scope.ConflictWith(scope).Describe() << " is locked by "
              << first.user << "@" << first.host << " (pid " << first.pid << ") for "
              << first.operation << "; waiting up to " << FormatLockAge(wait) << " for it...\n"
              << std::flush;
      }
      request.wait = wait;
      lock = store.Lock(request);
    } else if (!lock.ok() && lock.error().kind() == ErrorKind::kConflict && holders.empty()) {
      lock = store.Lock(request);  // let go in the meantime
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
  return std::make_unique<StateLockGuard>(store, lock->id, lock->scope);
}

Result<std::unique_ptr<StateLockGuard>> StateLockGuard::AcquireCovering(
    StateStore& store, const std::string& operation, std::chrono::milliseconds wait,
    std::ostream& notes, const std::function<Result<LockScope>()>& needed) {
  Result<LockScope> scope = needed();
  if (!scope.ok()) return scope.error();
  // Each retry means another run recorded new environments meanwhile; a few suffice.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    Result<std::unique_ptr<StateLockGuard>> guard = Acquire(store, operation, *scope, wait, notes);
    if (!guard.ok()) return guard.error();
    Result<LockScope> now = needed();
    if (!now.ok()) return now.error();
    if (now->Within((*guard)->scope())) return guard;
    if (attempt == kAttempts) {
      return Error(ErrorKind::kConflict, "the state kept changing while spotform locked it (now " +
                                             now->Describe() + "); run the command again");
    }
    std::vector<std::string> names = scope->environments();
    names.insert(names.end(), now->environments().begin(), now->environments().end());
    scope = now->whole_state() ? LockScope::WholeState() : LockScope::Environments(names);
  }
}

StateLockGuard::~StateLockGuard() {
  Status released = store_.Unlock(lock_id_);
  (void)released;  // nothing better to do on the way out; force-unlock clears a leftover
}

}  // namespace spotform
