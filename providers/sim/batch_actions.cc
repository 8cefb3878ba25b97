#include "providers/sim/batch_actions.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

#include "providers/sim/batch_queries.h"
#include "providers/sim/cvm_launch.h"
#include "providers/sim/request_params.h"

namespace spotform::sim {

using nlohmann::json;

namespace {

constexpr int64_t kMaxDesired = 2000;
constexpr size_t kMaxEnvsPerRegion = 10;
constexpr size_t kMaxEnvNameBytes = 60;
constexpr size_t kMaxEnvDescriptionBytes = 200;
constexpr size_t kMaxInstanceTypes = 10;
constexpr size_t kMaxEnvTags = 10;
const char kDefaultImage[] = "img-pmqg1cw7";

Result<std::vector<std::string>> ReadInstanceTypes(const json& env_data, const Market& market,
                                                   const std::string& zone) {
  Result<std::optional<std::string>> single = OptString(env_data, "InstanceType");
  if (!single.ok()) return single.error();
  Result<std::vector<std::string>> list = StringArray(env_data, "InstanceTypes");
  if (!list.ok()) return list.error();
  bool has_options =
      env_data.contains("InstanceTypeOptions") && !env_data["InstanceTypeOptions"].is_null();
  bool has_list = env_data.contains("InstanceTypes") && !env_data["InstanceTypes"].is_null();
  if (int(single->has_value()) + int(has_list) + int(has_options) > 1) {
    return ApiError("InvalidParameter.InvalidParameterCombination",
                    "InstanceType, InstanceTypes and InstanceTypeOptions are exclusive");
  }
  if (has_options) {
    return ApiError("InvalidParameterValue.ComputeEnv",
                    "EnvData.InstanceTypeOptions is not emulated; name the instance types");
  }
  std::vector<std::string> types =
      single->has_value() ? std::vector<std::string>{**single} : std::move(*list);
  if (types.empty()) {
    return ApiError("InvalidParameterValue.InstanceTypesEmpty", "no instance type given");
  }
  if (types.size() > kMaxInstanceTypes) {
    return ApiError("InvalidParameterValue.ComputeEnv", "at most 10 InstanceTypes");
  }
  std::set<std::string> seen;
  for (const std::string& type : types) {
    if (!seen.insert(type).second) {
      return ApiError("InvalidParameterValue.InstanceTypeDuplicate",
                      "instance type " + type + " is listed twice");
    }
    if (market.FindType(type) == nullptr || market.FindOffer(zone, type) == nullptr) {
      return ApiError("InvalidParameterValue.InstanceType",
                      "instance type " + type + " is not sold in " + zone);
    }
  }
  return types;
}

Status ReadEnvText(const json& params, ComputeEnv& env, bool name_required) {
  Result<std::optional<std::string>> name = OptString(params, "EnvName");
  if (!name.ok()) return name.error();
  if (name_required && (!name->has_value() || (*name)->empty())) {
    return ApiError("MissingParameter",
                    "the request is missing required parameter `ComputeEnv.EnvName`");
  }
  if (name->has_value()) {
    if ((*name)->size() > kMaxEnvNameBytes) {
      return ApiError("InvalidParameter.EnvNameTooLong", "EnvName is longer than 60 bytes");
    }
    env.name = **name;
  }
  Result<std::optional<std::string>> description = OptString(params, "EnvDescription");
  if (!description.ok()) return description.error();
  if (description->has_value()) {
    if ((*description)->size() > kMaxEnvDescriptionBytes) {
      return ApiError("InvalidParameter.EnvDescriptionTooLong",
                      "EnvDescription is longer than 200 bytes");
    }
    env.description = **description;
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> ReadDesired(const json& params, const std::string& too_large_code) {
  Result<std::optional<int64_t>> desired = OptInt(params, "DesiredComputeNodeCount");
  if (!desired.ok()) return desired.error();
  if (desired->has_value() && **desired < 0) {
    return ApiError("InvalidParameterValue.Negative", "DesiredComputeNodeCount is negative");
  }
  if (desired->has_value() && **desired > kMaxDesired) {
    return ApiError(too_large_code, "DesiredComputeNodeCount must be at most 2000");
  }
  return desired;
}

Status ReadEnvData(const json& env_data, const Market& market, ComputeEnv& env) {
  Result<std::vector<std::string>> types = ReadInstanceTypes(env_data, market, env.zone);
  if (!types.ok()) return types.error();
  env.instance_types = std::move(*types);
  Result<std::optional<std::string>> image = OptString(env_data, "ImageId");
  if (!image.ok()) return image.error();
  env.image_id = image->value_or(kDefaultImage);
  if (!IsWellFormedId(env.image_id, "img")) {
    return ApiError("InvalidParameter.ImageIdMalformed", "malformed ImageId: " + env.image_id);
  }
  Result<std::optional<std::string>> name = OptString(env_data, "InstanceName");
  if (!name.ok()) return name.error();
  env.instance_name = name->value_or("");
  Result<std::optional<std::string>> charge = OptString(env_data, "InstanceChargeType");
  if (!charge.ok()) return charge.error();
  std::string charge_type = charge->value_or("POSTPAID_BY_HOUR");
  if (charge_type == "SPOTPAID") {
    env.charge_type = ChargeType::kSpotPaid;
  } else if (charge_type == "POSTPAID_BY_HOUR") {
    env.charge_type = ChargeType::kPostpaidByHour;
  } else {
    return ApiError("InvalidParameterValue.UnsupportedBatchInstanceChargeType",
                    "EnvData.InstanceChargeType must be POSTPAID_BY_HOUR or SPOTPAID");
  }
  Result<const json*> market_options = OptObject(env_data, "InstanceMarketOptions");
  if (!market_options.ok()) return market_options.error();
  if (*market_options != nullptr) {
    if (env.charge_type != ChargeType::kSpotPaid) {
      return ApiError("InvalidParameter.InvalidParameterCombination",
                      "EnvData.InstanceMarketOptions requires InstanceChargeType SPOTPAID");
    }
    Result<double> price = ParseMarketOptions(**market_options, "EnvData.InstanceMarketOptions",
                                              "InvalidParameterValue.NotFloat");
    if (!price.ok()) return price.error();
    env.max_price = *price;
  }
  return Status::Ok();
}

// Refuses modifying calls on a deleting or busy environment.
Status CheckModifiable(const SimWorld& world, const ComputeEnv& env) {
  if (env.deleting) {
    return ApiError("UnsupportedOperation.ComputeEnvOperation",
                    "compute environment " + env.id + " is being deleted");
  }
  if (world.tick() < env.busy_until_tick) {
    return ApiError(
        "UnsupportedOperation.ComputeEnvAcceptOtherRequest",
        "compute environment " + env.id + " is still applying a previous request; retry later");
  }
  return Status::Ok();
}

void MarkBusy(const SimWorld& world, ComputeEnv& env) {
  env.busy_until_tick = world.tick() + std::max(0, world.options().busy_ticks);
}

// kBatchPicks: the `count` nodes Batch destroys to scale in by `count`, newest first among
// the destroyable ones (CREATED / RUNNING / ABNORMAL; of those the emulator has RUNNING
// only). Fewer than `count` when not enough nodes are destroyable.
std::vector<std::string> NodesToScaleIn(const SimWorld& world, const ComputeEnv& env,
                                        int64_t count) {
  std::vector<std::string> picked;
  for (auto it = env.nodes.rbegin();
       it != env.nodes.rend() && static_cast<int64_t>(picked.size()) < count; ++it) {
    if (std::string_view(world.NodeStateName(*it)) == "RUNNING") picked.push_back(it->id);
  }
  return picked;
}

// Refuses to terminate a node Batch does not allow to: only CREATED, CREATION_FAILED,
// RUNNING and ABNORMAL nodes may be terminated.
Status CheckTerminable(const SimWorld& world, const ComputeNode& node) {
  const std::string_view state = world.NodeStateName(node);
  if (state == "DELETING") {
    return ApiError("UnsupportedOperation.ComputeNodeIsTerminating",
                    "compute node " + node.id + " is already being terminated");
  }
  if (state != "RUNNING" && state != "CREATION_FAILED") {
    return ApiError("UnsupportedOperation.ComputeNodeForbidTerminate",
                    "compute node " + node.id + " is " + std::string(state) +
                        "; only CREATED, CREATION_FAILED, RUNNING and ABNORMAL nodes may be "
                        "terminated");
  }
  return Status::Ok();
}

Result<json> TerminateNodes(SimWorld& world, const CallContext& context, const json& params,
                            const std::vector<std::string>& node_ids) {
  Result<ComputeEnv*> found = LookUpEnv(world, context, params);
  if (!found.ok()) return found.error();
  ComputeEnv& env = **found;
  if (node_ids.size() > 100) {
    return ApiError("InvalidParameterValue.LimitExceeded", "at most 100 ComputeNodeIds");
  }
  std::set<std::string> seen;
  for (const std::string& id : node_ids) {
    if (!IsWellFormedId(id, "node")) {
      return ApiError("InvalidParameter.ComputeNodeIdMalformed", "malformed ComputeNodeId: " + id);
    }
    if (!seen.insert(id).second) {
      return ApiError("UnsupportedOperation.ComputeNodeIsTerminating",
                      "compute node " + id + " is named twice");
    }
  }
  if (Status status = CheckModifiable(world, env); !status.ok()) return status.error();
  for (const std::string& id : node_ids) {  // every node is checked before any changes
    ComputeNode* node = SimWorld::FindNode(env, id);
    if (node == nullptr) {
      return ApiError("ResourceNotFound.ComputeNode",
                      "compute node " + id + " does not exist in " + env.id);
    }
    if (Status status = CheckTerminable(world, *node); !status.ok()) return status.error();
  }
  for (const std::string& id : node_ids) {
    ReleaseNode(world, env, id, "TerminateComputeNode request");
    // Every terminable node held desired capacity (RUNNING or CREATION_FAILED).
    if (world.options().terminate_node == TerminateNodePolicy::kDecrements) {
      env.desired = std::max<int64_t>(0, env.desired - 1);
    }
  }
  MarkBusy(world, env);
  return json::object();
}

}  // namespace

void ReleaseNode(SimWorld& world, ComputeEnv& env, const std::string& node_id,
                 const std::string& cause) {
  ComputeNode* node = SimWorld::FindNode(env, node_id);
  if (node == nullptr) return;
  Instance* instance =
      SimWorld::IsPlaceholder(*node) ? nullptr : world.FindInstance(node->instance_id);
  if (instance == nullptr) {
    world.DropNodeWithoutInstance(env, node_id, cause);
    return;
  }
  if (instance->state == InstanceState::kPending || instance->state == InstanceState::kRunning) {
    world.StartTerminating(*instance, cause);
  }
}

Result<json> CreateComputeEnv(SimWorld& world, const CallContext& context, const json& params) {
  if (Status status = CheckRegion(context.region, world.market()); !status.ok()) {
    return status.error();
  }
  Result<const json*> named = OptObject(params, "ComputeEnv");
  if (!named.ok()) return named.error();
  if (*named == nullptr) {
    return ApiError("MissingParameter", "the request is missing required parameter `ComputeEnv`");
  }
  Result<const json*> placement = OptObject(params, "Placement");
  if (!placement.ok()) return placement.error();
  if (*placement == nullptr) {
    return ApiError("MissingParameter", "the request is missing required parameter `Placement`");
  }
  ComputeEnv env;
  env.region = context.region;
  Result<std::string> zone = RequiredString(**placement, "Zone", "Placement.Zone");
  if (!zone.ok()) return zone.error();
  env.zone = *zone;
  Result<std::optional<int64_t>> project = OptInt(**placement, "ProjectId");
  if (!project.ok()) return project.error();
  env.project_id = project->value_or(0);
  if (Status status = CheckZone(env.zone, context.region, world.market(),
                                "InvalidParameterValue.UnavailableZone");
      !status.ok()) {
    return status.error();
  }
  Result<std::optional<std::string>> token = OptString(params, "ClientToken");
  if (!token.ok()) return token.error();
  if (token->value_or("").size() > 64) {
    return ApiError("InvalidParameterValue", "ClientToken is longer than 64 bytes");
  }
  if (Status status = ReadEnvText(**named, env, /*name_required=*/true); !status.ok()) {
    return status.error();
  }
  Result<std::optional<int64_t>> desired = ReadDesired(**named, "InvalidParameterValue.ComputeEnv");
  if (!desired.ok()) return desired.error();
  if (!desired->has_value()) {
    return ApiError("MissingParameter",
                    "the request is missing required parameter "
                    "`ComputeEnv.DesiredComputeNodeCount`");
  }
  env.desired = **desired;
  Result<std::optional<std::string>> env_type = OptString(**named, "EnvType");
  if (!env_type.ok()) return env_type.error();
  env.env_type = env_type->value_or("MANAGED");
  if (env.env_type != "MANAGED") {
    return ApiError("InvalidParameterValue.ComputeEnv", "only EnvType MANAGED is supported");
  }
  Result<const json*> env_data = OptObject(**named, "EnvData");
  if (!env_data.ok()) return env_data.error();
  if (*env_data == nullptr) {
    return ApiError("MissingParameter",
                    "the request is missing required parameter `ComputeEnv.EnvData`");
  }
  if (Status status = ReadEnvData(**env_data, world.market(), env); !status.ok()) {
    return status.error();
  }
  Result<std::vector<Tag>> tags =
      ReadTags((*named)->contains("Tags") ? (**named)["Tags"] : json(nullptr),
               "InvalidParameterValue.ComputeEnv", "InvalidParameterValue.ComputeEnv");
  if (!tags.ok()) return tags.error();
  if (tags->size() > kMaxEnvTags) {
    return ApiError("InvalidParameterValue.ComputeEnv", "at most 10 Tags per environment");
  }
  env.tags = std::move(*tags);

  if (token->has_value() && !(*token)->empty()) {
    if (const std::string* env_id = world.FindEnvToken(context.region, **token)) {
      return json{{"EnvId", *env_id}};
    }
  }
  if (world.EnvsInOrder(context.region).size() >= kMaxEnvsPerRegion) {
    return ApiError("LimitExceeded.ComputeEnvQuota", "at most 10 compute environments per region");
  }
  env.id = world.NewId("env");
  env.created_unix = world.NowUnix();
  std::string env_id = env.id;
  world.AddEnv(std::move(env));
  if (token->has_value() && !(*token)->empty()) {
    world.RecordEnvToken(context.region, **token, env_id);
  }
  return json{{"EnvId", env_id}};
}

Result<json> ModifyComputeEnv(SimWorld& world, const CallContext& context, const json& params) {
  Result<ComputeEnv*> found = LookUpEnv(world, context, params);
  if (!found.ok()) return found.error();
  ComputeEnv& env = **found;
  ComputeEnv changed = env;  // validated into a copy, applied at the end
  if (Status status = ReadEnvText(params, changed, /*name_required=*/false); !status.ok()) {
    return status.error();
  }
  Result<std::optional<int64_t>> desired =
      ReadDesired(params, "InvalidParameterValue.LimitExceeded");
  if (!desired.ok()) return desired.error();
  Result<const json*> env_data = OptObject(params, "EnvData");
  if (!env_data.ok()) return env_data.error();
  if (*env_data != nullptr) {
    for (const auto& [key, value] : (*env_data)->items()) {
      if (key != "InstanceTypes") {
        return ApiError("InvalidParameter",
                        "ModifyComputeEnv accepts only EnvData.InstanceTypes, not " + key);
      }
    }
    Result<std::vector<std::string>> types =
        ReadInstanceTypes(**env_data, world.market(), env.zone);
    if (!types.ok()) return types.error();
    changed.instance_types = std::move(*types);
  }
  if (Status status = CheckModifiable(world, env); !status.ok()) return status.error();
  const int64_t new_desired = desired->value_or(env.desired);
  std::vector<std::string> scaled_in;
  if (new_desired < env.desired && world.options().scale_in == ScaleInPolicy::kBatchPicks) {
    const int64_t count = env.desired - new_desired;
    scaled_in = NodesToScaleIn(world, env, count);
    if (static_cast<int64_t>(scaled_in.size()) < count) {
      return ApiError("UnsupportedOperation.NotEnoughComputeNodesToTerminate",
                      "lowering DesiredComputeNodeCount by " + std::to_string(count) +
                          " needs as many compute nodes in CREATED, RUNNING or ABNORMAL state; " +
                          env.id + " has " + std::to_string(scaled_in.size()));
    }
  }
  env.name = changed.name;
  env.description = changed.description;
  env.instance_types = changed.instance_types;
  env.desired = new_desired;
  for (const std::string& id : scaled_in) {
    ReleaseNode(world, env, id, "DesiredComputeNodeCount lowered (ModifyComputeEnv)");
  }
  MarkBusy(world, env);
  return json::object();
}

Result<json> TerminateComputeNode(SimWorld& world, const CallContext& context, const json& params) {
  Result<std::string> node_id = RequiredString(params, "ComputeNodeId", "ComputeNodeId");
  if (!node_id.ok()) return node_id.error();
  return TerminateNodes(world, context, params, {*node_id});
}

Result<json> TerminateComputeNodes(SimWorld& world, const CallContext& context,
                                   const json& params) {
  Result<std::vector<std::string>> ids = StringArray(params, "ComputeNodeIds");
  if (!ids.ok()) return ids.error();
  if (ids->empty()) {
    return ApiError("MissingParameter",
                    "the request is missing required parameter `ComputeNodeIds`");
  }
  return TerminateNodes(world, context, params, *ids);
}

Result<json> DeleteComputeEnv(SimWorld& world, const CallContext& context, const json& params) {
  Result<ComputeEnv*> found = LookUpEnv(world, context, params);
  if (!found.ok()) return found.error();
  ComputeEnv& env = **found;
  if (Status status = CheckModifiable(world, env); !status.ok()) return status.error();
  env.deleting = true;
  std::vector<std::string> node_ids;
  for (const ComputeNode& node : env.nodes) node_ids.push_back(node.id);
  for (const std::string& id : node_ids) ReleaseNode(world, env, id, "DeleteComputeEnv request");
  MarkBusy(world, env);
  return json::object();
}

}  // namespace spotform::sim
