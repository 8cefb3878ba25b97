#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/clock.h"

namespace spotform {

// Value types exchanged through the engine's cloud interface (engine/model/cloud.h). They hold
// what spotform needs from the cloud and nothing of its wire format.

// Resource tags, key -> value (ordered, so requests and dumps are deterministic).
using Tags = std::map<std::string, std::string>;

// One RunInstances request for spot capacity. The caller (the executor) chooses and records
// client_token before calling, so a replay after a crash reuses it.
struct LaunchSpec {
  std::string zone;           // e.g. "ap-guangzhou-3"
  std::string instance_type;  // e.g. "S5.MEDIUM4"
  std::string image_id;       // e.g. "img-pmqg1cw7"
  std::string max_price;      // the hourly bid as a decimal string, e.g. "0.60"
  int count = 1;              // 1..kMaxLaunchCount (engine/model/cloud.h)
  Tags tags;                  // applied to the instances at creation
  std::string client_token;   // required, <= 64 ASCII characters
  std::string name;           // instance name; "" leaves the cloud's default
  // Partial delivery (RunInstances MinCount): when > 0 the cloud launches as many as its stock
  // allows between min_count and count, and refuses (kCapacity) only when it cannot launch
  // min_count. Accounts and regions without it answer ErrorKind::kUnsupported. 0 = all or none.
  int min_count = 0;
};

// Where an instance is in its life, reduced to what the planner branches on.
enum class InstanceState {
  kPending,       // being created
  kRunning,       // serving
  kLaunchFailed,  // creation failed; the cloud removes it by itself
  kTerminating,   // released or reclaimed, about to disappear
  kStopped,       // stopped or shut down
  kOther,         // any other (transitional) state; see ObservedInstance::state_text
};

// How an instance is billed. TerminateInstances refuses a call that mixes charge types.
enum class ChargeType {
  kSpot,
  kPayAsYouGo,
  kPrepaid,
  kOther,
};

// An instance as the cloud reports it.
struct ObservedInstance {
  std::string id;  // "ins-xxxxxxxx"
  std::string zone;
  std::string instance_type;
  std::string image_id;
  std::string name;
  InstanceState state = InstanceState::kOther;
  std::string state_text;  // the cloud's own word, e.g. "LAUNCH_FAILED", for messages
  ChargeType charge_type = ChargeType::kOther;
  Clock::WallTime created_time;
  Tags tags;
  std::string latest_error;  // the latest operation's error message, "" when none
};

// The answer to a describe by ids: ids the cloud did not return are gone (released,
// reclaimed, or never existed).
struct InstanceObservation {
  std::vector<ObservedInstance> found;
  std::vector<std::string> missing;
};

// A search over all instances of the region. Every tag must match; an empty zone means any.
struct InstanceQuery {
  Tags tags;
  std::string zone;
};

// An instance to release. Without a charge type the implementation looks it up first.
struct InstanceRef {
  std::string id;
  std::optional<ChargeType> charge_type;
};

// What a release did: `terminated` were sent to the cloud; `skipped` were found gone, already
// terminating, or failed at launch (which the cloud removes itself) when looked up, so nothing
// was sent for them. Only instances given without a charge type are looked up.
struct TerminateOutcome {
  std::vector<std::string> terminated;
  std::vector<std::string> skipped;
};

// How much spot stock the market reports for a zone and type.
enum class StockLevel {
  kEnough,
  kNormal,
  kLow,
  kNone,
  kUnknown,  // the cloud did not say
};

// The spot market for one zone and instance type.
struct SpotOffer {
  std::string zone;
  std::string instance_type;
  double hourly_price = 0;  // current spot price per hour, in the account's currency
  bool on_sale = false;     // false when the type is sold out in the zone
  StockLevel stock = StockLevel::kUnknown;
  int64_t cpu = 0;
  int64_t memory_gb = 0;
};

// The account's spot quota in one zone, in vCPUs (DescribeAccountQuota SpotPaidQuotaSet).
struct SpotQuota {
  std::string zone;
  int64_t total_vcpus = 0;
  int64_t used_vcpus = 0;
  int64_t remaining_vcpus = 0;
};

// A Batch Compute environment to create: spot nodes kept at desired_count, each of the first
// type of `instance_types` Batch can create (it falls back by itself).
struct ComputeEnvSpec {
  std::string name;
  std::string zone;
  std::string instance_type;  // the most preferred type; the only one when instance_types is
                              // empty or holds just it (sent as EnvData.InstanceType)
  // Types in preference order (<= 10); with more than one entry they are sent as
  // EnvData.InstanceTypes instead of InstanceType.
  std::vector<std::string> instance_types;
  std::string image_id;
  std::string max_price;  // decimal string, as in LaunchSpec
  int desired_count = 0;  // 0..kMaxComputeNodes (engine/model/cloud.h)
  Tags tags;
  std::string client_token;  // required, <= 64 ASCII characters
  std::string description;   // "" sends none
};

// Where a Batch node is in its life.
enum class ComputeNodeState {
  kSubmitted,
  kPending,
  kCreating,
  kCreated,
  kCreationFailed,
  kRunning,
  kAbnormal,
  kDeleting,
  kOther,
};

// One node of a Batch environment.
struct ComputeNode {
  std::string id;           // "node-xxxxxxxx"
  std::string instance_id;  // the CVM "ins-..." behind it; "" before it exists
  ComputeNodeState state = ComputeNodeState::kOther;
  std::string state_text;
  Clock::WallTime created_time;  // ResourceCreatedTime; epoch when the cloud did not say
};

// Batch's own counters of nodes per state.
struct ComputeNodeMetrics {
  int64_t submitted = 0;
  int64_t creating = 0;
  int64_t creation_failed = 0;
  int64_t created = 0;
  int64_t running = 0;
  int64_t deleting = 0;
  int64_t abnormal = 0;
};

// What both a single describe and a listing report about an environment.
struct ComputeEnvInfo {
  std::string id;  // "env-xxxxxxxx"
  std::string name;
  std::string zone;
  int64_t desired_count = 0;
  Clock::WallTime created_time;
  std::string next_action;  // "DELETING" while being deleted, else ""
  ComputeNodeMetrics metrics;
  Tags tags;
};

// An environment with its node list (DescribeComputeEnv).
struct ComputeEnv {
  ComputeEnvInfo info;
  std::vector<ComputeNode> nodes;
};

// A search over the region's environments. Every tag must match; empty fields match any.
struct ComputeEnvQuery {
  Tags tags;
  std::string zone;
  std::string name;
};

// One entry of an environment's activity log (node creations and terminations).
struct ComputeEnvActivity {
  std::string id;
  std::string node_id;
  std::string instance_id;  // "" when none
  std::string type;         // e.g. "CREATE_COMPUTE_NODE", "TERMINATE_COMPUTE_NODE"
  std::string state;        // "SUBMITTED", "PROCESSING", "SUCCEED" or "FAILED"
  std::string cause;
  std::string reason;
  std::string start_time;  // as the cloud wrote it
  std::string end_time;    // "" while unfinished
};

}  // namespace spotform
