#pragma once

#include <optional>
#include <string>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "state/sqlite_handle.h"

namespace spotform {

// The state_lock table: at most one row, the writer lock's holder. Each call runs inside the
// caller's transaction; the store decides when to begin and commit.
Result<std::optional<LockInfo>> ReadStateLock(SqliteDb& db);
// Inserts the row; fails (kConflict) if a row already exists.
Status InsertStateLock(SqliteDb& db, const LockInfo& lock);
// Deletes the lock with `lock_id`: true if it was there.
Result<bool> DeleteStateLock(SqliteDb& db, const std::string& lock_id);

}  // namespace spotform
