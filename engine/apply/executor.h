#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/apply/progress.h"
#include "engine/model/cloud.h"
#include "engine/model/state_store.h"
#include "engine/plan/plan.h"

namespace spotform {

class LaunchMarket;

struct ExecutorOptions {
  int parallelism = 10;                           // environments worked on at once
  std::chrono::seconds timeout{1800};             // bound on each wait for capacity
  bool wait = true;                               // false = --no-wait (batch returns early)
  int launch_failure_replacements = 3;            // LAUNCH_FAILED instances replaced per step
  std::chrono::milliseconds poll_interval{2000};  // between describes while waiting
  // What launches over fallback candidates know of the market (borrowed; null: each Apply
  // uses a fresh one). watch passes one for the whole process.
  LaunchMarket* market = nullptr;
};

// What happened to one change.
struct ChangeOutcome {
  std::string address;
  enum class Result { kDone, kFailed, kNotStarted, kInterrupted } result = Result::kNotStarted;
  int steps_done = 0;
  int launched = 0;
  int released = 0;
  std::string error;  // when failed: subject first, the cloud's code and what to change
};

struct ApplyReport {
  std::vector<ChangeOutcome> changes;  // in plan order
  bool interrupted = false;            // stopped by a signal
  // Set when the run lost the state's lock (StateStore::LockLost): what happened and what to
  // do. Every change then stopped; its open intents stay for the next run to settle.
  std::string lock_lost;
  bool ok() const;  // every change done
};

// The executor turns a plan into cloud calls and state writes. Environments run in
// parallel (options.parallelism), the steps of one environment in order. Before each cloud
// call that changes something it commits its intent to the state's journal (with the
// ClientToken of a launch or environment creation) and closes it right after recording the
// result, so a run killed at any moment is settled by the next one (Settle). It never
// releases an instance of a pool before that pool's lowered expected count is confirmed
// (spec §1). Owns nothing it is given: the cloud, store, clock, observer and stop signal must
// outlive it. The caller holds the state's lock; once the store reports it lost (a write was
// refused: force-unlock, take-over, lost PostgreSQL session), every change stops as if the
// user had asked to stop, and nothing more is written.
class Executor {
 public:
  Executor(Cloud& cloud, StateStore& store, Clock& clock, ProgressObserver& progress,
           const StopSignal& stop, const ExecutorOptions& options);

  // Finishes the intents an interrupted run left open: replays a launch or an environment
  // creation with its ClientToken and records what it returns, re-checks a release, re-applies
  // a count. Run before planning; afterwards the journal holds no intent of `scope` (the
  // environments this run locked; another run's intents may be in flight) or an error says
  // why not.
  Status Settle(const std::string& lineage, const LockScope& scope = LockScope::WholeState());

  // Executes `plan` (which must be current: the caller checks lineage, serial and digest).
  ApplyReport Apply(const Plan& plan, const std::string& lineage);

 private:
  Cloud& cloud_;
  StateStore& store_;
  Clock& clock_;
  ProgressObserver& progress_;
  const StopSignal& stop_;
  ExecutorOptions options_;
};

}  // namespace spotform
