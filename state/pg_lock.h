#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "state/pg_connection.h"

namespace spotform {

// A PostgreSQL state's writer lock is two things, both keyed by the workspace:
//  - a row of spotform_locks saying who holds it (id, operation, user, host, pid, time, and
//    the holder's server process), which users see and force-unlock removes, and
//  - a session-level advisory lock on PgStateLockKey(workspace), held by the holder's
//    connection. PostgreSQL frees it when that session ends, however the holder died, so a
//    row whose advisory lock is free belongs to a dead holder and is taken over.
// The key is the bigint form of pg_advisory_lock: 64 bits of SHA-256("spotform:" +
// workspace). The two-int4 form (classid, objid) would leave only 32 bits for the
// workspace; a full 64-bit hash makes a collision with another state, or with another
// program's small integer keys, practically impossible.
int64_t PgStateLockKey(const std::string& workspace);

// The lock row as stored, with the holder's server process id.
struct PgLockRow {
  LockInfo info;
  int backend_pid = 0;
};

// Each of these runs in the caller's transaction (or alone, in autocommit).
// With `for_update`, the row is locked for the caller's transaction (a fenced write's check:
// force-unlock's DELETE then waits for that write to commit or roll back).
Result<std::optional<PgLockRow>> ReadPgLockRow(PgConnection& conn, const std::string& workspace,
                                               bool for_update = false);
// Replaces any row (a dead holder's) with `lock`, held by this connection's session.
Status WritePgLockRow(PgConnection& conn, const std::string& workspace, const LockInfo& lock);
// Deletes the row with `lock_id`: the holder's server process id, nullopt if not there.
Result<std::optional<int>> DeletePgLockRow(PgConnection& conn, const std::string& workspace,
                                           const std::string& lock_id);

// pg_try_advisory_lock on this session: true when taken (again, if already held here).
Result<bool> TryAdvisoryLock(PgConnection& conn, int64_t key);
Status AdvisoryUnlock(PgConnection& conn, int64_t key);
// Whether server process `backend_pid` holds the session advisory lock `key`.
Result<bool> BackendHoldsAdvisoryLock(PgConnection& conn, int backend_pid, int64_t key);
// Ends server process `backend_pid` (waiting up to 5 s for it to go): false when this
// database user may not.
Result<bool> TerminateBackend(PgConnection& conn, int backend_pid);

}  // namespace spotform
