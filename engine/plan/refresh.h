#pragma once

#include <string>
#include <vector>

#include "engine/model/cloud.h"
#include "engine/model/result.h"
#include "engine/model/state_edit.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// Owner tags that spotform puts on everything it launches, so a crashed apply's instances
// can be found and matched to their environment and pool (spec §4 crash safety).
inline constexpr char kOwnerLineageTag[] = "spotform-lineage";
inline constexpr char kOwnerEnvironmentTag[] = "spotform-env";
inline constexpr char kOwnerPoolTag[] = "spotform-pool";
// The state an instance is recorded in once the cloud no longer reports it.
inline constexpr char kGoneState[] = "GONE";

// One difference between the recorded state and the cloud, for people and JSON.
struct Drift {
  std::string address;  // "env.render"
  std::string subject;  // "ins-xxxxxxxx", "node-xxxxxxxx", "env-xxxxxxxx" or ""
  std::string kind;     // "gone", "launch_failed", "pending", "state_changed",
                        // "desired_count_changed", "unrecorded", "env_gone"
  std::string message;  // "reclaimed or released outside spotform"
};

// What a refresh saw: the state as the cloud reports it now, the edit that records that,
// and what differs from what was recorded.
struct RefreshResult {
  StateSnapshot refreshed;  // the input snapshot with the observations applied
  StateEdit edit;           // records the observations (for `spotform refresh` / apply)
  std::vector<Drift> drift;
};

// Observes every managed environment in as few calls as the API allows (one owner-tag search
// per region, paged; recorded instances it did not return described by id in batches of 100;
// one DescribeComputeEnv per Batch pool)
// and classifies what changed. Instances the cloud no longer reports stay in the refreshed
// snapshot with state kGoneState, so the planner can say why it replaces them.
// With a `scope` of some environments (a run that locked only those), only they are
// observed and recorded; the others stay in `refreshed` as recorded, and what carries their
// owner tags is left alone (another run may be launching it right now).
Result<RefreshResult> Refresh(Cloud& cloud, const StateSnapshot& state,
                              const LockScope& scope = LockScope::WholeState());

// One cheap authenticated read (the owner-tag search of this lineage) for a plan whose state
// is still empty: a wrong or missing key then fails the plan, not the apply after it.
Status CheckCloudAccess(Cloud& cloud, const std::string& lineage);

// What is recorded of an instance the cloud reports when it is adopted into a pool: its id,
// zone, type, state text and creation time, with `origin`.
RecordedInstance RecordedInstanceOf(const ObservedInstance& instance, InstanceOrigin origin);

// Records `observed`'s node list as the members of `pool` of `environment`: adds to `edit` the
// put of every node (a RecordedInstance with node_id, id = its instance id, state = the node's
// state text; a node recorded before keeps the rest, a new one gets its creation time) and the
// removal of recorded nodes Batch no longer lists, and returns it. Updates pool.instances to
// match. Shared by refresh and the apply's Batch steps.
StateEdit RecordNodes(const std::string& environment, Pool& pool, const ComputeEnv& observed,
                      StateEdit edit = {});

}  // namespace spotform
