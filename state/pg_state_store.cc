#include "state/pg_state_store.h"

#include <utility>

#include "engine/config/config_checks.h"
#include "state/lineage.h"
#include "state/lock_fence.h"
#include "state/lock_message.h"
#include "state/lock_wait.h"
#include "state/pg_backup.h"
#include "state/pg_lock.h"
#include "state/pg_schema.h"
#include "state/pg_snapshot_reader.h"
#include "state/pg_state_rows.h"
#include "state/state_edit_applier.h"

namespace spotform {
namespace {

// How often, and how long apart, Lock looks again when a conflicting advisory lock is held
// without its row yet (a lock being taken or let go right now).
constexpr int kHandoverGlances = 20;
constexpr std::chrono::milliseconds kHandoverPause{10};

}  // namespace

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

Status PgStateStore::CheckFence(const std::vector<std::string>& environments) {
  if (fence_.lost().has_value()) return *fence_.lost();
  Result<std::vector<LockInfo>> held = ReadPgLocks(conn_, workspace_, name_, /*for_update=*/true);
  if (!held.ok()) return held.error();
  return fence_.Check(*held, environments);
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
  if (Status fenced = CheckFence(edit.Environments()); !fenced.ok()) return fenced.error();
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
  if (Status fenced = CheckFence(EnvironmentsOf({&now, &**backup})); !fenced.ok()) {
    return fenced.error();
  }
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
  if (Status fenced = CheckFence(EnvironmentsOf({&snapshot})); !fenced.ok()) return fenced;
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
  if (fence_.held().has_value()) {
    return Error(ErrorKind::kInternal,
                 "state " + name_ + ": this run already holds lock " + *fence_.held());
  }
  const PgAdvisoryKeys keys = PgAdvisoryKeysFor(workspace_, request.scope);
  return AcquireLockWaiting(
      clock_, request.wait, name_, request.scope, [&]() -> Result<LockAttempt> {
        LockAttempt attempt;
        Result<bool> free = TryAdvisoryLocks(conn_, keys);
        // Another session holds a conflicting advisory lock: its row says who, except in the
        // moment between taking the advisory lock and writing the row (or deleting the row
        // and letting go), which passes within milliseconds: look again then.
        for (int glance = 0; free.ok() && !*free && glance < kHandoverGlances; ++glance) {
          Result<std::vector<LockInfo>> held = ReadPgLocks(conn_, workspace_, name_);
          if (!held.ok()) return held.error();
          attempt.holders = ConflictingLocks(*held, request.scope);
          if (!attempt.holders.empty()) return attempt;
          clock_.SleepFor(kHandoverPause);
          free = TryAdvisoryLocks(conn_, keys);
        }
        if (!free.ok()) return free.error();
        if (!*free) {  // still between another session's advisory lock and its row
          LockInfo taking;
          taking.id = "(being taken)";
          taking.operation = "a lock being taken";
          taking.user = "another spotform";
          taking.host = "?";
          taking.created = clock_.Now();
          taking.scope = request.scope;
          attempt.holders.push_back(std::move(taking));
          return attempt;
        }
        // The advisory locks are ours: any row left in conflict with them belongs to a holder
        // whose session ended.
        LockInfo lock = NewLock(request, clock_.Now());
        Status written = [&]() -> Status {
          Result<PgTransaction> transaction = PgTransaction::Begin(conn_);
          if (!transaction.ok()) return transaction.error();
          Status state_row = LockStateRow();
          if (!state_row.ok()) return state_row;
          Result<std::vector<LockInfo>> held = ReadPgLocks(conn_, workspace_, name_);
          if (!held.ok()) return held.error();
          for (const LockInfo& dead : ConflictingLocks(*held, request.scope)) {
            Result<std::optional<int>> dropped = DeletePgLockRow(conn_, workspace_, dead.id);
            if (!dropped.ok()) return dropped.error();
          }
          Status inserted = InsertPgLockRow(conn_, workspace_, lock);
          if (!inserted.ok()) return inserted;
          return transaction->Commit();
        }();
        if (!written.ok()) {
          (void)ReleaseAdvisoryLocks(conn_, keys);
          return written.error();
        }
        fence_.Took(lock);
        held_keys_ = keys;
        backup_due_ = true;  // a new command: its first write keeps the state before it
        attempt.acquired = std::move(lock);
        return attempt;
      });
}

Error PgStateStore::NoLock(const std::string& lock_id) {
  Result<std::vector<LockInfo>> held = ReadPgLocks(conn_, workspace_, name_);
  if (!held.ok()) return held.error();
  return NoSuchLock(name_, lock_id, *held);
}

Status PgStateStore::Unlock(const std::string& lock_id) {
  Result<std::optional<int>> deleted = DeletePgLockRow(conn_, workspace_, lock_id);
  if (fence_.held() == lock_id) {
    // Released even when the row is gone (force-unlocked meanwhile).
    fence_.Released(lock_id);
    Status released = ReleaseAdvisoryLocks(conn_, held_keys_);
    if (!released.ok()) return released;
  }
  if (!deleted.ok()) return deleted.error();
  if (deleted->has_value()) return Status::Ok();
  return NoLock(lock_id);
}

Status PgStateStore::ForceUnlock(const std::string& lock_id) {
  if (fence_.held() == lock_id) return Unlock(lock_id);
  Result<PgTransaction> transaction = PgTransaction::Begin(conn_);
  if (!transaction.ok()) return transaction.error();
  Result<std::optional<int>> deleted = DeletePgLockRow(conn_, workspace_, lock_id);
  if (!deleted.ok()) return deleted.error();
  if (!deleted->has_value()) return NoLock(lock_id);
  // A holder whose session still runs keeps its advisory locks (every lock holds the state
  // key, shared or not): end that session, so that the stuck process cannot write after its
  // lock was taken away.
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

Result<std::vector<LockInfo>> PgStateStore::CurrentLocks() {
  return ReadPgLocks(conn_, workspace_, name_);
}

}  // namespace spotform
