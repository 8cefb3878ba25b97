#include "engine/apply/step_context.h"

#include "engine/plan/refresh.h"

namespace spotform {

Result<WaitEnd> PollUntil(StepContext& context,
                          const std::function<Result<bool>(std::chrono::seconds)>& poll) {
  const Clock::SteadyTime start = context.clock.SteadyNow();
  while (true) {
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(context.clock.SteadyNow() - start);
    Result<bool> done = poll(elapsed);
    if (!done.ok()) return done.error();
    if (*done) return WaitEnd::kDone;
    if (context.clock.SteadyNow() - start >= context.options.timeout) return WaitEnd::kTimedOut;
    if (context.stop.StopRequested()) return WaitEnd::kStopped;
    context.clock.SleepFor(context.options.poll_interval);
  }
}

Result<Pool> LoadPool(StepContext& context, const std::string& pool_id) {
  Result<StateSnapshot> state = context.store.Load();
  if (!state.ok()) return state.error();
  auto env = state->environments.find(context.environment);
  if (env != state->environments.end()) {
    for (Pool& pool : env->second.pools) {
      // pool refers into the local snapshot, so there is no copy elision to lose: the move
      // saves a copy (cppcheck takes it for a local variable).
      // cppcheck-suppress returnStdMoveLocal
      if (pool.id == pool_id) return std::move(pool);
    }
  }
  return Error(ErrorKind::kNotFound,
               "pool " + pool_id + " of " + context.Address() + " is not in the state");
}

Tags OwnerTags(const EnvironmentSpec& spec, const std::string& lineage,
               const std::string& environment, const std::string& pool_id) {
  Tags tags = spec.tags;
  tags[kOwnerLineageTag] = lineage;
  tags[kOwnerEnvironmentTag] = environment;
  tags[kOwnerPoolTag] = pool_id;
  return tags;
}

Error Failed(const StepContext& context, const std::string& what, const Error& cause) {
  return Error(cause.kind(), context.Address() + ": " + what + " failed: " + cause.ToString(),
               cause.code(), cause.request_id());
}

Error InterruptedWait(StepContext& context, StepTally& tally, const std::string& what) {
  tally.interrupted = true;
  return Error(ErrorKind::kConflict, context.Address() + ": interrupted while waiting for " + what);
}

bool IsOutcomeUnknown(const Error& error) {
  return error.kind() == ErrorKind::kTransport || error.kind() == ErrorKind::kRetryable;
}

}  // namespace spotform
