#include "providers/tencent/instance_codec.h"

#include <algorithm>

#include "providers/tencent/wire_values.h"

namespace spotform {

nlohmann::json EncodeRunInstances(const LaunchSpec& spec) {
  nlohmann::json params = {
      {"InstanceChargeType", "SPOTPAID"},
      {"InstanceMarketOptions", EncodeSpotMarketOptions(spec.max_price)},
      {"Placement", {{"Zone", spec.zone}}},
      {"InstanceType", spec.instance_type},
      {"ImageId", spec.image_id},
      {"InstanceCount", spec.count},
      {"ClientToken", spec.client_token},
  };
  if (spec.min_count > 0) params["MinCount"] = spec.min_count;
  if (!spec.name.empty()) params["InstanceName"] = spec.name;
  if (!spec.tags.empty()) {
    params["TagSpecification"] =
        nlohmann::json::array({{{"ResourceType", "instance"}, {"Tags", EncodeTagList(spec.tags)}}});
  }
  return params;
}

Result<std::vector<std::string>> DecodeLaunchedIds(const ResponseReader& reply,
                                                   const LaunchSpec& spec) {
  Result<std::vector<std::string>> ids = reply.StringArray("InstanceIdSet");
  if (!ids.ok()) return ids.error();
  const size_t most = static_cast<size_t>(std::max(spec.count, 0));
  const size_t least = spec.min_count > 0 ? static_cast<size_t>(spec.min_count) : most;
  if (ids->size() < least || ids->size() > most) {
    const std::string asked =
        least == most ? std::to_string(most) : std::to_string(least) + ".." + std::to_string(most);
    return reply.BadValue("InstanceIdSet", "holds " + std::to_string(ids->size()) + " ids where " +
                                               asked +
                                               " were asked for: what was launched is unknown");
  }
  return ids;
}

InstanceState ParseInstanceState(std::string_view text) {
  if (text == "PENDING") return InstanceState::kPending;
  if (text == "RUNNING") return InstanceState::kRunning;
  if (text == "LAUNCH_FAILED") return InstanceState::kLaunchFailed;
  if (text == "TERMINATING") return InstanceState::kTerminating;
  if (text == "STOPPED" || text == "SHUTDOWN") return InstanceState::kStopped;
  return InstanceState::kOther;
}

ChargeType ParseChargeType(std::string_view text) {
  if (text == "SPOTPAID") return ChargeType::kSpot;
  if (text == "POSTPAID_BY_HOUR") return ChargeType::kPayAsYouGo;
  if (text == "PREPAID") return ChargeType::kPrepaid;
  return ChargeType::kOther;
}

std::string_view ChargeTypeName(ChargeType type) {
  switch (type) {
    case ChargeType::kSpot:
      return "SPOTPAID";
    case ChargeType::kPayAsYouGo:
      return "POSTPAID_BY_HOUR";
    case ChargeType::kPrepaid:
      return "PREPAID";
    case ChargeType::kOther:
      break;
  }
  return "OTHER";
}

Result<ObservedInstance> DecodeInstance(const ResponseReader& item) {
  ObservedInstance instance;
  Result<std::string> id = item.String("InstanceId");
  if (!id.ok()) return id.error();
  instance.id = *id;
  Result<ResponseReader> placement = item.Object("Placement");
  if (!placement.ok()) return placement.error();
  Result<std::string> zone = placement->String("Zone");
  if (!zone.ok()) return zone.error();
  instance.zone = *zone;
  Result<std::string> type = item.String("InstanceType");
  if (!type.ok()) return type.error();
  instance.instance_type = *type;
  Result<std::string> image = item.String("ImageId");
  if (!image.ok()) return image.error();
  instance.image_id = *image;
  Result<std::string> name = item.OptionalString("InstanceName");
  if (!name.ok()) return name.error();
  instance.name = *name;
  Result<std::string> state = item.String("InstanceState");
  if (!state.ok()) return state.error();
  instance.state_text = *state;
  instance.state = ParseInstanceState(*state);
  Result<std::string> charge = item.String("InstanceChargeType");
  if (!charge.ok()) return charge.error();
  instance.charge_type = ParseChargeType(*charge);
  Result<Clock::WallTime> created = DecodeTime(item, "CreatedTime");
  if (!created.ok()) return created.error();
  instance.created_time = *created;
  Result<Tags> tags = DecodeTagList(item, "Tags");
  if (!tags.ok()) return tags.error();
  instance.tags = std::move(*tags);
  Result<std::string> latest_error = item.OptionalString("LatestOperationErrorMsg");
  if (!latest_error.ok()) return latest_error.error();
  instance.latest_error = *latest_error;
  return instance;
}

}  // namespace spotform
