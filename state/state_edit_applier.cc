#include "state/state_edit_applier.h"

#include "state/state_codec.h"

namespace spotform {

bool IsNeverWritten(const StateSnapshot& snapshot) {
  return snapshot.serial == 0 && snapshot.environments.empty() && snapshot.open_intents.empty() &&
         snapshot.candidate_holds.empty();
}

Result<ApplyOutcome> StateEditApplier::Write(const StateEdit& edit) {
  outcome_ = ApplyOutcome();
  for (const StateEdit::Op& op : edit.ops()) {
    Status applied = std::visit(*this, op);
    if (!applied.ok()) return applied.error();
  }
  Result<int64_t> serial = rows_.BumpSerial();
  if (!serial.ok()) return serial.error();
  outcome_.serial = *serial;
  for (const std::string& name : edit.Environments()) {
    Status moved = rows_.SetEnvironmentSerial(name, *serial);
    if (!moved.ok()) return moved.error();
  }
  return outcome_;
}

Status StateEditApplier::Import(const StateSnapshot& snapshot) {
  for (const auto& [name, environment] : snapshot.environments) {
    Status put = (*this)(StateEdit::PutEnvironment{environment.applied});
    if (!put.ok()) return put;
    for (const Pool& pool : environment.pools) {
      Status pool_put = (*this)(StateEdit::PutPool{name, pool});
      if (!pool_put.ok()) return pool_put;
    }
  }
  for (const JournalEntry& entry : snapshot.open_intents) {
    Status restored = rows_.RestoreIntent(entry);
    if (!restored.ok()) return restored;
  }
  for (const CandidateHold& hold : snapshot.candidate_holds) {
    Status held = (*this)(StateEdit::PutCandidateHold{hold});
    if (!held.ok()) return held;
  }
  for (const auto& [name, serial] : snapshot.environment_serials) {
    Status kept = rows_.SetEnvironmentSerial(name, serial);
    if (!kept.ok()) return kept;
  }
  return rows_.SetIdentity(snapshot.lineage, snapshot.serial);
}

Status StateEditApplier::Replace(const StateSnapshot& snapshot, int64_t serial) {
  Status cleared = rows_.ClearRecords();
  if (!cleared.ok()) return cleared;
  // Every environment moves on, those of the replaced state and those of the backup: a
  // plan made from either is stale.
  Status moved = rows_.SetAllEnvironmentSerials(serial);
  if (!moved.ok()) return moved;
  StateSnapshot restored = snapshot;
  restored.serial = serial;
  for (auto& [name, environment_serial] : restored.environment_serials) environment_serial = serial;
  for (const auto& [name, environment] : restored.environments) {
    restored.environment_serials[name] = serial;
  }
  return Import(restored);
}

Status StateEditApplier::RequireEnvironment(const std::string& name) {
  Result<bool> found = rows_.HasEnvironment(name);
  if (!found.ok()) return found.error();
  if (!*found) return Error(ErrorKind::kNotFound, "env." + name + " is not in the state");
  return Status::Ok();
}

Status StateEditApplier::RequirePool(const std::string& environment, const std::string& pool_id) {
  Status environment_found = RequireEnvironment(environment);
  if (!environment_found.ok()) return environment_found;
  Result<bool> found = rows_.HasPool(environment, pool_id);
  if (!found.ok()) return found.error();
  if (!*found) {
    return Error(ErrorKind::kNotFound,
                 "pool " + pool_id + " of env." + environment + " is not in the state");
  }
  return Status::Ok();
}

Status StateEditApplier::operator()(const StateEdit::PutEnvironment& op) {
  if (op.applied.name.empty()) {
    return Error(ErrorKind::kInvalidInput, "an environment to record has no name");
  }
  return rows_.PutEnvironment(op.applied.name, EncodeSpec(op.applied));
}

Status StateEditApplier::operator()(const StateEdit::RemoveEnvironment& op) {
  Status found = RequireEnvironment(op.name);
  if (!found.ok()) return found;
  return rows_.DeleteEnvironment(op.name);
}

Status StateEditApplier::operator()(const StateEdit::PutPool& op) {
  Status found = RequireEnvironment(op.environment);
  if (!found.ok()) return found;
  if (op.pool.id.empty()) {
    return Error(ErrorKind::kInvalidInput,
                 "a pool to record in env." + op.environment + " has no id");
  }
  Status stored = rows_.PutPool(op.environment, op.pool, EncodeSpec(op.pool.spec));
  if (!stored.ok()) return stored;
  return UpsertInstances(op.environment, op.pool.id, op.pool.instances);
}

Status StateEditApplier::operator()(const StateEdit::RemovePool& op) {
  Status found = RequirePool(op.environment, op.pool_id);
  if (!found.ok()) return found;
  return rows_.DeletePool(op.environment, op.pool_id);
}

Status StateEditApplier::operator()(const StateEdit::SetExpectedCount& op) {
  Status found = RequirePool(op.environment, op.pool_id);
  if (!found.ok()) return found;
  return rows_.SetExpectedCount(op.environment, op.pool_id, op.count);
}

Status StateEditApplier::operator()(const StateEdit::PutInstances& op) {
  Status found = RequirePool(op.environment, op.pool_id);
  if (!found.ok()) return found;
  return UpsertInstances(op.environment, op.pool_id, op.instances);
}

Status StateEditApplier::operator()(const StateEdit::RemoveInstances& op) {
  Status found = RequirePool(op.environment, op.pool_id);
  if (!found.ok()) return found;
  for (const std::string& id : op.ids) {
    if (id.empty()) continue;
    Status removed = rows_.DeleteInstances(op.environment, op.pool_id, id);
    if (!removed.ok()) return removed;
  }
  return Status::Ok();
}

Status StateEditApplier::operator()(const StateEdit::OpenIntent& op) {
  const JournalEntry& entry = op.entry;
  const Clock::WallTime started = entry.started == Clock::WallTime() ? clock_.Now() : entry.started;
  Result<int64_t> id = rows_.OpenIntent(entry, started);
  if (!id.ok()) return id.error();
  outcome_.intent_ids.push_back(*id);
  return Status::Ok();
}

Status StateEditApplier::operator()(const StateEdit::CloseIntent& op) {
  Result<bool> closed = rows_.CloseIntent(op.id, clock_.Now());
  if (!closed.ok()) return closed.error();
  if (!*closed) {
    return Error(ErrorKind::kNotFound, "intent " + std::to_string(op.id) + " is not open");
  }
  return Status::Ok();
}

Status StateEditApplier::operator()(const StateEdit::PutCandidateHold& op) {
  if (op.hold.zone.empty() || op.hold.instance_type.empty()) {
    return Error(ErrorKind::kInvalidInput, "a candidate hold to record has no zone or type");
  }
  return rows_.PutCandidateHold(op.hold);
}

Status StateEditApplier::operator()(const StateEdit::PruneCandidateHolds& op) {
  return rows_.PruneCandidateHolds(op.now);
}

Status StateEditApplier::UpsertInstances(const std::string& environment, const std::string& pool_id,
                                         const std::vector<RecordedInstance>& instances) {
  for (const RecordedInstance& instance : instances) {
    if (instance.id.empty() && instance.node_id.empty()) {
      return Error(ErrorKind::kInvalidInput, "an instance to record in pool " + pool_id +
                                                 " of env." + environment +
                                                 " has neither an instance id nor a node id");
    }
    // Matched by id first; a Batch node whose instance just appeared, by its node id.
    std::optional<int64_t> row;
    if (!instance.id.empty()) {
      Result<std::optional<int64_t>> found =
          rows_.FindInstance(environment, pool_id, instance.id, /*by_node=*/false);
      if (!found.ok()) return found.error();
      row = *found;
    }
    if (!row.has_value() && !instance.node_id.empty()) {
      Result<std::optional<int64_t>> found =
          rows_.FindInstance(environment, pool_id, instance.node_id, /*by_node=*/true);
      if (!found.ok()) return found.error();
      row = *found;
    }
    if (!row.has_value() && !instance.id.empty()) {
      // One instance, one record: two runs holding different environments' locks (two
      // imports of one id) cannot both record it.
      Result<std::optional<std::string>> elsewhere =
          rows_.EnvironmentRecording(instance.id, environment);
      if (!elsewhere.ok()) return elsewhere.error();
      if (elsewhere->has_value()) {
        return Error(ErrorKind::kConflict, instance.id + " is already recorded in env." +
                                               **elsewhere + "; it was not recorded in env." +
                                               environment);
      }
    }
    Status written = row.has_value() ? rows_.UpdateInstance(*row, instance)
                                     : rows_.InsertInstance(environment, pool_id, instance);
    if (!written.ok()) return written;
  }
  return Status::Ok();
}

}  // namespace spotform
