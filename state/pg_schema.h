#pragma once

#include "engine/model/result.h"
#include "state/pg_connection.h"

namespace spotform {

// The PostgreSQL state schema and its forward migrations. One database holds any number of
// states, one per workspace: every table is keyed by the workspace. The spotform_schema
// table holds the schema version; step i brings the database from version i to i + 1.
inline constexpr int kPgSchemaVersion = 3;

// Creates or migrates the schema, in one transaction under an advisory transaction lock (so
// two first users do not race). Refuses, changing nothing, a database whose schema a newer
// spotform wrote.
Status EnsurePgSchema(PgConnection& conn);

}  // namespace spotform
