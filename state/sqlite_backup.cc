#include "state/sqlite_backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "state/snapshot_reader.h"
#include "state/sqlite_transaction.h"

namespace spotform {

std::string SqliteBackupPath(const std::string& state_path) { return state_path + ".backup"; }

Status StageSqliteBackup(const std::string& state_path, const std::string& temp_path) {
  // A connection of its own: SQLite cannot copy from one inside a write transaction, and
  // this one reads the last committed state (WAL), which no one can change while the
  // caller's write transaction holds the write lock.
  Result<SqliteDb> source = SqliteDb::Open(state_path, SQLITE_OPEN_READWRITE);
  if (!source.ok()) return source.error();
  sqlite3_busy_timeout(source->raw(), 5000);
  ::unlink(temp_path.c_str());
  const int fd = ::open(temp_path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0) {
    const std::string why = std::generic_category().message(errno);
    if (fd >= 0) ::close(fd);
    return Error(ErrorKind::kInternal, "cannot write the state backup " + temp_path + ": " + why);
  }
  ::close(fd);
  Result<SqliteDb> copy = SqliteDb::Open(temp_path, SQLITE_OPEN_READWRITE);
  if (!copy.ok()) {
    DropSqliteBackup(temp_path);
    return copy.error();
  }
  sqlite3_backup* backup = sqlite3_backup_init(copy->raw(), "main", source->raw(), "main");
  if (backup == nullptr) {
    Error error = copy->ErrorFrom(sqlite3_errcode(copy->raw()));
    DropSqliteBackup(temp_path);
    return error;
  }
  const int stepped = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (stepped != SQLITE_DONE || finished != SQLITE_OK) {
    Error error = copy->ErrorFrom(stepped != SQLITE_DONE ? stepped : finished);
    DropSqliteBackup(temp_path);
    return error;
  }
  // The copy says WAL like its source; a rollback-journal file is read without leaving
  // -wal and -shm files beside it.
  Result<std::optional<std::string>> mode = copy->QueryText("PRAGMA journal_mode = DELETE");
  if (!mode.ok()) {
    DropSqliteBackup(temp_path);
    return mode.error();
  }
  return Status::Ok();
}

Status CommitSqliteBackup(const std::string& temp_path, const std::string& backup_path) {
  if (std::rename(temp_path.c_str(), backup_path.c_str()) != 0) {
    const std::string why = std::generic_category().message(errno);
    DropSqliteBackup(temp_path);
    return Error(ErrorKind::kInternal, "cannot keep the state backup " + backup_path + ": " + why);
  }
  return Status::Ok();
}

void DropSqliteBackup(const std::string& temp_path) { ::unlink(temp_path.c_str()); }

Result<std::optional<StateSnapshot>> ReadSqliteBackup(const std::string& backup_path) {
  struct stat info {};
  if (::stat(backup_path.c_str(), &info) != 0) return std::optional<StateSnapshot>();
  Result<SqliteDb> db = SqliteDb::Open(backup_path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.error();
  Result<SqliteTransaction> transaction =
      SqliteTransaction::Begin(*db, SqliteTransaction::Kind::kRead);
  if (!transaction.ok()) return transaction.error();
  Result<StateSnapshot> snapshot = ReadSnapshot(*db);
  if (!snapshot.ok()) return snapshot.error();
  return std::optional<StateSnapshot>(std::move(*snapshot));
}

std::optional<StateBackupInfo> DescribeSqliteBackup(const std::string& backup_path) {
  struct stat info {};
  if (::stat(backup_path.c_str(), &info) != 0) return std::nullopt;
  Result<SqliteDb> db = SqliteDb::Open(backup_path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return std::nullopt;
  Result<std::optional<std::string>> lineage =
      db->QueryText("SELECT value FROM meta WHERE key = 'lineage'");
  Result<std::optional<std::string>> serial =
      db->QueryText("SELECT value FROM meta WHERE key = 'serial'");
  if (!lineage.ok() || !serial.ok() || !lineage->has_value() || !serial->has_value()) {
    return std::nullopt;
  }
  StateBackupInfo backup;
  backup.where = backup_path;
  backup.lineage = **lineage;
  backup.serial = std::strtoll((*serial)->c_str(), nullptr, 10);
  return backup;
}

std::string SqliteRestoreAdvice(const std::string& state_path) {
  const std::string backup_path = SqliteBackupPath(state_path);
  std::optional<StateBackupInfo> backup = DescribeSqliteBackup(backup_path);
  if (backup.has_value()) {
    return "its backup " + backup_path + " (serial " + std::to_string(backup->serial) +
           ") holds the state before the latest write: run `spotform state restore --backup`, "
           "or if that cannot open the state either, replace " +
           state_path + " with a copy of the backup while no spotform runs";
  }
  return "no backup of it exists (" + backup_path +
         " is missing or unreadable): restore it from a copy of your own";
}

}  // namespace spotform
