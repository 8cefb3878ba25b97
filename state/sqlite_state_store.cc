#include "state/sqlite_state_store.h"

#include <utility>

#include "state/lineage.h"
#include "state/lock_fence.h"
#include "state/lock_message.h"
#include "state/lock_table.h"
#include "state/lock_wait.h"
#include "state/schema_migrations.h"
#include "state/snapshot_reader.h"
#include "state/sqlite_backup.h"
#include "state/sqlite_state_rows.h"
#include "state/sqlite_transaction.h"
#include "state/state_edit_applier.h"
#include "state/state_file.h"

namespace spotform {
namespace {

using Kind = SqliteTransaction::Kind;

// Where a backup is copied before it replaces STATE.backup.
std::string BackupStagingPath(const std::string& state_path) {
  return SqliteBackupPath(state_path) + ".tmp";
}

Result<SqliteDb> Connect(const std::string& path) {
  Result<SqliteDb> db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE);
  if (!db.ok()) return db.error();
  Status configured = db->Exec("PRAGMA busy_timeout = " + std::to_string(kSqliteBusyTimeoutMs) +
                               "; PRAGMA foreign_keys = ON");
  if (!configured.ok()) return configured.error();
  return db;
}

// Switches to WAL; done after the schema check, so a foreign file is never changed.
Status EnableWal(SqliteDb& db) {
  Result<std::optional<std::string>> mode = db.QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.error();
  if (mode->value_or("") != "wal") {
    return Error(ErrorKind::kInternal, "state file " + db.path() +
                                           " cannot use WAL mode (journal mode " +
                                           mode->value_or("?") + ")");
  }
  return Status::Ok();
}

}  // namespace

SqliteStateStore::SqliteStateStore(std::string path, Clock& clock)
    : path_(std::move(path)), clock_(clock), pending_lineage_(NewLineage()), fence_(path_) {}

Result<std::unique_ptr<SqliteStateStore>> OpenSqliteStateStore(const std::string& path,
                                                               Clock& clock) {
  auto store = std::make_unique<SqliteStateStore>(path, clock);
  Result<SqliteDb*> db = store->Database(/*create=*/false);
  if (!db.ok()) return db.error();
  return store;
}

Result<SqliteDb> SqliteStateStore::OpenExisting() {
  Result<SqliteDb> db = Connect(path_);
  if (!db.ok()) return db.error();
  Status usable = CheckAndMigrateState(*db);
  if (!usable.ok()) return usable.error();
  Status wal = EnableWal(*db);
  if (!wal.ok()) return wal.error();
  return db;
}

Result<SqliteDb> SqliteStateStore::OpenCreating() {
  Status created = CreateStateFile(path_);
  if (!created.ok()) return created.error();
  Result<SqliteDb> db = Connect(path_);
  if (!db.ok()) return db.error();
  {
    // The schema is written in the default rollback-journal mode, so that a crash leaves
    // either an empty file or a whole state, never a bare SQLite file.
    Result<SqliteTransaction> transaction = SqliteTransaction::Begin(*db, Kind::kWrite);
    if (!transaction.ok()) return transaction.error();
    Result<bool> empty = IsEmptyDatabase(*db);
    if (!empty.ok()) return empty.error();
    if (*empty) {  // else a concurrent spotform made it first; checked below
      Status schema = CreateStateSchema(*db, pending_lineage_);
      if (!schema.ok()) return schema.error();
    }
    Status committed = transaction->Commit();
    if (!committed.ok()) return committed.error();
  }
  Status usable = CheckAndMigrateState(*db);
  if (!usable.ok()) return usable.error();
  Status wal = EnableWal(*db);
  if (!wal.ok()) return wal.error();
  return db;
}

Result<SqliteDb*> SqliteStateStore::Database(bool create) {
  if (db_.has_value()) return &*db_;
  Result<StateFileKind> kind = InspectStateFile(path_);
  if (!kind.ok()) return kind.error();
  if (*kind != StateFileKind::kSqlite && !create) return static_cast<SqliteDb*>(nullptr);
  Result<SqliteDb> db = *kind == StateFileKind::kSqlite ? OpenExisting() : OpenCreating();
  if (!db.ok()) return db.error();
  db_.emplace(std::move(*db));
  return &*db_;
}

