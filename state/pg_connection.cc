#include "state/pg_connection.h"

#include <charconv>
#include <cstring>

#include "engine/model/crypto.h"

namespace spotform {
namespace {

// libpq's message on one line: "a\n\tb\n" becomes "a b".
std::string Trimmed(const char* text) {
  std::string out;
  bool space = false;
  for (const char* c = text != nullptr ? text : ""; *c != '\0'; ++c) {
    if (*c == '\n' || *c == '\t' || *c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(*c);
  }
  return out;
}

// Notices ("relation already exists, skipping") are not for users.
void IgnoreNotice(void*, const char*) {}

// A failed statement as an Error: lost connections are kTransport, serialization failures,
// deadlocks and unique violations kConflict, anything else kInternal with the server's words.
Error StatementError(PGconn* conn, const PGresult* result, const std::string& name) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string message = primary != nullptr ? primary : Trimmed(PQerrorMessage(conn));
  if (PQstatus(conn) == CONNECTION_BAD || sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01") {
    return Error(ErrorKind::kTransport, "state database " + name + ": the connection was lost (" +
                                            message + "); run the command again");
  }
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "23505" || sqlstate == "55P03") {
    return Error(ErrorKind::kConflict, "state database " + name + ": " + message +
                                           " (another spotform wrote at the same time); run "
                                           "the command again");
  }
  return Error(ErrorKind::kInternal, "state database " + name + ": " + message +
                                         (sqlstate.empty() ? "" : " (SQLSTATE " + sqlstate + ")"));
}

}  // namespace

std::string PgResult::Text(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  return value != nullptr ? value : "";
}

int64_t PgResult::Int(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  int64_t number = 0;
  if (value != nullptr) std::from_chars(value, value + std::strlen(value), number);
  return number;
}

int64_t PgResult::Affected() const {
  const char* tuples = PQcmdTuples(result_.get());
  int64_t number = 0;
  if (tuples != nullptr) std::from_chars(tuples, tuples + std::strlen(tuples), number);
  return number;
}

Result<PgConnection> PgConnection::Connect(const std::string& url, const std::string& name) {
  // Defaults first: settings in the URL win.
  const char* keywords[] = {"application_name", "connect_timeout", "dbname", nullptr};
  const char* values[] = {"spotform", "10", url.c_str(), nullptr};
  std::unique_ptr<PGconn, PgConnCloser> conn(
      PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (conn == nullptr) {
    return Error(ErrorKind::kInternal, "state database " + name + ": out of memory");
  }
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    const std::string why = Trimmed(PQerrorMessage(conn.get()));
    const bool auth = why.find("password") != std::string::npos ||
                      why.find("authentication") != std::string::npos;
    return Error(auth ? ErrorKind::kAuth : ErrorKind::kTransport,
                 "state database " + name + ": cannot connect: " + why +
                     (auth ? "; give the password in ~/.pgpass, PGPASSWORD or SPOTFORM_PG_URL"
                           : "; check state.url (or SPOTFORM_PG_URL) and that the server runs"));
  }
  PQsetNoticeProcessor(conn.get(), IgnoreNotice, nullptr);
  return PgConnection(std::move(conn), name);
}

Result<PgResult> PgConnection::Query(std::string_view sql, const std::vector<PgParam>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PgParam& param : params) values.push_back(param ? param->c_str() : nullptr);
  const std::string text(sql);
  PGresult* raw = PQexecParams(conn_.get(), text.c_str(), static_cast<int>(values.size()),
                               /*paramTypes=*/nullptr, values.data(), /*paramLengths=*/nullptr,
                               /*paramFormats=*/nullptr, /*resultFormat=*/0);
  PgResult result(raw);
  const ExecStatusType status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return StatementError(conn_.get(), raw, *name_);
  }
  return result;
}

Result<int64_t> PgConnection::QueryInt(std::string_view sql, const std::vector<PgParam>& params) {
  Result<PgResult> result = Query(sql, params);
  if (!result.ok()) return result.error();
  if (result->Rows() == 0 || result->IsNull(0, 0)) {
    return Error(ErrorKind::kInternal,
                 "state database " + *name_ + ": a query returned no value: " + std::string(sql));
  }
  return result->Int(0, 0);
}

Status PgConnection::Run(std::string_view sql, const std::vector<PgParam>& params) {
  Result<PgResult> result = Query(sql, params);
  return result.ok() ? Status::Ok() : Status(result.error());
}

Status PgConnection::RunScript(std::string_view sql) {
  const std::string text(sql);
  PGresult* raw = PQexec(conn_.get(), text.c_str());
  PgResult result(raw);
  const ExecStatusType status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return StatementError(conn_.get(), raw, *name_);
  }
  return Status::Ok();
}

Result<PgTransaction> PgTransaction::Begin(PgConnection& conn, std::string_view mode) {
  Status begun = conn.Run(mode.empty() ? std::string("BEGIN") : "BEGIN " + std::string(mode));
  if (!begun.ok()) return begun.error();
  return PgTransaction(conn);
}

PgTransaction::~PgTransaction() {
  if (conn_ != nullptr) (void)conn_->Run("ROLLBACK");
}

Status PgTransaction::Commit() {
  PgConnection* conn = conn_;
  conn_ = nullptr;
  return conn->Run("COMMIT");
}

int64_t AdvisoryLockKey(std::string_view text) {
  const std::string hex = Sha256Hex(text).substr(0, 16);
  uint64_t bits = 0;
  std::from_chars(hex.data(), hex.data() + hex.size(), bits, 16);
  return static_cast<int64_t>(bits);
}

}  // namespace spotform
