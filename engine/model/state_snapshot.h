#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/candidate_hold.h"
#include "engine/model/clock.h"
#include "engine/model/environment_spec.h"
#include "engine/model/lock_scope.h"

namespace spotform {

// How an instance came under spotform's management.
enum class InstanceOrigin {
  kCreated,   // launched by spotform (client_token says which launch)
  kImported,  // adopted with `spotform import`
};

// An instance (cvm mode) or a Batch node with its instance (batch mode), as last recorded.
struct RecordedInstance {
  std::string id;       // "ins-xxxxxxxx"; "" for a Batch node whose CVM does not exist yet
  std::string node_id;  // batch mode: "node-xxxxxxxx"; cvm mode: ""
  std::string zone;
  std::string instance_type;
  // The last observed state in the cloud's words: "PENDING", "RUNNING", "LAUNCH_FAILED",
  // "TERMINATING", ... (Batch nodes: ComputeNodeState, e.g. "CREATING", "RUNNING").
  std::string state;
  Clock::WallTime launch_time;
  std::string client_token;  // the launch that created it; "" when imported or Batch-made
  InstanceOrigin origin = InstanceOrigin::kCreated;

  bool operator==(const RecordedInstance&) const = default;
};

// A pool is one shape of capacity of an environment: instances of one mode, zone, type,
// image and bid (spec), kept at expected_count. An environment normally has one pool; while
// it is being replaced (a shape change) it has the new pool and the old one being retired,
// so an apply interrupted mid-replacement still knows which instances are outdated.
struct Pool {
  std::string id;  // stable within the state, e.g. "p-3f2a9c1e"
  EnvironmentSpec spec;
  std::string batch_env_id;  // batch mode: the Batch "env-..." once created; cvm mode: ""
  // The count that whoever keeps this pool full works toward: spotform's keeper (cvm) or
  // Batch's DesiredComputeNodeCount (batch), as last set and confirmed by spotform.
  int expected_count = 0;
  std::vector<RecordedInstance> instances;
};

// An environment as recorded: the spec last applied, and its pools.
struct RecordedEnvironment {
  std::string name;
  EnvironmentSpec applied;
  std::vector<Pool> pools;
};

// An executor's intent, written before its cloud call and closed right after, so a run that
// died in between is settled by the next one (spec §4 crash safety).
struct JournalEntry {
  int64_t id = 0;  // assigned by the store
  std::string environment;
  std::string pool_id;
  std::string kind;          // "launch", "release", "set_count", "create_env", "delete_env", ...
  std::string client_token;  // launches and environment creations
  std::string payload;       // JSON text with the step's details (ids, counts)
  Clock::WallTime started;
};

// Everything a state holds, read in one transaction.
struct StateSnapshot {
  std::string lineage;  // UUID made with the state; never changes
  int64_t serial = 0;   // bumped by every write; 0 for a state never written
  std::map<std::string, RecordedEnvironment> environments;
  std::vector<JournalEntry> open_intents;  // intents not yet closed, oldest first
  // Holds on fallback candidates, by (zone, type, kind); expired ones may linger until the
  // next write that prunes them.
  std::vector<CandidateHold> candidate_holds;
  // For each environment ever written, the serial of the last write that touched it
  // (including the one that removed it): a saved plan is stale only when one of the
  // environments it touches moved on (issue 16). An environment not here was never written.
  std::map<std::string, int64_t> environment_serials;
};

// Who holds a state's lock.
struct LockInfo {
  std::string id;         // random, shown to users for force-unlock
  std::string operation;  // "apply", "destroy", "import", ...
  std::string user;
  std::string host;
  int64_t pid = 0;
  Clock::WallTime created;
  LockScope scope = LockScope::WholeState();  // what it keeps others from
};

}  // namespace spotform
