#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "engine/model/state_store.h"
#include "state/lock_fence.h"
#include "state/pg_connection.h"
#include "state/pg_lock.h"

namespace spotform {

// PgStateStore keeps one spotform state, the workspace `workspace`, in a PostgreSQL
// database that may hold many (the team backend). It owns one connection (session) for its
// lifetime: a lock it takes lives as long as the store, and ends with the process however
// it ends. Every Apply is one transaction that locks the workspace's state row, so serial
// and lineage behave as in the SQLite file. The Clock (owned by the caller, outliving the
// store) stamps locks and intents and paces lock waits. Nothing is written for a workspace
// until its first Apply, Lock or Import; until then Load reports serial 0 and the lineage
// the first write will record. The first Apply of each command (after opening, or after
// Lock) first keeps the workspace's previous serial as its backup, in the same transaction.
// Writes are fenced (StateStore::LockLost): each locks and checks the lock row in its own
// transaction, and a lost session refuses every later write.
class PgStateStore final : public StateStore {
 public:
  // Use OpenPgStateStore, which connects and creates or migrates the schema.
  PgStateStore(PgConnection conn, std::string workspace, Clock& clock);

  Result<StateSnapshot> Load() override;
  Result<ApplyOutcome> Apply(const StateEdit& edit) override;
  Result<LockInfo> Lock(const LockRequest& request) override;
  Status Unlock(const std::string& lock_id) override;
  Result<std::vector<LockInfo>> CurrentLocks() override;
  Status ForceUnlock(const std::string& lock_id) override;
  Status Import(const StateSnapshot& snapshot) override;
  Result<std::optional<StateBackupInfo>> DescribeBackup() override;
  Result<RestoreOutcome> RestoreBackup() override;
  std::optional<Error> LockLost() override;
  // "postgresql://HOST/DB (workspace W)", the password redacted.
  std::string Name() const override { return name_; }

  const std::string& workspace() const { return workspace_; }
  // This state's advisory lock key (PgStateLockKey; held shared by environment locks).
  int64_t advisory_key() const { return key_; }

 private:
  // The bodies of Apply, RestoreBackup and Import: one write transaction each.
  Result<ApplyOutcome> Write(const StateEdit& edit);
  Result<RestoreOutcome> Restore();
  Status ImportInto(const StateSnapshot& snapshot);
  // Inserts the workspace's state row if missing, then locks it for this transaction.
  Status LockStateRow();
  // Inside a write transaction, after LockStateRow: locks the workspace's lock rows FOR
  // UPDATE and checks them against the lock this store took and the environments the
  // write names (LockFence::Check).
  Status CheckFence(const std::vector<std::string>& environments);
  // Before a write (or after an error): a session gone while holding the lock means the
  // lock went with it; the lost-lock error then, else nullopt.
  std::optional<Error> SessionLost();
  // `error`, or the lost-lock error when it came from losing the session under the lock.
  Error Fenced(const Error& error);
  // kNotFound for a lock ID not held (NoSuchLock), naming those that are.
  Error NoLock(const std::string& lock_id);

  PgConnection conn_;
  std::string workspace_;
  std::string name_;
  Clock& clock_;
  std::string pending_lineage_;  // the lineage the workspace's first write records
  int64_t key_;
  // The lock this store's session holds (its id), and whether it was lost. The connection is
  // never reopened: a session that ended took the advisory lock with it, so this store then
  // refuses every write, and the next run takes the lock over and settles.
  LockFence fence_;
  PgAdvisoryKeys held_keys_;  // the advisory locks of the lock held, while fence_ holds one
  // True until this store's first write since it was opened or last locked: that write first
  // keeps the workspace as it was (state/pg_backup.h).
  bool backup_due_ = true;
};

// Connects to `url` (libpq URL; the password from the URL, PGPASSWORD or ~/.pgpass),
// creates or migrates the schema, and opens state `workspace`. Errors show the URL only
// with its password redacted.
Result<std::unique_ptr<PgStateStore>> OpenPgStateStore(const std::string& url,
                                                       const std::string& workspace, Clock& clock);

}  // namespace spotform
