#include "engine/apply/batch_calls.h"

#include <algorithm>
#include <set>

#include "engine/apply/journal.h"
#include "engine/model/words.h"
#include "engine/plan/refresh.h"

namespace spotform {
namespace {

bool IsBusy(const Error& error) {
  return error.code().find("AcceptOtherRequest") != std::string::npos ||
         error.kind() == ErrorKind::kConflict;
}

std::string Timeout(const StepContext& context) {
  return FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(context.options.timeout));
}

Status Apply(StepContext& context, const StateEdit& edit) {
  if (edit.empty()) return Status::Ok();
  Result<ApplyOutcome> applied = context.store.Apply(edit);
  return applied.ok() ? Status::Ok() : Status(applied.error());
}

}  // namespace

Status SetDesiredAndConfirm(StepContext& context, const std::string& env_id, int to,
                            StepTally& tally) {
  Error busy(ErrorKind::kConflict, "");
  Result<WaitEnd> set = PollUntil(context, [&](std::chrono::seconds) -> Result<bool> {
    Status status = context.cloud.SetDesiredCount(env_id, to);
    if (status.ok()) return true;
    if (!IsBusy(status.error())) return Failed(context, "set desired count", status.error());
    busy = status.error();
    return false;
  });
  if (!set.ok()) return set.error();
  if (*set == WaitEnd::kStopped) return InterruptedWait(context, tally, env_id + " to accept");
  if (*set == WaitEnd::kTimedOut) {
    return Error(ErrorKind::kConflict, context.Address() + ": set desired count failed: " + env_id +
                                           " stayed busy for " + Timeout(context) + ": " +
                                           busy.ToString());
  }
  int64_t seen = -1;
  Result<WaitEnd> confirmed = PollUntil(context, [&](std::chrono::seconds) -> Result<bool> {
    Result<ComputeEnv> env = context.cloud.DescribeComputeEnv(env_id);
    if (!env.ok()) return Failed(context, "confirm desired count", env.error());
    seen = env->info.desired_count;
    return seen == to;
  });
  if (!confirmed.ok()) return confirmed.error();
  if (*confirmed == WaitEnd::kStopped) {
    return InterruptedWait(context, tally,
                           env_id + " to confirm desired count " + std::to_string(to));
  }
  if (*confirmed == WaitEnd::kTimedOut) {
    return Error(ErrorKind::kConflict, context.Address() + ": " + env_id +
                                           " still reports DesiredComputeNodeCount " +
                                           std::to_string(seen) + " instead of " +
                                           std::to_string(to) + " after " + Timeout(context));
  }
  return Status::Ok();
}

Status ReleaseSurplusNodes(StepContext& context, Pool& pool, const std::vector<std::string>& ids,
                           int64_t intent_id, StepTally& tally) {
  const std::string& env_id = pool.batch_env_id;
  Result<ComputeEnv> env = context.cloud.DescribeComputeEnv(env_id);
  if (!env.ok()) return Failed(context, "release", env.error());
  std::set<std::string> live;
  for (const ComputeNode& node : env->nodes) {
    if (node.state != ComputeNodeState::kDeleting) live.insert(node.id);
  }
  const int surplus = static_cast<int>(live.size()) - static_cast<int>(env->info.desired_count);
  std::vector<std::string> chosen;
  for (const std::string& id : ids) {
    if (static_cast<int>(chosen.size()) >= surplus) break;
    if (live.count(id) > 0) chosen.push_back(id);
  }
  if (chosen.empty()) {
    StateEdit edit = RecordNodes(context.environment, pool, *env);
    if (intent_id == 0) return Apply(context, edit);
    return CloseIntent(context.store, intent_id, std::move(edit));
  }
  if (intent_id == 0) {
    if (context.stop.StopRequested()) {
      tally.interrupted = true;
      return Error(ErrorKind::kConflict, context.Address() + ": release not started: interrupted");
    }
    IntentTarget target;
    target.env_id = env_id;
    target.ids = chosen;
    Result<int64_t> opened = OpenIntent(
        context.store, NewIntent(context, pool.id, kIntentRelease, EncodeTargetPayload(target)));
    if (!opened.ok()) return opened.error();
    intent_id = *opened;
  }
  Status terminated = context.cloud.TerminateComputeNodes(env_id, chosen);
  if (!terminated.ok()) return Failed(context, "release", terminated.error());
  tally.released += static_cast<int>(chosen.size());

  // Batch may have lowered the desired count with the release (terminate-decrements): set it
  // back, or it would end below the expected count.
  Result<ComputeEnv> after = context.cloud.DescribeComputeEnv(env_id);
  if (!after.ok()) return Failed(context, "release", after.error());
  if (after->info.desired_count < pool.expected_count) {
    Status restored = SetDesiredAndConfirm(context, env_id, pool.expected_count, tally);
    if (!restored.ok()) return restored;
    after = context.cloud.DescribeComputeEnv(env_id);
    if (!after.ok()) return Failed(context, "release", after.error());
  }
  return CloseIntent(context.store, intent_id, RecordNodes(context.environment, pool, *after));
}

Status DeleteAndConfirmGone(StepContext& context, const std::string& env_id, StepTally& tally) {
  Status deleted = context.cloud.DeleteComputeEnv(env_id);
  if (!deleted.ok() && deleted.error().kind() != ErrorKind::kNotFound) {
    return Failed(context, "delete " + env_id, deleted.error());
  }
  Result<WaitEnd> gone = PollUntil(context, [&](std::chrono::seconds) -> Result<bool> {
    Result<ComputeEnv> env = context.cloud.DescribeComputeEnv(env_id);
    if (!env.ok() && env.error().kind() == ErrorKind::kNotFound) return true;
    if (!env.ok()) return Failed(context, "confirm deletion of " + env_id, env.error());
    return false;
  });
  if (!gone.ok()) return gone.error();
  if (*gone == WaitEnd::kStopped) return InterruptedWait(context, tally, env_id + " to go");
  if (*gone == WaitEnd::kTimedOut) {
    return Error(ErrorKind::kConflict, context.Address() + ": " + env_id + " still exists " +
                                           Timeout(context) + " after DeleteComputeEnv");
  }
  return Status::Ok();
}

}  // namespace spotform
