// TencentCloud's RunInstances verbs: LaunchSpotInstances and DryRunLaunch (the same request
// with DryRun set, which creates nothing).
#include "providers/tencent/instance_codec.h"
#include "providers/tencent/response_reader.h"
#include "providers/tencent/tencent_cloud.h"
#include "providers/tencent/wire_values.h"

namespace spotform {

namespace {

// The answer RunInstances gives a dry run that would have succeeded (one of the two shapes
// the reference leaves open, §2.1 DryRun: this error, or an ordinary answer).
constexpr char kDryRunPassedCode[] = "DryRunOperation";

// kInvalidInput unless `spec` is a launch the API accepts. A dry run creates nothing, so its
// ClientToken may be left out; a real launch must carry one.
Status CheckLaunchSpec(const LaunchSpec& spec, const std::string& subject, bool token_required) {
  auto invalid = [&](const std::string& why) {
    return Error(ErrorKind::kInvalidInput, subject + ": " + why);
  };
  if (spec.count < 1 || spec.count > kMaxLaunchCount) {
    return invalid("count " + std::to_string(spec.count) + " is outside 1.." +
                   std::to_string(kMaxLaunchCount) +
                   "; split larger launches, one ClientToken per call");
  }
  if (spec.min_count < 0 || spec.min_count > spec.count) {
    return invalid("min count " + std::to_string(spec.min_count) + " is outside 0.." +
                   std::to_string(spec.count) + " (the count)");
  }
  if (spec.zone.empty()) return invalid("zone is required");
  if (spec.instance_type.empty()) return invalid("instance type is required");
  if (spec.image_id.empty()) return invalid("image id is required");
  if (spec.max_price.empty()) return invalid("max price is required");
  if (token_required || !spec.client_token.empty()) {
    Status token = CheckClientToken(spec.client_token);
    if (!token.ok()) return token.error().WithContext(subject);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> TencentCloud::LaunchSpotInstances(const LaunchSpec& spec) {
  const std::string subject = "RunInstances " + spec.zone + " " + spec.instance_type;
  Status checked = CheckLaunchSpec(spec, subject, /*token_required=*/true);
  if (!checked.ok()) return checked.error();

  Result<ApiResponse> response = Call("cvm", "RunInstances", EncodeRunInstances(spec), subject);
  if (!response.ok()) return response.error();
  return DecodeLaunchedIds(ResponseReader("RunInstances", *response), spec);
}

Status TencentCloud::DryRunLaunch(const LaunchSpec& spec) {
  const std::string subject = "RunInstances (dry run) " + spec.zone + " " + spec.instance_type;
  Status checked = CheckLaunchSpec(spec, subject, /*token_required=*/false);
  if (!checked.ok()) return checked;

  nlohmann::json params = EncodeRunInstances(spec);
  if (spec.client_token.empty()) params.erase("ClientToken");
  params["DryRun"] = true;
  Result<ApiResponse> response = Call("cvm", "RunInstances", std::move(params), subject);
  if (!response.ok()) {
    if (response.error().code() == kDryRunPassedCode) return Status::Ok();
    return response.error();
  }
  // An ordinary answer passes too: a RequestId, and at most an empty InstanceIdSet. Ids would
  // mean the cloud launched something after all, which the caller must hear about.
  ResponseReader reader("RunInstances", *response);
  Result<std::vector<std::string>> ids = reader.OptionalStringArray("InstanceIdSet");
  if (!ids.ok()) return ids.error();
  if (!ids->empty()) {
    return reader.BadValue("InstanceIdSet", "holds " + std::to_string(ids->size()) + " ids (" +
                                                ids->front() + (ids->size() > 1 ? ", ..." : "") +
                                                ") in the answer to a dry run: the cloud may "
                                                "have launched them");
  }
  return Status::Ok();
}

}  // namespace spotform
