#pragma once

#include <string>
#include <utility>

namespace spotform {

// What kind of failure an Error is. The engine branches on the kind, never on message text;
// cloud error codes are mapped to kinds in exactly one table (providers/tencent/error_table).
enum class ErrorKind {
  kInvalidInput,  // bad config, flags, plan file, or a request the cloud rejected as malformed
  kNotFound,      // the thing named does not exist
  kConflict,      // stale plan, lock held, resource busy beyond retrying
  kAuth,          // credentials missing or refused
  kCapacity,      // spot stock or bid price: the cloud cannot sell what was asked now
  kRetryable,     // throttling, transient server or network trouble
  kTransport,     // the request may not have reached the cloud, or the reply was unreadable
  kUnsupported,   // the cloud does not offer an option to this account or region (MinCount)
  kTerminal,      // the cloud refused for a reason retrying will not change
  kInternal,      // a bug or an impossible state in spotform itself
};

// Error is a value: a kind for code, a message for people, and, for cloud errors, the
// cloud's own code and RequestId. Messages name their subject first and never hold secrets.
class Error {
 public:
  Error(ErrorKind kind, std::string message, std::string code = "", std::string request_id = "")
      : kind_(kind),
        message_(std::move(message)),
        code_(std::move(code)),
        request_id_(std::move(request_id)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // The cloud's error code (e.g. "InvalidParameterValue.InsufficientPrice"), or "".
  const std::string& code() const { return code_; }
  const std::string& request_id() const { return request_id_; }

  // "code: message (RequestId r)" with the parts that are present.
  std::string ToString() const {
    std::string out = code_.empty() ? message_ : code_ + ": " + message_;
    if (!request_id_.empty()) out += " (RequestId " + request_id_ + ")";
    return out;
  }

  // Returns a copy whose message is prefixed with `subject: `.
  Error WithContext(const std::string& subject) const {
    return Error(kind_, subject + ": " + message_, code_, request_id_);
  }

 private:
  ErrorKind kind_;
  std::string message_;
  std::string code_;
  std::string request_id_;
};

}  // namespace spotform
