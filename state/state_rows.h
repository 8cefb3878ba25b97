#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// StateRows is what a backend offers the backend-neutral StateEditApplier: the row
// operations of one state, each run inside the caller's write transaction (SQLite file or
// one PostgreSQL workspace). Implementations only run SQL; the checks, the messages and the
// matching of instances live in the applier, so every backend behaves alike.
class StateRows {
 public:
  virtual ~StateRows() = default;

  virtual Result<bool> HasEnvironment(const std::string& name) = 0;
  // Insert or replace the applied spec (JSON text); keeps the environment's pools.
  virtual Status PutEnvironment(const std::string& name, const std::string& applied_json) = 0;
  // The environment with its pools and instances.
  virtual Status DeleteEnvironment(const std::string& name) = 0;

  virtual Result<bool> HasPool(const std::string& environment, const std::string& pool_id) = 0;
  // Insert or replace the pool's own fields (not its instances); a new pool goes last.
  virtual Status PutPool(const std::string& environment, const Pool& pool,
                         const std::string& spec_json) = 0;
  // The pool with its instances.
  virtual Status DeletePool(const std::string& environment, const std::string& pool_id) = 0;
  virtual Status SetExpectedCount(const std::string& environment, const std::string& pool_id,
                                  int count) = 0;

  // The row key of the instance of the pool whose `id` (or, with by_node, `node_id`) is `key`.
  virtual Result<std::optional<int64_t>> FindInstance(const std::string& environment,
                                                      const std::string& pool_id,
                                                      const std::string& key, bool by_node) = 0;
  // The environment other than `environment` that records instance `id`, if any.
  virtual Result<std::optional<std::string>> EnvironmentRecording(
      const std::string& id, const std::string& environment) = 0;
  virtual Status InsertInstance(const std::string& environment, const std::string& pool_id,
                                const RecordedInstance& instance) = 0;
  virtual Status UpdateInstance(int64_t row, const RecordedInstance& instance) = 0;
  // Instances of the pool whose id or node_id is `key` (a non-empty text).
  virtual Status DeleteInstances(const std::string& environment, const std::string& pool_id,
                                 const std::string& key) = 0;

  // Journals an intent started at `started`; returns its new id (1, 2, ... never reused).
  virtual Result<int64_t> OpenIntent(const JournalEntry& entry, Clock::WallTime started) = 0;
  // Journals an intent keeping entry.id (state import); later ids come after it.
  virtual Status RestoreIntent(const JournalEntry& entry) = 0;
  // Closes an open intent: false when `id` is not an open intent.
  virtual Result<bool> CloseIntent(int64_t id, Clock::WallTime closed) = 0;

  // Inserts the hold, or moves the `until` of the one with its zone, type and kind to the
  // later of the two.
  virtual Status PutCandidateHold(const CandidateHold& hold) = 0;
  // Deletes the holds with until <= now.
  virtual Status PruneCandidateHolds(Clock::WallTime now) = 0;

  // Sets the serial of the last write touching `name` (issue 16: per-environment serials).
  virtual Status SetEnvironmentSerial(const std::string& name, int64_t serial) = 0;
  // Sets every environment serial recorded so far to `serial` (a restore touches them all).
  virtual Status SetAllEnvironmentSerials(int64_t serial) = 0;

  // Deletes every environment, pool, instance, journal entry and candidate hold (not the
  // lineage, serial, environment serials or locks): a restore then writes the backup's
  // records.
  virtual Status ClearRecords() = 0;

  // Bumps the serial by one; returns the new value.
  virtual Result<int64_t> BumpSerial() = 0;
  // Sets the lineage and serial (state import into a state never written).
  virtual Status SetIdentity(const std::string& lineage, int64_t serial) = 0;
};

}  // namespace spotform
