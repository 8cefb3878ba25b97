#include "state/pg_state_rows.h"

#include "state/state_codec.h"

namespace spotform {
namespace {

std::string Number(int64_t value) { return std::to_string(value); }

// `params` followed by the instance's fields: id, node_id, zone, instance_type, state,
// launch_time, client_token, origin.
std::vector<PgParam> WithInstanceFields(std::vector<PgParam> params,
                                        const RecordedInstance& instance) {
  for (std::string field : {instance.id, instance.node_id, instance.zone, instance.instance_type,
                            instance.state, Number(EncodeTime(instance.launch_time)),
                            instance.client_token, std::string(EncodeOrigin(instance.origin))}) {
    params.emplace_back(std::move(field));
  }
  return params;
}

}  // namespace

Result<bool> PgStateRows::Exists(std::string_view sql, const std::vector<PgParam>& params) {
  Result<PgResult> rows = conn_.Query(sql, params);
  if (!rows.ok()) return rows.error();
  return rows->Rows() > 0;
}

Result<bool> PgStateRows::HasEnvironment(const std::string& name) {
  return Exists("SELECT 1 FROM spotform_environments WHERE workspace = $1 AND name = $2",
                {workspace_, name});
}

Status PgStateRows::PutEnvironment(const std::string& name, const std::string& applied_json) {
  return conn_.Run(
      "INSERT INTO spotform_environments (workspace, name, applied) VALUES ($1, $2, $3) "
      "ON CONFLICT (workspace, name) DO UPDATE SET applied = excluded.applied",
      {workspace_, name, applied_json});
}

Status PgStateRows::DeleteEnvironment(const std::string& name) {
  // Pools and their instances go with it (ON DELETE CASCADE).
  return conn_.Run("DELETE FROM spotform_environments WHERE workspace = $1 AND name = $2",
                   {workspace_, name});
}

Result<bool> PgStateRows::HasPool(const std::string& environment, const std::string& pool_id) {
  return Exists("SELECT 1 FROM spotform_pools WHERE workspace = $1 AND env = $2 AND id = $3",
                {workspace_, environment, pool_id});
}

Status PgStateRows::PutPool(const std::string& environment, const Pool& pool,
                            const std::string& spec_json) {
  return conn_.Run(
      "INSERT INTO spotform_pools (workspace, env, id, spec, batch_env_id, expected_count) "
      "VALUES ($1, $2, $3, $4, $5, $6::integer) ON CONFLICT (workspace, env, id) DO UPDATE SET "
      "spec = excluded.spec, batch_env_id = excluded.batch_env_id, "
      "expected_count = excluded.expected_count",
      {workspace_, environment, pool.id, spec_json, pool.batch_env_id,
       Number(pool.expected_count)});
}

Status PgStateRows::DeletePool(const std::string& environment, const std::string& pool_id) {
  return conn_.Run("DELETE FROM spotform_pools WHERE workspace = $1 AND env = $2 AND id = $3",
                   {workspace_, environment, pool_id});
}

Status PgStateRows::SetExpectedCount(const std::string& environment, const std::string& pool_id,
                                     int count) {
  return conn_.Run(
      "UPDATE spotform_pools SET expected_count = $4::integer "
      "WHERE workspace = $1 AND env = $2 AND id = $3",
      {workspace_, environment, pool_id, Number(count)});
}

Result<std::optional<int64_t>> PgStateRows::FindInstance(const std::string& environment,
                                                         const std::string& pool_id,
                                                         const std::string& key, bool by_node) {
  Result<PgResult> rows = conn_.Query(
      by_node ? "SELECT seq FROM spotform_instances "
                "WHERE workspace = $1 AND env = $2 AND pool = $3 AND node_id = $4 ORDER BY seq"
              : "SELECT seq FROM spotform_instances "
                "WHERE workspace = $1 AND env = $2 AND pool = $3 AND id = $4 ORDER BY seq",
      {workspace_, environment, pool_id, key});
  if (!rows.ok()) return rows.error();
  if (rows->Rows() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(rows->Int(0, 0));
}

Result<std::optional<std::string>> PgStateRows::EnvironmentRecording(
    const std::string& id, const std::string& environment) {
  Result<PgResult> rows = conn_.Query(
      "SELECT env FROM spotform_instances WHERE workspace = $1 AND id = $2 AND env <> $3 "
      "LIMIT 1",
      {workspace_, id, environment});
  if (!rows.ok()) return rows.error();
  if (rows->Rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(rows->Text(0, 0));
}

Status PgStateRows::InsertInstance(const std::string& environment, const std::string& pool_id,
                                   const RecordedInstance& instance) {
  return conn_.Run(
      "INSERT INTO spotform_instances (workspace, env, pool, id, node_id, zone, instance_type, "
      "state, launch_time, client_token, origin) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::bigint, $10, $11)",
      WithInstanceFields({workspace_, environment, pool_id}, instance));
}

Status PgStateRows::UpdateInstance(int64_t row, const RecordedInstance& instance) {
  return conn_.Run(
      "UPDATE spotform_instances SET id = $3, node_id = $4, zone = $5, instance_type = $6, "
      "state = $7, launch_time = $8::bigint, client_token = $9, origin = $10 "
      "WHERE workspace = $1 AND seq = $2::bigint",
      WithInstanceFields({workspace_, Number(row)}, instance));
}

Status PgStateRows::DeleteInstances(const std::string& environment, const std::string& pool_id,
                                    const std::string& key) {
  return conn_.Run(
      "DELETE FROM spotform_instances WHERE workspace = $1 AND env = $2 AND pool = $3 "
      "AND (id = $4 OR node_id = $4)",
      {workspace_, environment, pool_id, key});
}

Result<int64_t> PgStateRows::OpenIntent(const JournalEntry& entry, Clock::WallTime started) {
  Result<int64_t> id = conn_.QueryInt(
      "UPDATE spotform_states SET last_intent_id = last_intent_id + 1 WHERE workspace = $1 "
      "RETURNING last_intent_id",
      {workspace_});
  if (!id.ok()) return id.error();
  JournalEntry numbered = entry;
  numbered.id = *id;
  numbered.started = started;
  Status inserted = RestoreIntent(numbered);
  if (!inserted.ok()) return inserted.error();
  return *id;
}

Status PgStateRows::RestoreIntent(const JournalEntry& entry) {
  Status inserted = conn_.Run(
      "INSERT INTO spotform_journal (workspace, id, env, pool, kind, client_token, payload, "
      "started) VALUES ($1, $2::bigint, $3, $4, $5, $6, $7, $8::bigint)",
      {workspace_, Number(entry.id), entry.environment, entry.pool_id, entry.kind,
       entry.client_token, entry.payload, Number(EncodeTime(entry.started))});
  if (!inserted.ok()) return inserted;
  return conn_.Run(
      "UPDATE spotform_states SET last_intent_id = greatest(last_intent_id, $2::bigint) "
      "WHERE workspace = $1",
      {workspace_, Number(entry.id)});
}

Result<bool> PgStateRows::CloseIntent(int64_t id, Clock::WallTime closed) {
  Result<PgResult> updated = conn_.Query(
      "UPDATE spotform_journal SET closed = $3::bigint "
      "WHERE workspace = $1 AND id = $2::bigint AND closed IS NULL",
      {workspace_, Number(id), Number(EncodeTime(closed))});
  if (!updated.ok()) return updated.error();
  return updated->Affected() > 0;
}

Status PgStateRows::PutCandidateHold(const CandidateHold& hold) {
  return conn_.Run(
      "INSERT INTO spotform_candidate_holds (workspace, zone, instance_type, kind, held_until) "
      "VALUES ($1, $2, $3, $4, $5::bigint) ON CONFLICT (workspace, zone, instance_type, kind) "
      "DO UPDATE SET held_until = greatest(spotform_candidate_holds.held_until, "
      "excluded.held_until)",
      {workspace_, hold.zone, hold.instance_type, std::string(EncodeHoldKind(hold.kind)),
       Number(EncodeTime(hold.until))});
}

Status PgStateRows::PruneCandidateHolds(Clock::WallTime now) {
  return conn_.Run(
      "DELETE FROM spotform_candidate_holds WHERE workspace = $1 AND held_until <= $2::bigint",
      {workspace_, Number(EncodeTime(now))});
}

Result<int64_t> PgStateRows::BumpSerial() {
  return conn_.QueryInt(
      "UPDATE spotform_states SET serial = serial + 1 WHERE workspace = $1 RETURNING serial",
      {workspace_});
}

Status PgStateRows::SetEnvironmentSerial(const std::string& name, int64_t serial) {
  return conn_.Run(
      "INSERT INTO spotform_environment_serials (workspace, name, serial) "
      "VALUES ($1, $2, $3::bigint) ON CONFLICT (workspace, name) DO UPDATE SET "
      "serial = excluded.serial",
      {workspace_, name, Number(serial)});
}

Status PgStateRows::SetAllEnvironmentSerials(int64_t serial) {
  return conn_.Run(
      "UPDATE spotform_environment_serials SET serial = $2::bigint WHERE workspace = $1",
      {workspace_, Number(serial)});
}

Status PgStateRows::ClearRecords() {
  for (const char* table : {"spotform_instances", "spotform_pools", "spotform_environments",
                            "spotform_journal", "spotform_candidate_holds"}) {
    Status cleared =
        conn_.Run(std::string("DELETE FROM ") + table + " WHERE workspace = $1", {workspace_});
    if (!cleared.ok()) return cleared;
  }
  return Status::Ok();
}

Status PgStateRows::SetIdentity(const std::string& lineage, int64_t serial) {
  return conn_.Run(
      "UPDATE spotform_states SET lineage = $2, serial = $3::bigint WHERE workspace = $1",
      {workspace_, lineage, Number(serial)});
}

}  // namespace spotform
