#include "state/sqlite_handle.h"

#include <utility>

#include "state/sqlite_backup.h"

namespace spotform {

Error SqliteError(sqlite3* db, int code, const std::string& path) {
  const int primary = code & 0xff;
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  switch (primary) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error(ErrorKind::kInvalidInput, "state file " + path + " is corrupt (" + detail +
                                                 "); " + SqliteRestoreAdvice(path));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ErrorKind::kConflict,
                   "state file " + path + " is busy: another spotform is writing it; try again");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return Error(ErrorKind::kInvalidInput, "state file " + path + ": " + detail);
    default:
      return Error(ErrorKind::kInternal, "state file " + path + ": SQLite error: " + detail);
  }
}

void SqliteStatement::NoteBind(int code) {
  if (code != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = code;
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view text) {
  NoteBind(sqlite3_bind_text64(statement_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8));
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t number) {
  NoteBind(sqlite3_bind_int64(statement_.get(), index, number));
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  NoteBind(sqlite3_bind_null(statement_.get(), index));
  return *this;
}

Result<bool> SqliteStatement::Step() {
  if (bind_error_ != SQLITE_OK) return SqliteError(db_, bind_error_, *path_);
  const int code = sqlite3_step(statement_.get());
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return SqliteError(db_, code, *path_);
}

Status SqliteStatement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.error();
    if (!*row) return Status::Ok();
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
  bind_error_ = SQLITE_OK;
}

std::string SqliteStatement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_.get(), column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

int64_t SqliteStatement::ColumnInt(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

Result<SqliteDb> SqliteDb::Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);  // sqlite3_open_v2 may allocate on failure
  if (code != SQLITE_OK) return SqliteError(db.get(), code, path);
  sqlite3_extended_result_codes(db.get(), 1);
  return SqliteDb(std::move(db), path);
}

Status SqliteDb::Exec(const std::string& sql) {
  const int code = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) return ErrorFrom(code);
  return Status::Ok();
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int code =
      sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  SqliteStatement statement(db_.get(), raw, path_.get());
  if (code != SQLITE_OK) return ErrorFrom(code);
  return statement;
}

Result<int64_t> SqliteDb::QueryInt(std::string_view sql) {
  Result<SqliteStatement> statement = Prepare(sql);
  if (!statement.ok()) return statement.error();
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.error();
  if (!*row) return Error(ErrorKind::kInternal, "state file " + path() + ": no row from query");
  return statement->ColumnInt(0);
}

Result<std::optional<std::string>> SqliteDb::QueryText(std::string_view sql) {
  Result<SqliteStatement> statement = Prepare(sql);
  if (!statement.ok()) return statement.error();
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(statement->ColumnText(0));
}

}  // namespace spotform
