#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <ostream>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <tuple>

#include "engine/apply/executor.h"
#include "engine/apply/progress.h"
#include "engine/model/clock.h"
#include "engine/plan/plan.h"

namespace spotform {

// ProgressPrinter shows what apply and destroy are doing while they work, in the user's
// words: "env.render: add capacity ...", then "env.render: capacity recorded (expected count
// 6)". On a terminal (`live`) each environment that waits for capacity keeps one line,
// redrawn in place every second so its timer moves between polls:
//   env.render  4/6 running, 2 pending, 0:42
// with step events printed above the live block; when the wait ends (or the run stops) its
// last state stays printed. Elsewhere (pipes, CI logs) every event is one line, and a wait is
// printed only when its counts change. Thread-safe: the executor calls it from its workers
// and, when live, a ticker thread of its own redraws. Borrows `out` and `clock`, which must
// outlive it.
class ProgressPrinter final : public ProgressObserver {
 public:
  ProgressPrinter(std::ostream& out, bool live, const Clock& clock);
  ~ProgressPrinter() override;
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;

  void StepStarted(const std::string& address, const Step& step) override;
  void StepFinished(const std::string& address, const Step& step, const Status& status) override;
  void Waiting(const std::string& address, int target, int running, int pending,
               std::chrono::seconds elapsed) override;
  void Note(const std::string& address, const std::string& message) override;

  // Stops the redraws and leaves every live line printed as it last was; call before
  // printing anything else (the final table).
  void Finish();

 private:
  // One environment's wait as last reported, and when, so the timer can move on from it.
  struct Wait {
    int target = 0;
    int running = 0;
    int pending = 0;
    std::chrono::seconds elapsed{0};
    Clock::SteadyTime reported;
  };

  std::string WaitLineLocked(const std::string& address, const Wait& wait) const;
  void KeepWaitLineLocked(const std::string& address);  // prints it for good, drops it
  void PrintEventLocked(const std::string& line);
  void EraseLiveLocked();
  void DrawLiveLocked();
  void Tick(const std::stop_token& stop);

  std::mutex mutex_;
  std::condition_variable_any tick_;
  std::ostream& out_;
  const bool live_;
  const Clock& clock_;
  std::map<std::string, Wait> waits_;  // live: address -> its wait, drawn in the live block
  int drawn_ = 0;                      // live lines on screen now
  std::set<std::string> waited_;       // addresses whose current step reported a wait
  std::map<std::string, std::tuple<int, int, int>> last_counts_;  // non-live dedupe
  std::jthread ticker_;                                           // live only; last member
};

// "0:42", "12:05", "1:02:03".
std::string FormatElapsed(std::chrono::seconds elapsed);

// The final table of what each environment did (no-op changes left out; Batch nodes
// requested count as launched):
//   ENVIRONMENT  LAUNCHED  RELEASED  RESULT       ERROR
//   env.render          4         0  done
//   env.farm            0         0  failed       env.farm: ...
std::string RenderApplyReport(const Plan& plan, const ApplyReport& report);

}  // namespace spotform
