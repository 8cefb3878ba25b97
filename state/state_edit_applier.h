#pragma once

#include <string>
#include <vector>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "engine/model/state_edit.h"
#include "engine/model/state_snapshot.h"
#include "engine/model/state_store.h"
#include "state/state_rows.h"

namespace spotform {

// Applies one StateEdit to a state through a backend's StateRows and bumps the serial once;
// also writes a whole snapshot into a state never written (migration). Shared by every
// backend, so that their checks and messages are one. Runs inside the caller's write
// transaction: on an error the caller rolls back, so nothing of the edit stays. Borrows the
// rows and the clock (read for the time an intent is closed, and opened when the entry has
// no time).
class StateEditApplier {
 public:
  StateEditApplier(StateRows& rows, const Clock& clock) : rows_(rows), clock_(clock) {}

  Result<ApplyOutcome> Write(const StateEdit& edit);
  // Writes every record of `snapshot`, its lineage, serial and environment serials; the
  // open intents keep their ids.
  Status Import(const StateSnapshot& snapshot);
  // Replaces every record of the state with `snapshot`'s (a restore): ClearRecords, then
  // Import of `snapshot` under `serial` (its lineage kept).
  Status Replace(const StateSnapshot& snapshot, int64_t serial);

  Status operator()(const StateEdit::PutEnvironment& op);
  Status operator()(const StateEdit::RemoveEnvironment& op);
  Status operator()(const StateEdit::PutPool& op);
  Status operator()(const StateEdit::RemovePool& op);
  Status operator()(const StateEdit::SetExpectedCount& op);
  Status operator()(const StateEdit::PutInstances& op);
  Status operator()(const StateEdit::RemoveInstances& op);
  Status operator()(const StateEdit::OpenIntent& op);
  Status operator()(const StateEdit::CloseIntent& op);
  Status operator()(const StateEdit::PutCandidateHold& op);
  Status operator()(const StateEdit::PruneCandidateHolds& op);

 private:
  Status RequireEnvironment(const std::string& name);
  Status RequirePool(const std::string& environment, const std::string& pool_id);
  Status UpsertInstances(const std::string& environment, const std::string& pool_id,
                         const std::vector<RecordedInstance>& instances);

  StateRows& rows_;
  const Clock& clock_;
  ApplyOutcome outcome_;
};

// True when a state has never been written: serial 0, no environment, no open intent.
bool IsNeverWritten(const StateSnapshot& snapshot);

// Writes `edit` through `rows` in the caller's `transaction` and commits it: the outcome, or
// the first error (the transaction then rolls back when it goes out of scope). Shared by the
// backends' Apply.
template <typename Transaction>
Result<ApplyOutcome> WriteAndCommit(Transaction& transaction, StateRows& rows, const Clock& clock,
                                    const StateEdit& edit) {
  Result<ApplyOutcome> outcome = StateEditApplier(rows, clock).Write(edit);
  if (!outcome.ok()) return outcome.error();
  Status committed = transaction.Commit();
  if (!committed.ok()) return committed.error();
  return outcome;
}

}  // namespace spotform
