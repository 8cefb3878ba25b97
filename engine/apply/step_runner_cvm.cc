#include "engine/apply/step_runner_cvm.h"

#include "engine/apply/journal.h"
#include "engine/model/cloud_state_text.h"
#include "engine/model/words.h"
#include "engine/plan/liveness.h"

namespace spotform {

Status CvmCreatePool(StepContext& context, const Step& step) {
  Pool pool;
  pool.id = step.pool_id;
  pool.spec = step.spec;
  pool.expected_count = step.count;
  Result<ApplyOutcome> applied =
      context.store.Apply(StateEdit().Add(StateEdit::PutPool{context.environment, pool}));
  return applied.ok() ? Status::Ok() : Status(applied.error());
}

Status CvmSetExpectedCount(StepContext& context, const Step& step) {
  Result<ApplyOutcome> applied = context.store.Apply(
      StateEdit().Add(StateEdit::SetExpectedCount{context.environment, step.pool_id, step.to}));
  return applied.ok() ? Status::Ok() : Status(applied.error());
}

Status CvmWaitForCapacity(StepContext& context, const Step& step, StepTally& tally) {
  Result<Pool> pool = LoadPool(context, step.pool_id);
  if (!pool.ok()) return pool.error();
  std::vector<std::string> ids;
  for (const RecordedInstance& instance : pool->instances) {
    if (IsLiveInstance(instance, Mode::kCvm)) ids.push_back(instance.id);
  }
  const auto kept = [&](const std::string& why) {
    return context.Address() + ": " + why + "; the old capacity is kept until the new runs";
  };
  int running = 0;
  int pending = 0;
  InstanceObservation last;
  Result<WaitEnd> end = PollUntil(context, [&](std::chrono::seconds elapsed) -> Result<bool> {
    Result<InstanceObservation> observed = context.cloud.DescribeInstances(ids);
    if (!observed.ok()) return Failed(context, "wait for capacity", observed.error());
    last = std::move(observed).value();
    running = 0;
    pending = 0;
    for (const ObservedInstance& instance : last.found) {
      if (instance.state == InstanceState::kRunning) ++running;
      if (instance.state == InstanceState::kPending) ++pending;
    }
    if (running + pending < step.count) {
      return Error(ErrorKind::kCapacity,
                   kept("only " + std::to_string(running) + " running and " +
                        std::to_string(pending) + " pending of " + std::to_string(step.count) +
                        " new instances (the others were reclaimed or failed): run apply again "
                        "to launch the rest first"));
    }
    context.progress.Waiting(context.Address(), step.count, running, pending, elapsed);
    return running >= step.count;
  });
  if (!end.ok()) return end.error();
  if (*end == WaitEnd::kStopped) return InterruptedWait(context, tally, "new capacity to run");
  if (*end == WaitEnd::kTimedOut) {
    return Error(ErrorKind::kConflict, kept(TimedOutAfter(context.options.timeout) +
                                            " waiting for " + std::to_string(step.count) +
                                            " new instances to run: " + std::to_string(running) +
                                            " running, " + std::to_string(pending) + " pending"));
  }
  std::vector<RecordedInstance> updated;
  for (const RecordedInstance& recorded : pool->instances) {
    for (const ObservedInstance& instance : last.found) {
      if (instance.id != recorded.id) continue;
      RecordedInstance now = recorded;
      now.state = InstanceStateText(instance);
      updated.push_back(std::move(now));
    }
  }
  if (updated.empty()) return Status::Ok();
  Result<ApplyOutcome> applied = context.store.Apply(
      StateEdit().Add(StateEdit::PutInstances{context.environment, step.pool_id, updated}));
  return applied.ok() ? Status::Ok() : Status(applied.error());
}

Result<InstanceObservation> DescribeOncePending(StepContext& context,
                                                const std::vector<std::string>& ids,
                                                StepTally& tally, const std::string& what) {
  InstanceObservation last;
  int pending = 0;
  Result<WaitEnd> end = PollUntil(context, [&](std::chrono::seconds) -> Result<bool> {
    Result<InstanceObservation> observed = context.cloud.DescribeInstances(ids);
    if (!observed.ok()) return Failed(context, what, observed.error());
    last = std::move(observed).value();
    pending = 0;
    for (const ObservedInstance& instance : last.found) {
      if (instance.state == InstanceState::kPending) ++pending;
    }
    return pending == 0;
  });
  if (!end.ok()) return end.error();
  if (*end == WaitEnd::kStopped) {
    return InterruptedWait(context, tally, std::to_string(pending) + " pending instances");
  }
  if (*end == WaitEnd::kTimedOut) {
    return Error(ErrorKind::kConflict, context.Address() + ": " + what + ": " +
                                           TimedOutAfter(context.options.timeout) +
                                           " waiting for " + std::to_string(pending) +
                                           " pending instances to start; they stay recorded");
  }
  return last;
}

std::vector<InstanceRef> Releasable(const InstanceObservation& observation) {
  std::vector<InstanceRef> refs;
  for (const ObservedInstance& instance : observation.found) {
    if (instance.state == InstanceState::kTerminating ||
        instance.state == InstanceState::kLaunchFailed) {
      continue;
    }
    refs.push_back({instance.id, instance.charge_type});
  }
  return refs;
}

Status CvmRelease(StepContext& context, const Step& step, StepTally& tally) {
  if (step.ids.empty()) return Status::Ok();
  Result<InstanceObservation> observed = DescribeOncePending(context, step.ids, tally, "release");
  if (!observed.ok()) return observed.error();
  const std::vector<InstanceRef> refs = Releasable(*observed);
  StateEdit forget;
  forget.Add(StateEdit::RemoveInstances{context.environment, step.pool_id, step.ids});
  if (refs.empty()) {
    Result<ApplyOutcome> applied = context.store.Apply(forget);
    return applied.ok() ? Status::Ok() : Status(applied.error());
  }
  if (context.stop.StopRequested()) {
    tally.interrupted = true;
    return Error(ErrorKind::kConflict, context.Address() + ": release not started: interrupted");
  }
  IntentTarget target;
  for (const InstanceRef& ref : refs) target.ids.push_back(ref.id);
  Result<int64_t> intent = OpenIntent(
      context.store, NewIntent(context, step.pool_id, kIntentRelease, EncodeTargetPayload(target)));
  if (!intent.ok()) return intent.error();
  Result<TerminateOutcome> outcome = context.cloud.TerminateInstances(refs);
  if (!outcome.ok()) {
    // Some may have been released: the open intent makes the next run re-check them.
    return Failed(context, "release", outcome.error());
  }
  tally.released += static_cast<int>(outcome->terminated.size());
  return CloseIntent(context.store, *intent, std::move(forget));
}

Status CvmDeletePool(StepContext& context, const Step& step) {
  Result<ApplyOutcome> applied = context.store.Apply(
      StateEdit().Add(StateEdit::RemovePool{context.environment, step.pool_id}));
  return applied.ok() ? Status::Ok() : Status(applied.error());
}

}  // namespace spotform
