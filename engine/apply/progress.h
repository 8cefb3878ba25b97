#pragma once

#include <chrono>
#include <string>

#include "engine/plan/plan.h"
#include "engine/model/result.h"

namespace spotform {

// What the executor reports while it works. The command layer renders it (live lines on a
// terminal, one line per event otherwise); tests record it. Called from the executor's
// worker threads: implementations are thread-safe.
class ProgressObserver {
 public:
  virtual ~ProgressObserver() = default;
  virtual void StepStarted(const std::string& address, const Step& step) = 0;
  virtual void StepFinished(const std::string& address, const Step& step,
                            const Status& status) = 0;
  // While waiting for capacity: how many of `target` run and how many are on their way.
  virtual void Waiting(const std::string& address, int target, int running, int pending,
                       std::chrono::seconds elapsed) = 0;
  // Anything else worth a line: "settled an interrupted launch: ins-a, ins-b".
  virtual void Note(const std::string& address, const std::string& message) = 0;
};

// Says whether the user asked to stop (SIGINT/SIGTERM). The executor starts nothing new once
// it is set, finishes and records the calls in flight, and reports what was not done.
class StopSignal {
 public:
  virtual ~StopSignal() = default;
  virtual bool StopRequested() const = 0;
};

}  // namespace spotform
