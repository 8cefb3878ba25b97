#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "engine/model/state_store.h"
#include "state/lock_fence.h"
#include "state/sqlite_handle.h"

namespace spotform {

// How long an SQLite writer waits for another's transaction to end before failing.
inline constexpr int kSqliteBusyTimeoutMs = 5000;

// SqliteStateStore keeps a spotform state in one SQLite file (WAL mode). It owns its
// connection; the Clock (owned by the caller, outliving the store) stamps locks and intents
// and paces lock waits. Nothing is written until the first Apply or Lock: a missing file
// reads as an empty state whose lineage the first write records. Files that are not spotform
// states, from a newer spotform, or corrupt are refused and never written. The first write of
// each command (the first Apply after opening or after Lock) keeps the state as it was before
// it in `path.backup` (SQLite's online backup API, mode 0600), renamed into place only once
// the write committed: the backup always holds the state before the latest command's writes.
// Writes are fenced (StateStore::LockLost): each checks the lock row in its own transaction.
class SqliteStateStore final : public StateStore {
 public:
  // Use OpenSqliteStateStore, which also checks an existing file.
  SqliteStateStore(std::string path, Clock& clock);

  Result<StateSnapshot> Load() override;
  Result<ApplyOutcome> Apply(const StateEdit& edit) override;
  Result<LockInfo> Lock(const LockRequest& request) override;
  Status Unlock(const std::string& lock_id) override;
  Result<std::vector<LockInfo>> CurrentLocks() override;
  Status ForceUnlock(const std::string& lock_id) override;
  Status Import(const StateSnapshot& snapshot) override;
  Result<std::optional<StateBackupInfo>> DescribeBackup() override;
  Result<RestoreOutcome> RestoreBackup() override;
  std::optional<Error> LockLost() override { return fence_.lost(); }
  std::string Name() const override { return path_; }

  const std::string& path() const { return path_; }

  // The open connection, opening (and with `create`, creating) the file first; nullptr when
  // the file does not exist (or is empty) and `create` is false.
  Result<SqliteDb*> Database(bool create);

 private:
  Result<SqliteDb> OpenExisting();
  Result<SqliteDb> OpenCreating();
  Status RemoveLock(const std::string& lock_id);
  // Copies the state as `db`'s open write transaction sees it to the staging file (when it
  // was ever written): true when a copy was staged, to commit after the write.
  Result<bool> StageBackup(SqliteDb& db);
  // Inside `db`'s open write transaction: whether this store may write (LockFence::Check on
  // the lock row that transaction sees).
  Status CheckFence(SqliteDb& db, const std::vector<std::string>& environments);

  std::string path_;
  Clock& clock_;
  std::string pending_lineage_;  // the lineage a state written first by this store gets
  std::optional<SqliteDb> db_;
  // True until this store's first write since it was opened or last locked: that write first
  // keeps the state as it was in `path_.backup`.
  bool backup_due_ = true;
  LockFence fence_;  // the lock this store took, and whether it was lost
};

// Opens the state at `path` (the caller picks it, normally `.spotform/state.db` beside the
// config). An existing file is checked (and migrated forward) now; a missing one is created,
// folder 0700 and file 0600, by the first write.
Result<std::unique_ptr<SqliteStateStore>> OpenSqliteStateStore(const std::string& path,
                                                               Clock& clock);

}  // namespace spotform
