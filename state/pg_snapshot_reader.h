#pragma once

#include <string>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "state/pg_connection.h"

namespace spotform {

// Reads one workspace's whole state, inside the caller's (repeatable-read) transaction.
// A workspace without a spotform_states row reads as nullopt: never written.
Result<std::optional<StateSnapshot>> ReadPgSnapshot(PgConnection& conn,
                                                    const std::string& workspace,
                                                    const std::string& state_name);

}  // namespace spotform
