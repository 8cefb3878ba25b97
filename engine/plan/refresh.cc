#include "engine/plan/refresh.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "engine/model/cloud_state_text.h"

namespace spotform {
namespace {

// Whether an instance or Batch environment carrying owner tags `tags` belongs to `scope`:
// one tagged for an environment outside it is another run's to look after (it may be
// launching it right now), and one without an environment tag only a whole-state refresh's.
bool InScope(const std::map<std::string, std::string>& tags, const LockScope& scope) {
  auto env_tag = tags.find(kOwnerEnvironmentTag);
  if (env_tag == tags.end()) return scope.whole_state();
  return scope.Covers(env_tag->second);
}

// Refreshes the instances of every cvm pool from one batched describe.
class CvmRefresher {
 public:
  CvmRefresher(StateSnapshot& state, RefreshResult& result) : state_(state), result_(result) {}

  std::vector<std::string> RecordedIds() const {
    std::vector<std::string> ids;
    ForEachCvmPool([&](RecordedEnvironment&, Pool& pool) {
      for (const RecordedInstance& instance : pool.instances) {
        if (!instance.id.empty() && instance.state != kGoneState) ids.push_back(instance.id);
      }
    });
    return ids;
  }

  void Apply(const InstanceObservation& observation) {
    std::unordered_map<std::string, const ObservedInstance*> found;
    for (const ObservedInstance& instance : observation.found) found[instance.id] = &instance;
    ForEachCvmPool([&](RecordedEnvironment& env, Pool& pool) {
      std::vector<RecordedInstance> changed;
      for (RecordedInstance& instance : pool.instances) {
        if (instance.id.empty() || instance.state == kGoneState) continue;
        auto it = found.find(instance.id);
        const std::string now = it == found.end() ? kGoneState : InstanceStateText(*it->second);
        if (now == instance.state) {
          if (now == "PENDING") AddDrift(env, instance.id, "pending", "still launching");
          continue;
        }
        if (now == kGoneState) {
          AddDrift(env, instance.id, "gone",
                   "no longer exists: reclaimed by the spot market or released outside spotform");
        } else if (now == "LAUNCH_FAILED") {
          const std::string why = it->second->latest_error;
          AddDrift(env, instance.id, "launch_failed",
                   "launch failed" + (why.empty() ? std::string() : ": " + why));
        } else if (now == "PENDING") {
          AddDrift(env, instance.id, "pending", "still launching");
        } else {
          AddDrift(env, instance.id, "state_changed", instance.state + " -> " + now);
        }
        instance.state = now;
        changed.push_back(instance);
      }
      if (!changed.empty()) {
        result_.edit.Add(StateEdit::PutInstances{env.name, pool.id, std::move(changed)});
      }
    });
  }

  // Instances carrying this state's owner tags that the state does not record: launched by
  // an apply that died before recording them. Adopted into the pool their tags name.
  void AdoptUnrecorded(const std::vector<ObservedInstance>& owned,
                       const std::set<std::string>& known_ids) {
    for (const ObservedInstance& instance : owned) {
      if (known_ids.count(instance.id) > 0) continue;
      if (instance.state == InstanceState::kTerminating ||
          instance.state == InstanceState::kLaunchFailed) {
        continue;  // leaving by itself
      }
      auto env_tag = instance.tags.find(kOwnerEnvironmentTag);
      auto pool_tag = instance.tags.find(kOwnerPoolTag);
      Pool* pool = nullptr;
      RecordedEnvironment* env = nullptr;
      if (env_tag != instance.tags.end() && pool_tag != instance.tags.end()) {
        auto e = state_.environments.find(env_tag->second);
        if (e != state_.environments.end()) {
          env = &e->second;
          for (Pool& candidate : env->pools) {
            if (candidate.id == pool_tag->second) pool = &candidate;
          }
        }
      }
      if (pool != nullptr && pool->spec.mode == Mode::kBatch) continue;  // Batch's own node
      const std::string address =
          env_tag != instance.tags.end() ? "env." + env_tag->second : std::string();
      if (pool == nullptr) {
        result_.drift.push_back({address, instance.id, "unrecorded",
                                 "carries spotform's owner tags but matches no recorded pool"});
        continue;
      }
      const RecordedInstance adopted = RecordedInstanceOf(instance, InstanceOrigin::kCreated);
      pool->instances.push_back(adopted);
      result_.edit.Add(StateEdit::PutInstances{env->name, pool->id, {adopted}});
      result_.drift.push_back(
          {address, instance.id, "unrecorded", "launched by an interrupted apply; now recorded"});
    }
  }

