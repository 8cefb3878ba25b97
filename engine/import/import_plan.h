#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/cloud_types.h"
#include "engine/model/environment_spec.h"
#include "engine/model/result.h"
#include "engine/model/state_edit.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// How `spotform import` checks what it adopts.
struct ImportOptions {
  std::string region;  // named in "not found in REGION" messages
  bool force = false;  // adopt instances whose zone or instance type differ from the config
};

// What an import into one environment would record. The planner-like pure half of
// `spotform import`: the command describes the cloud, this decides, the store applies `edit`
// in one transaction (or nothing at all when `edit` is empty: everything already imported).
struct ImportOutcome {
  std::string address;               // "env.render"
  StateEdit edit;                    // empty when there is nothing new to record
  std::vector<std::string> adopted;  // ins-... / env-... ids recorded by `edit`
  std::vector<std::string> already;  // ids this environment already manages (no-op)
  std::vector<std::string> notes;    // warnings for people (forced mismatches, ...)
  std::string pool_id;               // the pool the ids are recorded in
  int expected_count = 0;            // the pool's expected count after the import
  int node_count = 0;                // batch: nodes recorded with the environment
  bool new_environment = false;      // the environment was not in the state before
};

// True for `prefix` followed by 8 lower-case letters or digits, the shape of Tencent Cloud ids
// ("ins-2f9k3xq1", "env-4bz2kw1q").
bool IsResourceId(std::string_view id, std::string_view prefix);

// Who manages what in a state: instance ids, Batch node ids and Batch environment ids, each
// mapped to the name of the environment recording it.
std::map<std::string, std::string> ManagedIds(const StateSnapshot& state);

// Adopts cvm spot instances into environment `spec` (as declared in the config). Every id
// must be in `observed.found`, SPOTPAID, pending or running, not managed by another
// environment, and in the declared zone and instance type (unless options.force). The
// instances join the environment's pool of the declared shape. An environment not yet in
// the state is recorded expecting the adopted count (its applied desired_count too), so a
// plan right after an import that matches the config has no changes; a recorded
// environment's expected count is not changed (a new pool in it starts at 0). The pool
// records the declared image and bid, since the API does not report the bid. Fails, naming every
// problem (one per line), or returns the edit. `ids` may repeat; repeats count once.
Result<ImportOutcome> PlanInstanceImport(const EnvironmentSpec& spec, const StateSnapshot& state,
                                         const std::vector<std::string>& ids,
                                         const InstanceObservation& observed,
                                         const ImportOptions& options);

// Adopts Batch compute environment `env` with its nodes into environment `spec` (mode batch).
// `node_instances` describes the nodes' CVM instances (to check the instance type). The new
// pool's expected count is Batch's DesiredComputeNodeCount: Batch keeps that count, and
// spotform owns it from now on. `env` must not be deleting, nor managed by another
// environment; the zone and type must match unless options.force.
Result<ImportOutcome> PlanBatchImport(const EnvironmentSpec& spec, const StateSnapshot& state,
                                      const ComputeEnv& env,
                                      const InstanceObservation& node_instances,
                                      const ImportOptions& options);

// The record of an adopted instance or Batch node.
RecordedInstance ImportedInstance(const ObservedInstance& instance);
RecordedInstance ImportedNode(const ComputeNode& node, const EnvironmentSpec& spec);

// A pool id for capacity adopted into `spec`'s environment: stable for the same inputs and
// distinct from the planner's ids.
std::string ImportPoolId(const EnvironmentSpec& spec, const StateSnapshot& state);

// Records a whole environment not yet in state (discovery): its applied spec, one pool of
// `spec`'s shape kept at `expected_count`, and its instances or nodes.
void AddAdoptedEnvironment(const EnvironmentSpec& spec, const std::string& batch_env_id,
                           int expected_count, std::vector<RecordedInstance> instances,
                           const StateSnapshot& state, StateEdit& edit);

}  // namespace spotform
