#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// LockFence is what one state store knows of the lock it took: the lock (its id and scope)
// while it holds it and, once a write found that lock gone, the error that refuses every
// later write (fenced writes, issue 16). Owned by its store, which calls Check inside each
// write transaction with the lock rows as that transaction sees them, so that a write
// commits only while the lock it was made under is still there, and only to environments
// that lock covers. Not thread-safe (nor are the stores).
class LockFence {
 public:
  explicit LockFence(std::string state_name) : state_name_(std::move(state_name)) {}

  // The store took `lock`.
  void Took(const LockInfo& lock) { held_ = lock; }
  // The store let go of `lock_id` (Unlock): later writes are those of a store without a lock.
  void Released(const std::string& lock_id) {
    if (held_.has_value() && held_->id == lock_id) held_.reset();
  }
  // The id of the lock held, if any.
  std::optional<std::string> held() const {
    return held_.has_value() ? std::optional<std::string>(held_->id) : std::nullopt;
  }
  // The error that stopped this store's writes, once its lock was lost.
  const std::optional<Error>& lost() const { return lost_; }

  // Inside a write transaction, with every lock row it sees: OK when this store may write to
  // `environments` (those the write names). A store that took a lock may write only while
  // its row is still there; otherwise the lock was removed (force-unlock, or a takeover of a
  // holder thought dead), and that error is kept for every later write. It may write only
  // to the environments its lock covers (kInternal otherwise: a bug; nothing is written,
  // the lock still holds). A store that took no lock may write only while nobody holds one.
  Status Check(const std::vector<LockInfo>& rows, const std::vector<std::string>& environments);
  // The PostgreSQL session that held the advisory locks ended: the lock went with it. Kept
  // for every later write; the store never reconnects to write on.
  Error ConnectionLost();

 private:
  std::string state_name_;
  std::optional<LockInfo> held_;
  std::optional<Error> lost_;
};

// The names of every environment of `snapshots` (sorted, unique): what a restore or an
// import writes.
std::vector<std::string> EnvironmentsOf(std::initializer_list<const StateSnapshot*> snapshots);

}  // namespace spotform
