#pragma once

#include <chrono>
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

// StateLockGuard holds a state's writer lock for its lifetime and releases it in its
// destructor, on every way out of a command. Borrows the store, which must outlive it.
class StateLockGuard {
 public:
  // Takes the lock for `operation` as this process (ThisUserName(), host name, pid), waiting up to
  // `wait` for a holder to let go. The error names the holder when it is still held (and,
  // when `wait` is zero, says how to wait instead). A lock left by a process of this host
  // that no longer runs (kill -9) is taken over, with a note on `notes`.
  static Result<std::unique_ptr<StateLockGuard>> Acquire(StateStore& store,
                                                         const std::string& operation,
                                                         std::chrono::milliseconds wait,
                                                         std::ostream& notes);
  StateLockGuard(StateStore& store, std::string lock_id)
      : store_(store), lock_id_(std::move(lock_id)) {}
  ~StateLockGuard();
  StateLockGuard(const StateLockGuard&) = delete;
  StateLockGuard& operator=(const StateLockGuard&) = delete;

 private:
  StateStore& store_;
  std::string lock_id_;
};

}  // namespace spotform
