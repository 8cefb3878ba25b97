#include "state/pg_schema.h"

#include <array>
#include <string>
#include <string_view>

namespace spotform {
namespace {

// Schema 1: the layout of the SQLite state's schema 2, with a workspace column everywhere;
// spotform_states holds each workspace's lineage, serial and last intent id.
constexpr std::string_view kPgSchemaV1 = R"sql(
CREATE TABLE spotform_states (
  workspace TEXT PRIMARY KEY,
  lineage TEXT NOT NULL,
  serial BIGINT NOT NULL DEFAULT 0,
  last_intent_id BIGINT NOT NULL DEFAULT 0);
CREATE TABLE spotform_environments (
  workspace TEXT NOT NULL REFERENCES spotform_states(workspace),
  name TEXT NOT NULL,
  applied TEXT NOT NULL,
  PRIMARY KEY (workspace, name));
CREATE TABLE spotform_pools (
  seq BIGSERIAL UNIQUE,
  workspace TEXT NOT NULL,
  env TEXT NOT NULL,
  id TEXT NOT NULL,
  spec TEXT NOT NULL,
  batch_env_id TEXT NOT NULL DEFAULT '',
  expected_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace, env, id),
  FOREIGN KEY (workspace, env) REFERENCES spotform_environments(workspace, name)
    ON DELETE CASCADE);
CREATE TABLE spotform_instances (
  seq BIGSERIAL PRIMARY KEY,
  workspace TEXT NOT NULL,
  env TEXT NOT NULL,
  pool TEXT NOT NULL,
  id TEXT NOT NULL DEFAULT '',
  node_id TEXT NOT NULL DEFAULT '',
  zone TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  state TEXT NOT NULL,
  launch_time BIGINT NOT NULL,
  client_token TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT 'created',
  FOREIGN KEY (workspace, env, pool) REFERENCES spotform_pools(workspace, env, id)
    ON DELETE CASCADE);
CREATE INDEX spotform_instances_by_id ON spotform_instances(workspace, env, pool, id);
CREATE INDEX spotform_instances_by_node ON spotform_instances(workspace, env, pool, node_id);
CREATE TABLE spotform_journal (
  workspace TEXT NOT NULL REFERENCES spotform_states(workspace),
  id BIGINT NOT NULL,
  env TEXT NOT NULL,
  pool TEXT NOT NULL,
  kind TEXT NOT NULL,
  client_token TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL DEFAULT '',
  started BIGINT NOT NULL,
  closed BIGINT,
  PRIMARY KEY (workspace, id));
CREATE INDEX spotform_journal_open ON spotform_journal(workspace, id) WHERE closed IS NULL;
CREATE TABLE spotform_locks (
  workspace TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  operation TEXT NOT NULL,
  holder_user TEXT NOT NULL,
  holder_host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  created BIGINT NOT NULL,
  backend_pid INTEGER NOT NULL);
)sql";

// Schema 2: holds on fallback candidates (spec §3), per workspace (the SQLite state's
// schema 3).
constexpr std::string_view kPgSchemaV2 = R"sql(
CREATE TABLE spotform_candidate_holds (
  workspace TEXT NOT NULL REFERENCES spotform_states(workspace),
  zone TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  kind TEXT NOT NULL,
  held_until BIGINT NOT NULL,
  PRIMARY KEY (workspace, zone, instance_type, kind));
)sql";

// Schema 3 (issue 16; the SQLite state's schema 4): locks per environment, any number per
// workspace, each with its scope ("*" for the whole state, else the environment names joined
// by ","); and each environment's serial, kept after it is removed.
constexpr std::string_view kPgSchemaV3 = R"sql(
ALTER TABLE spotform_locks ADD COLUMN scope TEXT NOT NULL DEFAULT '*';
ALTER TABLE spotform_locks ALTER COLUMN scope DROP DEFAULT;
ALTER TABLE spotform_locks DROP CONSTRAINT spotform_locks_pkey;
ALTER TABLE spotform_locks ADD PRIMARY KEY (workspace, id);
CREATE INDEX spotform_instances_by_instance_id ON spotform_instances(workspace, id);
CREATE TABLE spotform_environment_serials (
  workspace TEXT NOT NULL REFERENCES spotform_states(workspace),
  name TEXT NOT NULL,
  serial BIGINT NOT NULL,
  PRIMARY KEY (workspace, name));
INSERT INTO spotform_environment_serials (workspace, name, serial)
  SELECT e.workspace, e.name, s.serial FROM spotform_environments e
  JOIN spotform_states s ON s.workspace = e.workspace;
)sql";

constexpr std::array<std::string_view, kPgSchemaVersion> kPgMigrationSteps = {
    kPgSchemaV1, kPgSchemaV2, kPgSchemaV3};

}  // namespace

Status EnsurePgSchema(PgConnection& conn) {
  Result<PgTransaction> transaction = PgTransaction::Begin(conn);
  if (!transaction.ok()) return transaction.error();
  // One first user at a time; the key is spotform's own, like the state locks' keys.
  Status serialized = conn.Run("SELECT pg_advisory_xact_lock($1::bigint)",
                               {std::to_string(AdvisoryLockKey("spotform:schema"))});
  if (!serialized.ok()) return serialized;
  Status table = conn.Run("CREATE TABLE IF NOT EXISTS spotform_schema (version INTEGER NOT NULL)");
  if (!table.ok()) return table;
  Result<int64_t> version = conn.QueryInt("SELECT coalesce(max(version), 0) FROM spotform_schema");
  if (!version.ok()) return version.error();
  if (*version > kPgSchemaVersion) {
    return Error(ErrorKind::kInvalidInput,
                 "state database " + conn.name() + " was written by a newer spotform (schema " +
                     std::to_string(*version) + " > " + std::to_string(kPgSchemaVersion) +
                     "); upgrade spotform");
  }
  if (*version == kPgSchemaVersion) return transaction->Commit();
  for (int64_t step = *version; step < kPgSchemaVersion; ++step) {
    Status ran = conn.RunScript(kPgMigrationSteps[step]);
    if (!ran.ok()) return ran;
  }
  Status recorded = conn.Run("DELETE FROM spotform_schema");
  if (!recorded.ok()) return recorded;
  recorded = conn.Run("INSERT INTO spotform_schema (version) VALUES ($1::integer)",
                      {std::to_string(kPgSchemaVersion)});
  if (!recorded.ok()) return recorded;
  return transaction->Commit();
}

}  // namespace spotform
