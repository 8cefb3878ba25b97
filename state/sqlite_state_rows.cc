#include "state/sqlite_state_rows.h"

#include "state/state_codec.h"

namespace spotform {
namespace {

// Runs `sql` with text parameters ?1, ?2, ...
template <typename... Texts>
Status Execute(SqliteDb& db, std::string_view sql, const Texts&... texts) {
  Result<SqliteStatement> statement = db.Prepare(sql);
  if (!statement.ok()) return statement.error();
  int index = 0;
  (statement->Bind(++index, std::string_view(texts)), ...);
  return statement->Run();
}

// Returns whether `sql` (with text parameters) yields a row.
template <typename... Texts>
Result<bool> Exists(SqliteDb& db, std::string_view sql, const Texts&... texts) {
  Result<SqliteStatement> statement = db.Prepare(sql);
  if (!statement.ok()) return statement.error();
  int index = 0;
  (statement->Bind(++index, std::string_view(texts)), ...);
  return statement->Step();
}

// Binds an instance's fields to ?3 .. ?10 (the same numbers in the insert and the update).
SqliteStatement& BindInstance(SqliteStatement& statement, const RecordedInstance& instance) {
  return statement.Bind(3, instance.id)
      .Bind(4, instance.node_id)
      .Bind(5, instance.zone)
      .Bind(6, instance.instance_type)
      .Bind(7, instance.state)
      .Bind(8, EncodeTime(instance.launch_time))
      .Bind(9, instance.client_token)
      .Bind(10, EncodeOrigin(instance.origin));
}

}  // namespace

Result<SqliteStatement*> SqliteStateRows::Kept(std::optional<SqliteStatement>& slot,
                                               std::string_view sql) {
  if (!slot.has_value()) {
    Result<SqliteStatement> prepared = db_.Prepare(sql);
    if (!prepared.ok()) return prepared.error();
    slot.emplace(std::move(*prepared));
  }
  slot->Reset();
  return &*slot;
}

Result<bool> SqliteStateRows::HasEnvironment(const std::string& name) {
  return Exists(db_, "SELECT 1 FROM environments WHERE name = ?1", name);
}

Status SqliteStateRows::PutEnvironment(const std::string& name, const std::string& applied_json) {
  return Execute(db_,
                 "INSERT INTO environments (name, applied) VALUES (?1, ?2) "
                 "ON CONFLICT (name) DO UPDATE SET applied = excluded.applied",
                 name, applied_json);
}

Status SqliteStateRows::DeleteEnvironment(const std::string& name) {
  for (std::string_view sql :
       {"DELETE FROM instances WHERE env = ?1", "DELETE FROM pools WHERE env = ?1",
        "DELETE FROM environments WHERE name = ?1"}) {
    Status deleted = Execute(db_, sql, name);
    if (!deleted.ok()) return deleted;
  }
  return Status::Ok();
}

Result<bool> SqliteStateRows::HasPool(const std::string& environment, const std::string& pool_id) {
  return Exists(db_, "SELECT 1 FROM pools WHERE env = ?1 AND id = ?2", environment, pool_id);
}

Status SqliteStateRows::PutPool(const std::string& environment, const Pool& pool,
                                const std::string& spec_json) {
  Result<SqliteStatement> upsert = db_.Prepare(
      "INSERT INTO pools (env, id, spec, batch_env_id, expected_count) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (env, id) DO UPDATE SET "
      "spec = excluded.spec, batch_env_id = excluded.batch_env_id, "
      "expected_count = excluded.expected_count");
  if (!upsert.ok()) return upsert.error();
  return upsert->Bind(1, environment)
      .Bind(2, pool.id)
      .Bind(3, spec_json)
      .Bind(4, pool.batch_env_id)
      .Bind(5, int64_t{pool.expected_count})
      .Run();
}

Status SqliteStateRows::DeletePool(const std::string& environment, const std::string& pool_id) {
  for (std::string_view sql : {"DELETE FROM instances WHERE env = ?1 AND pool = ?2",
                               "DELETE FROM pools WHERE env = ?1 AND id = ?2"}) {
    Status deleted = Execute(db_, sql, environment, pool_id);
    if (!deleted.ok()) return deleted;
  }
  return Status::Ok();
}

Status SqliteStateRows::SetExpectedCount(const std::string& environment, const std::string& pool_id,
                                         int count) {
  Result<SqliteStatement> update =
      db_.Prepare("UPDATE pools SET expected_count = ?3 WHERE env = ?1 AND id = ?2");
  if (!update.ok()) return update.error();
  return update->Bind(1, environment).Bind(2, pool_id).Bind(3, int64_t{count}).Run();
}

Result<std::optional<int64_t>> SqliteStateRows::FindInstance(const std::string& environment,
                                                             const std::string& pool_id,
                                                             const std::string& key, bool by_node) {
  Result<SqliteStatement*> find =
      by_node
          ? Kept(find_by_node_,
                 "SELECT seq FROM instances WHERE env = ?1 AND pool = ?2 AND node_id = ?3")
          : Kept(find_by_id_, "SELECT seq FROM instances WHERE env = ?1 AND pool = ?2 AND id = ?3");
  if (!find.ok()) return find.error();
  (*find)->Bind(1, environment).Bind(2, pool_id).Bind(3, key);
  Result<bool> row = (*find)->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*find)->ColumnInt(0));
}

Result<std::optional<std::string>> SqliteStateRows::EnvironmentRecording(
    const std::string& id, const std::string& environment) {
  Result<SqliteStatement*> find =
      Kept(find_elsewhere_, "SELECT env FROM instances WHERE id = ?1 AND env != ?2 LIMIT 1");
  if (!find.ok()) return find.error();
  (*find)->Bind(1, id).Bind(2, environment);
  Result<bool> row = (*find)->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>((*find)->ColumnText(0));
}

