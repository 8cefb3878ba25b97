#include "state/pg_lock.h"

#include "state/state_codec.h"

namespace spotform {

int64_t PgStateLockKey(const std::string& workspace) {
  return AdvisoryLockKey("spotform:" + workspace);
}

int64_t PgEnvironmentLockKey(const std::string& workspace, const std::string& environment) {
  return AdvisoryLockKey("spotform:" + workspace + "/env:" + environment);
}

PgAdvisoryKeys PgAdvisoryKeysFor(const std::string& workspace, const LockScope& scope) {
  PgAdvisoryKeys keys;
  keys.state_key = PgStateLockKey(workspace);
  keys.state_exclusive = scope.whole_state();
  for (const std::string& name : scope.environments()) {
    keys.environment_keys.push_back(PgEnvironmentLockKey(workspace, name));
  }
  return keys;
}

namespace {

Result<bool> TryOne(PgConnection& conn, int64_t key, bool exclusive) {
  Result<int64_t> taken =
      conn.QueryInt(exclusive ? "SELECT pg_try_advisory_lock($1::bigint)::int"
                              : "SELECT pg_try_advisory_lock_shared($1::bigint)::int",
                    {std::to_string(key)});
  if (!taken.ok()) return taken.error();
  return *taken == 1;
}

Status ReleaseOne(PgConnection& conn, int64_t key, bool exclusive) {
  return conn.Run(exclusive ? "SELECT pg_advisory_unlock($1::bigint)"
                            : "SELECT pg_advisory_unlock_shared($1::bigint)",
                  {std::to_string(key)});
}

}  // namespace

Result<bool> TryAdvisoryLocks(PgConnection& conn, const PgAdvisoryKeys& keys) {
  Result<bool> state = TryOne(conn, keys.state_key, keys.state_exclusive);
  if (!state.ok() || !*state) return state;
  for (size_t i = 0; i < keys.environment_keys.size(); ++i) {
    Result<bool> taken = TryOne(conn, keys.environment_keys[i], /*exclusive=*/true);
    if (taken.ok() && *taken) continue;
    for (size_t j = 0; j < i; ++j) (void)ReleaseOne(conn, keys.environment_keys[j], true);
    (void)ReleaseOne(conn, keys.state_key, keys.state_exclusive);
    return taken;
  }
  return true;
}

Status ReleaseAdvisoryLocks(PgConnection& conn, const PgAdvisoryKeys& keys) {
  Status released = Status::Ok();
  for (int64_t key : keys.environment_keys) {
    Status one = ReleaseOne(conn, key, /*exclusive=*/true);
    if (released.ok() && !one.ok()) released = one;
  }
  Status state = ReleaseOne(conn, keys.state_key, keys.state_exclusive);
  if (released.ok() && !state.ok()) released = state;
  return released;
}

Result<std::vector<LockInfo>> ReadPgLocks(PgConnection& conn, const std::string& workspace,
                                          const std::string& state_name, bool for_update) {
  Result<PgResult> rows =
      conn.Query(std::string("SELECT id, operation, holder_user, holder_host, pid, created, scope "
                             "FROM spotform_locks WHERE workspace = $1 ORDER BY created, id") +
                     (for_update ? " FOR UPDATE" : ""),
                 {workspace});
  if (!rows.ok()) return rows.error();
  std::vector<LockInfo> locks;
  for (int i = 0; i < rows->Rows(); ++i) {
    LockInfo lock;
    lock.id = rows->Text(i, 0);
    lock.operation = rows->Text(i, 1);
    lock.user = rows->Text(i, 2);
    lock.host = rows->Text(i, 3);
    lock.pid = rows->Int(i, 4);
    lock.created = DecodeTime(rows->Int(i, 5));
    if (!LockScope::Decode(rows->Text(i, 6), lock.scope)) {
      return Error(ErrorKind::kInvalidInput,
                   "state " + state_name + " is corrupt: lock ID " + lock.id +
                       " has an unreadable scope; remove it with `spotform force-unlock " +
                       lock.id + "`");
    }
    locks.push_back(std::move(lock));
  }
  return locks;
}

Status InsertPgLockRow(PgConnection& conn, const std::string& workspace, const LockInfo& lock) {
  return conn.Run(
      "INSERT INTO spotform_locks (workspace, id, operation, holder_user, holder_host, pid, "
      "created, backend_pid, scope) VALUES ($1, $2, $3, $4, $5, $6::bigint, $7::bigint, "
      "pg_backend_pid(), $8)",
      {workspace, lock.id, lock.operation, lock.user, lock.host, std::to_string(lock.pid),
       std::to_string(EncodeTime(lock.created)), lock.scope.Encode()});
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
