#pragma once

#include "engine/model/result.h"
#include "state/sqlite_handle.h"

namespace spotform {

// A transaction on one SqliteDb that rolls back unless Commit() succeeded (SQLiteCpp's idea).
// Writers begin IMMEDIATE so that two writers queue on the busy timeout at BEGIN rather than
// fail at their first write; readers begin DEFERRED and see one consistent snapshot.
class SqliteTransaction {
 public:
  enum class Kind { kRead, kWrite };

  static Result<SqliteTransaction> Begin(SqliteDb& db, Kind kind);

  SqliteTransaction(SqliteTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();

  Status Commit();

 private:
  explicit SqliteTransaction(SqliteDb* db) : db_(db) {}

  SqliteDb* db_;  // not owned; null once committed or rolled back
};

}  // namespace spotform
