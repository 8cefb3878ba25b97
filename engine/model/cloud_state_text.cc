#include "engine/model/cloud_state_text.h"

namespace spotform {

std::string InstanceStateText(const ObservedInstance& instance) {
  if (!instance.state_text.empty()) return instance.state_text;
  switch (instance.state) {
    case InstanceState::kPending: return "PENDING";
    case InstanceState::kRunning: return "RUNNING";
    case InstanceState::kLaunchFailed: return "LAUNCH_FAILED";
    case InstanceState::kTerminating: return "TERMINATING";
    case InstanceState::kStopped: return "STOPPED";
    case InstanceState::kOther: return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::string NodeStateText(const ComputeNode& node) {
  if (!node.state_text.empty()) return node.state_text;
  switch (node.state) {
    case ComputeNodeState::kSubmitted: return "SUBMITTED";
    case ComputeNodeState::kPending: return "PENDING";
    case ComputeNodeState::kCreating: return "CREATING";
    case ComputeNodeState::kCreated: return "CREATED";
    case ComputeNodeState::kCreationFailed: return "CREATION_FAILED";
    case ComputeNodeState::kRunning: return "RUNNING";
    case ComputeNodeState::kAbnormal: return "ABNORMAL";
    case ComputeNodeState::kDeleting: return "DELETING";
    case ComputeNodeState::kOther: return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::string ChargeTypeText(ChargeType type) {
  switch (type) {
    case ChargeType::kSpot: return "SPOTPAID";
    case ChargeType::kPayAsYouGo: return "POSTPAID_BY_HOUR";
    case ChargeType::kPrepaid: return "PREPAID";
    case ChargeType::kOther: break;
  }
  return "not SPOTPAID";
}

}  // namespace spotform
