#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <tuple>

#include "engine/apply/executor.h"
#include "engine/plan/plan.h"
#include "engine/apply/progress.h"

namespace spotform {

// ProgressPrinter shows what apply and destroy are doing while they work. On a terminal
// (`live`) each environment that waits for capacity keeps one line, redrawn in place:
//   env.render  4/6 running, 2 pending, 0:42
// with step events printed above the live block. Elsewhere (pipes, CI logs) every event is
// one line, and a wait is printed only when its counts change. Thread-safe: the executor
// calls it from its workers. Borrows `out`, which must outlive it.
class ProgressPrinter final : public ProgressObserver {
 public:
  ProgressPrinter(std::ostream& out, bool live);

  void StepStarted(const std::string& address, const Step& step) override;
  void StepFinished(const std::string& address, const Step& step, const Status& status) override;
  void Waiting(const std::string& address, int target, int running, int pending,
               std::chrono::seconds elapsed) override;
  void Note(const std::string& address, const std::string& message) override;

  // Erases the live block; call before printing anything else (the final table).
  void Finish();

 private:
  void PrintEventLocked(const std::string& line);
  void EraseLiveLocked();
  void DrawLiveLocked();

  std::mutex mutex_;
  std::ostream& out_;
  const bool live_;
  std::map<std::string, std::string> live_lines_;                 // address -> its live line
  int drawn_ = 0;                                                 // live lines on screen now
  std::map<std::string, std::tuple<int, int, int>> last_counts_;  // non-live dedupe
};

// "0:42", "12:05", "1:02:03".
std::string FormatElapsed(std::chrono::seconds elapsed);

// The final table of what each environment did (no-op changes left out):
//   ENVIRONMENT  LAUNCHED  RELEASED  RESULT       ERROR
//   env.render          4         0  done
//   env.farm            0         0  failed       env.farm: ...
std::string RenderApplyReport(const Plan& plan, const ApplyReport& report);

}  // namespace spotform
