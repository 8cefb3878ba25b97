#include "cmd/state_lock_guard.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <ostream>

namespace spotform {
namespace {

// A lock whose holder was a process of this host that no longer exists (killed with -9,
// machine rebooted) protects nothing.
bool HeldByADeadProcessHere(const LockInfo& holder, const std::string& host) {
  if (holder.host != host || holder.pid <= 0) return false;
  return kill(static_cast<pid_t>(holder.pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

Result<std::unique_ptr<StateLockGuard>> StateLockGuard::Acquire(StateStore& store,
                                                                const std::string& operation,
                                                                std::chrono::milliseconds wait,
                                                                std::ostream& notes) {
  LockRequest request;
  request.operation = operation;
  const char* user = std::getenv("USER");
  request.user = user != nullptr ? user : "unknown";
  char host[256] = {};
  request.host = gethostname(host, sizeof(host) - 1) == 0 ? host : "unknown";
  request.pid = getpid();
  request.wait = wait;
  Result<LockInfo> lock = store.Lock(request);
  if (!lock.ok() && lock.error().kind() == ErrorKind::kConflict) {
    Result<std::optional<LockInfo>> holder = store.CurrentLock();
    if (holder.ok() && holder->has_value() && HeldByADeadProcessHere(**holder, request.host)) {
      notes << "spotform: lock " << (*holder)->id << " was held by pid " << (*holder)->pid
            << " on this host, which no longer runs; taking it over\n";
      if (store.ForceUnlock((*holder)->id).ok()) lock = store.Lock(request);
    }
  }
  if (!lock.ok()) return lock.error();
  return std::make_unique<StateLockGuard>(store, lock->id);
}

StateLockGuard::~StateLockGuard() {
  Status released = store_.Unlock(lock_id_);
  (void)released;  // nothing better to do on the way out; force-unlock clears a leftover
}

}  // namespace spotform
