#pragma once

#include <string>
#include <vector>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "state/sqlite_handle.h"

namespace spotform {

// The state_locks table: one row per lock held, with what it covers (LockScope). Each call
// runs inside the caller's transaction; the store decides when to begin and commit, and
// checks conflicts between scopes itself.
// Every lock held, oldest first; a row whose scope cannot be read is an error naming it.
Result<std::vector<LockInfo>> ReadStateLocks(SqliteDb& db);
Status InsertStateLock(SqliteDb& db, const LockInfo& lock);
// Deletes the lock with `lock_id`: true if it was there.
Result<bool> DeleteStateLock(SqliteDb& db, const std::string& lock_id);

}  // namespace spotform
