#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/model/clock.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/market.h"
#include "providers/sim/scenario.h"
#include "providers/sim/sim_types.h"
#include "providers/sim/spot_quota.h"

namespace spotform::sim {

// SimWorld is the emulated cloud's whole state: market, spot quota, instances, compute
// environments, client tokens, the id generator and the tick counter. It keeps the invariants
// between them (an instance holds a slot of its offer until it is gone; a SPOTPAID instance
// uses its vCPUs of its zone's spot quota while PENDING, RUNNING or TERMINATING; a node with an
// instance lives exactly as long as it; a placeholder node has none until a retry launches one)
// so the action files only decide *whether* to change something. Not thread-safe: CloudModel
// serialises every call.
class SimWorld {
 public:
  // `generation` seeds the id generator: ids are deterministic for a given sequence of
  // resets, and a reset world does not hand out the ids of the world before it.
  SimWorld(const CloudModelOptions& options, const Clock& clock, const Scenario& scenario,
           uint64_t generation);

  const CloudModelOptions& options() const { return options_; }
  int64_t tick() const { return tick_; }
  int64_t NowUnix() const;
  Market& market() { return market_; }
  const Market& market() const { return market_; }
  // Limits come from the options, the scenario and the control API; usage follows the
  // instances (LaunchInstance and state changes), so callers only ever change limits.
  SpotQuota& spot_quota() { return spot_quota_; }
  const SpotQuota& spot_quota() const { return spot_quota_; }

  // A fresh id `<prefix>-` + 8 chars of [a-z0-9], never issued before in this world.
  std::string NewId(const std::string& prefix);

  // ---- instances ----
  Instance* FindInstance(const std::string& id);
  const Instance* FindInstance(const std::string& id) const;
  // Every live instance in creation order.
  const std::map<uint64_t, Instance*>& instances_in_order() const { return ordered_; }
  // Live instances carrying the tag `key`=`value`, in creation order; null when none. Tags are
  // set at launch and never change, so the index follows LaunchInstance and removal.
  const std::map<uint64_t, Instance*>* InstancesTagged(const std::string& key,
                                                       const std::string& value) const;
  size_t instance_count() const { return instances_.size(); }
  // Adds `instance` as PENDING (fills id, seq, region, times); takes one slot of its offer,
  // which the caller checked exists, and (SPOTPAID) its vCPUs of the zone's spot quota, which
  // only RunInstances checks. Decides now whether it will end in LAUNCH_FAILED. It stays
  // PENDING `create_ticks` if it backs a Batch node (env_id set), else `pending_ticks`.
  Instance& LaunchInstance(Instance instance);
  // The instance's DescribeInstances object as JSON text (instance_view.h), rendered once
  // and cached until the instance changes. Never null.
  std::shared_ptr<const std::string> DescribeText(const Instance& instance) const;
  // Drops the cached text of an instance whose shown fields the caller changed.
  static void Changed(const Instance& instance) { instance.describe_text.reset(); }
  // RUNNING/PENDING -> TERMINATING; the instance is gone `terminating_ticks` later.
  // `cause` goes into the Batch activity if the instance backs a node.
  void StartTerminating(Instance& instance, const std::string& cause);

  // ---- client tokens (per region) ----
  const std::vector<std::string>* FindRunToken(const std::string& region,
                                               const std::string& token) const;
  void RecordRunToken(const std::string& region, const std::string& token,
                      std::vector<std::string> ids);
  const std::string* FindEnvToken(const std::string& region, const std::string& token) const;
  void RecordEnvToken(const std::string& region, const std::string& token, std::string env_id);

