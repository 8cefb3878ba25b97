#pragma once

#include <optional>
#include <string>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// LockFence is what one state store knows of the writer lock it took: the lock's id while it
// holds it and, once a write found that lock gone, the error that refuses every later write
// (fenced writes, issue 16). Owned by its store, which calls Check inside each write
// transaction with the lock row as that transaction sees it, so that a write commits only
// while the lock it was made under is still there. Not thread-safe (nor are the stores).
class LockFence {
 public:
  explicit LockFence(std::string state_name) : state_name_(std::move(state_name)) {}

  // The store took lock `lock_id`.
  void Took(const std::string& lock_id) { held_ = lock_id; }
  // The store let go of `lock_id` (Unlock): later writes are those of a store without a lock.
  void Released(const std::string& lock_id) {
    if (held_ == lock_id) held_.reset();
  }
  const std::optional<std::string>& held() const { return held_; }
  // The error that stopped this store's writes, once its lock was lost.
  const std::optional<Error>& lost() const { return lost_; }

  // Inside a write transaction, with the state's lock row (nullopt: not locked): OK when this
  // store may write. A store that took a lock may write only while the row still carries its
  // id; otherwise the lock was removed (force-unlock) or taken over, and that error is kept
  // for every later write. A store that took no lock may write only while nobody holds one.
  Status Check(const std::optional<LockInfo>& row);
  // The PostgreSQL session that held the advisory lock ended: the lock went with it. Kept
  // for every later write; the store never reconnects to write on.
  Error ConnectionLost();

 private:
  std::string state_name_;
  std::optional<std::string> held_;
  std::optional<Error> lost_;
};

}  // namespace spotform
