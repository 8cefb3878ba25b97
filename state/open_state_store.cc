#include "state/open_state_store.h"

#include <filesystem>

#include "state/pg_state_store.h"
#include "state/sqlite_state_store.h"

namespace spotform {

Result<std::unique_ptr<StateStore>> OpenStateStore(const StateConfig& settings, Clock& clock) {
  if (settings.backend == "postgres") {
    Result<std::unique_ptr<PgStateStore>> store =
        OpenPgStateStore(settings.url, settings.workspace, clock);
    if (!store.ok()) return store.error();
    return std::unique_ptr<StateStore>(std::move(store.value()));
  }
  if (settings.backend != "sqlite") {
    return Error(ErrorKind::kInvalidInput,
                 "state backend \"" + settings.backend + "\" is not available");
  }
  Result<std::unique_ptr<SqliteStateStore>> store = OpenSqliteStateStore(settings.path, clock);
  if (!store.ok()) return store.error();
  return std::unique_ptr<StateStore>(std::move(store.value()));
}

StateConfig StateSettingsFor(const std::string& destination, const std::string& workspace,
                             const std::string& base_folder) {
  StateConfig settings;
  settings.workspace = workspace;
  if (destination.rfind("postgres://", 0) == 0 || destination.rfind("postgresql://", 0) == 0) {
    settings.backend = "postgres";
    settings.url = destination;
    return settings;
  }
  settings.backend = "sqlite";
  std::filesystem::path path(destination);
  if (path.is_relative()) path = std::filesystem::path(base_folder) / path;
  settings.path = path.lexically_normal().string();
  return settings;
}

}  // namespace spotform
