#include "providers/tencent/tencent_cloud.h"

#include <algorithm>
#include <map>
#include <unordered_set>
#include <utility>

#include "providers/tencent/id_lists.h"
#include "providers/tencent/instance_codec.h"
#include "providers/tencent/parallel_calls.h"
#include "providers/tencent/response_reader.h"
#include "providers/tencent/wire_values.h"

namespace spotform {

namespace {

constexpr size_t kMaxFilters = 10;  // DescribeInstances accepts at most 10 filters

// "tag team=vfx, zone ap-guangzhou-3": how errors name a search.
std::string DescribeQuery(const InstanceQuery& query) {
  std::string text;
  for (const auto& [key, value] : query.tags) {
    text += (text.empty() ? "tag " : ", tag ") + key + "=" + value;
  }
  if (!query.zone.empty()) text += (text.empty() ? "zone " : ", zone ") + query.zone;
  return text.empty() ? "all instances" : text;
}

// True when TerminateInstances refused because an instance no longer exists or is already
// terminating (or failed at launch): a staler view than the caller's, not a real refusal.
bool RefusedForStaleTarget(const Error& error) {
  return error.code() == "InvalidInstanceId.NotFound" ||
         error.code() == "UnsupportedOperation.InstanceStateTerminating" ||
         error.code() == "UnsupportedOperation.InstanceStateTerminated" ||
         error.code() == "UnsupportedOperation.InstanceStateLaunchFailed";
}

}  // namespace

TencentCloud::TencentCloud(ApiCaller& caller, TencentCloudOptions options)
    : caller_(caller), options_(std::move(options)) {}

Result<ApiResponse> TencentCloud::Call(const std::string& service, const std::string& action,
                                       nlohmann::json params, const std::string& subject) const {
  ApiRequest request;
  request.service = service;
  request.action = action;
  request.region = options_.region;
  request.params = std::move(params);
  Result<ApiResponse> response = caller_.Call(request);
  if (!response.ok()) return response.error().WithContext(subject);
  return response;
}

Result<std::vector<ObservedInstance>> TencentCloud::DescribeChunk(
    const std::vector<std::string>& ids) const {
  nlohmann::json params = {{"InstanceIds", ids}, {"Limit", kPageSize}};
  Result<ApiResponse> response =
      Call("cvm", "DescribeInstances", std::move(params), "DescribeInstances " + DescribeIds(ids));
  if (!response.ok()) return response.error();
  Result<std::vector<ResponseReader>> items =
      ResponseReader("DescribeInstances", *response).Array("InstanceSet");
  if (!items.ok()) return items.error();
  std::vector<ObservedInstance> instances;
  instances.reserve(items->size());
  for (const ResponseReader& item : *items) {
    Result<ObservedInstance> instance = DecodeInstance(item);
    if (!instance.ok()) return instance.error();
    instances.push_back(std::move(*instance));
  }
  return instances;
}

Result<InstanceObservation> TencentCloud::DescribeInstances(const std::vector<std::string>& ids) {
  const std::vector<std::string> unique = Deduplicated(ids);
  const std::vector<std::vector<std::string>> chunks = Chunked(unique, kMaxIdsPerCall);
  Result<std::vector<std::vector<ObservedInstance>>> described =
      ParallelMap<std::vector<ObservedInstance>>(
          chunks.size(), options_.max_parallel, [&](size_t i) { return DescribeChunk(chunks[i]); });
  if (!described.ok()) return described.error();

  const std::unordered_set<std::string> wanted(unique.begin(), unique.end());
  std::unordered_set<std::string> seen;
  InstanceObservation observation;
  for (std::vector<ObservedInstance>& chunk : *described) {
    for (ObservedInstance& instance : chunk) {
      // Only what was asked for, once each.
      if (wanted.count(instance.id) == 0 || !seen.insert(instance.id).second) continue;
      observation.found.push_back(std::move(instance));
    }
  }
  for (const std::string& id : unique) {
    if (seen.count(id) == 0) observation.missing.push_back(id);
  }
  return observation;
}

Result<std::vector<ObservedInstance>> TencentCloud::FindInstances(const InstanceQuery& query) {
  const std::string subject = "DescribeInstances " + DescribeQuery(query);
  nlohmann::json filters = nlohmann::json::array();
  if (!query.zone.empty()) filters.push_back(EncodeFilter("zone", {query.zone}));
  AppendTagFilters(query.tags, filters);
  if (filters.size() > kMaxFilters) {
    return Error(ErrorKind::kInvalidInput, subject + ": more than " + std::to_string(kMaxFilters) +
                                               " filters (one per tag, one for the zone)");
  }
  std::function<Result<Page<ObservedInstance>>(int64_t)> fetch =
      [&](int64_t offset) -> Result<Page<ObservedInstance>> {
    nlohmann::json params = {{"Offset", offset}, {"Limit", kPageSize}};
    if (!filters.empty()) params["Filters"] = filters;
    Result<ApiResponse> response = Call("cvm", "DescribeInstances", std::move(params),
                                        subject + " (offset " + std::to_string(offset) + ")");
    if (!response.ok()) return response.error();
    ResponseReader reader("DescribeInstances", *response);
    Page<ObservedInstance> page;
    Result<int64_t> total = reader.Int("TotalCount");
    if (!total.ok()) return total.error();
    page.total_count = *total;
    Result<std::vector<ResponseReader>> items = reader.Array("InstanceSet");
    if (!items.ok()) return items.error();
    for (const ResponseReader& item : *items) {
      Result<ObservedInstance> instance = DecodeInstance(item);
      if (!instance.ok()) return instance.error();
      page.items.push_back(std::move(*instance));
    }
    return page;
  };
  Result<std::vector<ObservedInstance>> all =
      FetchAllPages<ObservedInstance>(kPageSize, options_.max_parallel, fetch);
  if (!all.ok()) return all.error();
  // Pages of a changing list may overlap: keep the first sighting of each id.
  std::unordered_set<std::string> seen;
  std::vector<ObservedInstance> instances;
  for (ObservedInstance& instance : *all) {
    if (seen.insert(instance.id).second) instances.push_back(std::move(instance));
  }
  return instances;
}

Status TencentCloud::SendTerminate(const std::vector<std::string>& ids) const {
  Result<ApiResponse> response = Call("cvm", "TerminateInstances", {{"InstanceIds", ids}},
                                      "TerminateInstances " + DescribeIds(ids));
  if (!response.ok()) return response.error();
  return Status::Ok();
}

Result<std::vector<std::string>> TencentCloud::TerminateChunk(
    const std::vector<std::string>& ids) const {
  Status sent = SendTerminate(ids);
  if (sent.ok()) return ids;
  if (!RefusedForStaleTarget(sent.error())) return sent.error();
  // The caller's observation is stale (an instance was reclaimed or released meanwhile): look
  // again and send the instances that can still be released, once.
  Result<std::vector<ObservedInstance>> current = DescribeChunk(ids);
  if (!current.ok()) return current.error();
  std::vector<std::string> remaining;
  for (const ObservedInstance& instance : *current) {
    if (instance.state != InstanceState::kTerminating &&
        instance.state != InstanceState::kLaunchFailed &&
        std::find(ids.begin(), ids.end(), instance.id) != ids.end()) {
      remaining.push_back(instance.id);
    }
  }
  if (remaining.size() == ids.size()) return sent.error();  // nothing was stale after all
  if (remaining.empty()) return remaining;
  Status resent = SendTerminate(remaining);
  if (!resent.ok()) return resent.error();
  return remaining;
}

Result<TerminateOutcome> TencentCloud::TerminateInstances(
    const std::vector<InstanceRef>& instances) {
  // Each id once, with the first charge type given for it.
  std::vector<std::string> order;
  std::map<std::string, std::optional<ChargeType>> charge_types;
  std::vector<std::string> lookups;
  for (const InstanceRef& ref : instances) {
    auto [it, inserted] = charge_types.emplace(ref.id, ref.charge_type);
    if (inserted)
      order.push_back(ref.id);
    else if (!it->second.has_value())
      it->second = ref.charge_type;
  }
  for (const std::string& id : order) {
    if (!charge_types[id].has_value()) lookups.push_back(id);
  }

  TerminateOutcome outcome;
  std::unordered_set<std::string> skipped;
  if (!lookups.empty()) {
    Result<InstanceObservation> observed = DescribeInstances(lookups);
    if (!observed.ok()) return observed.error();
    for (const ObservedInstance& instance : observed->found) {
      // Already on its way out, or failed at launch (the cloud removes those itself and
      // refuses to terminate them): nothing to send.
      if (instance.state == InstanceState::kTerminating ||
          instance.state == InstanceState::kLaunchFailed) {
        skipped.insert(instance.id);
      } else {
        charge_types[instance.id] = instance.charge_type;
      }
    }
    skipped.insert(observed->missing.begin(), observed->missing.end());
  }

  // TerminateInstances refuses a call that mixes charge types: group, then chunk each group.
  std::map<ChargeType, std::vector<std::string>> groups;
  for (const std::string& id : order) {
    if (skipped.count(id) != 0) {
      outcome.skipped.push_back(id);
    } else {
      groups[*charge_types[id]].push_back(id);
    }
  }
  std::vector<std::vector<std::string>> chunks;
  for (const auto& [type, ids] : groups) {
    for (std::vector<std::string>& chunk : Chunked(ids, kMaxIdsPerCall)) {
      chunks.push_back(std::move(chunk));
    }
  }
  Result<std::vector<std::vector<std::string>>> sent = ParallelMap<std::vector<std::string>>(
      chunks.size(), options_.max_parallel, [&](size_t i) { return TerminateChunk(chunks[i]); });
  if (!sent.ok()) return sent.error();
  for (size_t i = 0; i < chunks.size(); ++i) {
    const std::vector<std::string>& done = (*sent)[i];
    outcome.terminated.insert(outcome.terminated.end(), done.begin(), done.end());
    for (const std::string& id : chunks[i]) {
      if (std::find(done.begin(), done.end(), id) == done.end()) outcome.skipped.push_back(id);
    }
  }
  return outcome;
}

}  // namespace spotform
