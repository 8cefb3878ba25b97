#pragma once

#include <chrono>
#include <thread>

namespace spotform {

// Clock owns every reading of time and every sleep, so that retries, rate limits, timeouts
// and the emulator's ticks can be tested with a fake that advances instantly.
class Clock {
 public:
  using WallTime = std::chrono::system_clock::time_point;
  using SteadyTime = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  // Calendar time, for timestamps sent to or shown by the cloud.
  virtual WallTime Now() const = 0;
  // Monotonic time, for measuring intervals.
  virtual SteadyTime SteadyNow() const = 0;
  virtual void SleepFor(std::chrono::nanoseconds duration) = 0;
};

// The real clock.
class SystemClock final : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
  SteadyTime SteadyNow() const override { return std::chrono::steady_clock::now(); }
  void SleepFor(std::chrono::nanoseconds duration) override {
    std::this_thread::sleep_for(duration);
  }
};

}  // namespace spotform
