#include "providers/tencent/batch_codec.h"

#include <utility>

#include "providers/tencent/wire_values.h"

namespace spotform {

nlohmann::json EncodeCreateComputeEnv(const ComputeEnvSpec& spec) {
  nlohmann::json data = {{"ImageId", spec.image_id},
                         {"InstanceChargeType", "SPOTPAID"},
                         {"InstanceMarketOptions", EncodeSpotMarketOptions(spec.max_price)}};
  // InstanceType and InstanceTypes are mutually exclusive: the list only when it has a choice.
  if (spec.instance_types.size() > 1) {
    data["InstanceTypes"] = spec.instance_types;
  } else {
    data["InstanceType"] =
        spec.instance_types.empty() ? spec.instance_type : spec.instance_types.front();
  }
  nlohmann::json env = {
      {"EnvName", spec.name},
      {"EnvType", "MANAGED"},
      {"EnvData", std::move(data)},
      {"DesiredComputeNodeCount", spec.desired_count},
  };
  if (!spec.description.empty()) env["EnvDescription"] = spec.description;
  if (!spec.tags.empty()) env["Tags"] = EncodeTagList(spec.tags);
  return {{"ComputeEnv", std::move(env)},
          {"Placement", {{"Zone", spec.zone}}},
          {"ClientToken", spec.client_token}};
}

nlohmann::json EncodeSetInstanceTypes(const std::string& env_id,
                                      const std::vector<std::string>& types) {
  return {{"EnvId", env_id}, {"EnvData", {{"InstanceTypes", types}}}};
}

ComputeNodeState ParseComputeNodeState(std::string_view text) {
  if (text == "SUBMITTED") return ComputeNodeState::kSubmitted;
  if (text == "PENDING") return ComputeNodeState::kPending;
  if (text == "CREATING") return ComputeNodeState::kCreating;
  if (text == "CREATED") return ComputeNodeState::kCreated;
  if (text == "CREATION_FAILED") return ComputeNodeState::kCreationFailed;
  if (text == "RUNNING") return ComputeNodeState::kRunning;
  if (text == "ABNORMAL") return ComputeNodeState::kAbnormal;
  if (text == "DELETING") return ComputeNodeState::kDeleting;
  return ComputeNodeState::kOther;
}

namespace {

// Reads the integer `key` of `object` into `out`.
Status ReadCount(const ResponseReader& object, std::string_view key, int64_t& out) {
  Result<int64_t> value = object.Int(key);
  if (!value.ok()) return value.error();
  out = *value;
  return Status::Ok();
}

Result<ComputeNodeMetrics> DecodeMetrics(const ResponseReader& object) {
  ComputeNodeMetrics metrics;
  const std::pair<std::string_view, int64_t*> fields[] = {
      {"SubmittedCount", &metrics.submitted},
      {"CreatingCount", &metrics.creating},
      {"CreationFailedCount", &metrics.creation_failed},
      {"CreatedCount", &metrics.created},
      {"RunningCount", &metrics.running},
      {"DeletingCount", &metrics.deleting},
      {"AbnormalCount", &metrics.abnormal},
  };
  for (const auto& [key, out] : fields) {
    Status read = ReadCount(object, key, *out);
    if (!read.ok()) return read.error();
  }
  return metrics;
}

}  // namespace

Result<ComputeEnvInfo> DecodeComputeEnvInfo(const ResponseReader& view) {
  ComputeEnvInfo info;
  Result<std::string> id = view.String("EnvId");
  if (!id.ok()) return id.error();
  info.id = *id;
  Result<std::string> name = view.String("EnvName");
  if (!name.ok()) return name.error();
  info.name = *name;
  Result<ResponseReader> placement = view.Object("Placement");
  if (!placement.ok()) return placement.error();
  Result<std::string> zone = placement->String("Zone");
  if (!zone.ok()) return zone.error();
  info.zone = *zone;
  Status desired = ReadCount(view, "DesiredComputeNodeCount", info.desired_count);
  if (!desired.ok()) return desired.error();
  Result<Clock::WallTime> created = DecodeTime(view, "CreateTime");
  if (!created.ok()) return created.error();
  info.created_time = *created;
  Result<std::string> next_action = view.OptionalString("NextAction");
  if (!next_action.ok()) return next_action.error();
  info.next_action = *next_action;
  Result<ResponseReader> metrics_object = view.Object("ComputeNodeMetrics");
  if (!metrics_object.ok()) return metrics_object.error();
  Result<ComputeNodeMetrics> metrics = DecodeMetrics(*metrics_object);
  if (!metrics.ok()) return metrics.error();
  info.metrics = *metrics;
  Result<Tags> tags = DecodeTagList(view, "Tags");
  if (!tags.ok()) return tags.error();
  info.tags = std::move(*tags);
  return info;
}

Result<ComputeNode> DecodeComputeNode(const ResponseReader& item) {
  ComputeNode node;
  Result<std::string> id = item.String("ComputeNodeId");
  if (!id.ok()) return id.error();
  node.id = *id;
  Result<std::string> instance_id = item.OptionalString("ComputeNodeInstanceId");
  if (!instance_id.ok()) return instance_id.error();
  node.instance_id = *instance_id;
  Result<std::string> state = item.String("ComputeNodeState");
  if (!state.ok()) return state.error();
  node.state_text = *state;
  node.state = ParseComputeNodeState(*state);
  return node;
}

Result<ComputeEnv> DecodeComputeEnv(const ResponseReader& reply) {
  ComputeEnv env;
  Result<ComputeEnvInfo> info = DecodeComputeEnvInfo(reply);
  if (!info.ok()) return info.error();
  env.info = std::move(*info);
  Result<std::vector<ResponseReader>> nodes = reply.Array("ComputeNodeSet");
  if (!nodes.ok()) return nodes.error();
  env.nodes.reserve(nodes->size());
  for (const ResponseReader& item : *nodes) {
    Result<ComputeNode> node = DecodeComputeNode(item);
    if (!node.ok()) return node.error();
    env.nodes.push_back(std::move(*node));
  }
  return env;
}

Result<ComputeEnvActivity> DecodeActivity(const ResponseReader& item) {
  ComputeEnvActivity activity;
  const std::pair<std::string_view, std::string*> required[] = {
      {"ActivityId", &activity.id},
      {"ComputeNodeId", &activity.node_id},
      {"ComputeNodeActivityType", &activity.type},
      {"ActivityState", &activity.state},
  };
  for (const auto& [key, out] : required) {
    Result<std::string> value = item.String(key);
    if (!value.ok()) return value.error();
    *out = *value;
  }
  const std::pair<std::string_view, std::string*> nullable[] = {
      {"InstanceId", &activity.instance_id}, {"Cause", &activity.cause},
      {"StateReason", &activity.reason},     {"StartTime", &activity.start_time},
      {"EndTime", &activity.end_time},
  };
  for (const auto& [key, out] : nullable) {
    Result<std::string> value = item.OptionalString(key);
    if (!value.ok()) return value.error();
    *out = *value;
  }
  return activity;
}

}  // namespace spotform