Result<StateSnapshot> SqliteStateStore::Load() {
  Result<SqliteDb*> db = Database(/*create=*/false);
  if (!db.ok()) return db.error();
  if (*db == nullptr) {
    StateSnapshot empty;
    empty.lineage = pending_lineage_;
    return empty;
  }
  Result<SqliteTransaction> transaction = SqliteTransaction::Begin(**db, Kind::kRead);
  if (!transaction.ok()) return transaction.error();
  Result<StateSnapshot> snapshot = ReadSnapshot(**db);
  if (!snapshot.ok()) return snapshot.error();
  Status committed = transaction->Commit();
  if (!committed.ok()) return committed.error();
  return snapshot;
}

Result<ApplyOutcome> SqliteStateStore::Apply(const StateEdit& edit) {
  Result<SqliteDb*> db = Database(/*create=*/true);
  if (!db.ok()) return db.error();
  Result<SqliteTransaction> transaction = SqliteTransaction::Begin(**db, Kind::kWrite);
  if (!transaction.ok()) return transaction.error();
  if (Status fenced = CheckFence(**db, edit.Environments()); !fenced.ok()) return fenced.error();
  Result<bool> staged = backup_due_ ? StageBackup(**db) : Result<bool>(false);
  if (!staged.ok()) return staged.error();
  SqliteStateRows rows(**db);
  Result<ApplyOutcome> outcome = WriteAndCommit(*transaction, rows, clock_, edit);
  if (outcome.ok()) backup_due_ = false;  // whether or not there was a state to keep
  if (!*staged) return outcome;
  if (!outcome.ok()) {
    DropSqliteBackup(BackupStagingPath(path_));
    return outcome;
  }
  // The write is committed; a backup that cannot be kept is reported, not undone.
  Status kept = CommitSqliteBackup(BackupStagingPath(path_), SqliteBackupPath(path_));
  if (!kept.ok()) return kept.error();
  return outcome;
}

Status SqliteStateStore::CheckFence(SqliteDb& db, const std::vector<std::string>& environments) {
  if (fence_.lost().has_value()) return *fence_.lost();
  Result<std::vector<LockInfo>> rows = ReadStateLocks(db);
  if (!rows.ok()) return rows.error();
  return fence_.Check(*rows, environments);
}

Result<bool> SqliteStateStore::StageBackup(SqliteDb& db) {
  Result<std::optional<std::string>> serial =
      db.QueryText("SELECT value FROM meta WHERE key = 'serial'");
  if (!serial.ok()) return serial.error();
  if (serial->value_or("0") == "0") return false;  // never written: nothing to keep
  Status staged = StageSqliteBackup(path_, BackupStagingPath(path_));
  if (!staged.ok()) return staged.error();
  return true;
}

Result<std::optional<StateBackupInfo>> SqliteStateStore::DescribeBackup() {
  return DescribeSqliteBackup(SqliteBackupPath(path_));
}

Result<RestoreOutcome> SqliteStateStore::RestoreBackup() {
  const std::string backup_path = SqliteBackupPath(path_);
  Result<std::optional<StateSnapshot>> backup = ReadSqliteBackup(backup_path);
  if (!backup.ok()) return backup.error();
  if (!backup->has_value()) {
    return Error(ErrorKind::kNotFound, "state " + path_ +
                                           " has no backup to restore: " + backup_path +
                                           " does not exist (it is written by the first write "
                                           "of each command once the state has a serial)");
  }
  Result<SqliteDb*> db = Database(/*create=*/true);
  if (!db.ok()) return db.error();
  Result<SqliteTransaction> transaction = SqliteTransaction::Begin(**db, Kind::kWrite);
  if (!transaction.ok()) return transaction.error();
  Result<StateSnapshot> current = ReadSnapshot(**db);
  if (!current.ok()) return current.error();
  if (Status fenced = CheckFence(**db, EnvironmentsOf({&*current, &**backup})); !fenced.ok()) {
    return fenced.error();
  }
  if (current->serial > 0 && current->lineage != (*backup)->lineage) {
    return Error(ErrorKind::kConflict, "the backup " + backup_path +
                                           " is of another state (lineage " + (*backup)->lineage +
                                           ", not " + current->lineage + "); nothing was restored");
  }
  RestoreOutcome outcome;
  outcome.restored = {backup_path, (*backup)->lineage, (*backup)->serial};
  outcome.replaced_serial = current->serial;
  outcome.serial = current->serial + 1;
  Result<bool> staged = StageBackup(**db);
  if (!staged.ok()) return staged.error();
  SqliteStateRows rows(**db);
  Status replaced = StateEditApplier(rows, clock_).Replace(**backup, outcome.serial);
  if (replaced.ok()) replaced = transaction->Commit();
  if (!replaced.ok()) {
    if (*staged) DropSqliteBackup(BackupStagingPath(path_));
    return replaced.error();
  }
  if (*staged) {
    Status kept = CommitSqliteBackup(BackupStagingPath(path_), backup_path);
    if (!kept.ok()) return kept.error();
  }
  backup_due_ = false;
  return outcome;
}

