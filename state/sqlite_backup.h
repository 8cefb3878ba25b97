#pragma once

#include <optional>
#include <string>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "engine/model/state_store.h"
#include "state/sqlite_handle.h"

namespace spotform {

// The SQLite state's backup: a whole copy of the state file, made with SQLite's online backup
// API, kept beside it as STATE.backup (mode 0600). Free functions; the SqliteStateStore
// decides when to take one.

// "STATE.backup": where the backup of the state at `state_path` is kept.
std::string SqliteBackupPath(const std::string& state_path);

// Copies the last committed state of the file at `state_path` (through a connection of its
// own) into a new file `temp_path` (mode 0600, replacing any left over). Called inside the
// caller's write transaction, before it writes, the copy is the state that write changes.
// The copy becomes the backup only when CommitSqliteBackup renames it.
Status StageSqliteBackup(const std::string& state_path, const std::string& temp_path);
// Renames the staged copy over the backup (atomic: the old backup or the new one).
Status CommitSqliteBackup(const std::string& temp_path, const std::string& backup_path);
// Removes a staged copy that is not to become the backup.
void DropSqliteBackup(const std::string& temp_path);

// The backup at `backup_path`, read whole; nullopt when there is none.
Result<std::optional<StateSnapshot>> ReadSqliteBackup(const std::string& backup_path);

// What the backup at `backup_path` holds, for messages; nullopt when there is none or it
// cannot be read.
std::optional<StateBackupInfo> DescribeSqliteBackup(const std::string& backup_path);

// The end of a "state file ... is corrupt" message: how to bring the state back, naming the
// backup that exists (path and serial) or saying that none does.
std::string SqliteRestoreAdvice(const std::string& state_path);

}  // namespace spotform
