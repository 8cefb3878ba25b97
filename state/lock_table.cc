#include "state/lock_table.h"

#include "state/state_codec.h"

namespace spotform {

Result<std::optional<LockInfo>> ReadStateLock(SqliteDb& db) {
  Result<SqliteStatement> select =
      db.Prepare("SELECT id, operation, holder_user, holder_host, pid, created FROM state_lock");
  if (!select.ok()) return select.error();
  Result<bool> row = select->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<LockInfo>();
  LockInfo lock;
  lock.id = select->ColumnText(0);
  lock.operation = select->ColumnText(1);
  lock.user = select->ColumnText(2);
  lock.host = select->ColumnText(3);
  lock.pid = select->ColumnInt(4);
  lock.created = DecodeTime(select->ColumnInt(5));
  return std::optional<LockInfo>(std::move(lock));
}

Status InsertStateLock(SqliteDb& db, const LockInfo& lock) {
  Result<SqliteStatement> insert = db.Prepare(
      "INSERT INTO state_lock (slot, id, operation, holder_user, holder_host, pid, created) "
      "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert.ok()) return insert.error();
  Status inserted = insert->Bind(1, lock.id)
                        .Bind(2, lock.operation)
                        .Bind(3, lock.user)
                        .Bind(4, lock.host)
                        .Bind(5, lock.pid)
                        .Bind(6, EncodeTime(lock.created))
                        .Run();
  if (!inserted.ok() && inserted.error().kind() == ErrorKind::kInternal) {
    return Error(ErrorKind::kConflict, "state " + db.path() + " is already locked");
  }
  return inserted;
}

Result<bool> DeleteStateLock(SqliteDb& db, const std::string& lock_id) {
  Result<SqliteStatement> remove = db.Prepare("DELETE FROM state_lock WHERE id = ?1");
  if (!remove.ok()) return remove.error();
  Status removed = remove->Bind(1, lock_id).Run();
  if (!removed.ok()) return removed.error();
  return db.Changes() > 0;
}

}  // namespace spotform
