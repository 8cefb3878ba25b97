#include "engine/apply/batch_calls.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "engine/apply/journal.h"
#include "engine/model/batch_node_rules.h"
#include "engine/model/words.h"
#include "engine/plan/liveness.h"
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

constexpr char kNotEnoughNodesCode[] = "UnsupportedOperation.NotEnoughComputeNodesToTerminate";

const ComputeNode* FindNode(const ComputeEnv& env, const std::string& id) {
  for (const ComputeNode& node : env.nodes) {
    if (node.id == id) return &node;
  }
  return nullptr;
}

// The nodes of `ids` (in that order of preference) still present and not being deleted, at
// most as many as the environment's live nodes exceed its desired count: Batch may have
// removed some itself.
std::vector<std::string> ChooseStillSurplus(const ComputeEnv& env,
                                            const std::vector<std::string>& ids) {
  const NodeCensus census = CensusOfNodes(env.nodes);
  const int64_t surplus = census.Live() - env.info.desired_count;
  std::vector<std::string> chosen;
  for (const std::string& id : ids) {
    if (static_cast<int64_t>(chosen.size()) >= surplus) break;
    const ComputeNode* node = FindNode(env, id);
    if (node != nullptr && node->state != ComputeNodeState::kDeleting) chosen.push_back(id);
  }
  return chosen;
}

int CountNotTerminable(const ComputeEnv& env, const std::vector<std::string>& ids) {
  int count = 0;
  for (const std::string& id : ids) {
    const ComputeNode* node = FindNode(env, id);
    if (node != nullptr && !IsTerminable(node->state)) ++count;
  }
  return count;
}

// Says which recorded nodes Batch removed by itself since they were recorded (its scale-in
// picks its own victims when a count drops), so apply never releases fewer or other nodes
// than planned without saying so. Returns how many.
int NoteNodesBatchRemoved(StepContext& context, const Pool& pool, const ComputeEnv& env,
                          const std::vector<std::string>& planned) {
  std::vector<std::string> removed;
  for (const RecordedInstance& recorded : pool.instances) {
    if (recorded.node_id.empty() || !IsLiveInstance(recorded, Mode::kBatch)) continue;
    const ComputeNode* node = FindNode(env, recorded.node_id);
    if (node == nullptr || node->state == ComputeNodeState::kDeleting) {
      removed.push_back(recorded.node_id);
    }
  }
  if (removed.empty()) return 0;
  const std::set<std::string> planned_set(planned.begin(), planned.end());
  const bool as_planned = std::all_of(removed.begin(), removed.end(),
                                      [&](const auto& id) { return planned_set.count(id) > 0; });
  context.progress.Note(
      context.Address(),
      "Batch removed " + Plural(removed.size(), "node", "nodes") +
          " itself when the count dropped: " + ShortList(removed) +
          (as_planned || planned.empty() ? "" : " (the plan named " + ShortList(planned) + ")"));
  return static_cast<int>(removed.size());
}

}  // namespace

Status CallWhenNotBusy(StepContext& context, StepTally& tally, const std::string& env_id,
                       const std::string& what, const std::function<Status()>& call) {
  Status last = Status::Ok();
  Result<WaitEnd> end = PollUntil(context, [&](std::chrono::seconds) -> Result<bool> {
    last = call();
    return last.ok() || !IsBusy(last.error());
  });
  if (!end.ok()) return end.error();
  if (*end == WaitEnd::kStopped) return InterruptedWait(context, tally, env_id + " to accept");
  if (*end == WaitEnd::kTimedOut) {
    return Error(ErrorKind::kConflict, context.Address() + ": " + what + " failed: " + env_id +
                                           " stayed busy for " + Timeout(context) + ": " +
                                           last.error().ToString());
  }
  if (!last.ok()) return Failed(context, what, last.error());
  return last;
}

namespace {

Status Apply(StepContext& context, const StateEdit& edit) {
  if (edit.empty()) return Status::Ok();
  Result<ApplyOutcome> applied = context.store.Apply(edit);
  return applied.ok() ? Status::Ok() : Status(applied.error());
}

}  // namespace

