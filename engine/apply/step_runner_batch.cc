#include "engine/apply/step_runner_batch.h"

#include "engine/apply/batch_calls.h"
#include "engine/apply/journal.h"
#include "engine/model/words.h"
#include "engine/plan/refresh.h"

namespace spotform {
namespace {

std::string Nodes(int n) { return Plural(n, "node", "nodes"); }

Result<Pool> LoadBatchPool(StepContext& context, const std::string& pool_id) {
  Result<Pool> pool = LoadPool(context, pool_id);
  if (!pool.ok()) return pool.error();
  if (pool->batch_env_id.empty()) {
    return Error(ErrorKind::kConflict,
                 context.Address() + ": pool " + pool_id +
                     " has no Batch compute environment id yet (an interrupted creation "
                     "is settled by the next apply)");
  }
  return pool;
}

}  // namespace

Status BatchCreatePool(StepContext& context, const Step& step) {
  ComputeEnvSpec spec;
  spec.name = "spotform-" + context.environment + "-" + step.pool_id;
  spec.zone = step.spec.zone();
  spec.instance_type = step.spec.instance_type();
  spec.instance_types = TypeNames(step.spec);
  spec.image_id = step.spec.image_id;
  spec.max_price = step.spec.BidFor(spec.instance_type);  // batch mode has one bid
  spec.desired_count = step.count;
  spec.tags = OwnerTags(step.spec, context.lineage, context.environment, step.pool_id);
  spec.client_token = NewClientToken();
  spec.description = "managed by spotform: " + context.Address();

  Pool pool;
  pool.id = step.pool_id;
  pool.spec = step.spec;
  pool.expected_count = step.count;
  JournalEntry entry =
      NewIntent(context, step.pool_id, kIntentCreateEnv, EncodeCreateEnvPayload(spec));
  entry.client_token = spec.client_token;
  Result<int64_t> intent = OpenIntent(
      context.store, entry, StateEdit().Add(StateEdit::PutPool{context.environment, pool}));
  if (!intent.ok()) return intent.error();

  Result<std::string> env_id = context.cloud.CreateComputeEnv(spec);
  if (!env_id.ok() && !IsOutcomeUnknown(env_id.error())) {
    // A refusal may follow an unanswered attempt that did create the environment (the
    // client repeats a timed-out call with the same ClientToken): look before forgetting.
    Result<std::string> owned = FindOwnedEnvOfPool(context, step.pool_id);
    if (owned.ok() && !owned->empty()) {
      context.progress.Note(context.Address(), "CreateComputeEnv was refused (" +
                                                   env_id.error().ToString() +
                                                   ") after an unanswered attempt that created " +
                                                   *owned + ": recorded it");
      env_id = *owned;
    }
  }
  if (!env_id.ok()) {
    if (!IsOutcomeUnknown(env_id.error())) {
      // Refused: nothing was created, so nothing stays recorded.
      Status closed =
          CloseIntent(context.store, *intent,
                      StateEdit().Add(StateEdit::RemovePool{context.environment, step.pool_id}));
      if (!closed.ok()) return closed;
    }
    return Failed(context, "create compute environment", env_id.error());
  }
  pool.batch_env_id = *env_id;
  return CloseIntent(context.store, *intent,
                     StateEdit().Add(StateEdit::PutPool{context.environment, pool}));
}

Status BatchWaitForCapacity(StepContext& context, const Step& step, StepTally& tally) {
  if (!context.options.wait) {
    context.progress.Note(context.Address(), "not waiting for " + Nodes(step.count) +
                                                 " to run (--no-wait); Batch is requesting them");
    tally.capacity_unconfirmed = true;
    return Status::Ok();
  }
  Result<Pool> pool = LoadBatchPool(context, step.pool_id);
  if (!pool.ok()) return pool.error();
  int running = 0;
  int pending = 0;
  Result<WaitEnd> end = PollUntil(context, [&](std::chrono::seconds elapsed) -> Result<bool> {
    Result<ComputeEnv> env = context.cloud.DescribeComputeEnv(pool->batch_env_id);
    if (!env.ok()) return Failed(context, "wait for capacity", env.error());
    Result<ApplyOutcome> recorded =
        context.store.Apply(RecordNodes(context.environment, *pool, *env));
    if (!recorded.ok()) return recorded.error();
    running = 0;
    pending = 0;
    for (const ComputeNode& node : env->nodes) {
      if (node.state == ComputeNodeState::kRunning) {
        ++running;
      } else if (node.state != ComputeNodeState::kDeleting) {
        ++pending;
      }
    }
    context.progress.Waiting(context.Address(), step.count, running, pending, elapsed);
    return running >= step.count;
  });
  if (!end.ok()) return end.error();
  if (*end == WaitEnd::kStopped) {
    return InterruptedWait(context, tally, Nodes(step.count) + " to run");
  }
  if (*end == WaitEnd::kTimedOut) {
    return Error(ErrorKind::kConflict,
                 context.Address() + ": " + TimedOutAfter(context.options.timeout) +
                     " waiting for " + Nodes(step.count) + " to run: " + std::to_string(running) +
                     " running, " + std::to_string(pending) +
                     " pending; Batch keeps requesting the rest");
  }
  return Status::Ok();
}

Status BatchSetExpectedCount(StepContext& context, const Step& step, StepTally& tally) {
  Result<Pool> pool = LoadBatchPool(context, step.pool_id);
  if (!pool.ok()) return pool.error();
  IntentTarget target;
  target.env_id = pool->batch_env_id;
  target.to = step.to;
  Result<int64_t> intent =
      OpenIntent(context.store,
                 NewIntent(context, step.pool_id, kIntentSetCount, EncodeTargetPayload(target)));
  if (!intent.ok()) return intent.error();
  Status confirmed = SetDesiredAndConfirm(context, pool->batch_env_id, step.to, tally);
  if (!confirmed.ok()) {
    // Refused (e.g. a scale-in Batch cannot do now): Batch changed nothing, so nothing stays
    // open. Unknown or interrupted: the open intent is settled by the next run.
    if (tally.interrupted || IsOutcomeUnknown(confirmed.error())) return confirmed;
    Status closed = CloseIntent(context.store, *intent);
    return closed.ok() ? confirmed : closed;
  }
  return CloseIntent(
      context.store, *intent,
      StateEdit().Add(StateEdit::SetExpectedCount{context.environment, step.pool_id, step.to}));
}

Status BatchRelease(StepContext& context, const Step& step, StepTally& tally) {
  Result<Pool> pool = LoadBatchPool(context, step.pool_id);
  if (!pool.ok()) return pool.error();
  return ReleaseSurplusNodes(context, *pool, step.ids, 0, tally);
}

Status BatchSetInstanceTypes(StepContext& context, const Step& step, StepTally& tally) {
  Result<Pool> pool = LoadBatchPool(context, step.pool_id);
  if (!pool.ok()) return pool.error();
  const std::vector<std::string> types = TypeNames(step.spec);
  Status set = CallWhenNotBusy(context, tally, pool->batch_env_id, "set instance types", [&] {
    return context.cloud.SetInstanceTypes(pool->batch_env_id, types);
  });
  if (!set.ok()) return set;
  // Batch now creates new nodes from this list: the pool's recorded spec says so. Nodes are
  // left as recorded (an empty instance list upserts none).
  Pool updated = *pool;
  updated.spec.instance_types = step.spec.instance_types;
  updated.instances.clear();
  Result<ApplyOutcome> recorded =
      context.store.Apply(StateEdit().Add(StateEdit::PutPool{context.environment, updated}));
  return recorded.ok() ? Status::Ok() : Status(recorded.error());
}

Status BatchDeletePool(StepContext& context, const Step& step, StepTally& tally) {
  Result<Pool> pool = LoadPool(context, step.pool_id);
  if (!pool.ok()) return pool.error().kind() == ErrorKind::kNotFound ? Status::Ok() : pool.error();
  StateEdit remove;
  remove.Add(StateEdit::RemovePool{context.environment, step.pool_id});
  if (pool->batch_env_id.empty()) {
    Result<ApplyOutcome> applied = context.store.Apply(remove);
    return applied.ok() ? Status::Ok() : Status(applied.error());
  }
  IntentTarget target;
  target.env_id = pool->batch_env_id;
  Result<int64_t> intent =
      OpenIntent(context.store,
                 NewIntent(context, step.pool_id, kIntentDeleteEnv, EncodeTargetPayload(target)));
  if (!intent.ok()) return intent.error();
  Status gone = DeleteAndConfirmGone(context, pool->batch_env_id, tally);
  if (!gone.ok()) return gone;
  tally.released += static_cast<int>(step.ids.size());  // the nodes the deletion took
  return CloseIntent(context.store, *intent, std::move(remove));
}

}  // namespace spotform
