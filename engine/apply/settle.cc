#include "engine/apply/settle.h"

#include "engine/apply/batch_calls.h"
#include "engine/apply/journal.h"
#include "engine/apply/step_runner_cvm.h"
#include "engine/model/words.h"

namespace spotform {
namespace {

std::string IdsOrNone(const std::vector<std::string>& ids) {
  return ids.empty() ? "none" : ShortList(ids);
}

// A Batch count change or release whose replay Batch refuses (or that cannot finish within
// the timeout) is closed, not retried by every later run: Batch did not do it, the refresh
// that follows records what Batch has, and the plan decides again from there. So a refused
// scale-in never blocks a later destroy. A replay whose outcome is unknown (transport,
// throttling) or that the user interrupted stays open.
Status SupersedeUnlessUnknown(StepContext& context, const JournalEntry& entry,
                              const StepTally& tally, const Error& error) {
  if (tally.interrupted || IsOutcomeUnknown(error)) return error;
  const std::string what =
      entry.kind == kIntentSetCount ? "desired count change" : "release of nodes";
  context.progress.Note(context.Address(), "dropped an interrupted " + what +
                                               " that Batch did not carry out (the plan decides "
                                               "again): " +
                                               error.message());
  return CloseIntent(context.store, entry.id);
}

// The pool the intent names, or nullopt when it is no longer recorded.
Result<std::optional<Pool>> FindPool(StepContext& context, const std::string& pool_id) {
  Result<Pool> pool = LoadPool(context, pool_id);
  if (pool.ok()) return std::optional<Pool>(std::move(pool).value());
  if (pool.error().kind() == ErrorKind::kNotFound) return std::optional<Pool>();
  return pool.error();
}

// Terminates `ids` once none is pending; nothing is recorded for them.
Status TerminateUnrecorded(StepContext& context, const std::vector<std::string>& ids,
                           StepTally& tally) {
  Result<InstanceObservation> observed = DescribeOncePending(context, ids, tally, "settle");
  if (!observed.ok()) return observed.error();
  const std::vector<InstanceRef> refs = Releasable(*observed);
  if (refs.empty()) return Status::Ok();
  Result<TerminateOutcome> outcome = context.cloud.TerminateInstances(refs);
  return outcome.ok() ? Status::Ok() : Status(Failed(context, "settle release", outcome.error()));
}

Status SettleLaunch(StepContext& context, const JournalEntry& entry) {
  Result<LaunchSpec> spec = DecodeLaunchPayload(entry);
  if (!spec.ok()) return spec.error();
  Result<std::optional<Pool>> pool = FindPool(context, entry.pool_id);
  if (!pool.ok()) return pool.error();
  Result<std::vector<std::string>> ids = context.cloud.LaunchSpotInstances(*spec);
  if (!ids.ok()) {
    if (IsOutcomeUnknown(ids.error())) return Failed(context, "settle launch", ids.error());
    context.progress.Note(context.Address(),
                          "an interrupted launch was refused on replay: " + ids.error().ToString());
    return CloseIntent(context.store, entry.id);
  }
  if (!pool->has_value()) {
    StepTally tally;
    Status terminated = TerminateUnrecorded(context, *ids, tally);
    if (!terminated.ok()) return terminated;
    context.progress.Note(
        context.Address(),
        "released the instances of an interrupted launch whose pool is gone: " + IdsOrNone(*ids));
    return CloseIntent(context.store, entry.id);
  }
  std::vector<RecordedInstance> recorded;
  for (const std::string& id : *ids) {
    RecordedInstance instance;
    instance.id = id;
    instance.zone = spec->zone;
    instance.instance_type = spec->instance_type;
    instance.state = "PENDING";
    instance.launch_time = context.clock.Now();
    instance.client_token = spec->client_token;
    recorded.push_back(instance);
  }
  context.progress.Note(context.Address(), "settled an interrupted launch: " + IdsOrNone(*ids));
  return CloseIntent(
      context.store, entry.id,
      StateEdit().Add(StateEdit::PutInstances{context.environment, entry.pool_id, recorded}));
}

Status SettleRelease(StepContext& context, const JournalEntry& entry) {
  Result<IntentTarget> target = DecodeTargetPayload(entry);
  if (!target.ok()) return target.error();
  Result<std::optional<Pool>> pool = FindPool(context, entry.pool_id);
  if (!pool.ok()) return pool.error();
  StepTally tally;
  if (!target->env_id.empty()) {  // batch nodes
    if (!pool->has_value() || (*pool)->batch_env_id != target->env_id) {
      return CloseIntent(context.store, entry.id);
    }
    Status released = ReleaseSurplusNodes(context, **pool, target->ids, entry.id, tally);
    if (released.ok()) {
      context.progress.Note(context.Address(), "settled an interrupted release of " +
                                                   std::to_string(tally.released) + " nodes");
      return released;
    }
    return SupersedeUnlessUnknown(context, entry, tally, released.error());
  }
  Status terminated = TerminateUnrecorded(context, target->ids, tally);
  if (!terminated.ok()) return terminated;
  StateEdit forget;
  if (pool->has_value()) {
    forget.Add(StateEdit::RemoveInstances{context.environment, entry.pool_id, target->ids});
  }
  context.progress.Note(context.Address(),
                        "settled an interrupted release: " + IdsOrNone(target->ids));
  return CloseIntent(context.store, entry.id, std::move(forget));
}

Status SettleSetCount(StepContext& context, const JournalEntry& entry) {
  Result<IntentTarget> target = DecodeTargetPayload(entry);
  if (!target.ok()) return target.error();
  Result<std::optional<Pool>> pool = FindPool(context, entry.pool_id);
  if (!pool.ok()) return pool.error();
  if (!pool->has_value()) return CloseIntent(context.store, entry.id);
  StepTally tally;
  Status confirmed = SetDesiredAndConfirm(context, target->env_id, target->to, tally);
  if (!confirmed.ok() && confirmed.error().kind() == ErrorKind::kNotFound) {
    return CloseIntent(context.store, entry.id);  // the environment is gone: nothing to set
  }
  if (!confirmed.ok()) return SupersedeUnlessUnknown(context, entry, tally, confirmed.error());
  context.progress.Note(context.Address(), "settled an interrupted desired count change to " +
                                               std::to_string(target->to));
  return CloseIntent(
      context.store, entry.id,
      StateEdit().Add(StateEdit::SetExpectedCount{context.environment, entry.pool_id, target->to}));
}

Status SettleCreateEnv(StepContext& context, const JournalEntry& entry) {
  Result<ComputeEnvSpec> spec = DecodeCreateEnvPayload(entry);
  if (!spec.ok()) return spec.error();
  Result<std::optional<Pool>> pool = FindPool(context, entry.pool_id);
  if (!pool.ok()) return pool.error();
  Result<std::string> env_id = context.cloud.CreateComputeEnv(*spec);
  if (!env_id.ok() && !IsOutcomeUnknown(env_id.error())) {
    Result<std::string> owned = FindOwnedEnvOfPool(context, entry.pool_id);
    if (owned.ok() && !owned->empty()) env_id = *owned;  // created before the refusal
  }
  if (!env_id.ok()) {
    if (IsOutcomeUnknown(env_id.error())) {
      return Failed(context, "settle create compute environment", env_id.error());
    }
    context.progress.Note(context.Address(),
                          "an interrupted compute environment creation was refused on replay: " +
                              env_id.error().ToString());
    StateEdit drop;
    if (pool->has_value()) drop.Add(StateEdit::RemovePool{context.environment, entry.pool_id});
    return CloseIntent(context.store, entry.id, std::move(drop));
  }
  if (!pool->has_value()) {
    StepTally tally;
    Status gone = DeleteAndConfirmGone(context, *env_id, tally);
    if (!gone.ok()) return gone;
    context.progress.Note(context.Address(),
                          "deleted " + *env_id + " of an interrupted creation whose pool is gone");
    return CloseIntent(context.store, entry.id);
  }
  Pool recorded = **pool;
  recorded.batch_env_id = *env_id;
  recorded.instances.clear();
  context.progress.Note(context.Address(),
                        "settled an interrupted compute environment creation: " + *env_id);
  return CloseIntent(context.store, entry.id,
                     StateEdit().Add(StateEdit::PutPool{context.environment, recorded}));
}

Status SettleDeleteEnv(StepContext& context, const JournalEntry& entry) {
  Result<IntentTarget> target = DecodeTargetPayload(entry);
  if (!target.ok()) return target.error();
  Result<std::optional<Pool>> pool = FindPool(context, entry.pool_id);
  if (!pool.ok()) return pool.error();
  StepTally tally;
  Status gone = DeleteAndConfirmGone(context, target->env_id, tally);
  if (!gone.ok()) return gone;
  StateEdit remove;
  if (pool->has_value()) remove.Add(StateEdit::RemovePool{context.environment, entry.pool_id});
  context.progress.Note(context.Address(), "settled an interrupted deletion of " + target->env_id);
  return CloseIntent(context.store, entry.id, std::move(remove));
}

}  // namespace

Status SettleIntent(StepContext& context, const JournalEntry& entry) {
  if (entry.kind == kIntentLaunch) return SettleLaunch(context, entry);
  if (entry.kind == kIntentRelease) return SettleRelease(context, entry);
  if (entry.kind == kIntentSetCount) return SettleSetCount(context, entry);
  if (entry.kind == kIntentCreateEnv) return SettleCreateEnv(context, entry);
  if (entry.kind == kIntentDeleteEnv) return SettleDeleteEnv(context, entry);
  return Error(ErrorKind::kInternal, context.Address() + ": journal intent " +
                                         std::to_string(entry.id) + " has an unknown kind \"" +
                                         entry.kind + "\"");
}

}  // namespace spotform
