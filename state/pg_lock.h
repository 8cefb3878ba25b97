#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "state/pg_connection.h"

namespace spotform {

// A PostgreSQL state's locks are two things each:
//  - a row of spotform_locks saying who holds it (id, operation, user, host, pid, time, scope
//    and the holder's server process), which users see and force-unlock removes, and
//  - session-level advisory locks held by the holder's connection: a whole-state lock holds
//    PgStateLockKey(workspace) exclusively; an environment lock holds it shared, and each
//    of its environments' PgEnvironmentLockKey exclusively. So PostgreSQL itself keeps
//    conflicting scopes apart, and frees a holder's locks when its session ends, however it
//    died: a row whose advisory locks are free belongs to a dead holder and is taken over.
// The keys are the bigint form of pg_advisory_lock: 64 bits of SHA-256 of
// "spotform:" + workspace (and "/env:" + name). The two-int4 form (classid, objid) would
// leave only 32 bits; a full 64-bit hash makes a collision with another state, or with
// another program's small integer keys, practically impossible.
int64_t PgStateLockKey(const std::string& workspace);
int64_t PgEnvironmentLockKey(const std::string& workspace, const std::string& environment);

// The advisory locks one scope takes.
struct PgAdvisoryKeys {
  int64_t state_key = 0;
  bool state_exclusive = true;            // the whole state; else shared
  std::vector<int64_t> environment_keys;  // each exclusive
};
PgAdvisoryKeys PgAdvisoryKeysFor(const std::string& workspace, const LockScope& scope);

// Takes every advisory lock of `keys` on this session without waiting: true when all were
// taken; false (having let go of those it took) when one is held by another session.
Result<bool> TryAdvisoryLocks(PgConnection& conn, const PgAdvisoryKeys& keys);
Status ReleaseAdvisoryLocks(PgConnection& conn, const PgAdvisoryKeys& keys);

// Each of these runs in the caller's transaction (or alone, in autocommit).
// Every lock row of the workspace, oldest first. With `for_update`, the rows are locked for
// the caller's transaction (a fenced write's check: force-unlock's DELETE then waits for
// that write to commit or roll back).
Result<std::vector<LockInfo>> ReadPgLocks(PgConnection& conn, const std::string& workspace,
                                          const std::string& state_name, bool for_update = false);
// Records `lock`, held by this connection's session.
Status InsertPgLockRow(PgConnection& conn, const std::string& workspace, const LockInfo& lock);
// Deletes the row with `lock_id`: the holder's server process id, nullopt if not there.
Result<std::optional<int>> DeletePgLockRow(PgConnection& conn, const std::string& workspace,
                                           const std::string& lock_id);

// Whether server process `backend_pid` holds the session advisory lock `key` (either mode).
Result<bool> BackendHoldsAdvisoryLock(PgConnection& conn, int backend_pid, int64_t key);
// Ends server process `backend_pid` (waiting up to 5 s for it to go): false when this
// database user may not.
Result<bool> TerminateBackend(PgConnection& conn, int backend_pid);

}  // namespace spotform
