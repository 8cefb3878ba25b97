#pragma once

#include "engine/clock.h"
#include "engine/result.h"
#include "engine/state_edit.h"
#include "engine/state_store.h"
#include "state/sqlite_handle.h"

namespace spotform {

// Writes one StateEdit's ops into an SQLite state and bumps the serial once. Runs inside the
// caller's write transaction: on an error the caller rolls back, so nothing of the edit stays.
// Reads the clock for the time an intent is closed (and opened, when the entry has no time).
class StateEditWriter {
 public:
  StateEditWriter(SqliteDb& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<ApplyOutcome> Write(const StateEdit& edit);

  Status operator()(const StateEdit::PutEnvironment& op);
  Status operator()(const StateEdit::RemoveEnvironment& op);
  Status operator()(const StateEdit::PutPool& op);
  Status operator()(const StateEdit::RemovePool& op);
  Status operator()(const StateEdit::SetExpectedCount& op);
  Status operator()(const StateEdit::PutInstances& op);
  Status operator()(const StateEdit::RemoveInstances& op);
  Status operator()(const StateEdit::OpenIntent& op);
  Status operator()(const StateEdit::CloseIntent& op);

 private:
  Status RequireEnvironment(const std::string& name);
  Status RequirePool(const std::string& environment, const std::string& pool_id);
  Status UpsertInstances(const std::string& environment, const std::string& pool_id,
                         const std::vector<RecordedInstance>& instances);

  SqliteDb& db_;
  const Clock& clock_;
  ApplyOutcome outcome_;
};

}  // namespace spotform
