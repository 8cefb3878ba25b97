#include "providers/sim/cvm_terminate.h"

#include <unordered_set>

#include "providers/sim/cvm_launch.h"
#include "providers/sim/request_params.h"

namespace spotform::sim {

using nlohmann::json;

Result<json> TerminateInstances(SimWorld& world, const CallContext& context, const json& params) {
  if (Status status = CheckRegion(context.region, world.market()); !status.ok()) {
    return status.error();
  }
  Result<std::vector<std::string>> ids = StringArray(params, "InstanceIds");
  if (!ids.ok()) return ids.error();
  if (ids->empty()) {
    return ApiError("MissingParameter", "the request is missing required parameter `InstanceIds`");
  }
  if (ids->size() > 100) {
    return ApiError("InvalidParameterValue.LimitExceeded", "at most 100 InstanceIds per request");
  }
  for (const std::string& id : *ids) {
    if (!IsWellFormedId(id, "ins")) {
      return ApiError("InvalidInstanceId.Malformed", "malformed instance id: " + id);
    }
  }
  std::vector<Instance*> targets;
  std::unordered_set<std::string> seen;
  for (const std::string& id : *ids) {
    if (!seen.insert(id).second) continue;
    Instance* instance = world.FindInstance(id);
    if (instance == nullptr || instance->region != context.region) {
      return ApiError("InvalidInstanceId.NotFound", "instance " + id + " does not exist");
    }
    targets.push_back(instance);
  }
  for (const Instance* instance : targets) {
    switch (instance->state) {
      case InstanceState::kPending:
        return ApiError("UnsupportedOperation.InstanceStatePending",
                        "instance " + instance->id + " is PENDING");
      case InstanceState::kTerminating:
        return ApiError("UnsupportedOperation.InstanceStateTerminating",
                        "instance " + instance->id + " is TERMINATING");
      case InstanceState::kLaunchFailed:
        return ApiError("UnsupportedOperation.InstanceStateLaunchFailed",
                        "instance " + instance->id + " is LAUNCH_FAILED");
      case InstanceState::kRunning:
        break;
    }
    if (instance->disable_api_termination) {
      return ApiError("UnsupportedOperation.InstancesProtected",
                      "instance " + instance->id + " has DisableApiTermination set");
    }
    if (instance->charge_type != targets.front()->charge_type) {
      return ApiError("UnsupportedOperation.InstanceMixedPricingModel",
                      "instances of one request must share one charge type");
    }
  }
  for (Instance* instance : targets) {
    instance->request_id = context.request_id;  // before StartTerminating drops the cached text
    world.StartTerminating(*instance, "instance released through CVM TerminateInstances");
  }
  return json::object();
}

}  // namespace spotform::sim
