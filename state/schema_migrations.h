#pragma once

#include <string>
#include <string_view>

#include "engine/model/result.h"
#include "state/sqlite_handle.h"

namespace spotform {

// The SQLite state schema and its forward migrations. Step i (kMigrationSteps[i]) brings a
// state from schema i to i + 1; a new state runs every step. A state's meta table holds the
// format marker, the schema version, the lineage and the serial (key/value rows, so a newer
// spotform can add keys an older one can still read past to its version check).

inline constexpr std::string_view kStateFormatMarker = "spotform-state";
inline constexpr int kStateSchemaVersion = 4;

// Creates the current schema in an empty database with `lineage` and serial 0. The caller
// holds a write transaction.
Status CreateStateSchema(SqliteDb& db, const std::string& lineage);

// Checks that `db` is a spotform state this version can use and migrates an older schema
// forward (in its own write transaction). Refuses, without writing anything, a database
// without the marker ("not a spotform state") and one from a newer spotform.
Status CheckAndMigrateState(SqliteDb& db);

// True when the database has no tables at all (a brand-new or zero-length file).
Result<bool> IsEmptyDatabase(SqliteDb& db);

}  // namespace spotform
