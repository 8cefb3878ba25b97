#pragma once

#include <chrono>
#include <map>
#include <string>

#include "engine/model/clock.h"

namespace spotform {

// Backoff spaces out the retries of something that keeps failing, one schedule per key (the
// watch keeper keys it by pool id). After the n-th failure in a row the next try is due
// `base * 2^n` later (twice the base after the first failure, then doubling), never more than
// `cap`; a success forgets the key, so the next failure starts over. Pure bookkeeping: callers
// pass the time in (Clock::SteadyNow()), so tests drive it with a FakeClock. Not thread-safe.
class Backoff {
 public:
  // `cap` below `base` is raised to `base`.
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap);

  // Records a failure of `key` at `now`; returns the delay until its next try.
  std::chrono::milliseconds Failed(const std::string& key, Clock::SteadyTime now);
  // Records a success: `key` is due at once and its next failure starts the schedule over.
  void Succeeded(const std::string& key);
  // True when `key` may be tried at `now` (never failed, succeeded since, or its delay passed).
  bool Due(const std::string& key, Clock::SteadyTime now) const;
  // Failures of `key` in a row (0 when none).
  int Failures(const std::string& key) const;

 private:
  struct Entry {
    int failures = 0;
    Clock::SteadyTime next_try;
  };

  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  std::map<std::string, Entry> entries_;
};

// A delay as people write it: "400ms", "40s", "2m", "2m30s", "1h".
std::string FormatDelay(std::chrono::milliseconds delay);

}  // namespace spotform
