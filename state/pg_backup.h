#pragma once

#include <optional>
#include <string>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "engine/model/state_store.h"
#include "state/pg_connection.h"

namespace spotform {

// The PostgreSQL state's backup: the previous serial of workspace W is kept, whole, as the
// rows of the hidden workspace "W~backup" (a name no configured workspace can take: `~` is
// not allowed in one), in the same tables. Written in the transaction of the write it
// precedes, so the backup and the state always move together. Free functions; PgStateStore
// decides when.

// "W~backup".
std::string PgBackupWorkspace(const std::string& workspace);

// "the previous serial N in workspace W": where a restore comes from, for messages.
std::string PgBackupWhere(const std::string& workspace, int64_t serial);

// Replaces the backup of `workspace` with `snapshot` (every record, open intent, lineage and
// serial), inside the caller's transaction.
Status KeepPgBackup(PgConnection& conn, const std::string& workspace, const StateSnapshot& snapshot,
                    const Clock& clock);

// The backup of `workspace`, inside the caller's transaction; nullopt when there is none.
Result<std::optional<StateSnapshot>> ReadPgBackup(PgConnection& conn, const std::string& workspace,
                                                  const std::string& state_name);

// The end of a "state ... is corrupt" message for `workspace`: the backup to restore (its
// serial, `spotform state restore --backup`), or that there is none.
std::string PgRestoreAdvice(PgConnection& conn, const std::string& workspace);

}  // namespace spotform
