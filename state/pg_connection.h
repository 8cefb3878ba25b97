#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/result.h"

namespace spotform {

// Deleters so that std::unique_ptr owns libpq's handles.
struct PgConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct PgResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};

// One query parameter, sent as text ($1, $2, ...; the server infers or casts its type);
// nullopt is SQL NULL.
using PgParam = std::optional<std::string>;

// The rows of one query, owned. Columns are 0-based; values are read as text or integers.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}

  int Rows() const { return PQntuples(result_.get()); }
  std::string Text(int row, int column) const;
  int64_t Int(int row, int column) const;
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  // Rows an INSERT, UPDATE or DELETE changed.
  int64_t Affected() const;

 private:
  std::unique_ptr<PGresult, PgResultClearer> result_;
};

// PgConnection is one libpq session to the database of a PostgreSQL state, owned and closed
// on destruction (which also ends the session's advisory locks). Every statement is sent
// with PQexecParams: values travel as parameters, never inside the SQL text. `name` (the
// URL with its password redacted) is what errors show; the URL itself is never printed.
class PgConnection {
 public:
  // Connects to `url` (libpq's URL or key=value form; the password may come from the URL,
  // PGPASSWORD or ~/.pgpass). Fails with a message naming `name` and what to check.
  static Result<PgConnection> Connect(const std::string& url, const std::string& name);

  // Runs one statement with parameters; its rows (none for commands).
  Result<PgResult> Query(std::string_view sql, const std::vector<PgParam>& params = {});
  // Runs one statement and returns its first row's first column as an integer.
  Result<int64_t> QueryInt(std::string_view sql, const std::vector<PgParam>& params = {});
  // Runs one statement, ignoring its rows.
  Status Run(std::string_view sql, const std::vector<PgParam>& params = {});
  // Runs several statements of constant SQL (a schema step); never for text with values.
  Status RunScript(std::string_view sql);

  // This session's server process id (pg_backend_pid()).
  int BackendPid() const { return PQbackendPID(conn_.get()); }
  // True once libpq found the session gone (a statement failed on a lost connection, or the
  // server ended it). Nothing reconnects: the session's advisory locks went with it.
  bool Lost() const { return PQstatus(conn_.get()) == CONNECTION_BAD; }
  const std::string& name() const { return *name_; }

 private:
  PgConnection(std::unique_ptr<PGconn, PgConnCloser> conn, std::string name)
      : conn_(std::move(conn)), name_(std::make_unique<std::string>(std::move(name))) {}

  std::unique_ptr<PGconn, PgConnCloser> conn_;
  std::unique_ptr<std::string> name_;  // boxed so the object moves cheaply
};

// A transaction on a PgConnection: BEGIN in Begin, COMMIT in Commit, ROLLBACK when it goes
// out of scope uncommitted (so an early error return undoes everything). Borrows the
// connection, which must outlive it.
class PgTransaction {
 public:
  // `mode` follows BEGIN, e.g. "ISOLATION LEVEL REPEATABLE READ READ ONLY"; "" for defaults.
  static Result<PgTransaction> Begin(PgConnection& conn, std::string_view mode = "");
  PgTransaction(PgTransaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  PgTransaction& operator=(PgTransaction&&) = delete;
  ~PgTransaction();

  Status Commit();

 private:
  explicit PgTransaction(PgConnection& conn) : conn_(&conn) {}
  PgConnection* conn_;  // nullptr once committed or moved from
};

// A new 63-bit-safe key for pg_advisory_lock: the first 8 bytes of SHA-256(`text`) as a
// signed 64-bit integer, so states never share a key with each other or with another
// program's small integers.
int64_t AdvisoryLockKey(std::string_view text);

}  // namespace spotform
