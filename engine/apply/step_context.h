#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "engine/apply/executor.h"
#include "engine/apply/launch_market.h"
#include "engine/apply/progress.h"
#include "engine/model/cloud.h"
#include "engine/model/state_snapshot.h"
#include "engine/model/state_store.h"

namespace spotform {

// What the step runners of one environment work with. References only: the executor owns
// (or borrows) everything and outlives the runners. `store` is safe to share between threads.
struct StepContext {
  Cloud& cloud;
  StateStore& store;
  Clock& clock;
  ProgressObserver& progress;
  const StopSignal& stop;
  const ExecutorOptions& options;
  std::string lineage;
  std::string environment;  // "render"
  LaunchMarket& market;

  std::string Address() const { return "env." + environment; }
};

// What one step did, for the change's report.
struct StepTally {
  int launched = 0;
  int released = 0;
  bool interrupted = false;  // a wait ended because the user asked to stop
  // A wait for new capacity was skipped (--no-wait): the old capacity must stay.
  bool capacity_unconfirmed = false;
};

// How a wait ended.
enum class WaitEnd { kDone, kTimedOut, kStopped };

// Calls `poll(elapsed)` until it returns true (kDone), `options.timeout` has passed since the
// first call (kTimedOut) or the stop signal is set (kStopped), sleeping `options.poll_interval`
// on the context's clock between calls. An error from `poll` ends the wait with that error.
Result<WaitEnd> PollUntil(StepContext& context,
                          const std::function<Result<bool>(std::chrono::seconds)>& poll);

// The recorded pool `pool_id` of the context's environment; kNotFound when not recorded.
Result<Pool> LoadPool(StepContext& context, const std::string& pool_id);

// The tags spotform puts on what it launches: the user's tags plus the owner tags
// (lineage, environment, pool) that let a crashed apply's instances be found.
Tags OwnerTags(const EnvironmentSpec& spec, const std::string& lineage,
               const std::string& environment, const std::string& pool_id);

// `cause` with the subject first and everything in the message (the change's report shows
// messages): "env.render: release failed: CODE: message (RequestId r)".
Error Failed(const StepContext& context, const std::string& what, const Error& cause);

// True when the cloud may or may not have done what was asked (the request may not have
// arrived, or its answer was lost or throttled): an intent for it must stay open.
bool IsOutcomeUnknown(const Error& error);

// The error for a wait that the user's stop request ended; sets tally.interrupted.
Error InterruptedWait(StepContext& context, StepTally& tally, const std::string& what);

}  // namespace spotform
