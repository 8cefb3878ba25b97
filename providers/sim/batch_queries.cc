#include "providers/sim/batch_queries.h"

#include <algorithm>
#include <string_view>

#include "providers/sim/cvm_launch.h"
#include "providers/sim/filters.h"
#include "providers/sim/instance_view.h"
#include "providers/sim/request_params.h"

namespace spotform::sim {

using nlohmann::json;

namespace {

// A node as DescribeComputeEnv shows it; a placeholder has ComputeNodeInstanceId "", no
// addresses and Cpu / Mem 0.
json NodeToJson(const SimWorld& world, const ComputeNode& node) {
  const Instance* instance =
      SimWorld::IsPlaceholder(node) ? nullptr : world.FindInstance(node.instance_id);
  const InstanceTypeInfo* type =
      instance != nullptr ? world.market().FindType(instance->instance_type) : nullptr;
  std::string state = world.NodeStateName(node);
  json public_ips = json::array();
  if (instance != nullptr && instance->public_ip) public_ips.push_back(PublicIpOf(*instance));
  return {{"ComputeNodeId", node.id},
          {"ComputeNodeInstanceId", node.instance_id},
          {"ComputeNodeState", state},
          {"Cpu", type != nullptr ? type->cpu : 0},
          {"Mem", type != nullptr ? type->memory_gb : 0},
          {"ResourceCreatedTime", FormatIsoTime(node.created_unix)},
          {"TaskInstanceNumAvailable", state == "RUNNING" && type != nullptr ? type->cpu : 0},
          {"AgentVersion", "v1.0.0"},
          {"PrivateIpAddresses",
           instance != nullptr ? json::array({PrivateIpOf(*instance)}) : json::array()},
          {"PublicIpAddresses", public_ips},
          {"ResourceType", "CVM"},
          {"ResourceOrigin", "BATCH_CREATED"}};
}

json Metrics(const SimWorld& world, const ComputeEnv& env) {
  int64_t submitted = 0, creating = 0, failed = 0, running = 0, deleting = 0;
  for (const ComputeNode& node : env.nodes) {
    const std::string_view state = world.NodeStateName(node);
    if (state == "SUBMITTED") ++submitted;
    if (state == "CREATING") ++creating;
    if (state == "CREATION_FAILED") ++failed;
    if (state == "RUNNING") ++running;
    if (state == "DELETING") ++deleting;
  }
  return {
      {"SubmittedCount", submitted}, {"CreatingCount", creating}, {"CreationFailedCount", failed},
      {"CreatedCount", 0},           {"RunningCount", running},   {"DeletingCount", deleting},
      {"AbnormalCount", 0}};
}

json EnvToJson(const SimWorld& world, const ComputeEnv& env, bool with_nodes) {
  json out = {{"EnvId", env.id},
              {"EnvName", env.name},
              {"Placement", {{"Zone", env.zone}, {"ProjectId", env.project_id}}},
              {"CreateTime", FormatIsoTime(env.created_unix)},
              {"ComputeNodeMetrics", Metrics(world, env)},
              {"DesiredComputeNodeCount", env.desired},
              {"EnvType", env.env_type},
              {"ResourceType", "CVM"},
              {"NextAction", env.deleting ? "DELETING" : ""},
              {"AttachedComputeNodeCount", 0},
              {"Tags", TagsToJson(env.tags)}};
  if (with_nodes) {
    json nodes = json::array();
    for (const ComputeNode& node : env.nodes) nodes.push_back(NodeToJson(world, node));
    out["ComputeNodeSet"] = std::move(nodes);
  }
  return out;
}

json ActivityToJson(const ComputeEnv& env, const Activity& activity) {
  return {
      {"ActivityId", activity.id},
      {"ComputeNodeId", activity.node_id},
      {"ComputeNodeActivityType", activity.type},
      {"EnvId", env.id},
      {"Cause", activity.cause},
      {"ActivityState", activity.state},
      {"StateReason", activity.reason},
      {"StartTime", FormatIsoTime(activity.start_unix)},
      {"EndTime", activity.end_unix ? json(FormatIsoTime(*activity.end_unix)) : json(nullptr)},
      {"InstanceId", activity.instance_id.empty() ? json(nullptr) : json(activity.instance_id)}};
}

bool EnvMatches(const ComputeEnv& env, const Filter& filter) {
  if (IsTagFilter(filter.name)) return MatchesTags(filter, env.tags);
  if (filter.name == "zone") return MatchesValue(filter, env.zone);
  if (filter.name == "env-id") return MatchesValue(filter, env.id);
  if (filter.name == "env-name") return MatchesValue(filter, env.name);
  if (filter.name == "resource-type") return MatchesValue(filter, "CVM");
  return false;
}

}  // namespace

Result<ComputeEnv*> LookUpEnv(SimWorld& world, const CallContext& context, const json& params) {
  if (Status status = CheckRegion(context.region, world.market()); !status.ok()) {
    return status.error();
  }
  Result<std::string> id = RequiredString(params, "EnvId", "EnvId");
  if (!id.ok()) return id.error();
  if (!IsWellFormedId(*id, "env")) {
    return ApiError("InvalidParameter.EnvIdMalformed", "malformed EnvId: " + *id);
  }
  ComputeEnv* env = world.FindEnv(*id);
  if (env == nullptr || env->region != context.region) {
    return ApiError("ResourceNotFound.ComputeEnv",
                    "compute environment " + *id + " does not exist");
  }
  return env;
}

Result<json> DescribeComputeEnv(SimWorld& world, const CallContext& context, const json& params) {
  Result<ComputeEnv*> env = LookUpEnv(world, context, params);
  if (!env.ok()) return env.error();
  return EnvToJson(world, **env, /*with_nodes=*/true);
}

Result<json> DescribeComputeEnvs(SimWorld& world, const CallContext& context, const json& params) {
  if (Status status = CheckRegion(context.region, world.market()); !status.ok()) {
    return status.error();
  }
  Result<std::vector<std::string>> ids = StringArray(params, "EnvIds");
  if (!ids.ok()) return ids.error();
  Result<const json*> raw_filters = OptArray(params, "Filters");
  if (!raw_filters.ok()) return raw_filters.error();
  if (!ids->empty() && *raw_filters != nullptr && !(*raw_filters)->empty()) {
    return ApiError("InvalidParameter.InvalidParameterCombination",
                    "EnvIds and Filters cannot be specified at the same time");
  }
  if (ids->size() > 100) {
    return ApiError("InvalidParameterValue.LimitExceeded", "at most 100 EnvIds per request");
  }
  for (const std::string& id : *ids) {
    if (!IsWellFormedId(id, "env")) {
      return ApiError("InvalidParameter.EnvIdMalformed", "malformed EnvId: " + id);
    }
  }
  FilterRules rules;
  rules.names = {"zone", "env-id", "env-name", "resource-type", "tag-key", "tag-value"};
  rules.allow_tag_key_prefix = true;
  rules.too_many_values_code = "InvalidParameterValue.LimitExceeded";
  Result<std::vector<Filter>> filters = ParseFilters(*raw_filters, rules);
  if (!filters.ok()) return filters.error();
  Result<Paging> paging =
      ReadPaging(params, "InvalidParameterValue.Negative", "InvalidParameterValue.LimitExceeded");
  if (!paging.ok()) return paging.error();

  std::vector<const ComputeEnv*> matches;
  for (const ComputeEnv* env : world.EnvsInOrder(context.region)) {
    if (!ids->empty() && std::find(ids->begin(), ids->end(), env->id) == ids->end()) continue;
    if (std::all_of(filters->begin(), filters->end(),
                    [&](const Filter& filter) { return EnvMatches(*env, filter); })) {
      matches.push_back(env);
    }
  }
  json set = json::array();
  for (size_t i = static_cast<size_t>(paging->offset);
       i < matches.size() && set.size() < static_cast<size_t>(paging->limit); ++i) {
    set.push_back(EnvToJson(world, *matches[i], /*with_nodes=*/false));
  }
  return json{{"ComputeEnvSet", std::move(set)}, {"TotalCount", matches.size()}};
}

Result<json> DescribeComputeEnvActivities(SimWorld& world, const CallContext& context,
                                          const json& params) {
  Result<ComputeEnv*> env = LookUpEnv(world, context, params);
  if (!env.ok()) return env.error();
  Result<Paging> paging =
      ReadPaging(params, "InvalidParameterValue.Negative", "InvalidParameterValue.LimitExceeded");
  if (!paging.ok()) return paging.error();
  std::optional<Filter> filter;
  Result<const json*> raw_filter = OptObject(params, "Filters");
  if (!raw_filter.ok()) return raw_filter.error();
  if (*raw_filter != nullptr) {
    FilterRules rules;
    rules.names = {"compute-node-id"};
    rules.max_values = 100;
    Result<Filter> parsed = ParseFilter(**raw_filter, rules);
    if (!parsed.ok()) return parsed.error();
    for (const std::string& value : parsed->values) {
      if (!IsWellFormedId(value, "node")) {
        return ApiError("InvalidParameter.ComputeNodeIdMalformed",
                        "malformed ComputeNodeId: " + value);
      }
    }
    filter = std::move(*parsed);
  }
  std::vector<const Activity*> matches;
  for (const Activity& activity : (*env)->activities) {
    if (!filter || MatchesValue(*filter, activity.node_id)) matches.push_back(&activity);
  }
  json set = json::array();
  for (size_t i = static_cast<size_t>(paging->offset);
       i < matches.size() && set.size() < static_cast<size_t>(paging->limit); ++i) {
    set.push_back(ActivityToJson(**env, *matches[i]));
  }
  return json{{"ActivitySet", std::move(set)}, {"TotalCount", matches.size()}};
}

}  // namespace spotform::sim
