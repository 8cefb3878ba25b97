#include "state/schema_migrations.h"

#include <array>
#include <charconv>

#include "state/sqlite_backup.h"
#include "state/sqlite_transaction.h"

namespace spotform {
namespace {

// Schema 1: the first released layout.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE environments (name TEXT PRIMARY KEY, applied TEXT NOT NULL);
CREATE TABLE pools (
  env TEXT NOT NULL REFERENCES environments(name) ON DELETE CASCADE,
  id TEXT NOT NULL,
  spec TEXT NOT NULL,
  batch_env_id TEXT NOT NULL DEFAULT '',
  expected_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (env, id));
CREATE TABLE instances (
  seq INTEGER PRIMARY KEY,
  env TEXT NOT NULL,
  pool TEXT NOT NULL,
  id TEXT NOT NULL DEFAULT '',
  node_id TEXT NOT NULL DEFAULT '',
  zone TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  state TEXT NOT NULL,
  launch_time INTEGER NOT NULL,
  client_token TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (env, pool) REFERENCES pools(env, id) ON DELETE CASCADE);
CREATE INDEX instances_by_pool ON instances(env, pool);
CREATE TABLE journal (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  env TEXT NOT NULL,
  pool TEXT NOT NULL,
  kind TEXT NOT NULL,
  client_token TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL DEFAULT '',
  started INTEGER NOT NULL,
  closed INTEGER);
CREATE TABLE state_lock (
  slot INTEGER PRIMARY KEY CHECK (slot = 1),
  id TEXT NOT NULL,
  operation TEXT NOT NULL,
  holder_user TEXT NOT NULL,
  holder_host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  created INTEGER NOT NULL);
)sql";

// Schema 2: instances remember whether spotform launched or imported them; lookups by id and
// node id, and the open intents, are indexed.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE instances ADD COLUMN origin TEXT NOT NULL DEFAULT 'created';
DROP INDEX instances_by_pool;
CREATE INDEX instances_by_id ON instances(env, pool, id);
CREATE INDEX instances_by_node ON instances(env, pool, node_id);
CREATE INDEX journal_open ON journal(closed, id);
)sql";

// Schema 3: holds on fallback candidates (spec §3), shared by every run of the state.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE candidate_holds (
  zone TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  kind TEXT NOT NULL,
  held_until INTEGER NOT NULL,
  PRIMARY KEY (zone, instance_type, kind));
)sql";

// Schema 4 (issue 16): locks per environment, so teams sharing one state do not wait for
// each other: any number of lock rows, each with its scope ("*" for the whole state, else
// the environment names joined by ","); a lock held at migration covered the whole state.
// And each environment's serial: that of the last write touching it, kept after the
// environment is removed, so that a saved plan is stale only when what it touches moved on.
// Instances are indexed by id: a write checks that no other environment records the id.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE state_locks (
  id TEXT PRIMARY KEY,
  operation TEXT NOT NULL,
  holder_user TEXT NOT NULL,
  holder_host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  created INTEGER NOT NULL,
  scope TEXT NOT NULL);
INSERT INTO state_locks (id, operation, holder_user, holder_host, pid, created, scope)
  SELECT id, operation, holder_user, holder_host, pid, created, '*' FROM state_lock;
DROP TABLE state_lock;
CREATE TABLE environment_serials (name TEXT PRIMARY KEY, serial INTEGER NOT NULL);
CREATE INDEX instances_by_instance_id ON instances(id);
INSERT INTO environment_serials (name, serial)
  SELECT name, (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'serial') FROM environments;
)sql";

constexpr std::array<std::string_view, kStateSchemaVersion> kMigrationSteps = {
    kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4};

Error NotSpotformState(const std::string& path) {
  return Error(ErrorKind::kInvalidInput,
               "state file " + path +
                   " is not a spotform state (an SQLite database without the spotform "
                   "marker); refusing to use it");
}

