#pragma once

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "state/sqlite_handle.h"

namespace spotform {

// Reads a whole StateSnapshot from an SQLite state; the caller holds a read transaction so
// that every table is seen at one moment. Environments come in name order, pools and
// instances in the order they were first recorded, open intents oldest first.
Result<StateSnapshot> ReadSnapshot(SqliteDb& db);

}  // namespace spotform
