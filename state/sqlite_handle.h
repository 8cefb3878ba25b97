#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/model/result.h"

namespace spotform {

// Deleters so that std::unique_ptr owns SQLite's handles.
struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

// Turns an SQLite result code into an Error about the state file at `path`: corruption and
// foreign files name the file and what to do, a busy database is kConflict, anything else
// is kInternal with SQLite's own message.
Error SqliteError(sqlite3* db, int code, const std::string& path);

// One prepared statement, owned. Parameters are 1-based (SQLite's convention), columns
// 0-based. A failed bind is remembered and reported by the next Step().
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* statement, const std::string* path)
      : db_(db), statement_(statement), path_(path) {}

  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& Bind(int index, int64_t number);
  SqliteStatement& BindNull(int index);

  // Advances one row: true when a row is available, false when the statement is done.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();
  // Makes the statement ready to run again with new parameters.
  void Reset();

  std::string ColumnText(int column) const;
  int64_t ColumnInt(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  void NoteBind(int code);

  sqlite3* db_;  // not owned; the SqliteDb outlives its statements
  std::unique_ptr<sqlite3_stmt, SqliteFinalizer> statement_;
  const std::string* path_;  // the owning SqliteDb's path, for messages
  int bind_error_ = SQLITE_OK;
};

// One connection to an SQLite file, owned; closed on destruction. Knows the path it was
// opened with, so every error it reports names the file.
class SqliteDb {
 public:
  // Opens `path` with sqlite3_open_v2 `flags` (never SQLITE_OPEN_CREATE for an existing state).
  static Result<SqliteDb> Open(const std::string& path, int flags);

  // Runs one or more statements that return no rows.
  Status Exec(const std::string& sql);
  Result<SqliteStatement> Prepare(std::string_view sql);
  // Runs a query whose first row's first column is an integer (e.g. a pragma).
  Result<int64_t> QueryInt(std::string_view sql);
  // Runs a query whose first row's first column is text; nullopt when it returns no row.
  Result<std::optional<std::string>> QueryText(std::string_view sql);

  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const { return sqlite3_changes64(db_.get()); }
  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }
  Error ErrorFrom(int code) const { return SqliteError(db_.get(), code, *path_); }
  const std::string& path() const { return *path_; }
  // The connection itself, for SQLite calls this class does not wrap (the backup API).
  sqlite3* raw() const { return db_.get(); }

 private:
  SqliteDb(std::unique_ptr<sqlite3, SqliteCloser> db, std::string path)
      : db_(std::move(db)), path_(std::make_unique<std::string>(std::move(path))) {}

  std::unique_ptr<sqlite3, SqliteCloser> db_;
  // Boxed so statements can point at it while the SqliteDb itself moves.
  std::unique_ptr<std::string> path_;
};

}  // namespace spotform
