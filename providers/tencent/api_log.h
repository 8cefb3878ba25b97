#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/error.h"
#include "providers/tencent/http_transport.h"

namespace spotform {

// Receives one finished log record (several lines, no trailing newline) at a time.
using LogSink = std::function<void(std::string_view record)>;

// ApiLog writes the --verbose request dumps: for each call the action, region, endpoint,
// headers (Authorization signature and X-TC-Token redacted) and body (password-like fields
// redacted), then the reply's status and body, or the error. Every record is also scrubbed of
// the given secret strings, so a secret key or token can never reach the sink. Calls from many
// threads are serialized; the sink is called under the lock. Owns its sink and secret copies.
class ApiLog {
 public:
  ApiLog(LogSink sink, std::vector<std::string> secrets, size_t max_reply_bytes = 4096)
      : sink_(std::move(sink)), secrets_(std::move(secrets)), max_reply_bytes_(max_reply_bytes) {}

  void Request(std::string_view action, std::string_view region, const HttpRequest& request);
  void Reply(std::string_view action, const HttpResponse& response,
             std::chrono::milliseconds elapsed);
  void Failure(std::string_view action, const Error& error, std::chrono::milliseconds elapsed);

 private:
  void Emit(std::string record);

  std::mutex mutex_;
  LogSink sink_;
  std::vector<std::string> secrets_;
  size_t max_reply_bytes_;
};

}  // namespace spotform
