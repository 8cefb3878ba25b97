#include "state/pg_snapshot_reader.h"

#include <map>
#include <utility>

#include "state/pg_backup.h"
#include "state/state_codec.h"

namespace spotform {
namespace {

constexpr std::string_view kCorruptAdvice = "restore it from a backup";

Error Corrupt(const std::string& state_name, const std::string& why) {
  return Error(ErrorKind::kInvalidInput,
               "state " + state_name + " is corrupt (" + why + "); " + std::string(kCorruptAdvice));
}

Status ReadEnvironments(PgConnection& conn, const std::string& workspace,
                        const std::string& state_name, StateSnapshot& snapshot) {
  Result<PgResult> rows = conn.Query(
      "SELECT name, applied FROM spotform_environments WHERE workspace = $1", {workspace});
  if (!rows.ok()) return rows.error();
  for (int row = 0; row < rows->Rows(); ++row) {
    RecordedEnvironment environment;
    environment.name = rows->Text(row, 0);
    Result<EnvironmentSpec> applied =
        DecodeSpec(rows->Text(row, 1), "state " + state_name + ": env." + environment.name);
    if (!applied.ok()) return applied.error();
    environment.applied = std::move(*applied);
    snapshot.environments.emplace(environment.name, std::move(environment));
  }
  return Status::Ok();
}

Status ReadPools(PgConnection& conn, const std::string& workspace, const std::string& state_name,
                 StateSnapshot& snapshot) {
  Result<PgResult> rows = conn.Query(
      "SELECT env, id, spec, batch_env_id, expected_count FROM spotform_pools "
      "WHERE workspace = $1 ORDER BY seq",
      {workspace});
  if (!rows.ok()) return rows.error();
  for (int row = 0; row < rows->Rows(); ++row) {
    const std::string env = rows->Text(row, 0);
    auto found = snapshot.environments.find(env);
    if (found == snapshot.environments.end()) {
      return Corrupt(state_name, "a pool of unknown env." + env);
    }
    Pool pool;
    pool.id = rows->Text(row, 1);
    Result<EnvironmentSpec> spec = DecodeSpec(
        rows->Text(row, 2), "state " + state_name + ": pool " + pool.id + " of env." + env);
    if (!spec.ok()) return spec.error();
    pool.spec = std::move(*spec);
    pool.batch_env_id = rows->Text(row, 3);
    pool.expected_count = static_cast<int>(rows->Int(row, 4));
    found->second.pools.push_back(std::move(pool));
  }
  return Status::Ok();
}

Status ReadInstances(PgConnection& conn, const std::string& workspace,
                     const std::string& state_name, StateSnapshot& snapshot) {
  std::map<std::pair<std::string, std::string>, Pool*> pools;
  for (auto& [name, environment] : snapshot.environments) {
    for (Pool& pool : environment.pools) pools[{name, pool.id}] = &pool;
  }
  Result<PgResult> rows = conn.Query(
      "SELECT env, pool, id, node_id, zone, instance_type, state, launch_time, client_token, "
      "origin FROM spotform_instances WHERE workspace = $1 ORDER BY seq",
      {workspace});
  if (!rows.ok()) return rows.error();
  for (int row = 0; row < rows->Rows(); ++row) {
    auto found = pools.find({rows->Text(row, 0), rows->Text(row, 1)});
    if (found == pools.end()) return Corrupt(state_name, "an instance of an unknown pool");
    RecordedInstance instance;
    instance.id = rows->Text(row, 2);
    instance.node_id = rows->Text(row, 3);
    instance.zone = rows->Text(row, 4);
    instance.instance_type = rows->Text(row, 5);
    instance.state = rows->Text(row, 6);
    instance.launch_time = DecodeTime(rows->Int(row, 7));
    instance.client_token = rows->Text(row, 8);
    Result<InstanceOrigin> origin = DecodeOrigin(
        rows->Text(row, 9), "state " + state_name + ": instance " + instance.id + instance.node_id);
    if (!origin.ok()) return origin.error();
    instance.origin = *origin;
    found->second->instances.push_back(std::move(instance));
  }
  return Status::Ok();
}

Status ReadOpenIntents(PgConnection& conn, const std::string& workspace, StateSnapshot& snapshot) {
  Result<PgResult> rows = conn.Query(
      "SELECT id, env, pool, kind, client_token, payload, started FROM spotform_journal "
      "WHERE workspace = $1 AND closed IS NULL ORDER BY id",
      {workspace});
  if (!rows.ok()) return rows.error();
  for (int row = 0; row < rows->Rows(); ++row) {
    JournalEntry entry;
    entry.id = rows->Int(row, 0);
    entry.environment = rows->Text(row, 1);
    entry.pool_id = rows->Text(row, 2);
    entry.kind = rows->Text(row, 3);
    entry.client_token = rows->Text(row, 4);
    entry.payload = rows->Text(row, 5);
    entry.started = DecodeTime(rows->Int(row, 6));
    snapshot.open_intents.push_back(std::move(entry));
  }
  return Status::Ok();
}

Status ReadCandidateHolds(PgConnection& conn, const std::string& workspace,
                          const std::string& state_name, StateSnapshot& snapshot) {
  Result<PgResult> rows = conn.Query(
      "SELECT zone, instance_type, kind, held_until FROM spotform_candidate_holds "
      "WHERE workspace = $1 ORDER BY kind, zone, instance_type",
      {workspace});
  if (!rows.ok()) return rows.error();
  for (int row = 0; row < rows->Rows(); ++row) {
    CandidateHold hold;
    hold.zone = rows->Text(row, 0);
    hold.instance_type = rows->Text(row, 1);
    Result<HoldKind> kind =
        DecodeHoldKind(rows->Text(row, 2), "state " + state_name + ": hold on " +
                                               hold.instance_type + " in " + hold.zone);
    if (!kind.ok()) return kind.error();
    hold.kind = *kind;
    hold.until = DecodeTime(rows->Int(row, 3));
    snapshot.candidate_holds.push_back(std::move(hold));
  }
  return Status::Ok();
}

Status ReadEnvironmentSerials(PgConnection& conn, const std::string& workspace,
                              StateSnapshot& snapshot) {
  Result<PgResult> rows = conn.Query(
      "SELECT name, serial FROM spotform_environment_serials WHERE workspace = $1", {workspace});
  if (!rows.ok()) return rows.error();
  for (int row = 0; row < rows->Rows(); ++row) {
    snapshot.environment_serials[rows->Text(row, 0)] = rows->Int(row, 1);
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<StateSnapshot>> ReadPgSnapshot(PgConnection& conn,
                                                    const std::string& workspace,
                                                    const std::string& state_name) {
  Result<PgResult> identity =
      conn.Query("SELECT lineage, serial FROM spotform_states WHERE workspace = $1", {workspace});
  if (!identity.ok()) return identity.error();
  if (identity->Rows() == 0) return std::optional<StateSnapshot>();
  StateSnapshot snapshot;
  snapshot.lineage = identity->Text(0, 0);
  snapshot.serial = identity->Int(0, 1);
  Status read = snapshot.lineage.empty() ? Corrupt(state_name, "no lineage") : Status::Ok();
  if (read.ok()) read = ReadEnvironments(conn, workspace, state_name, snapshot);
  if (read.ok()) read = ReadPools(conn, workspace, state_name, snapshot);
  if (read.ok()) read = ReadInstances(conn, workspace, state_name, snapshot);
  if (read.ok()) read = ReadOpenIntents(conn, workspace, snapshot);
  if (read.ok()) read = ReadCandidateHolds(conn, workspace, state_name, snapshot);
  if (read.ok()) read = ReadEnvironmentSerials(conn, workspace, snapshot);
  if (!read.ok()) {
    // Name the backup that exists in place of Corrupt's generic advice.
    const std::string& message = read.error().message();
    if (message.ends_with(kCorruptAdvice)) {
      return Error(read.error().kind(), message.substr(0, message.size() - kCorruptAdvice.size()) +
                                            PgRestoreAdvice(conn, workspace));
    }
    return read.error();
  }
  return std::optional<StateSnapshot>(std::move(snapshot));
}

}  // namespace spotform
