// TencentCloud's Batch Compute verbs (the class is declared in tencent_cloud.h).

#include <functional>
#include <unordered_set>
#include <utility>

#include "providers/tencent/batch_codec.h"
#include "providers/tencent/id_lists.h"
#include "providers/tencent/parallel_calls.h"
#include "providers/tencent/response_reader.h"
#include "providers/tencent/tencent_cloud.h"
#include "providers/tencent/wire_values.h"

namespace spotform {

namespace {

Status CheckDesiredCount(int count, const std::string& subject) {
  if (count < 0 || count > kMaxComputeNodes) {
    return Error(ErrorKind::kInvalidInput, subject + ": desired count " + std::to_string(count) +
                                               " is outside 0.." +
                                               std::to_string(kMaxComputeNodes));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> TencentCloud::CreateComputeEnv(const ComputeEnvSpec& spec) {
  const std::string subject =
      "CreateComputeEnv " + spec.name + " " + spec.zone + " " + spec.instance_type;
  auto invalid = [&](const std::string& why) {
    return Error(ErrorKind::kInvalidInput, subject + ": " + why);
  };
  if (spec.name.empty()) return invalid("name is required");
  if (spec.zone.empty()) return invalid("zone is required");
  if (spec.instance_type.empty() && spec.instance_types.empty()) {
    return invalid("instance type is required");
  }
  if (spec.instance_types.size() > kMaxBatchInstanceTypes) {
    return invalid("at most " + std::to_string(kMaxBatchInstanceTypes) + " instance types");
  }
  if (Deduplicated(spec.instance_types).size() != spec.instance_types.size()) {
    return invalid("an instance type is listed twice");
  }
  if (spec.image_id.empty()) return invalid("image id is required");
  if (spec.max_price.empty()) return invalid("max price is required");
  Status count = CheckDesiredCount(spec.desired_count, subject);
  if (!count.ok()) return count.error();
  Status token = CheckClientToken(spec.client_token);
  if (!token.ok()) return token.error().WithContext(subject);

  Result<ApiResponse> response =
      Call("batch", "CreateComputeEnv", EncodeCreateComputeEnv(spec), subject);
  if (!response.ok()) return response.error();
  return ResponseReader("CreateComputeEnv", *response).String("EnvId");
}

Result<ComputeEnv> TencentCloud::DescribeComputeEnv(const std::string& env_id) {
  Result<ApiResponse> response =
      Call("batch", "DescribeComputeEnv", {{"EnvId", env_id}}, "DescribeComputeEnv " + env_id);
  if (!response.ok()) return response.error();
  return DecodeComputeEnv(ResponseReader("DescribeComputeEnv", *response));
}

Result<std::vector<ComputeEnvInfo>> TencentCloud::ListComputeEnvs(const ComputeEnvQuery& query) {
  nlohmann::json filters = nlohmann::json::array();
  if (!query.zone.empty()) filters.push_back(EncodeFilter("zone", {query.zone}));
  if (!query.name.empty()) filters.push_back(EncodeFilter("env-name", {query.name}));
  AppendTagFilters(query.tags, filters);
  std::function<Result<Page<ComputeEnvInfo>>(int64_t)> fetch =
      [&](int64_t offset) -> Result<Page<ComputeEnvInfo>> {
    nlohmann::json params = {{"Offset", offset}, {"Limit", kPageSize}};
    if (!filters.empty()) params["Filters"] = filters;
    Result<ApiResponse> response =
        Call("batch", "DescribeComputeEnvs", std::move(params),
             "DescribeComputeEnvs (offset " + std::to_string(offset) + ")");
    if (!response.ok()) return response.error();
    ResponseReader reader("DescribeComputeEnvs", *response);
    Page<ComputeEnvInfo> page;
    Result<int64_t> total = reader.Int("TotalCount");
    if (!total.ok()) return total.error();
    page.total_count = *total;
    Result<std::vector<ResponseReader>> views = reader.Array("ComputeEnvSet");
    if (!views.ok()) return views.error();
    for (const ResponseReader& view : *views) {
      Result<ComputeEnvInfo> info = DecodeComputeEnvInfo(view);
      if (!info.ok()) return info.error();
      page.items.push_back(std::move(*info));
    }
    return page;
  };
  Result<std::vector<ComputeEnvInfo>> all =
      FetchAllPages<ComputeEnvInfo>(kPageSize, options_.max_parallel, fetch);
  if (!all.ok()) return all.error();
  std::unordered_set<std::string> seen;
  std::vector<ComputeEnvInfo> envs;
  for (ComputeEnvInfo& env : *all) {
    if (seen.insert(env.id).second) envs.push_back(std::move(env));
  }
  return envs;
}

Status TencentCloud::SetDesiredCount(const std::string& env_id, int desired_count) {
  const std::string subject =
      "ModifyComputeEnv " + env_id + " desired " + std::to_string(desired_count);
  Status count = CheckDesiredCount(desired_count, subject);
  if (!count.ok()) return count;
  Result<ApiResponse> response =
      Call("batch", "ModifyComputeEnv",
           {{"EnvId", env_id}, {"DesiredComputeNodeCount", desired_count}}, subject);
  if (!response.ok()) return response.error();
  return Status::Ok();
}

Status TencentCloud::SetInstanceTypes(const std::string& env_id,
                                      const std::vector<std::string>& types) {
  std::string names;
  for (const std::string& type : types) names += (names.empty() ? "" : ",") + type;
  const std::string subject = "ModifyComputeEnv " + env_id + " instance types " + names;
  if (types.empty() || types.size() > kMaxBatchInstanceTypes) {
    return Error(ErrorKind::kInvalidInput, subject + ": between 1 and " +
                                               std::to_string(kMaxBatchInstanceTypes) +
                                               " instance types are required");
  }
  if (Deduplicated(types).size() != types.size()) {
    return Error(ErrorKind::kInvalidInput, subject + ": an instance type is listed twice");
  }
  Result<ApiResponse> response =
      Call("batch", "ModifyComputeEnv", EncodeSetInstanceTypes(env_id, types), subject);
  if (!response.ok()) return response.error();
  return Status::Ok();
}

Status TencentCloud::TerminateComputeNodes(const std::string& env_id,
                                           const std::vector<std::string>& node_ids) {
  // One chunk at a time: Batch refuses a request while the environment is busy with another.
  for (const std::vector<std::string>& chunk : Chunked(Deduplicated(node_ids), kMaxIdsPerCall)) {
    Result<ApiResponse> response =
        Call("batch", "TerminateComputeNodes", {{"EnvId", env_id}, {"ComputeNodeIds", chunk}},
             "TerminateComputeNodes " + env_id + " " + DescribeIds(chunk));
    if (!response.ok()) return response.error();
  }
  return Status::Ok();
}

Status TencentCloud::DeleteComputeEnv(const std::string& env_id) {
  Result<ApiResponse> response =
      Call("batch", "DeleteComputeEnv", {{"EnvId", env_id}}, "DeleteComputeEnv " + env_id);
  if (!response.ok()) return response.error();
  return Status::Ok();
}

Result<std::vector<ComputeEnvActivity>> TencentCloud::DescribeComputeEnvActivities(
    const std::string& env_id) {
  std::function<Result<Page<ComputeEnvActivity>>(int64_t)> fetch =
      [&](int64_t offset) -> Result<Page<ComputeEnvActivity>> {
    Result<ApiResponse> response =
        Call("batch", "DescribeComputeEnvActivities",
             {{"EnvId", env_id}, {"Offset", offset}, {"Limit", kPageSize}},
             "DescribeComputeEnvActivities " + env_id + " (offset " + std::to_string(offset) + ")");
    if (!response.ok()) return response.error();
    ResponseReader reader("DescribeComputeEnvActivities", *response);
    Page<ComputeEnvActivity> page;
    Result<int64_t> total = reader.Int("TotalCount");
    if (!total.ok()) return total.error();
    page.total_count = *total;
    Result<std::vector<ResponseReader>> items = reader.Array("ActivitySet");
    if (!items.ok()) return items.error();
    for (const ResponseReader& item : *items) {
      Result<ComputeEnvActivity> activity = DecodeActivity(item);
      if (!activity.ok()) return activity.error();
      page.items.push_back(std::move(*activity));
    }
    return page;
  };
  return FetchAllPages<ComputeEnvActivity>(kPageSize, options_.max_parallel, fetch);
}

}  // namespace spotform