Status SqliteStateRows::InsertInstance(const std::string& environment, const std::string& pool_id,
                                       const RecordedInstance& instance) {
  Result<SqliteStatement*> insert = Kept(
      insert_instance_,
      "INSERT INTO instances (env, pool, id, node_id, zone, instance_type, state, launch_time, "
      "client_token, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!insert.ok()) return insert.error();
  (*insert)->Bind(1, environment).Bind(2, pool_id);
  return BindInstance(**insert, instance).Run();
}

Status SqliteStateRows::UpdateInstance(int64_t row, const RecordedInstance& instance) {
  // Numbered like the insert; ?2 is unused.
  Result<SqliteStatement*> update =
      Kept(update_instance_,
           "UPDATE instances SET id = ?3, node_id = ?4, zone = ?5, instance_type = ?6, state = ?7, "
           "launch_time = ?8, client_token = ?9, origin = ?10 WHERE seq = ?1");
  if (!update.ok()) return update.error();
  (*update)->Bind(1, row);
  return BindInstance(**update, instance).Run();
}

Status SqliteStateRows::DeleteInstances(const std::string& environment, const std::string& pool_id,
                                        const std::string& key) {
  return Execute(db_,
                 "DELETE FROM instances WHERE env = ?1 AND pool = ?2 AND (id = ?3 OR node_id = ?3)",
                 environment, pool_id, key);
}

Result<int64_t> SqliteStateRows::OpenIntent(const JournalEntry& entry, Clock::WallTime started) {
  Result<SqliteStatement> insert = db_.Prepare(
      "INSERT INTO journal (env, pool, kind, client_token, payload, started) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert.ok()) return insert.error();
  Status inserted = insert->Bind(1, entry.environment)
                        .Bind(2, entry.pool_id)
                        .Bind(3, entry.kind)
                        .Bind(4, entry.client_token)
                        .Bind(5, entry.payload)
                        .Bind(6, EncodeTime(started))
                        .Run();
  if (!inserted.ok()) return inserted.error();
  return db_.LastInsertRowId();
}

Status SqliteStateRows::RestoreIntent(const JournalEntry& entry) {
  // AUTOINCREMENT remembers the largest id, so later intents come after it.
  Result<SqliteStatement> insert = db_.Prepare(
      "INSERT INTO journal (id, env, pool, kind, client_token, payload, started) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return insert.error();
  return insert->Bind(1, entry.id)
      .Bind(2, entry.environment)
      .Bind(3, entry.pool_id)
      .Bind(4, entry.kind)
      .Bind(5, entry.client_token)
      .Bind(6, entry.payload)
      .Bind(7, EncodeTime(entry.started))
      .Run();
}

Result<bool> SqliteStateRows::CloseIntent(int64_t id, Clock::WallTime closed) {
  Result<SqliteStatement> close =
      db_.Prepare("UPDATE journal SET closed = ?2 WHERE id = ?1 AND closed IS NULL");
  if (!close.ok()) return close.error();
  Status ran = close->Bind(1, id).Bind(2, EncodeTime(closed)).Run();
  if (!ran.ok()) return ran.error();
  return db_.Changes() > 0;
}

Status SqliteStateRows::PutCandidateHold(const CandidateHold& hold) {
  Result<SqliteStatement> upsert = db_.Prepare(
      "INSERT INTO candidate_holds (zone, instance_type, kind, held_until) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (zone, instance_type, kind) DO UPDATE SET "
      "held_until = max(held_until, excluded.held_until)");
  if (!upsert.ok()) return upsert.error();
  return upsert->Bind(1, hold.zone)
      .Bind(2, hold.instance_type)
      .Bind(3, EncodeHoldKind(hold.kind))
      .Bind(4, EncodeTime(hold.until))
      .Run();
}

Status SqliteStateRows::PruneCandidateHolds(Clock::WallTime now) {
  Result<SqliteStatement> prune = db_.Prepare("DELETE FROM candidate_holds WHERE held_until <= ?1");
  if (!prune.ok()) return prune.error();
  return prune->Bind(1, EncodeTime(now)).Run();
}

Status SqliteStateRows::SetEnvironmentSerial(const std::string& name, int64_t serial) {
  return Execute(db_,
                 "INSERT INTO environment_serials (name, serial) VALUES (?1, CAST(?2 AS INTEGER)) "
                 "ON CONFLICT (name) DO UPDATE SET serial = excluded.serial",
                 name, std::to_string(serial));
}

Status SqliteStateRows::SetAllEnvironmentSerials(int64_t serial) {
  return Execute(db_, "UPDATE environment_serials SET serial = CAST(?1 AS INTEGER)",
                 std::to_string(serial));
}

Status SqliteStateRows::ClearRecords() {
  return db_.Exec(
      "DELETE FROM instances; DELETE FROM pools; DELETE FROM environments; "
      "DELETE FROM journal; DELETE FROM candidate_holds");
}

Result<int64_t> SqliteStateRows::BumpSerial() {
  return db_.QueryInt(
      "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'serial' "
      "RETURNING CAST(value AS INTEGER)");
}

Status SqliteStateRows::SetIdentity(const std::string& lineage, int64_t serial) {
  Status lineage_set = Execute(db_, "UPDATE meta SET value = ?1 WHERE key = 'lineage'", lineage);
  if (!lineage_set.ok()) return lineage_set;
  return Execute(db_, "UPDATE meta SET value = ?1 WHERE key = 'serial'", std::to_string(serial));
}

}  // namespace spotform
