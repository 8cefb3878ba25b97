#include "state/state_edit_writer.h"

#include "state/state_codec.h"

namespace spotform {
namespace {

// Runs `sql` with text parameters ?1, ?2, ... and returns the number of rows it changed.
template <typename... Texts>
Result<int64_t> Execute(SqliteDb& db, std::string_view sql, const Texts&... texts) {
  Result<SqliteStatement> statement = db.Prepare(sql);
  if (!statement.ok()) return statement.error();
  int index = 0;
  (statement->Bind(++index, texts), ...);
  Status ran = statement->Run();
  if (!ran.ok()) return ran.error();
  return db.Changes();
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

}  // namespace

Result<ApplyOutcome> StateEditWriter::Write(const StateEdit& edit) {
  outcome_ = ApplyOutcome();
  for (const StateEdit::Op& op : edit.ops()) {
    Status applied = std::visit(*this, op);
    if (!applied.ok()) return applied.error();
  }
  Result<int64_t> serial = db_.QueryInt(
      "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'serial' "
      "RETURNING CAST(value AS INTEGER)");
  if (!serial.ok()) return serial.error();
  outcome_.serial = *serial;
  return outcome_;
}

Status StateEditWriter::RequireEnvironment(const std::string& name) {
  Result<bool> found = Exists(db_, "SELECT 1 FROM environments WHERE name = ?1", name);
  if (!found.ok()) return found.error();
  if (!*found) return Error(ErrorKind::kNotFound, "env." + name + " is not in the state");
  return Status::Ok();
}

Status StateEditWriter::RequirePool(const std::string& environment, const std::string& pool_id) {
  Status environment_found = RequireEnvironment(environment);
  if (!environment_found.ok()) return environment_found;
  Result<bool> found =
      Exists(db_, "SELECT 1 FROM pools WHERE env = ?1 AND id = ?2", environment, pool_id);
  if (!found.ok()) return found.error();
  if (!*found) {
    return Error(ErrorKind::kNotFound,
                 "pool " + pool_id + " of env." + environment + " is not in the state");
  }
  return Status::Ok();
}

Status StateEditWriter::operator()(const StateEdit::PutEnvironment& op) {
  if (op.applied.name.empty()) {
    return Error(ErrorKind::kInvalidInput, "an environment to record has no name");
  }
  Result<int64_t> changed = Execute(db_,
                                    "INSERT INTO environments (name, applied) VALUES (?1, ?2) "
                                    "ON CONFLICT (name) DO UPDATE SET applied = excluded.applied",
                                    op.applied.name, EncodeSpec(op.applied));
  return changed.ok() ? Status::Ok() : Status(changed.error());
}

Status StateEditWriter::operator()(const StateEdit::RemoveEnvironment& op) {
  Status found = RequireEnvironment(op.name);
  if (!found.ok()) return found;
  for (std::string_view sql :
       {"DELETE FROM instances WHERE env = ?1", "DELETE FROM pools WHERE env = ?1",
        "DELETE FROM environments WHERE name = ?1"}) {
    Result<int64_t> changed = Execute(db_, sql, op.name);
    if (!changed.ok()) return changed.error();
  }
  return Status::Ok();
}

Status StateEditWriter::operator()(const StateEdit::PutPool& op) {
  Status found = RequireEnvironment(op.environment);
  if (!found.ok()) return found;
  if (op.pool.id.empty()) {
    return Error(ErrorKind::kInvalidInput,
                 "a pool to record in env." + op.environment + " has no id");
  }
  Result<SqliteStatement> upsert = db_.Prepare(
      "INSERT INTO pools (env, id, spec, batch_env_id, expected_count) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (env, id) DO UPDATE SET "
      "spec = excluded.spec, batch_env_id = excluded.batch_env_id, "
      "expected_count = excluded.expected_count");
  if (!upsert.ok()) return upsert.error();
  Status stored = upsert->Bind(1, op.environment)
                      .Bind(2, op.pool.id)
                      .Bind(3, EncodeSpec(op.pool.spec))
                      .Bind(4, op.pool.batch_env_id)
                      .Bind(5, int64_t{op.pool.expected_count})
                      .Run();
  if (!stored.ok()) return stored;
  return UpsertInstances(op.environment, op.pool.id, op.pool.instances);
}

Status StateEditWriter::operator()(const StateEdit::RemovePool& op) {
  Status found = RequirePool(op.environment, op.pool_id);
  if (!found.ok()) return found;
  for (std::string_view sql : {"DELETE FROM instances WHERE env = ?1 AND pool = ?2",
                               "DELETE FROM pools WHERE env = ?1 AND id = ?2"}) {
    Result<int64_t> changed = Execute(db_, sql, op.environment, op.pool_id);
    if (!changed.ok()) return changed.error();
  }
  return Status::Ok();
}

Status StateEditWriter::operator()(const StateEdit::SetExpectedCount& op) {
  Status found = RequirePool(op.environment, op.pool_id);
  if (!found.ok()) return found;
  Result<SqliteStatement> update =
      db_.Prepare("UPDATE pools SET expected_count = ?3 WHERE env = ?1 AND id = ?2");
  if (!update.ok()) return update.error();
  return update->Bind(1, op.environment).Bind(2, op.pool_id).Bind(3, int64_t{op.count}).Run();
}

Status StateEditWriter::operator()(const StateEdit::PutInstances& op) {
  Status found = RequirePool(op.environment, op.pool_id);
  if (!found.ok()) return found;
  return UpsertInstances(op.environment, op.pool_id, op.instances);
}

Status StateEditWriter::operator()(const StateEdit::RemoveInstances& op) {
  Status found = RequirePool(op.environment, op.pool_id);
  if (!found.ok()) return found;
  Result<SqliteStatement> remove = db_.Prepare(
      "DELETE FROM instances WHERE env = ?1 AND pool = ?2 AND ?3 != '' "
      "AND (id = ?3 OR node_id = ?3)");
  if (!remove.ok()) return remove.error();
  for (const std::string& id : op.ids) {
    Status removed = remove->Bind(1, op.environment).Bind(2, op.pool_id).Bind(3, id).Run();
    if (!removed.ok()) return removed;
    remove->Reset();
  }
  return Status::Ok();
}

Status StateEditWriter::operator()(const StateEdit::OpenIntent& op) {
  const JournalEntry& entry = op.entry;
  const Clock::WallTime started = entry.started == Clock::WallTime() ? clock_.Now() : entry.started;
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
  if (!inserted.ok()) return inserted;
  outcome_.intent_ids.push_back(db_.LastInsertRowId());
  return Status::Ok();
}

Status StateEditWriter::operator()(const StateEdit::CloseIntent& op) {
  Result<SqliteStatement> close =
      db_.Prepare("UPDATE journal SET closed = ?2 WHERE id = ?1 AND closed IS NULL");
  if (!close.ok()) return close.error();
  Status closed = close->Bind(1, op.id).Bind(2, EncodeTime(clock_.Now())).Run();
  if (!closed.ok()) return closed;
  if (db_.Changes() == 0) {
    return Error(ErrorKind::kNotFound, "intent " + std::to_string(op.id) + " is not open");
  }
  return Status::Ok();
}

}  // namespace spotform

namespace spotform {
namespace {

// The row of an instance found by `find` (SELECT seq ... WHERE env = ?1 AND pool = ?2 AND
// <key> = ?3), if any.
Result<std::optional<int64_t>> FindInstance(SqliteStatement& find, const std::string& environment,
                                            const std::string& pool_id, const std::string& key) {
  find.Reset();
  find.Bind(1, environment).Bind(2, pool_id).Bind(3, key);
  Result<bool> row = find.Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(find.ColumnInt(0));
}

}  // namespace

Status StateEditWriter::UpsertInstances(const std::string& environment, const std::string& pool_id,
                                        const std::vector<RecordedInstance>& instances) {
  if (instances.empty()) return Status::Ok();
  Result<SqliteStatement> by_id =
      db_.Prepare("SELECT seq FROM instances WHERE env = ?1 AND pool = ?2 AND id = ?3");
  if (!by_id.ok()) return by_id.error();
  Result<SqliteStatement> by_node =
      db_.Prepare("SELECT seq FROM instances WHERE env = ?1 AND pool = ?2 AND node_id = ?3");
  if (!by_node.ok()) return by_node.error();
  Result<SqliteStatement> update = db_.Prepare(
      "UPDATE instances SET id = ?3, node_id = ?4, zone = ?5, instance_type = ?6, state = ?7, "
      "launch_time = ?8, client_token = ?9, origin = ?10 WHERE seq = ?1");
  if (!update.ok()) return update.error();
  Result<SqliteStatement> insert = db_.Prepare(
      "INSERT INTO instances (env, pool, id, node_id, zone, instance_type, state, launch_time, "
      "client_token, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!insert.ok()) return insert.error();

  for (const RecordedInstance& instance : instances) {
    if (instance.id.empty() && instance.node_id.empty()) {
      return Error(ErrorKind::kInvalidInput, "an instance to record in pool " + pool_id +
                                                 " of env." + environment +
                                                 " has neither an instance id nor a node id");
    }
    std::optional<int64_t> seq;
    if (!instance.id.empty()) {
      Result<std::optional<int64_t>> found =
          FindInstance(*by_id, environment, pool_id, instance.id);
      if (!found.ok()) return found.error();
      seq = *found;
    }
    if (!seq.has_value() && !instance.node_id.empty()) {
      Result<std::optional<int64_t>> found =
          FindInstance(*by_node, environment, pool_id, instance.node_id);
      if (!found.ok()) return found.error();
      seq = *found;
    }
    SqliteStatement& write = seq.has_value() ? *update : *insert;
    write.Reset();
    // Both statements number their parameters alike; the update matches by ?1 = seq and
    // leaves ?2 (the pool) unused.
    if (seq.has_value()) {
      write.Bind(1, *seq);
    } else {
      write.Bind(1, environment).Bind(2, pool_id);
    }
    Status written = write.Bind(3, instance.id)
                         .Bind(4, instance.node_id)
                         .Bind(5, instance.zone)
                         .Bind(6, instance.instance_type)
                         .Bind(7, instance.state)
                         .Bind(8, EncodeTime(instance.launch_time))
                         .Bind(9, instance.client_token)
                         .Bind(10, EncodeOrigin(instance.origin))
                         .Run();
    if (!written.ok()) return written;
  }
  return Status::Ok();
}

}  // namespace spotform
