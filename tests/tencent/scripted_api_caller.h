#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "providers/tencent/api_caller.h"

namespace spotform {

// ScriptedApiCaller is a fake ApiCaller for the typed operations: each action answers through
// a handler that computes the reply from the request (so parallel chunks and pages get the
// right replies in any order), and every request is recorded. An action without a handler
// fails the call with kInternal, so an unexpected call shows up in the test.
class ScriptedApiCaller final : public ApiCaller {
 public:
  using Handler = std::function<Result<nlohmann::json>(const ApiRequest&)>;

  void On(const std::string& action, Handler handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    handlers_[action] = std::move(handler);
  }
  // Always the same reply body.
  void Reply(const std::string& action, nlohmann::json body) {
    On(action, [body](const ApiRequest&) -> Result<nlohmann::json> { return body; });
  }
  // Always the same error.
  void Fail(const std::string& action, Error error) {
    On(action, [error](const ApiRequest&) -> Result<nlohmann::json> { return error; });
  }

  Result<ApiResponse> Call(const ApiRequest& request) override {
    Handler handler;
    std::string request_id;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
      request_id = "req-" + std::to_string(requests_.size());
      auto it = handlers_.find(request.action);
      if (it == handlers_.end()) {
        return Error(ErrorKind::kInternal, "ScriptedApiCaller: no handler for " + request.action);
      }
      handler = it->second;
    }
    Result<nlohmann::json> body = handler(request);
    if (!body.ok()) return body.error();
    return ApiResponse{std::move(*body), request_id};
  }

  std::vector<ApiRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  // The requests of one action, in arrival order (parallel calls arrive in any order).
  std::vector<ApiRequest> RequestsFor(const std::string& action) const {
    std::vector<ApiRequest> matching;
    for (const ApiRequest& request : requests()) {
      if (request.action == action) matching.push_back(request);
    }
    return matching;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Handler> handlers_;
  std::vector<ApiRequest> requests_;
};

}  // namespace spotform