 private:
  template <typename F>
  void ForEachCvmPool(F&& f) const {
    for (auto& [name, env] : state_.environments) {
      for (Pool& pool : env.pools) {
        if (pool.spec.mode == Mode::kCvm) f(env, pool);
      }
    }
  }

  void AddDrift(const RecordedEnvironment& env, const std::string& subject, const std::string& kind,
                const std::string& message) {
    result_.drift.push_back({"env." + env.name, subject, kind, message});
  }

  StateSnapshot& state_;
  RefreshResult& result_;
};

// What changed among a Batch pool's nodes since they were recorded, in the words of the cvm
// drift: a node gone (reclaimed, or released outside spotform; Batch refills it), a node
// whose creation failed, a node turned ABNORMAL. Nodes coming up are not news.
void ReportNodeDrift(const std::string& address, const Pool& pool, const ComputeEnv& observed,
                     std::vector<Drift>& drift) {
  std::unordered_map<std::string, const ComputeNode*> now;
  for (const ComputeNode& node : observed.nodes) now[node.id] = &node;
  for (const RecordedInstance& node : pool.instances) {
    if (node.node_id.empty()) continue;
    auto it = now.find(node.node_id);
    const std::string& instance_id = it == now.end() ? node.id : it->second->instance_id;
    const std::string subject =
        node.node_id + (instance_id.empty() ? std::string() : " (" + instance_id + ")");
    if (it == now.end()) {
      if (node.state != "DELETING" && node.state != kGoneState) {
        drift.push_back({address, subject, "gone",
                         "no longer exists: reclaimed by the spot market or released outside "
                         "spotform; Batch refills up to the desired count"});
      }
      continue;
    }
    const std::string state = NodeStateText(*it->second);
    if (state == node.state) continue;
    if (state == "CREATION_FAILED") {
      drift.push_back({address, subject, "launch_failed",
                       "creation failed (no stock or bid below the price); Batch retries"});
    } else if (state == "ABNORMAL") {
      drift.push_back({address, subject, "state_changed",
                       node.state + " -> ABNORMAL (no heartbeat from the node)"});
    }
  }
}

// Refreshes one Batch pool from DescribeComputeEnv: node list and desired count.
// True when an interrupted run left a journal intent open on `pool_id` that may have changed
// its desired count (Batch lowers it on a release under terminate-decrements): the next apply
// settles it, so a lower count is spotform's own work in progress, not a change outside.
bool CountChangeInProgress(const StateSnapshot& state, const std::string& env,
                           const std::string& pool_id) {
  return std::any_of(state.open_intents.begin(), state.open_intents.end(),
                     [&](const JournalEntry& entry) {
                       return entry.environment == env && entry.pool_id == pool_id &&
                              (entry.kind == "release" || entry.kind == "set_count");
                     });
}

Status RefreshBatchPool(Cloud& cloud, RecordedEnvironment& env, Pool& pool, RefreshResult& result) {
  const std::string address = "env." + env.name;
  Result<ComputeEnv> observed = cloud.DescribeComputeEnv(pool.batch_env_id);
  if (!observed.ok() && observed.error().kind() != ErrorKind::kNotFound) {
    return observed.error().WithContext(address);
  }
  if (!observed.ok() || observed->info.next_action == "DELETING") {
    result.drift.push_back(
        {address, pool.batch_env_id, "env_gone", "Batch compute environment no longer exists"});
    for (RecordedInstance& node : pool.instances) node.state = kGoneState;
    result.edit.Add(StateEdit::RemovePool{env.name, pool.id});
    pool.id.clear();  // removed below
    return Status::Ok();
  }
  if (observed->info.desired_count != pool.expected_count &&
      CountChangeInProgress(result.refreshed, env.name, pool.id)) {
    result.drift.push_back({address, pool.batch_env_id, "pending",
                            "DesiredComputeNodeCount is " +
                                std::to_string(observed->info.desired_count) +
                                " while an interrupted run is settled; the next apply finishes "
                                "it"});
  } else if (observed->info.desired_count != pool.expected_count) {
    result.drift.push_back({address, pool.batch_env_id, "desired_count_changed",
                            "DesiredComputeNodeCount changed outside spotform: " +
                                std::to_string(pool.expected_count) + " -> " +
                                std::to_string(observed->info.desired_count)});
    pool.expected_count = static_cast<int>(observed->info.desired_count);
    result.edit.Add(StateEdit::SetExpectedCount{env.name, pool.id, pool.expected_count});
  }
  ReportNodeDrift(address, pool, *observed, result.drift);
  result.edit = RecordNodes(env.name, pool, *observed, std::move(result.edit));
  return Status::Ok();
}

// Batch environments carrying this state's owner tags that no pool records: created by an
// apply whose CreateComputeEnv answer was lost. One whose pool still waits for its id is
// adopted into it, as cvm instances are; any other is reported. One search, and only when
// the state has Batch environments.
Status AdoptBatchEnvs(Cloud& cloud, const std::string& lineage, const LockScope& scope,
                      RefreshResult& result) {
  bool any_batch = false;
  std::set<std::string> recorded;
  for (const auto& [name, env] : result.refreshed.environments) {
    any_batch = any_batch || env.applied.mode == Mode::kBatch;
    for (const Pool& pool : env.pools) {
      any_batch = any_batch || pool.spec.mode == Mode::kBatch;
      if (!pool.batch_env_id.empty()) recorded.insert(pool.batch_env_id);
    }
  }
  if (!any_batch) return Status::Ok();
  ComputeEnvQuery query;
  query.tags[kOwnerLineageTag] = lineage;
  Result<std::vector<ComputeEnvInfo>> owned = cloud.ListComputeEnvs(query);
  if (!owned.ok()) return owned.error().WithContext("refresh: owner tag search of Batch");
  for (const ComputeEnvInfo& info : *owned) {
    const auto tag = [&](const char* key) {
      auto it = info.tags.find(key);
      return it == info.tags.end() ? std::string() : it->second;
    };
    if (tag(kOwnerLineageTag) != lineage || recorded.count(info.id) > 0) continue;
    if (!InScope(info.tags, scope)) continue;      // another run's
    if (info.next_action == "DELETING") continue;  // leaving by itself
    const std::string env_name = tag(kOwnerEnvironmentTag);
    auto env = result.refreshed.environments.find(env_name);
    Pool* pool = nullptr;
    if (env != result.refreshed.environments.end()) {
      for (Pool& candidate : env->second.pools) {
        if (candidate.id == tag(kOwnerPoolTag)) pool = &candidate;
      }
    }
    const std::string address = env_name.empty() ? std::string() : "env." + env_name;
    if (pool == nullptr || pool->spec.mode != Mode::kBatch || !pool->batch_env_id.empty()) {
      result.drift.push_back({address, info.id, "unrecorded",
                              "Batch compute environment carries spotform's owner tags but "
                              "matches no recorded pool: import it (spotform import) or "
                              "delete it"});
      continue;
    }
    pool->batch_env_id = info.id;
    result.edit.Add(StateEdit::PutPool{env_name, *pool});
    result.drift.push_back(
        {address, info.id, "unrecorded", "created by an interrupted apply; now recorded"});
  }
  return Status::Ok();
}

}  // namespace

RecordedInstance RecordedInstanceOf(const ObservedInstance& instance, InstanceOrigin origin) {
  RecordedInstance recorded;
  recorded.id = instance.id;
  recorded.zone = instance.zone;
  recorded.instance_type = instance.instance_type;
  recorded.state = InstanceStateText(instance);
  recorded.launch_time = instance.created_time;
  recorded.origin = origin;
  return recorded;
}

StateEdit RecordNodes(const std::string& environment, Pool& pool, const ComputeEnv& observed,
                      StateEdit edit) {
  std::unordered_map<std::string, const RecordedInstance*> before;
  for (const RecordedInstance& node : pool.instances) before[node.node_id] = &node;
  std::vector<RecordedInstance> nodes;
  std::vector<RecordedInstance> changed;  // only these are written: no news, no write
  std::set<std::string> seen;
  for (const ComputeNode& node : observed.nodes) {
    RecordedInstance recorded;
    auto it = before.find(node.id);
    if (it != before.end()) {
      recorded = *it->second;
    } else {
      recorded.launch_time = node.created_time;
    }
    recorded.node_id = node.id;
    recorded.id = node.instance_id;
    recorded.zone = pool.spec.zone();
    recorded.instance_type = pool.spec.instance_type();
    recorded.state = NodeStateText(node);
    if (it == before.end() || !(recorded == *it->second)) changed.push_back(recorded);
    nodes.push_back(recorded);
    seen.insert(node.id);
  }
  std::vector<std::string> vanished;
  for (const RecordedInstance& node : pool.instances) {
    if (!node.node_id.empty() && seen.count(node.node_id) == 0) vanished.push_back(node.node_id);
  }
  if (!vanished.empty()) {
    edit.Add(StateEdit::RemoveInstances{environment, pool.id, vanished});
  }
  if (!changed.empty()) edit.Add(StateEdit::PutInstances{environment, pool.id, changed});
  pool.instances = std::move(nodes);
  return edit;
}

Status CheckCloudAccess(Cloud& cloud, const std::string& lineage) {
  InstanceQuery query;
  query.tags[kOwnerLineageTag] = lineage;
  Result<std::vector<ObservedInstance>> owned = cloud.FindInstances(query);
  if (!owned.ok()) return owned.error().WithContext("checking access to the cloud");
  return Status::Ok();
}

namespace {

Result<RefreshResult> RefreshEverything(Cloud& cloud, const StateSnapshot& state,
                                        const LockScope& scope) {
  RefreshResult result;
  result.refreshed = state;
  if (state.environments.empty()) return result;  // nothing recorded, nothing to observe

  // One search by the owner tag sees every instance spotform launched for this state, also
  // those an interrupted apply never recorded; only recorded instances it did not return
  // (imported ones, or gone) are then described by id.
  InstanceQuery query;
  query.tags[kOwnerLineageTag] = state.lineage;
  Result<std::vector<ObservedInstance>> owned = cloud.FindInstances(query);
  if (!owned.ok()) return owned.error().WithContext("refresh: owner tag search");
  std::erase_if(*owned,
                [&](const ObservedInstance& instance) { return !InScope(instance.tags, scope); });

  CvmRefresher cvm(result.refreshed, result);
  InstanceObservation observation;
  std::set<std::string> owned_ids;
  for (const ObservedInstance& instance : *owned) owned_ids.insert(instance.id);
  std::vector<std::string> unseen;
  for (const std::string& id : cvm.RecordedIds()) {
    if (owned_ids.count(id) == 0) unseen.push_back(id);
  }
  if (!unseen.empty()) {
    Result<InstanceObservation> described = cloud.DescribeInstances(unseen);
    if (!described.ok()) return described.error().WithContext("refresh");
    observation = std::move(described.value());
  }
  observation.found.insert(observation.found.end(), owned->begin(), owned->end());
  cvm.Apply(observation);

  std::set<std::string> known_ids;
  for (const auto& [name, env] : state.environments) {
    for (const Pool& pool : env.pools) {
      for (const RecordedInstance& instance : pool.instances) {
        if (!instance.id.empty()) known_ids.insert(instance.id);
      }
    }
  }
  if (Status adopted = AdoptBatchEnvs(cloud, state.lineage, scope, result); !adopted.ok()) {
    return adopted.error();
  }
  for (auto& [name, env] : result.refreshed.environments) {
    for (Pool& pool : env.pools) {
      if (pool.spec.mode != Mode::kBatch || pool.batch_env_id.empty()) continue;
      Status status = RefreshBatchPool(cloud, env, pool, result);
      if (!status.ok()) return status.error();
      for (const RecordedInstance& node : pool.instances) {
        if (!node.id.empty()) known_ids.insert(node.id);
      }
    }
    std::erase_if(env.pools, [](const Pool& pool) { return pool.id.empty(); });
  }
  cvm.AdoptUnrecorded(*owned, known_ids);
  return result;
}

}  // namespace

Result<RefreshResult> Refresh(Cloud& cloud, const StateSnapshot& state, const LockScope& scope) {
  const bool covers_every_recorded =
      std::all_of(state.environments.begin(), state.environments.end(),
                  [&](const auto& entry) { return scope.Covers(entry.first); });
  // Nothing to leave out (an untargeted apply): no copies of the state.
  if (covers_every_recorded) return RefreshEverything(cloud, state, scope);
  StateSnapshot scoped = state;
  std::erase_if(scoped.environments, [&](const auto& entry) { return !scope.Covers(entry.first); });
  Result<RefreshResult> result = RefreshEverything(cloud, scoped, scope);
  if (!result.ok()) return result.error();
  // The environments outside the scope stay as recorded.
  StateSnapshot refreshed = state;
  for (auto& [name, environment] : result->refreshed.environments) {
    refreshed.environments[name] = std::move(environment);
  }
  result->refreshed = std::move(refreshed);
  return result;
}

}  // namespace spotform
