#pragma once

#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "engine/model/clock.h"
#include "providers/tencent/api_caller.h"

namespace spotform {

// FakeApiCaller answers Calls from a script (one queued result per call; success with an empty
// body when the script is empty) and records each request with the steady time it arrived.
class FakeApiCaller final : public ApiCaller {
 public:
  explicit FakeApiCaller(const Clock& clock) : clock_(clock) {}

  void Push(Result<ApiResponse> result) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(std::move(result));
  }
  void PushError(Error error) { Push(std::move(error)); }

  Result<ApiResponse> Call(const ApiRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    times_.push_back(clock_.SteadyNow());
    if (script_.empty()) return ApiResponse{nlohmann::json::object(), "fake-request-id"};
    Result<ApiResponse> result = std::move(script_.front());
    script_.pop_front();
    return result;
  }

  std::vector<ApiRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::vector<Clock::SteadyTime> times() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return times_;
  }

 private:
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::deque<Result<ApiResponse>> script_;
  std::vector<ApiRequest> requests_;
  std::vector<Clock::SteadyTime> times_;
};

}  // namespace spotform
