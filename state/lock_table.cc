#include "state/lock_table.h"

#include "state/state_codec.h"

namespace spotform {

Result<std::vector<LockInfo>> ReadStateLocks(SqliteDb& db) {
  Result<SqliteStatement> select = db.Prepare(
      "SELECT id, operation, holder_user, holder_host, pid, created, scope FROM state_locks "
      "ORDER BY created, id");
  if (!select.ok()) return select.error();
  std::vector<LockInfo> locks;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.error();
    if (!*row) return locks;
    LockInfo lock;
    lock.id = select->ColumnText(0);
    lock.operation = select->ColumnText(1);
    lock.user = select->ColumnText(2);
    lock.host = select->ColumnText(3);
    lock.pid = select->ColumnInt(4);
    lock.created = DecodeTime(select->ColumnInt(5));
    if (!LockScope::Decode(select->ColumnText(6), lock.scope)) {
      return Error(ErrorKind::kInvalidInput,
                   "state file " + db.path() + " is corrupt: lock ID " + lock.id +
                       " has an unreadable scope; remove it with `spotform force-unlock " +
                       lock.id + "`");
    }
    locks.push_back(std::move(lock));
  }
}

Status InsertStateLock(SqliteDb& db, const LockInfo& lock) {
  Result<SqliteStatement> insert = db.Prepare(
      "INSERT INTO state_locks (id, operation, holder_user, holder_host, pid, created, scope) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return insert.error();
  return insert->Bind(1, lock.id)
      .Bind(2, lock.operation)
      .Bind(3, lock.user)
      .Bind(4, lock.host)
      .Bind(5, lock.pid)
      .Bind(6, EncodeTime(lock.created))
      .Bind(7, lock.scope.Encode())
      .Run();
}

Result<bool> DeleteStateLock(SqliteDb& db, const std::string& lock_id) {
  Result<SqliteStatement> remove = db.Prepare("DELETE FROM state_locks WHERE id = ?1");
  if (!remove.ok()) return remove.error();
  Status removed = remove->Bind(1, lock_id).Run();
  if (!removed.ok()) return removed.error();
  return db.Changes() > 0;
}

}  // namespace spotform
