#pragma once

#include <optional>

#include "state/sqlite_handle.h"
#include "state/state_rows.h"

namespace spotform {

// The rows of an SQLite state (state/schema_migrations.cc's tables), for StateEditApplier.
// Borrows the connection; every call runs in the caller's write transaction. The statements
// used once per instance are prepared once and kept (an edit may record thousands).
class SqliteStateRows final : public StateRows {
 public:
  explicit SqliteStateRows(SqliteDb& db) : db_(db) {}

  Result<bool> HasEnvironment(const std::string& name) override;
  Status PutEnvironment(const std::string& name, const std::string& applied_json) override;
  Status DeleteEnvironment(const std::string& name) override;
  Result<bool> HasPool(const std::string& environment, const std::string& pool_id) override;
  Status PutPool(const std::string& environment, const Pool& pool,
                 const std::string& spec_json) override;
  Status DeletePool(const std::string& environment, const std::string& pool_id) override;
  Status SetExpectedCount(const std::string& environment, const std::string& pool_id,
                          int count) override;
  Result<std::optional<int64_t>> FindInstance(const std::string& environment,
                                              const std::string& pool_id, const std::string& key,
                                              bool by_node) override;
  Result<std::optional<std::string>> EnvironmentRecording(const std::string& id,
                                                          const std::string& environment) override;
  Status InsertInstance(const std::string& environment, const std::string& pool_id,
                        const RecordedInstance& instance) override;
  Status UpdateInstance(int64_t row, const RecordedInstance& instance) override;
  Status DeleteInstances(const std::string& environment, const std::string& pool_id,
                         const std::string& key) override;
  Result<int64_t> OpenIntent(const JournalEntry& entry, Clock::WallTime started) override;
  Status RestoreIntent(const JournalEntry& entry) override;
  Result<bool> CloseIntent(int64_t id, Clock::WallTime closed) override;
  Status PutCandidateHold(const CandidateHold& hold) override;
  Status PruneCandidateHolds(Clock::WallTime now) override;
  Status SetEnvironmentSerial(const std::string& name, int64_t serial) override;
  Status SetAllEnvironmentSerials(int64_t serial) override;
  Status ClearRecords() override;
  Result<int64_t> BumpSerial() override;
  Status SetIdentity(const std::string& lineage, int64_t serial) override;

 private:
  // The statement kept in `slot`, prepared from `sql` on first use and reset for reuse.
  Result<SqliteStatement*> Kept(std::optional<SqliteStatement>& slot, std::string_view sql);

  SqliteDb& db_;
  std::optional<SqliteStatement> find_by_id_;
  std::optional<SqliteStatement> find_by_node_;
  std::optional<SqliteStatement> find_elsewhere_;
  std::optional<SqliteStatement> insert_instance_;
  std::optional<SqliteStatement> update_instance_;
};

}  // namespace spotform
