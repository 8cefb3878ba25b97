#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "engine/model/clock.h"
#include "providers/tencent/api_caller.h"
#include "providers/tencent/token_bucket.h"

namespace spotform {

struct ThrottleOptions {
  // Requests per second by action name; overrides the published figures of DefaultActionRate.
  std::map<std::string, double, std::less<>> rate_overrides;
  double default_rate = 2.0;  // actions without a published figure (conservative)
  double burst = 1.0;         // tokens a bucket may save up; 1 = strictly evenly spaced
  int max_in_flight = 8;      // requests being sent at once, over all actions
};

// Tencent's published per-action limit in requests per second (reference §1.6), or 0 when it
// publishes none. DescribeComputeEnvs uses the lower of two conflicting figures (2).
double DefaultActionRate(std::string_view action);

// ThrottleCaller wraps an ApiCaller with the client-side rate limits: one TokenBucket per action
// (created on first use at the override, published or default rate) and a bound on requests in
// flight. One instance is shared by every thread of the process, so the limits hold for the
// whole process. Waiting for a token goes through the Clock; waiting for an in-flight slot
// blocks on other threads' calls. Thread-safe; borrows inner and clock.
class ThrottleCaller final : public ApiCaller {
 public:
  ThrottleCaller(ApiCaller& inner, Clock& clock, ThrottleOptions options = {});

  Result<ApiResponse> Call(const ApiRequest& request) override;

  // The rate the bucket of `action` runs at (creating it if needed).
  double RateFor(std::string_view action);

 private:
  TokenBucket& BucketFor(std::string_view action);

  ApiCaller& inner_;
  Clock& clock_;
  const ThrottleOptions options_;
  std::mutex buckets_mutex_;
  std::map<std::string, std::unique_ptr<TokenBucket>, std::less<>> buckets_;
  std::mutex slots_mutex_;
  std::condition_variable slot_freed_;
  int in_flight_ = 0;  // guarded by slots_mutex_
};

}  // namespace spotform
