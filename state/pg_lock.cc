#include "state/pg_lock.h"

#include "state/state_codec.h"

namespace spotform {

int64_t PgStateLockKey(const std::string& workspace) {
  return AdvisoryLockKey("spotform:" + workspace);
}

Result<std::optional<PgLockRow>> ReadPgLockRow(PgConnection& conn, const std::string& workspace,
                                               bool for_update) {
  Result<PgResult> rows = conn.Query(
      for_update ? "SELECT id, operation, holder_user, holder_host, pid, created, backend_pid "
                   "FROM spotform_locks WHERE workspace = $1 FOR UPDATE"
                 : "SELECT id, operation, holder_user, holder_host, pid, created, backend_pid "
                   "FROM spotform_locks WHERE workspace = $1",
      {workspace});
  if (!rows.ok()) return rows.error();
  if (rows->Rows() == 0) return std::optional<PgLockRow>();
  PgLockRow row;
  row.info.id = rows->Text(0, 0);
  row.info.operation = rows->Text(0, 1);
  row.info.user = rows->Text(0, 2);
  row.info.host = rows->Text(0, 3);
  row.info.pid = rows->Int(0, 4);
  row.info.created = DecodeTime(rows->Int(0, 5));
  row.backend_pid = static_cast<int>(rows->Int(0, 6));
  return std::optional<PgLockRow>(std::move(row));
}

Status WritePgLockRow(PgConnection& conn, const std::string& workspace, const LockInfo& lock) {
  return conn.Run(
      "INSERT INTO spotform_locks (workspace, id, operation, holder_user, holder_host, pid, "
      "created, backend_pid) VALUES ($1, $2, $3, $4, $5, $6::bigint, $7::bigint, "
      "pg_backend_pid()) ON CONFLICT (workspace) DO UPDATE SET id = excluded.id, "
      "operation = excluded.operation, holder_user = excluded.holder_user, "
      "holder_host = excluded.holder_host, pid = excluded.pid, created = excluded.created, "
      "backend_pid = excluded.backend_pid",
      {workspace, lock.id, lock.operation, lock.user, lock.host, std::to_string(lock.pid),
       std::to_string(EncodeTime(lock.created))});
}

Result<std::optional<int>> DeletePgLockRow(PgConnection& conn, const std::string& workspace,
                                           const std::string& lock_id) {
  Result<PgResult> rows = conn.Query(
      "DELETE FROM spotform_locks WHERE workspace = $1 AND id = $2 RETURNING backend_pid",
      {workspace, lock_id});
  if (!rows.ok()) return rows.error();
  if (rows->Rows() == 0) return std::optional<int>();
  return std::optional<int>(static_cast<int>(rows->Int(0, 0)));
}

Result<bool> TryAdvisoryLock(PgConnection& conn, int64_t key) {
  Result<int64_t> taken =
      conn.QueryInt("SELECT pg_try_advisory_lock($1::bigint)::int", {std::to_string(key)});
  if (!taken.ok()) return taken.error();
  return *taken == 1;
}

Status AdvisoryUnlock(PgConnection& conn, int64_t key) {
  return conn.Run("SELECT pg_advisory_unlock($1::bigint)", {std::to_string(key)});
}

Result<bool> BackendHoldsAdvisoryLock(PgConnection& conn, int backend_pid, int64_t key) {
  // A bigint key shows in pg_locks as classid (high 32 bits), objid (low), objsubid 1.
  Result<PgResult> rows = conn.Query(
      "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
      "AND pid = $1::integer AND database = (SELECT oid FROM pg_database "
      "WHERE datname = current_database()) "
      "AND ((classid::bigint << 32) | objid::bigint) = $2::bigint",
      {std::to_string(backend_pid), std::to_string(key)});
  if (!rows.ok()) return rows.error();
  return rows->Rows() > 0;
}

Result<bool> TerminateBackend(PgConnection& conn, int backend_pid) {
  Result<PgResult> rows = conn.Query("SELECT pg_terminate_backend($1::integer, 5000)::int",
                                     {std::to_string(backend_pid)});
  if (!rows.ok()) {
    // "permission denied to terminate process": this user may not end that session.
    if (rows.error().kind() == ErrorKind::kInternal) return false;
    return rows.error();
  }
  return rows->Rows() > 0 && rows->Int(0, 0) == 1;
}

}  // namespace spotform
