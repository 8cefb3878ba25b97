#include "state/sqlite_transaction.h"

namespace spotform {

Result<SqliteTransaction> SqliteTransaction::Begin(SqliteDb& db, Kind kind) {
  Status begun = db.Exec(kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!begun.ok()) return begun.error();
  return SqliteTransaction(&db);
}

SqliteTransaction::~SqliteTransaction() {
  if (db_ != nullptr) {
    // Nothing to report from a destructor: a failed rollback leaves SQLite to roll back the
    // journal when the connection closes.
    (void)db_->Exec("ROLLBACK");
  }
}

Status SqliteTransaction::Commit() {
  Status committed = db_->Exec("COMMIT");
  if (!committed.ok()) return committed;  // the destructor rolls back
  db_ = nullptr;
  return Status::Ok();
}

}  // namespace spotform