Status SetMeta(SqliteDb& db, std::string_view key, std::string_view value) {
  Result<SqliteStatement> statement = db.Prepare(
      "INSERT INTO meta (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!statement.ok()) return statement.error();
  return statement->Bind(1, key).Bind(2, value).Run();
}

Status RunSteps(SqliteDb& db, int from) {
  for (int step = from; step < kStateSchemaVersion; ++step) {
    Status ran = db.Exec(std::string(kMigrationSteps[step]));
    if (!ran.ok()) return ran;
  }
  return SetMeta(db, "schema_version", std::to_string(kStateSchemaVersion));
}

// Reads the marker and schema version; any failure other than corruption means the database
// is not ours (e.g. a foreign "meta" table with other columns).
Result<int> ReadSchemaVersion(SqliteDb& db) {
  Result<std::optional<std::string>> has_meta =
      db.QueryText("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (!has_meta.ok()) return has_meta.error();
  if (!has_meta->has_value()) return NotSpotformState(db.path());
  Result<std::optional<std::string>> marker =
      db.QueryText("SELECT value FROM meta WHERE key = 'format'");
  if (!marker.ok()) {
    if (marker.error().kind() == ErrorKind::kInternal) return NotSpotformState(db.path());
    return marker.error();
  }
  if (marker->value_or("") != kStateFormatMarker) {
    return NotSpotformState(db.path());
  }
  Result<std::optional<std::string>> version =
      db.QueryText("SELECT value FROM meta WHERE key = 'schema_version'");
  if (!version.ok()) return version.error();
  int number = 0;
  const std::string text = version->value_or("");
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || number < 1) {
    return Error(ErrorKind::kInvalidInput, "state file " + db.path() +
                                               " is corrupt (schema version \"" + text + "\"); " +
                                               SqliteRestoreAdvice(db.path()));
  }
  return number;
}

Status CheckNotNewer(const SqliteDb& db, int version) {
  if (version <= kStateSchemaVersion) return Status::Ok();
  return Error(ErrorKind::kInvalidInput,
               "state file " + db.path() + " was written by a newer spotform (schema " +
                   std::to_string(version) + " > " + std::to_string(kStateSchemaVersion) +
                   "); upgrade spotform");
}

}  // namespace

Status CreateStateSchema(SqliteDb& db, const std::string& lineage) {
  Status created = RunSteps(db, 0);
  if (!created.ok()) return created;
  for (const auto& [key, value] :
       {std::pair<std::string_view, std::string_view>{"format", kStateFormatMarker},
        {"lineage", lineage},
        {"serial", "0"}}) {
    Status set = SetMeta(db, key, value);
    if (!set.ok()) return set;
  }
  return Status::Ok();
}

Status CheckAndMigrateState(SqliteDb& db) {
  Result<int> version = ReadSchemaVersion(db);
  if (!version.ok()) return version.error();
  Status usable = CheckNotNewer(db, *version);
  if (!usable.ok()) return usable;
  if (*version == kStateSchemaVersion) return Status::Ok();

  Result<SqliteTransaction> transaction =
      SqliteTransaction::Begin(db, SqliteTransaction::Kind::kWrite);
  if (!transaction.ok()) return transaction.error();
  // Another process may have migrated between the check and the transaction.
  Result<int> locked_version = ReadSchemaVersion(db);
  if (!locked_version.ok()) return locked_version.error();
  Status still_usable = CheckNotNewer(db, *locked_version);
  if (!still_usable.ok()) return still_usable;
  Status migrated = RunSteps(db, *locked_version);
  if (!migrated.ok()) return migrated;
  return transaction->Commit();
}

Result<bool> IsEmptyDatabase(SqliteDb& db) {
  Result<int64_t> tables = db.QueryInt("SELECT count(*) FROM sqlite_master");
  if (!tables.ok()) return tables.error();
  return *tables == 0;
}

}  // namespace spotform
