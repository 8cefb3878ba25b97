#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "engine/model/clock.h"

namespace spotform {

// FakeClock is a Clock that never waits: SleepFor records the duration and advances both
// wall and steady time by it. Tests read sleeps() to assert backoff schedules.
class FakeClock final : public Clock {
 public:
  // Starts at 2026-01-01T00:00:00Z.
  FakeClock() : wall_(std::chrono::sys_days(std::chrono::year{2026} / 1 / 1)) {}

  WallTime Now() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return wall_;
  }
  SteadyTime SteadyNow() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return steady_;
  }
  void SleepFor(std::chrono::nanoseconds duration) override {
    std::lock_guard<std::mutex> lock(mutex_);
    sleeps_.push_back(duration);
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
    steady_ += duration;
  }

  void Advance(std::chrono::nanoseconds duration) {
    std::lock_guard<std::mutex> lock(mutex_);
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
    steady_ += duration;
  }
  void SetWall(WallTime wall) {
    std::lock_guard<std::mutex> lock(mutex_);
    wall_ = wall;
  }
  std::vector<std::chrono::nanoseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }

 private:
  mutable std::mutex mutex_;
  WallTime wall_;
  SteadyTime steady_{};
  std::vector<std::chrono::nanoseconds> sleeps_;
};

}  // namespace spotform
