#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "engine/model/state_store.h"

namespace spotform {

// What can be told about a lock's holder from here.
enum class LockHolderStatus {
  kRunningHere,  // a process of this host with the holder's pid runs
  kGoneHere,     // this host, and no process has the holder's pid: the holder died
  kOtherHost,    // held from another host: whether it still runs cannot be told
};

// This machine's host name, as locks record it ("unknown" if it cannot be read).
std::string ThisHostName();

// Who runs this process, as locks record it: $USER, else the account name of the real user
// id (getpwuid_r), else "uid N".
std::string ThisUserName();

// Looks at `holder` from this host (kill(pid, 0) when it is a process of this host).
LockHolderStatus CheckLockHolder(const LockInfo& holder);

// StateLockGuard holds one state lock (on some environments, or the whole state) for its
// lifetime and releases it in its destructor, on every way out of a command. Borrows the
// store, which must outlive it.
class StateLockGuard {
 public:
  // Takes the lock on `scope` for `operation` as this process (ThisUserName(), host name,
  // pid), waiting up to `wait` for conflicting holders to let go. The error names each
  // holder in conflict and the environments it holds (and, when `wait` is zero, says how to
  // wait instead). A conflicting lock left by a process of this host that no longer runs
  // (kill -9) is taken over, with a note on `notes`.
  static Result<std::unique_ptr<StateLockGuard>> Acquire(StateStore& store,
                                                         const std::string& operation,
                                                         const LockScope& scope,
                                                         std::chrono::milliseconds wait,
                                                         std::ostream& notes);
  // Takes a lock on what `needed` says the command touches, read before and again under the
  // lock: when the state changed in between (another run recorded a new environment), the
  // lock is taken again on the larger scope, so that what the command then reads and writes
  // is all its own.
  static Result<std::unique_ptr<StateLockGuard>> AcquireCovering(
      StateStore& store, const std::string& operation, std::chrono::milliseconds wait,
      std::ostream& notes, const std::function<Result<LockScope>()>& needed);

  StateLockGuard(StateStore& store, std::string lock_id, LockScope scope)
      : store_(store), lock_id_(std::move(lock_id)), scope_(std::move(scope)) {}
  ~StateLockGuard();
  StateLockGuard(const StateLockGuard&) = delete;
  StateLockGuard& operator=(const StateLockGuard&) = delete;

  const LockScope& scope() const { return scope_; }

 private:
  StateStore& store_;
  std::string lock_id_;
  LockScope scope_;
};

}  // namespace spotform