  // ---- Batch ----
  ComputeEnv* FindEnv(const std::string& id);
  // Environments of a region (every region if empty) in creation order.
  std::vector<ComputeEnv*> EnvsInOrder(const std::string& region);
  ComputeEnv& AddEnv(ComputeEnv env);  // fills seq
  static ComputeNode* FindNode(ComputeEnv& env, const std::string& node_id);
  // True for a node without an instance (SUBMITTED / CREATION_FAILED, retried by Batch).
  static bool IsPlaceholder(const ComputeNode& node) { return node.instance_id.empty(); }
  // SUBMITTED / CREATION_FAILED for a placeholder; else CREATING / RUNNING / DELETING from the
  // backing instance.
  const char* NodeStateName(const ComputeNode& node) const;
  // True if the node counts toward DesiredComputeNodeCount: SUBMITTED, CREATION_FAILED,
  // CREATING or RUNNING (not DELETING).
  bool NodeCountsTowardDesired(const ComputeNode& node) const;
  // Appends an activity (fills id) and returns its sequence number.
  int64_t AddActivity(ComputeEnv& env, Activity activity);
  Activity* FindActivity(ComputeEnv& env, int64_t seq);
  // Drops a node without touching its instance and without logging anything.
  void RemoveNode(ComputeEnv& env, const std::string& node_id);
  // Removes at once a node that holds no live instance (a placeholder): a SUBMITTED creation
  // activity turns FAILED, and a SUCCEED TERMINATE_COMPUTE_NODE activity with `cause` is logged.
  void DropNodeWithoutInstance(ComputeEnv& env, const std::string& node_id,
                               const std::string& cause);
  // A creation attempt of `node` failed for `reason` (no usable offer, or its instance ended
  // in LAUNCH_FAILED): the node becomes a CREATION_FAILED placeholder, retried from the next
  // tick. The attempt's CREATE_COMPUTE_NODE activity turns FAILED; a retry failing again logs
  // a new FAILED activity only when the reason changed, so a long shortage does not flood the
  // log (nor the id space) with one activity per node per tick.
  void RecordFailedAttempt(ComputeEnv& env, ComputeNode& node, const std::string& reason);

  // ---- time ----
  // Increments the tick and runs due transitions: PENDING -> RUNNING / LAUNCH_FAILED,
  // TERMINATING -> gone, LAUNCH_FAILED -> gone.
  void AdvanceTick();
  // Removes DELETING environments whose nodes are all gone.
  void RemoveDeletedEnvs();
  // Applies an offer change; lowering the capacity below what is in use reclaims the excess
  // (newest first). The caller checked zone and type.
  void ApplyOfferChange(const OfferChange& change);
  // Reclaims a RUNNING instance as the spot market would.
  void Reclaim(Instance& instance);
  const std::vector<ScenarioEvent>& events() const { return events_; }

 private:
  void Schedule(Instance& instance, int64_t ticks);
  // Every InstanceState change goes through here, which keeps the spot quota's usage.
  void SetState(Instance& instance, InstanceState state);
  // vCPUs `instance` uses of its zone's spot quota in its current state.
  int64_t QuotaVcpus(const Instance& instance) const;
  void FinishPending(Instance& instance);
  void RemoveInstance(const std::string& id);
  ComputeNode* NodeOf(const Instance& instance, ComputeEnv** env_out);

  CloudModelOptions options_;
  const Clock& clock_;
  Market market_;
  SpotQuota spot_quota_;
  double launch_failure_rate_ = 0;
  std::vector<ScenarioEvent> events_;
  int64_t tick_ = 0;
  uint64_t next_seq_ = 1;
  std::mt19937_64 rng_;
  std::unordered_set<std::string> issued_ids_;
  // Boxed so that the hash table's nodes stay small: an id lookup touches two cache lines
  // instead of walking across the ~600-byte records.
  std::unordered_map<std::string, std::unique_ptr<Instance>> instances_;
  std::map<uint64_t, Instance*> ordered_;  // seq -> instance (stable paging)
  // (tag key, value) -> seq -> instance, for tag:KEY filters.
  std::map<std::pair<std::string, std::string>, std::map<uint64_t, Instance*>> tagged_;
  std::map<int64_t, std::vector<std::string>> due_;  // tick -> instances whose state ends
  std::map<std::string, std::map<std::string, std::vector<std::string>>> run_tokens_;
  std::map<std::string, std::map<std::string, std::string>> env_tokens_;
  std::map<std::string, ComputeEnv> envs_;
};

}  // namespace spotform::sim
