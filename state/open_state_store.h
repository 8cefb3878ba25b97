#pragma once

#include <memory>

#include "engine/config/config.h"
#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "engine/model/state_store.h"

namespace spotform {

// Opens the state store a config's `state:` section names: the SQLite file at
// settings.path, or workspace settings.workspace of the PostgreSQL database at
// settings.url. The only place that knows both backends. The clock, owned by the caller,
// must outlive the store.
Result<std::unique_ptr<StateStore>> OpenStateStore(const StateConfig& settings, Clock& clock);

// Settings for a `spotform state migrate --to` destination: a postgres:// or postgresql://
// URL (its workspace `workspace`), or else an SQLite file path, relative to `base_folder`.
StateConfig StateSettingsFor(const std::string& destination, const std::string& workspace,
                             const std::string& base_folder);

}  // namespace spotform
