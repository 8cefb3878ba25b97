#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "engine/model/clock.h"

namespace spotform::sim {

// ServerRateLimiter enforces Tencent Cloud's published per-action request rates (reference
// §1.6) on the emulator's side: at most N calls of an action per wall-clock second, counted on
// arrival (a fixed one-second window, as the real service measures). Actions without a
// published figure are not limited, except DescribeAccountQuota (20/s, unconfirmed; see .cc).
// Disabled entirely by `--no-rate-limit`. Thread-safe: one short critical section per call. The
// clock must outlive it.
class ServerRateLimiter {
 public:
  ServerRateLimiter(const Clock& clock, bool enabled);

  // Counts one call of `action`; false if it exceeds the action's limit for this second.
  bool Admit(const std::string& action);
  // The published limit per second, or 0 when the action is not limited.
  static int LimitOf(const std::string& action);
  // Forgets every window (control API reset).
  void Reset();

 private:
  struct Window {
    int64_t second = 0;
    int count = 0;
  };

  const Clock& clock_;
  const bool enabled_;
  std::mutex mutex_;
  std::map<std::string, Window> windows_;
};

}  // namespace spotform::sim
