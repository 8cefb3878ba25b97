#include "state/snapshot_reader.h"

#include <map>
#include <utility>

#include "state/sqlite_backup.h"
#include "state/state_codec.h"

namespace spotform {
namespace {

Error Corrupt(const SqliteDb& db, const std::string& why) {
  return Error(ErrorKind::kInvalidInput, "state file " + db.path() + " is corrupt (" + why + "); " +
                                             SqliteRestoreAdvice(db.path()));
}

Status ReadMeta(SqliteDb& db, StateSnapshot& snapshot) {
  Result<std::optional<std::string>> lineage =
      db.QueryText("SELECT value FROM meta WHERE key = 'lineage'");
  if (!lineage.ok()) return lineage.error();
  if (!lineage->has_value() || (*lineage)->empty()) return Corrupt(db, "no lineage");
  snapshot.lineage = **lineage;
  Result<int64_t> serial =
      db.QueryInt("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'serial'");
  if (!serial.ok()) return serial.error();
  snapshot.serial = *serial;
  return Status::Ok();
}

Status ReadEnvironments(SqliteDb& db, StateSnapshot& snapshot) {
  Result<SqliteStatement> select = db.Prepare("SELECT name, applied FROM environments");
  if (!select.ok()) return select.error();
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Status::Ok();
    RecordedEnvironment environment;
    environment.name = select->ColumnText(0);
    Result<EnvironmentSpec> applied =
        DecodeSpec(select->ColumnText(1), "state file " + db.path() + ": env." + environment.name);
    if (!applied.ok()) return applied.error();
    environment.applied = std::move(*applied);
    snapshot.environments.emplace(environment.name, std::move(environment));
  }
}

Status ReadPools(SqliteDb& db, StateSnapshot& snapshot) {
  Result<SqliteStatement> select =
      db.Prepare("SELECT env, id, spec, batch_env_id, expected_count FROM pools ORDER BY rowid");
  if (!select.ok()) return select.error();
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Status::Ok();
    const std::string env = select->ColumnText(0);
    auto found = snapshot.environments.find(env);
    if (found == snapshot.environments.end()) return Corrupt(db, "a pool of unknown env." + env);
    Pool pool;
    pool.id = select->ColumnText(1);
    Result<EnvironmentSpec> spec = DecodeSpec(
        select->ColumnText(2), "state file " + db.path() + ": pool " + pool.id + " of env." + env);
    if (!spec.ok()) return spec.error();
    pool.spec = std::move(*spec);
    pool.batch_env_id = select->ColumnText(3);
    pool.expected_count = static_cast<int>(select->ColumnInt(4));
    found->second.pools.push_back(std::move(pool));
  }
}

Status ReadInstances(SqliteDb& db, StateSnapshot& snapshot) {
  std::map<std::pair<std::string, std::string>, Pool*> pools;
  for (auto& [name, environment] : snapshot.environments) {
    for (Pool& pool : environment.pools) pools[{name, pool.id}] = &pool;
  }
  Result<SqliteStatement> select = db.Prepare(
      "SELECT env, pool, id, node_id, zone, instance_type, state, launch_time, client_token, "
      "origin FROM instances ORDER BY seq");
  if (!select.ok()) return select.error();
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Status::Ok();
    auto found = pools.find({select->ColumnText(0), select->ColumnText(1)});
    if (found == pools.end()) return Corrupt(db, "an instance of an unknown pool");
    RecordedInstance instance;
    instance.id = select->ColumnText(2);
    instance.node_id = select->ColumnText(3);
    instance.zone = select->ColumnText(4);
    instance.instance_type = select->ColumnText(5);
    instance.state = select->ColumnText(6);
    instance.launch_time = DecodeTime(select->ColumnInt(7));
    instance.client_token = select->ColumnText(8);
    Result<InstanceOrigin> origin =
        DecodeOrigin(select->ColumnText(9),
                     "state file " + db.path() + ": instance " + instance.id + instance.node_id);
    if (!origin.ok()) return origin.error();
    instance.origin = *origin;
    found->second->instances.push_back(std::move(instance));
  }
}

Status ReadOpenIntents(SqliteDb& db, StateSnapshot& snapshot) {
  Result<SqliteStatement> select = db.Prepare(
      "SELECT id, env, pool, kind, client_token, payload, started FROM journal "
      "WHERE closed IS NULL ORDER BY id");
  if (!select.ok()) return select.error();
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Status::Ok();
    JournalEntry entry;
    entry.id = select->ColumnInt(0);
    entry.environment = select->ColumnText(1);
    entry.pool_id = select->ColumnText(2);
    entry.kind = select->ColumnText(3);
    entry.client_token = select->ColumnText(4);
    entry.payload = select->ColumnText(5);
    entry.started = DecodeTime(select->ColumnInt(6));
    snapshot.open_intents.push_back(std::move(entry));
  }
}

Status ReadCandidateHolds(SqliteDb& db, StateSnapshot& snapshot) {
  Result<SqliteStatement> select = db.Prepare(
      "SELECT zone, instance_type, kind, held_until FROM candidate_holds "
      "ORDER BY kind, zone, instance_type");
  if (!select.ok()) return select.error();
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Status::Ok();
    CandidateHold hold;
    hold.zone = select->ColumnText(0);
    hold.instance_type = select->ColumnText(1);
    Result<HoldKind> kind =
        DecodeHoldKind(select->ColumnText(2), "state file " + db.path() + ": hold on " +
                                                  hold.instance_type + " in " + hold.zone);
    if (!kind.ok()) return kind.error();
    hold.kind = *kind;
    hold.until = DecodeTime(select->ColumnInt(3));
    snapshot.candidate_holds.push_back(std::move(hold));
  }
}

Status ReadEnvironmentSerials(SqliteDb& db, StateSnapshot& snapshot) {
  Result<SqliteStatement> select = db.Prepare("SELECT name, serial FROM environment_serials");
  if (!select.ok()) return select.error();
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Status::Ok();
    snapshot.environment_serials[select->ColumnText(0)] = select->ColumnInt(1);
  }
}

}  // namespace

Result<StateSnapshot> ReadSnapshot(SqliteDb& db) {
  using Reader = Status (*)(SqliteDb&, StateSnapshot&);
  StateSnapshot snapshot;
  for (Reader read : {ReadMeta, ReadEnvironments, ReadPools, ReadInstances, ReadOpenIntents,
                      ReadCandidateHolds, ReadEnvironmentSerials}) {
    Status status = read(db, snapshot);
    if (!status.ok()) return status.error();
  }
  return snapshot;
}

}  // namespace spotform
