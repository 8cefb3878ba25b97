#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spotform::sim {

// Plain records of the emulated cloud. SimWorld owns every one of them; the action files read
// and change them only through a SimWorld reference.

enum class InstanceState { kPending, kRunning, kLaunchFailed, kTerminating };
const char* InstanceStateName(InstanceState state);

enum class ChargeType { kSpotPaid, kPostpaidByHour };
const char* ChargeTypeName(ChargeType type);

struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};

// A CVM instance. Compact on purpose: 100,000 of them must fit in a few hundred MB.
// After launch, the fields DescribeInstances shows change only in SimWorld::StartTerminating
// and FinishPending, which drop `describe_text` (TerminateInstances sets request_id just
// before StartTerminating); any other change to a shown field must call SimWorld::Changed.
// Tags never change after launch: SimWorld's tag index relies on it.
struct Instance {
  std::string id;
  uint64_t seq = 0;  // creation order, the key of the ordered index
  std::string region;
  std::string zone;
  std::string instance_type;
  std::string image_id;
  std::string name;
  ChargeType charge_type = ChargeType::kSpotPaid;
  InstanceState state = InstanceState::kPending;
  int64_t due_tick = -1;  // tick at which the current state ends (-1: it does not end by itself)
  int64_t created_unix = 0;
  int64_t project_id = 0;
  std::vector<Tag> tags;
  std::string latest_operation = "RunInstances";
  std::string request_id;  // LatestOperationRequestId
  std::string error_msg;   // LatestOperationErrorMsg (LAUNCH_FAILED)
  bool will_fail = false;  // decided at launch by the scenario: ends in LAUNCH_FAILED
  bool disable_api_termination = false;
  std::string system_disk_type = "CLOUD_PREMIUM";
  int64_t system_disk_size = 50;
  std::string vpc_id;
  std::string subnet_id;
  std::vector<std::string> security_group_ids;
  int64_t bandwidth_out = 0;
  bool public_ip = false;
  std::string env_id;  // set when the instance backs a Batch compute node
  std::string node_id;
  // Cache of the instance's DescribeInstances `Instance` object as JSON text, filled on first
  // use by SimWorld::DescribeText and dropped at every change; shared with replies in flight.
  mutable std::shared_ptr<const std::string> describe_text;
};

// One Batch activity (DescribeComputeEnvActivities).
struct Activity {
  std::string id;
  std::string node_id;
  std::string type;  // CREATE_COMPUTE_NODE / TERMINATE_COMPUTE_NODE
  std::string cause;
  std::string state;  // SUBMITTED / PROCESSING / SUCCEED / FAILED
  std::string reason;
  std::string instance_id;
  int64_t start_unix = 0;
  std::optional<int64_t> end_unix;
};

// State of a compute node that has no CVM instance (a "placeholder"): Batch accepted it but
// could not create its instance yet (stock, price) or its launch failed. Batch retries it.
enum class PlaceholderState {
  kSubmitted,       // created this tick; its first attempt is not judged yet
  kCreationFailed,  // the last attempt failed (stock, price or launch failure)
};

// A Batch compute node. With an instance its state follows the instance (see
// SimWorld::NodeStateName); without one (instance_id empty) it is a placeholder.
struct ComputeNode {
  std::string id;
  std::string instance_id;  // "" for a placeholder
  // The placeholder's state; meaningless while the node has an instance.
  PlaceholderState placeholder = PlaceholderState::kSubmitted;
  int64_t last_attempt_tick = -1;  // tick of the last creation attempt
  std::string last_failure;        // StateReason of the last failed attempt ("" if none)
  int64_t created_unix = 0;
  int64_t create_activity = -1;  // activity sequence numbers (see ComputeEnv::activities)
  int64_t terminate_activity = -1;
};

// A Batch compute environment with its nodes (creation order) and activity log.
struct ComputeEnv {
  std::string id;
  uint64_t seq = 0;
  std::string region;
  std::string zone;
  int64_t project_id = 0;
  std::string name;
  std::string description;
  std::string env_type = "MANAGED";
  std::vector<std::string> instance_types;  // tried in order
  std::string image_id;
  std::string instance_name;
  ChargeType charge_type = ChargeType::kPostpaidByHour;
  std::optional<double> max_price;  // SPOTPAID bid; none = bid the market price
  int64_t desired = 0;
  std::vector<Tag> tags;
  int64_t created_unix = 0;
  bool deleting = false;
  int64_t busy_until_tick = 0;  // modifying calls before this tick are refused
  std::vector<ComputeNode> nodes;
  std::deque<Activity> activities;
  int64_t first_activity_seq = 0;  // sequence number of activities.front()
};

}  // namespace spotform::sim
