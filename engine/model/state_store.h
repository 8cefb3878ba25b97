#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/result.h"
#include "engine/model/state_edit.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// What a successful write did.
struct ApplyOutcome {
  int64_t serial = 0;               // the state's serial after the write
  std::vector<int64_t> intent_ids;  // ids assigned to OpenIntent ops, in order
};

// The previous state a store keeps, so that a broken state can be brought back
// (`spotform state restore --backup`).
struct StateBackupInfo {
  // Where it is, for messages: "/p/.spotform/state.db.backup", or "the previous serial 7 in
  // workspace prod".
  std::string where;
  std::string lineage;
  int64_t serial = 0;  // the serial of the state the backup holds
};

// What a restore did.
struct RestoreOutcome {
  StateBackupInfo restored;     // the backup brought back
  int64_t replaced_serial = 0;  // the serial of the state it replaced
  int64_t serial = 0;           // the state's serial now: replaced_serial + 1
};

// Who asks for a lock.
struct LockRequest {
  std::string operation;  // "apply", "destroy", ...
  std::string user;
  std::string host;
  int64_t pid = 0;
  // What it locks: the environments the command touches, or the whole state.
  LockScope scope = LockScope::WholeState();
  // How long to wait for a held lock; zero fails at once (ErrorKind::kConflict, with the
  // holder's id, user, host, pid and age in the message).
  std::chrono::milliseconds wait{0};
};

// StateStore keeps one spotform state (an SQLite file, or one workspace of a PostgreSQL
// database). It knows nothing of plans or clouds. Every method is one short transaction;
// none is held across a network call. A state that is corrupt, from a newer spotform, or not
// a spotform state is an error with a clear message, and is never overwritten.
class StateStore {
 public:
  virtual ~StateStore() = default;

  // The whole state. A state that does not exist yet reads as empty: lineage made on first
  // write (Load of a fresh store still reports the lineage it will use) and serial 0.
  virtual Result<StateSnapshot> Load() = 0;

  // Applies `edit` atomically and bumps the serial once; every environment the edit names
  // gets that serial in environment_serials. An edit naming an environment or
  // pool that does not exist (where one is needed) fails without changing anything.
  virtual Result<ApplyOutcome> Apply(const StateEdit& edit) = 0;

  // Takes a lock on request.scope: the whole state, or some environments. Locks whose
  // scopes do not conflict (LockScope::ConflictsWith) are held at once by different runs; a
  // conflicting one is refused (kConflict, naming each holder in conflict and what it holds)
  // or waited for. A store holds at most one lock at a time.
  virtual Result<LockInfo> Lock(const LockRequest& request) = 0;
  // Releases a lock this process holds.
  virtual Status Unlock(const std::string& lock_id) = 0;
  // Every lock held now, oldest first.
  virtual Result<std::vector<LockInfo>> CurrentLocks() = 0;
  // The oldest lock held now, if any.
  Result<std::optional<LockInfo>> CurrentLock() {
    Result<std::vector<LockInfo>> locks = CurrentLocks();
    if (!locks.ok()) return locks.error();
    if (locks->empty()) return std::optional<LockInfo>();
    return std::optional<LockInfo>(locks->front());
  }
  // Removes a lock whatever its holder (force-unlock); kNotFound if `lock_id` is not held.
  virtual Status ForceUnlock(const std::string& lock_id) = 0;

  // Fenced writes: a store that took a lock writes (Apply, Import, RestoreBackup) only while
  // its lock row, read in the write's own transaction, is still there, and only to the
  // environments its lock covers (kInternal otherwise: a bug, nothing written); a store that
  // took none only while nobody holds any lock. Once a write finds this store's lock
  // removed (force-unlock), taken over, or (PostgreSQL) gone with a lost connection, it fails
  // with kConflict saying so, and so do all later writes and Lock: this returns that error.
  // nullopt while the lock holds (or none was taken).
  virtual std::optional<Error> LockLost() { return std::nullopt; }

  // Writes a whole state (every record, its lineage and serial; open intents keep their ids)
  // into this one, which must never have been written (serial 0, no records; a lock is fine):
  // `spotform state migrate`. kConflict, changing nothing, when it holds a state already.
  virtual Status Import(const StateSnapshot& snapshot) {
    (void)snapshot;
    return Error(ErrorKind::kInternal, "this state store cannot import a state");
  }

  // The backup this store keeps of the state before its latest write: before the first
  // write of each command (of this store's life, and again after each Lock), the state as it
  // was is kept aside in the same transaction. nullopt when there is none (never written).
  virtual Result<std::optional<StateBackupInfo>> DescribeBackup() {
    return std::optional<StateBackupInfo>();
  }
  // Brings the backup back in one write transaction: every record and open intent as the
  // backup holds them, the lineage kept (a backup of another lineage is refused), the serial
  // one above the replaced state's, so plans made from either are refused. The replaced
  // state becomes the backup (a second restore undoes the first). The caller holds the lock.
  // kNotFound when there is no backup.
  virtual Result<RestoreOutcome> RestoreBackup() {
    return Error(ErrorKind::kNotFound, "state " + Name() + " keeps no backup");
  }

  // What users call this state in messages: the file's path, or the PostgreSQL URL (its
  // password redacted) and workspace.
  virtual std::string Name() const { return "state"; }
};

}  // namespace spotform
