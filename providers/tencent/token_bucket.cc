#include "providers/tencent/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace spotform {

TokenBucket::TokenBucket(double rate, double burst, Clock& clock)
    : rate_(rate),
      burst_(std::max(1.0, burst)),
      clock_(clock),
      tokens_(burst_),
      last_refill_(clock.SteadyNow()) {}

std::chrono::nanoseconds TokenBucket::Acquire() {
  std::chrono::nanoseconds wait{0};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const Clock::SteadyTime now = clock_.SteadyNow();
    if (now > last_refill_) {
      const double elapsed = std::chrono::duration<double>(now - last_refill_).count();
      tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
      last_refill_ = now;
    }
    tokens_ -= 1.0;
    if (tokens_ < 0) {
      wait = std::chrono::nanoseconds(static_cast<int64_t>(std::ceil(-tokens_ / rate_ * 1e9)));
    }
  }
  if (wait.count() > 0) clock_.SleepFor(wait);
  return wait;
}

}  // namespace spotform
