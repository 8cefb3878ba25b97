#pragma once

#include <chrono>
#include <functional>

#include "engine/model/clock.h"
#include "providers/tencent/api_caller.h"

namespace spotform {

struct RetryPolicy {
  int max_attempts = 6;                        // first try included
  std::chrono::milliseconds base_delay{200};   // backoff before retry n: base * 2^(n-1)
  std::chrono::milliseconds max_delay{10000};  // cap of one backoff
  std::chrono::milliseconds max_total{60000};  // no retry starts after this much time
};

// Picks the actual sleep in [0, ceiling] (full jitter). Must be thread-safe.
using JitterFn = std::function<std::chrono::nanoseconds(std::chrono::nanoseconds ceiling)>;

// RetryingCaller wraps an ApiCaller and repeats failed calls with exponential backoff and full
// jitter: before retry n (n = 1, 2, ...) it sleeps Jitter(min(max_delay, base_delay * 2^(n-1)))
// through the Clock. It retries only errors IsRetryable() accepts, and an error that leaves the
// outcome unknown (timeout, HTTP 5xx, InternalError) only when the action's RepeatRule allows it
// (providers/tencent/verb_retry_rules.h); otherwise it returns that error at once, same kind and
// code, with a note that the outcome is unknown. The retried request is the same object, so a
// ClientToken in it is resent unchanged. It stops after max_attempts, or when the next sleep
// would end past max_total since the first attempt, and returns the last error with the attempt
// count appended to its message. Thread-safe; borrows the inner caller and the clock.
class RetryingCaller final : public ApiCaller {
 public:
  // jitter: nullptr for a uniform random pick (a seeded std::mt19937_64 under a mutex).
  RetryingCaller(ApiCaller& inner, Clock& clock, RetryPolicy policy = {},
                 JitterFn jitter = nullptr);

  Result<ApiResponse> Call(const ApiRequest& request) override;

 private:
  std::chrono::nanoseconds Backoff(int retry) const;

  ApiCaller& inner_;
  Clock& clock_;
  const RetryPolicy policy_;
  JitterFn jitter_;
};

}  // namespace spotform
