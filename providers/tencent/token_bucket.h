#pragma once

#include <chrono>
#include <mutex>

#include "engine/model/clock.h"

namespace spotform {

// TokenBucket paces calls to `rate` per second with at most `burst` at once. Acquire() reserves
// the next token under a lock (the balance may go negative: later callers queue behind earlier
// ones) and then sleeps through the Clock until that token is due, so N callers from any
// threads are spaced 1/rate apart once the burst is spent. Thread-safe; borrows the clock.
class TokenBucket {
 public:
  // rate > 0 tokens per second; burst >= 1. The bucket starts full.
  TokenBucket(double rate, double burst, Clock& clock);

  // Waits (through the Clock) until a token is available and takes it. Returns the wait.
  std::chrono::nanoseconds Acquire();

  double rate() const { return rate_; }

 private:
  const double rate_;
  const double burst_;
  Clock& clock_;
  std::mutex mutex_;
  double tokens_;                  // guarded by mutex_; negative = reserved ahead
  Clock::SteadyTime last_refill_;  // guarded by mutex_
};

}  // namespace spotform
