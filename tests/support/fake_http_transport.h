#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "providers/tencent/http_transport.h"

namespace spotform {

// FakeHttpTransport answers POSTs from a script (one queued reply per call; when the script is
// empty it answers with `fallback`) and records every request it was given.
class FakeHttpTransport final : public HttpTransport {
 public:
  void Push(Result<HttpResponse> reply) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(std::move(reply));
  }
  // A 200 reply with this body.
  void PushBody(std::string body) { Push(HttpResponse{200, std::move(body)}); }

  Result<HttpResponse> Post(const HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    if (script_.empty()) return fallback_;
    Result<HttpResponse> reply = std::move(script_.front());
    script_.pop_front();
    return reply;
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Result<HttpResponse>> script_;
  Result<HttpResponse> fallback_ =
      HttpResponse{200, R"({"Response":{"RequestId":"fake-request-id"}})"};
  std::vector<HttpRequest> requests_;
};

}  // namespace spotform