Status SetDesiredAndConfirm(StepContext& context, const std::string& env_id, int to,
                            StepTally& tally) {
  Error refused(ErrorKind::kConflict, "");
  std::string waiting_for = "to accept the request (busy with an earlier one)";
  bool noted_creating = false;
  Result<WaitEnd> set = PollUntil(context, [&](std::chrono::seconds) -> Result<bool> {
    Status status = context.cloud.SetDesiredCount(env_id, to);
    if (status.ok()) return true;
    refused = status.error();
    if (IsBusy(status.error())) return false;
    if (status.error().code() != kNotEnoughNodesCode) {
      return Failed(context, "set desired count", status.error());
    }
    // Batch lowers a count only by removing created nodes: wait for nodes still being
    // created; explain when the nodes it lacks are waiting for stock instead.
    Result<ComputeEnv> env = context.cloud.DescribeComputeEnv(env_id);
    if (!env.ok()) return Failed(context, "set desired count", env.error());
    const NodeCensus census = CensusOfNodes(env->nodes);
    const int64_t asked = env->info.desired_count - to;
    if (census.coming_up == 0 || census.destroyable + census.coming_up < asked) {
      std::string why = ExplainScaleInRefusal(env_id, env->info.desired_count, to, census);
      if (why.empty()) return Failed(context, "set desired count", status.error());
      return Error(ErrorKind::kCapacity, context.Address() + ": " + why, status.error().code());
    }
    waiting_for = "to lower its count: " + Plural(census.coming_up, "node is", "nodes are") +
                  " still being created and Batch removes only created nodes";
    if (!noted_creating) {
      context.progress.Note(context.Address(), "waiting for " + env_id + " " + waiting_for);
      noted_creating = true;
    }
    return false;
  });
  if (!set.ok()) return set.error();
  if (*set == WaitEnd::kStopped) return InterruptedWait(context, tally, env_id + " to accept");
  if (*set == WaitEnd::kTimedOut) {
    return Error(ErrorKind::kConflict,
                 context.Address() +
                     ": set desired count failed: " + TimedOutAfter(context.options.timeout) +
                     " waiting for " + env_id + " " + waiting_for + ": " + refused.ToString());
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
  std::vector<std::string> chosen;
  int not_created = 0;
  bool first_look = true;
  std::optional<ComputeEnv> env;
  // Waits until every node to release exists: Batch refuses to terminate a node before it is
  // created (SUBMITTED, PENDING, CREATING).
  Result<WaitEnd> ready = PollUntil(context, [&](std::chrono::seconds) -> Result<bool> {
    Result<ComputeEnv> described = context.cloud.DescribeComputeEnv(env_id);
    if (!described.ok()) return Failed(context, "release", described.error());
    env = std::move(described).value();
    if (first_look) {
      tally.released += NoteNodesBatchRemoved(context, pool, *env, ids);
      first_look = false;
    }
    chosen = ChooseStillSurplus(*env, ids);
    const int waiting = CountNotTerminable(*env, chosen);
    if (waiting > 0 && waiting != not_created) {
      context.progress.Note(context.Address(),
                            "waiting for " + Plural(waiting, "node", "nodes") +
                                " to be created before releasing: Batch terminates only "
                                "created nodes");
    }
    not_created = waiting;
    return waiting == 0;
  });
  if (!ready.ok()) return ready.error();
  if (*ready == WaitEnd::kStopped) {
    return InterruptedWait(context, tally, Plural(not_created, "node", "nodes") + " to be created");
  }
  if (*ready == WaitEnd::kTimedOut) {
    return Error(ErrorKind::kConflict,
                 context.Address() + ": release failed: " + TimedOutAfter(context.options.timeout) +
                     " waiting for " + Plural(not_created, "node", "nodes") + " of " + env_id +
                     " to be created (Batch refuses to terminate a node before); nothing was "
                     "released: run apply again");
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
  Status terminated = CallWhenNotBusy(context, tally, env_id, "release", [&] {
    return context.cloud.TerminateComputeNodes(env_id, chosen);
  });
  if (!terminated.ok()) return terminated.error();
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

Result<std::string> FindOwnedEnvOfPool(StepContext& context, const std::string& pool_id) {
  ComputeEnvQuery query;
  query.tags[kOwnerLineageTag] = context.lineage;
  query.tags[kOwnerPoolTag] = pool_id;
  Result<std::vector<ComputeEnvInfo>> found = context.cloud.ListComputeEnvs(query);
  if (!found.ok())
    return Failed(context, "look for the environment of pool " + pool_id, found.error());
  for (const ComputeEnvInfo& info : *found) {
    auto lineage = info.tags.find(kOwnerLineageTag);
    auto pool = info.tags.find(kOwnerPoolTag);
    if (lineage == info.tags.end() || lineage->second != context.lineage) continue;
    if (pool == info.tags.end() || pool->second != pool_id) continue;
    if (info.next_action != "DELETING") return info.id;
  }
  return std::string();
}

Status DeleteAndConfirmGone(StepContext& context, const std::string& env_id, StepTally& tally) {
  Status deleted = CallWhenNotBusy(context, tally, env_id, "delete " + env_id,
                                   [&] { return context.cloud.DeleteComputeEnv(env_id); });
  if (!deleted.ok() && deleted.error().kind() != ErrorKind::kNotFound) {
    return deleted.error();
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
