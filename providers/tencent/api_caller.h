#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/model/result.h"

namespace spotform {

// One call of the Tencent Cloud API 3.0 (POST / with a JSON body, TC3-signed).
struct ApiRequest {
  std::string service;  // "cvm" or "batch": chooses the endpoint host and the signing scope
  std::string action;   // e.g. "RunInstances"
  std::string version = "2017-03-12";
  std::string region;  // X-TC-Region
  // Whether a retry may repeat the call is the action's rule (providers/tencent/verb_retry_rules),
  // never the call site's choice; a ClientToken here is resent unchanged by a retry.
  nlohmann::json params = nlohmann::json::object();
};

// A successful reply: the "Response" object without its RequestId, and the RequestId.
struct ApiResponse {
  nlohmann::json body;
  std::string request_id;
};

// ApiCaller sends one API request and returns the parsed reply or a classified Error
// (ErrorKind from providers/tencent/error_table; code() and request_id() from the cloud).
// Implementations are thread-safe. The layers (transport, signing, retries, rate limits)
// are ApiCallers wrapping one another; typed operations depend only on this interface.
class ApiCaller {
 public:
  virtual ~ApiCaller() = default;
  virtual Result<ApiResponse> Call(const ApiRequest& request) = 0;
};

}  // namespace spotform