Status SqliteStateStore::Import(const StateSnapshot& snapshot) {
  Result<SqliteDb*> db = Database(/*create=*/true);
  if (!db.ok()) return db.error();
  Result<SqliteTransaction> transaction = SqliteTransaction::Begin(**db, Kind::kWrite);
  if (!transaction.ok()) return transaction.error();
  if (Status fenced = CheckFence(**db, EnvironmentsOf({&snapshot})); !fenced.ok()) return fenced;
  Result<StateSnapshot> existing = ReadSnapshot(**db);
  if (!existing.ok()) return existing.error();
  if (!IsNeverWritten(*existing)) {
    return Error(ErrorKind::kConflict, "state " + path_ + " already holds a state (lineage " +
                                           existing->lineage + ", serial " +
                                           std::to_string(existing->serial) +
                                           "); migrate only into a new state file");
  }
  SqliteStateRows rows(**db);
  Status imported = StateEditApplier(rows, clock_).Import(snapshot);
  if (!imported.ok()) return imported;
  return transaction->Commit();
}

Result<LockInfo> SqliteStateStore::Lock(const LockRequest& request) {
  if (fence_.lost().has_value()) return *fence_.lost();  // this run writes nothing more
  if (fence_.held().has_value()) {
    return Error(ErrorKind::kInternal,
                 "state " + path_ + ": this run already holds lock " + *fence_.held());
  }
  Result<SqliteDb*> db = Database(/*create=*/true);
  if (!db.ok()) return db.error();
  SqliteDb& database = **db;
  return AcquireLockWaiting(
      clock_, request.wait, path_, request.scope, [&]() -> Result<LockAttempt> {
        Result<SqliteTransaction> transaction = SqliteTransaction::Begin(database, Kind::kWrite);
        if (!transaction.ok()) return transaction.error();
        Result<std::vector<LockInfo>> held = ReadStateLocks(database);
        if (!held.ok()) return held.error();
        LockAttempt attempt;
        attempt.holders = ConflictingLocks(*held, request.scope);
        if (!attempt.holders.empty()) return attempt;  // rolls back: nothing was written
        LockInfo lock = NewLock(request, clock_.Now());
        Status inserted = InsertStateLock(database, lock);
        if (!inserted.ok()) return inserted.error();
        Status committed = transaction->Commit();
        if (!committed.ok()) return committed.error();
        backup_due_ = true;  // a new command: its first write keeps the state before it
        fence_.Took(lock);
        attempt.acquired = std::move(lock);
        return attempt;
      });
}

Status SqliteStateStore::RemoveLock(const std::string& lock_id) {
  Result<SqliteDb*> db = Database(/*create=*/false);
  if (!db.ok()) return db.error();
  if (*db == nullptr) {
    return Error(ErrorKind::kNotFound, "state " + path_ + " is not locked");
  }
  Result<SqliteTransaction> transaction = SqliteTransaction::Begin(**db, Kind::kWrite);
  if (!transaction.ok()) return transaction.error();
  Result<bool> removed = DeleteStateLock(**db, lock_id);
  if (!removed.ok()) return removed.error();
  if (!*removed) {
    Result<std::vector<LockInfo>> held = ReadStateLocks(**db);
    if (!held.ok()) return held.error();
    return NoSuchLock(path_, lock_id, *held);
  }
  return transaction->Commit();
}

Status SqliteStateStore::Unlock(const std::string& lock_id) {
  fence_.Released(lock_id);  // even when the row is gone (force-unlocked meanwhile)
  return RemoveLock(lock_id);
}

Status SqliteStateStore::ForceUnlock(const std::string& lock_id) { return Unlock(lock_id); }

Result<std::vector<LockInfo>> SqliteStateStore::CurrentLocks() {
  Result<SqliteDb*> db = Database(/*create=*/false);
  if (!db.ok()) return db.error();
  if (*db == nullptr) return std::vector<LockInfo>();
  Result<SqliteTransaction> transaction = SqliteTransaction::Begin(**db, Kind::kRead);
  if (!transaction.ok()) return transaction.error();
  Result<std::vector<LockInfo>> held = ReadStateLocks(**db);
  if (!held.ok()) return held.error();
  Status committed = transaction->Commit();
  if (!committed.ok()) return committed.error();
  return held;
}

}  // namespace spotform
