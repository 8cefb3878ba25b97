#include "state/pg_state_store.h"

#include <utility>

#include "engine/config/config_checks.h"
#include "state/lineage.h"
#include "state/lock_wait.h"
#include "state/pg_backup.h"
#include "state/pg_lock.h"
#include "state/pg_schema.h"
#include "state/pg_snapshot_reader.h"
#include "state/pg_state_rows.h"
#include "state/state_edit_applier.h"

namespace spotform {

PgStateStore::PgStateStore(PgConnection conn, std::string workspace, Clock& clock)
    : conn_(std::move(conn)),
      workspace_(std::move(workspace)),
      name_(conn_.name() + " (workspace " + workspace_ + ")"),
      clock_(clock),
      pending_lineage_(NewLineage()),
      key_(PgStateLockKey(workspace_)),
      fence_(name_) {}

Result<std::unique_ptr<PgStateStore>> OpenPgStateStore(const std::string& url,
                                                       const std::string& workspace, Clock& clock) {
  Result<PgConnection> conn = PgConnection::Connect(url, RedactUrlPassword(url));
  if (!conn.ok()) return conn.error();
  Status schema = EnsurePgSchema(*conn);
  if (!schema.ok()) return schema.error();
  return std::make_unique<PgStateStore>(std::move(*conn), workspace, clock);
}

Status PgStateStore::LockStateRow() {
  Status inserted = conn_.Run(
      "INSERT INTO spotform_states (workspace, lineage) VALUES ($1, $2) "
      "ON CONFLICT (workspace) DO NOTHING",
      {workspace_, pending_lineage_});
  if (!inserted.ok()) return inserted;
  return conn_.Run("SELECT serial FROM spotform_states WHERE workspace = $1 FOR UPDATE",
                   {workspace_});
}

Status PgStateStore::CheckFence() {
  if (fence_.lost().has_value()) return *fence_.lost();
  Result<std::optional<PgLockRow>> row = ReadPgLockRow(conn_, workspace_, /*for_update=*/true);
  if (!row.ok()) return row.error();
  std::optional<LockInfo> holder;
  if (row->has_value()) holder = (*row)->info;
  return fence_.Check(holder);
}

std::optional<Error> PgStateStore::SessionLost() {
  if (fence_.lost().has_value()) return fence_.lost();
  if (fence_.held().has_value() && conn_.Lost()) return fence_.ConnectionLost();
  return std::nullopt;
}

Error PgStateStore::Fenced(const Error& error) {
  if (fence_.held().has_value() && (conn_.Lost() || error.kind() == ErrorKind::kTransport)) {
    return fence_.ConnectionLost();
  }
  return error;
}

std::optional<Error> PgStateStore::LockLost() { return SessionLost(); }

Result<StateSnapshot> PgStateStore::Load() {
  Result<PgTransaction> transaction =
      PgTransaction::Begin(conn_, "ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!transaction.ok()) return Fenced(transaction.error());
  Result<std::optional<StateSnapshot>> snapshot = ReadPgSnapshot(conn_, workspace_, name_);
  if (!snapshot.ok()) return Fenced(snapshot.error());
  Status committed = transaction->Commit();
  if (!committed.ok()) return Fenced(committed.error());
  if (snapshot->has_value()) return std::move(**snapshot);
  StateSnapshot empty;
  empty.lineage = pending_lineage_;
  return empty;
}

Result<ApplyOutcome> PgStateStore::Apply(const StateEdit& edit) {
  if (std::optional<Error> lost = SessionLost()) return *lost;
  Result<ApplyOutcome> outcome = Write(edit);
  if (!outcome.ok()) return Fenced(outcome.error());
  return outcome;
}

Result<ApplyOutcome> PgStateStore::Write(const StateEdit& edit) {
  Result<PgTransaction> transaction = PgTransaction::Begin(conn_);
  if (!transaction.ok()) return transaction.error();
  Status locked = LockStateRow();
  if (!locked.ok()) return locked.error();
  if (Status fenced = CheckFence(); !fenced.ok()) return fenced.error();
  if (backup_due_) {
    Result<std::optional<StateSnapshot>> current = ReadPgSnapshot(conn_, workspace_, name_);
    if (!current.ok()) return current.error();
    if (current->has_value() && (*current)->serial > 0) {
      Status kept = KeepPgBackup(conn_, workspace_, **current, clock_);
      if (!kept.ok()) return kept.error();
    }
  }
  PgStateRows rows(conn_, workspace_);
  Result<ApplyOutcome> outcome = WriteAndCommit(*transaction, rows, clock_, edit);
  if (outcome.ok()) backup_due_ = false;
  return outcome;
}

Result<std::optional<StateBackupInfo>> PgStateStore::DescribeBackup() {
  Result<PgTransaction> transaction =
      PgTransaction::Begin(conn_, "ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!transaction.ok()) return transaction.error();
  Result<PgResult> row =
      conn_.Query("SELECT lineage, serial FROM spotform_states WHERE workspace = $1",
                  {PgBackupWorkspace(workspace_)});
  if (!row.ok()) return row.error();
  Status committed = transaction->Commit();
  if (!committed.ok()) return committed.error();
  if (row->Rows() == 0) return std::optional<StateBackupInfo>();
  StateBackupInfo backup;
  backup.serial = row->Int(0, 1);
  backup.lineage = row->Text(0, 0);
  backup.where = PgBackupWhere(workspace_, backup.serial);
  return std::optional<StateBackupInfo>(std::move(backup));
}

Result<RestoreOutcome> PgStateStore::RestoreBackup() {
  if (std::optional<Error> lost = SessionLost()) return *lost;
  Result<RestoreOutcome> outcome = Restore();
  if (!outcome.ok()) return Fenced(outcome.error());
  return outcome;
}

Result<RestoreOutcome> PgStateStore::Restore() {
  Result<PgTransaction> transaction = PgTransaction::Begin(conn_);
  if (!transaction.ok()) return transaction.error();
  Status locked = LockStateRow();
  if (!locked.ok()) return locked.error();
  if (Status fenced = CheckFence(); !fenced.ok()) return fenced.error();
  Result<std::optional<StateSnapshot>> backup = ReadPgBackup(conn_, workspace_, name_);
  if (!backup.ok()) return backup.error();
  if (!backup->has_value()) {
    return Error(ErrorKind::kNotFound,
                 "state " + name_ + " has no backup to restore: the previous serial of workspace " +
                     workspace_ + " is kept by the first write of each command once it has one");
  }
  Result<std::optional<StateSnapshot>> current = ReadPgSnapshot(conn_, workspace_, name_);
  if (!current.ok()) return current.error();
  const StateSnapshot& now = **current;  // LockStateRow made the row
  if (now.serial > 0 && now.lineage != (*backup)->lineage) {
    return Error(ErrorKind::kConflict, "the backup of workspace " + workspace_ +
                                           " is of another state (lineage " + (*backup)->lineage +
                                           ", not " + now.lineage + "); nothing was restored");
  }
  RestoreOutcome outcome;
  outcome.restored = {PgBackupWhere(workspace_, (*backup)->serial), (*backup)->lineage,
                      (*backup)->serial};
  outcome.replaced_serial = now.serial;
  outcome.serial = now.serial + 1;
  if (now.serial > 0) {
    Status kept = KeepPgBackup(conn_, workspace_, now, clock_);
    if (!kept.ok()) return kept.error();
  }
  PgStateRows rows(conn_, workspace_);
  Status replaced = StateEditApplier(rows, clock_).Replace(**backup, outcome.serial);
  if (!replaced.ok()) return replaced.error();
  Status committed = transaction->Commit();
  if (!committed.ok()) return committed.error();
  backup_due_ = false;
  return outcome;
}

Status PgStateStore::Import(const StateSnapshot& snapshot) {
  if (std::optional<Error> lost = SessionLost()) return *lost;
  Status imported = ImportInto(snapshot);
  if (!imported.ok()) return Fenced(imported.error());
  return imported;
}

Status PgStateStore::ImportInto(const StateSnapshot& snapshot) {
  Result<PgTransaction> transaction = PgTransaction::Begin(conn_);
  if (!transaction.ok()) return transaction.error();
  Status locked = LockStateRow();
  if (!locked.ok()) return locked;
  if (Status fenced = CheckFence(); !fenced.ok()) return fenced;
  Result<std::optional<StateSnapshot>> existing = ReadPgSnapshot(conn_, workspace_, name_);
  if (!existing.ok()) return existing.error();
  if (existing->has_value() && !IsNeverWritten(**existing)) {
    return Error(ErrorKind::kConflict, "state " + name_ + " already holds a state (lineage " +
                                           (*existing)->lineage + ", serial " +
                                           std::to_string((*existing)->serial) +
                                           "); migrate only into a new workspace");
  }
  PgStateRows rows(conn_, workspace_);
  Status imported = StateEditApplier(rows, clock_).Import(snapshot);
  if (!imported.ok()) return imported;
  return transaction->Commit();
}

Result<LockInfo> PgStateStore::Lock(const LockRequest& request) {
  if (std::optional<Error> lost = SessionLost()) return *lost;  // this run writes nothing more
  return AcquireLockWaiting(clock_, request.wait, name_, [&]() -> Result<LockAttempt> {
    LockAttempt attempt;
    Result<bool> free =
        fence_.held().has_value() ? Result<bool>(false) : TryAdvisoryLock(conn_, key_);
    if (!free.ok()) return free.error();
    if (!*free) {
      // A live session holds it (or this store does): the row says who.
      Result<std::optional<PgLockRow>> row = ReadPgLockRow(conn_, workspace_);
      if (!row.ok()) return row.error();
      if (row->has_value()) {
        attempt.holder = (*row)->info;
      } else {  // between another session's advisory lock and its row
        attempt.holder.id = "(being taken)";
        attempt.holder.operation = "a lock being taken";
        attempt.holder.user = "another spotform";
        attempt.holder.host = "?";
        attempt.holder.created = clock_.Now();
      }
      return attempt;
    }
    // The advisory lock is ours: any row left belongs to a holder whose session ended.
    LockInfo lock = NewLock(request, clock_.Now());
    Status written = [&]() -> Status {
      Result<PgTransaction> transaction = PgTransaction::Begin(conn_);
      if (!transaction.ok()) return transaction.error();
      Status state_row = LockStateRow();
      if (!state_row.ok()) return state_row;
      Status row = WritePgLockRow(conn_, workspace_, lock);
      if (!row.ok()) return row;
      return transaction->Commit();
    }();
    if (!written.ok()) {
      (void)AdvisoryUnlock(conn_, key_);
      return written.error();
    }
    fence_.Took(lock.id);
    backup_due_ = true;  // a new command: its first write keeps the state before it
    attempt.acquired = std::move(lock);
    return attempt;
  });
}

Error PgStateStore::NotLocked() const {
  return Error(ErrorKind::kNotFound, "state " + name_ + " is not locked");
}

Error PgStateStore::WrongLock(const std::string& lock_id, const std::string& held_id) const {
  return Error(ErrorKind::kNotFound, "lock ID " + lock_id + " is not held on state " + name_ +
                                         " (it is locked with lock ID " + held_id + ")");
}

Status PgStateStore::Unlock(const std::string& lock_id) {
  Result<std::optional<int>> deleted = DeletePgLockRow(conn_, workspace_, lock_id);
  if (fence_.held() == lock_id) {
    // Released even when the row is gone (force-unlocked meanwhile).
    fence_.Released(lock_id);
    Status released = AdvisoryUnlock(conn_, key_);
    if (!released.ok()) return released;
  }
  if (!deleted.ok()) return deleted.error();
  if (deleted->has_value()) return Status::Ok();
  Result<std::optional<PgLockRow>> row = ReadPgLockRow(conn_, workspace_);
  if (!row.ok()) return row.error();
  if (!row->has_value()) return NotLocked();
  return WrongLock(lock_id, (*row)->info.id);
}

Status PgStateStore::ForceUnlock(const std::string& lock_id) {
  if (fence_.held() == lock_id) return Unlock(lock_id);
  Result<PgTransaction> transaction = PgTransaction::Begin(conn_);
  if (!transaction.ok()) return transaction.error();
  Result<std::optional<int>> deleted = DeletePgLockRow(conn_, workspace_, lock_id);
  if (!deleted.ok()) return deleted.error();
  if (!deleted->has_value()) {
    Result<std::optional<PgLockRow>> row = ReadPgLockRow(conn_, workspace_);
    if (!row.ok()) return row.error();
    if (!row->has_value()) return NotLocked();
    return WrongLock(lock_id, (*row)->info.id);
  }
  // A holder whose session still runs keeps the advisory lock: end that session, so that
  // the stuck process cannot write after its lock was taken away.
  const int holder_pid = **deleted;
  Result<bool> alive = BackendHoldsAdvisoryLock(conn_, holder_pid, key_);
  if (!alive.ok()) return alive.error();
  if (*alive) {
    Result<bool> ended = TerminateBackend(conn_, holder_pid);
    if (!ended.ok()) return ended.error();
    if (!*ended) {
      return Error(ErrorKind::kAuth,
                   "state " + name_ + ": the holder's database session (server pid " +
                       std::to_string(holder_pid) +
                       ") is still connected and this database user may not end it; ask the "
                       "database administrator to run SELECT pg_terminate_backend(" +
                       std::to_string(holder_pid) + ")");
    }
  }
  return transaction->Commit();
}

Result<std::optional<LockInfo>> PgStateStore::CurrentLock() {
  Result<std::optional<PgLockRow>> row = ReadPgLockRow(conn_, workspace_);
  if (!row.ok()) return row.error();
  if (!row->has_value()) return std::optional<LockInfo>();
  return std::optional<LockInfo>((*row)->info);
}

}  // namespace spotform
