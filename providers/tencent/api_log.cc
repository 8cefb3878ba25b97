#include "providers/tencent/api_log.h"

#include <nlohmann/json.hpp>

#include "providers/tencent/redaction.h"

namespace spotform {
namespace {

// The body with secret-bearing fields redacted; a body that is not JSON is not shown.
std::string SafeBody(const std::string& body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return "<" + std::to_string(body.size()) + " bytes, not JSON>";
  return RedactJson(parsed).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void ApiLog::Request(std::string_view action, std::string_view region, const HttpRequest& request) {
  std::string record = "api> " + std::string(action) +
                       " region=" + (region.empty() ? std::string("<none>") : std::string(region)) +
                       " endpoint=" + request.url;
  for (const auto& [name, value] : RedactHeaders(request.headers)) {
    record += "\napi>   " + name + ": " + value;
  }
  record += "\napi>   body: " + SafeBody(request.body);
  Emit(std::move(record));
}

void ApiLog::Reply(std::string_view action, const HttpResponse& response,
                   std::chrono::milliseconds elapsed) {
  std::string body = response.body.size() > max_reply_bytes_
                         ? response.body.substr(0, max_reply_bytes_) + "...(" +
                               std::to_string(response.body.size()) + " bytes)"
                         : response.body;
  Emit("api< " + std::string(action) + " HTTP " + std::to_string(response.status) + " in " +
       std::to_string(elapsed.count()) + " ms\napi<   body: " + body);
}

void ApiLog::Failure(std::string_view action, const Error& error,
                     std::chrono::milliseconds elapsed) {
  Emit("api< " + std::string(action) + " failed after " + std::to_string(elapsed.count()) +
       " ms: " + error.ToString());
}

void ApiLog::Emit(std::string record) {
  record = ScrubSecrets(std::move(record), secrets_);
  std::lock_guard<std::mutex> lock(mutex_);
  if (sink_) sink_(record);
}

}  // namespace spotform
