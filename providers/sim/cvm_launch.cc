#include "providers/sim/cvm_launch.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <regex>

#include "providers/sim/launch_delivery.h"
#include "providers/sim/request_params.h"

namespace spotform::sim {

using nlohmann::json;

namespace {

constexpr int64_t kMaxInstanceCount = 100;  // intl SDK / InquiryPrice: [1, 100]
constexpr size_t kMaxInstanceNameBytes = 60;
constexpr size_t kMaxClientTokenBytes = 64;
constexpr size_t kMaxTagsPerInstance = 50;
const char kDefaultInstanceName[] = "未命名";
const char kDefaultInstanceType[] = "S5.MEDIUM4";

double Round4(double value) { return std::round(value * 10000.0) / 10000.0; }

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Applies `{R:x}` / `{R:x,F:y}` to the name of the i-th (0-based) of `count` instances;
// without a pattern, several instances are suffixed 1..n.
std::string NameFor(const std::string& pattern, int64_t index, int64_t count) {
  static const std::regex kRange(R"(\{R:(\d{1,9})(,F:(\d))?\})");
  std::smatch match;
  if (std::regex_search(pattern, match, kRange)) {
    int64_t start = std::stoll(match[1].str());
    std::string number = std::to_string(start + index);
    if (match[3].matched) {
      size_t width = static_cast<size_t>(std::stoi(match[3].str()));
      if (number.size() < width) number.insert(0, width - number.size(), '0');
    }
    return match.prefix().str() + number + match.suffix().str();
  }
  if (count <= 1) return pattern;
  return pattern + std::to_string(index + 1);
}

Status ParseTagSpecification(const json& params, LaunchSpec& spec) {
  Result<const json*> specs = OptArray(params, "TagSpecification");
  if (!specs.ok()) return specs.error();
  if (*specs == nullptr) return Status::Ok();
  static const char* kResourceTypes[] = {"instance", "host", "image", "keypair", "ps", "hpc"};
  for (const json& item : **specs) {
    if (!item.is_object())
      return ApiError("InvalidParameter", "TagSpecification items are objects");
    Result<std::string> type =
        RequiredString(item, "ResourceType", "TagSpecification.ResourceType");
    if (!type.ok()) return type.error();
    if (std::none_of(std::begin(kResourceTypes), std::end(kResourceTypes),
                     [&](const char* known) { return *type == known; })) {
      return ApiError("InvalidParameterValue",
                      "TagSpecification.ResourceType `" + *type + "` is not supported");
    }
    Result<std::vector<Tag>> tags =
        ReadTags(item.contains("Tags") ? item["Tags"] : json(nullptr), "InvalidParameterValue",
                 "InvalidParameterValue.DuplicateTags");
    if (!tags.ok()) return tags.error();
    if (*type != "instance") continue;
    for (Tag& tag : *tags) {
      for (const Tag& existing : spec.tags) {
        if (existing.key == tag.key) {
          return ApiError("InvalidParameterValue.DuplicateTags", "duplicate tag key: " + tag.key);
        }
      }
      spec.tags.push_back(std::move(tag));
    }
  }
  if (spec.tags.size() > kMaxTagsPerInstance) {
    return ApiError("InvalidParameterValue.TagQuotaLimitExceeded",
                    "at most " + std::to_string(kMaxTagsPerInstance) + " tags per instance");
  }
  return Status::Ok();
}

Status ParseNetworkAndDisks(const json& params, LaunchSpec& spec) {
  Result<const json*> disk = OptObject(params, "SystemDisk");
  if (!disk.ok()) return disk.error();
  if (*disk != nullptr) {
    Result<std::optional<std::string>> type = OptString(**disk, "DiskType");
    if (!type.ok()) return type.error();
    Result<std::optional<int64_t>> size = OptInt(**disk, "DiskSize");
    if (!size.ok()) return size.error();
    if (type->has_value()) spec.system_disk_type = **type;
    if (size->has_value()) {
      if (**size < 20 || **size > 2048) {
        return ApiError("InvalidParameterValue.Range", "SystemDisk.DiskSize must be in [20, 2048]");
      }
      spec.system_disk_size = **size;
    }
  }
  Result<const json*> vpc = OptObject(params, "VirtualPrivateCloud");
  if (!vpc.ok()) return vpc.error();
  if (*vpc != nullptr) {
    Result<std::string> vpc_id = RequiredString(**vpc, "VpcId", "VirtualPrivateCloud.VpcId");
    if (!vpc_id.ok()) return vpc_id.error();
    Result<std::string> subnet = RequiredString(**vpc, "SubnetId", "VirtualPrivateCloud.SubnetId");
    if (!subnet.ok()) return subnet.error();
    if (*vpc_id != "DEFAULT" && !IsWellFormedId(*vpc_id, "vpc")) {
      return ApiError("InvalidParameterValue.VpcIdMalformed", "malformed VpcId: " + *vpc_id);
    }
    if (*subnet != "DEFAULT" && !IsWellFormedId(*subnet, "subnet")) {
      return ApiError("InvalidParameterValue.SubnetIdMalformed", "malformed SubnetId: " + *subnet);
    }
    if (*vpc_id != "DEFAULT") spec.vpc_id = *vpc_id;
    if (*subnet != "DEFAULT") spec.subnet_id = *subnet;
  }
  Result<std::vector<std::string>> groups = StringArray(params, "SecurityGroupIds");
  if (!groups.ok()) return groups.error();
  if (!groups->empty()) spec.security_group_ids = std::move(*groups);
  Result<const json*> internet = OptObject(params, "InternetAccessible");
  if (!internet.ok()) return internet.error();
  if (*internet != nullptr) {
    Result<std::optional<int64_t>> bandwidth = OptInt(**internet, "InternetMaxBandwidthOut");
    if (!bandwidth.ok()) return bandwidth.error();
    Result<std::optional<bool>> assigned = OptBool(**internet, "PublicIpAssigned");
    if (!assigned.ok()) return assigned.error();
    spec.bandwidth_out = bandwidth->value_or(0);
    if (spec.bandwidth_out < 0 || spec.bandwidth_out > 1000) {
      return ApiError("InvalidParameterValue.Range",
                      "InternetAccessible.InternetMaxBandwidthOut must be in [0, 1000]");
    }
    spec.public_ip = assigned->value_or(spec.bandwidth_out > 0);
  }
  return Status::Ok();
}

}  // namespace

Status CheckRegion(const std::string& region, const Market& market) {
  if (!market.HasRegion(region)) {
    return ApiError("UnsupportedRegion",
                    "region `" + region + "` is not emulated (ap-guangzhou, ap-shanghai)");
  }
  return Status::Ok();
}

Status CheckZone(const std::string& zone, const std::string& region, const Market& market,
                 const std::string& unknown_code) {
  std::optional<std::string> zone_region = market.RegionOfZone(zone);
  if (zone_region && *zone_region == region) return Status::Ok();
  if (!zone_region && zone.starts_with(region + "-")) {
    return ApiError(unknown_code, "zone `" + zone + "` is not supported");
  }
  return ApiError("InvalidZone.MismatchRegion",
                  "zone `" + zone + "` does not belong to region `" + region + "`");
}

Result<double> ParseMarketOptions(const json& options, const std::string& path,
                                  const std::string& price_code) {
  Result<std::optional<std::string>> market_type = OptString(options, "MarketType");
  if (!market_type.ok()) return market_type.error();
  if (market_type->has_value() && **market_type != "spot") {
    return ApiError("InvalidParameterValue", path + ".MarketType must be `spot`");
  }
  Result<const json*> spot = OptObject(options, "SpotOptions");
  if (!spot.ok()) return spot.error();
  if (*spot == nullptr) {
    return ApiError("MissingParameter",
                    "the request is missing required parameter `" + path + ".SpotOptions`");
  }
  Result<std::string> max_price =
      RequiredString(**spot, "MaxPrice", path + ".SpotOptions.MaxPrice");
  if (!max_price.ok()) return max_price.error();
  std::optional<double> price = ParseDecimal(*max_price);
  if (!price) {
    return ApiError(price_code,
                    path + ".SpotOptions.MaxPrice `" + *max_price + "` is not a decimal number");
  }
  Result<std::optional<std::string>> spot_type = OptString(**spot, "SpotInstanceType");
  if (!spot_type.ok()) return spot_type.error();
  if (spot_type->has_value() && Lower(**spot_type) != "one-time") {
    return ApiError("InvalidParameterValue",
                    path + ".SpotOptions.SpotInstanceType must be `one-time`");
  }
  return *price;
}

Result<LaunchSpec> ParseLaunch(const json& params, const std::string& region,
                               const Market& market) {
  LaunchSpec spec;
  if (Status status = CheckRegion(region, market); !status.ok()) return status.error();
  Result<const json*> placement = OptObject(params, "Placement");
  if (!placement.ok()) return placement.error();
  if (*placement == nullptr) {
    return ApiError("MissingParameter", "the request is missing required parameter `Placement`");
  }
  Result<std::string> zone = RequiredString(**placement, "Zone", "Placement.Zone");
  if (!zone.ok()) return zone.error();
  Result<std::optional<int64_t>> project = OptInt(**placement, "ProjectId");
  if (!project.ok()) return project.error();
  spec.zone = *zone;
  spec.project_id = project->value_or(0);
  Status zone_ok = CheckZone(spec.zone, region, market, "InvalidParameterValue.ZoneNotSupported");
  if (!zone_ok.ok()) return zone_ok.error();

  Result<std::optional<std::string>> charge = OptString(params, "InstanceChargeType");
  if (!charge.ok()) return charge.error();
  std::string charge_type = charge->value_or("POSTPAID_BY_HOUR");
  if (charge_type == "SPOTPAID") {
    spec.charge_type = ChargeType::kSpotPaid;
  } else if (charge_type == "POSTPAID_BY_HOUR") {
    spec.charge_type = ChargeType::kPostpaidByHour;
  } else {
    return ApiError("InvalidParameterValue", "InstanceChargeType `" + charge_type +
                                                 "` is not emulated (SPOTPAID, POSTPAID_BY_HOUR)");
  }
  Result<const json*> market_options = OptObject(params, "InstanceMarketOptions");
  if (!market_options.ok()) return market_options.error();
  if (*market_options != nullptr) {
    if (spec.charge_type != ChargeType::kSpotPaid) {
      return ApiError("InvalidParameterCombination",
                      "InstanceMarketOptions requires InstanceChargeType SPOTPAID");
    }
    Result<double> price =
        ParseMarketOptions(**market_options, "InstanceMarketOptions", "InvalidParameterValue");
    if (!price.ok()) return price.error();
    spec.max_price = *price;
  }

  Result<std::optional<std::string>> type = OptString(params, "InstanceType");
  if (!type.ok()) return type.error();
  spec.instance_type = type->value_or(kDefaultInstanceType);
  if (market.FindType(spec.instance_type) == nullptr) {
    return ApiError("InvalidParameterValue.InstanceTypeNotFound",
                    "instance type `" + spec.instance_type + "` does not exist");
  }
  if (market.FindOffer(spec.zone, spec.instance_type) == nullptr) {
    return ApiError("ResourceUnavailable.InstanceType",
                    "instance type `" + spec.instance_type + "` is not sold in " + spec.zone);
  }

  Result<std::string> image = RequiredString(params, "ImageId", "ImageId");
  if (!image.ok()) return image.error();
  if (!IsWellFormedId(*image, "img")) {
    return ApiError("InvalidImageId.Malformed", "malformed ImageId: " + *image);
  }
  spec.image_id = *image;

  Result<std::optional<int64_t>> count = OptInt(params, "InstanceCount");
  if (!count.ok()) return count.error();
  spec.count = count->value_or(1);
  if (spec.count < 1 || spec.count > kMaxInstanceCount) {
    return ApiError("InvalidParameterValue.Range",
                    "InstanceCount must be in [1, " + std::to_string(kMaxInstanceCount) + "]");
  }

  Result<std::optional<int64_t>> min_count = OptInt(params, "MinCount");
  if (!min_count.ok()) return min_count.error();
  spec.min_count = *min_count;

  Result<std::optional<std::string>> name = OptString(params, "InstanceName");
  if (!name.ok()) return name.error();
  spec.name_given = name->has_value();
  spec.name = name->value_or(kDefaultInstanceName);
  if (spec.name.size() > kMaxInstanceNameBytes) {
    return ApiError("InvalidInstanceName.TooLong", "InstanceName is longer than 60 bytes");
  }

  Result<std::optional<std::string>> token = OptString(params, "ClientToken");
  if (!token.ok()) return token.error();
  spec.client_token = token->value_or("");
  if (spec.client_token.size() > kMaxClientTokenBytes) {
    return ApiError("InvalidClientToken.TooLong", "ClientToken is longer than 64 bytes");
  }
  Result<std::optional<bool>> dry_run = OptBool(params, "DryRun");
  if (!dry_run.ok()) return dry_run.error();
  spec.dry_run = dry_run->value_or(false);
  Result<std::optional<bool>> protect = OptBool(params, "DisableApiTermination");
  if (!protect.ok()) return protect.error();
  spec.disable_api_termination = protect->value_or(false);

  if (Status status = ParseTagSpecification(params, spec); !status.ok()) return status.error();
  if (Status status = ParseNetworkAndDisks(params, spec); !status.ok()) return status.error();
  return spec;
}

Result<json> RunInstances(SimWorld& world, const CallContext& context, const json& params) {
  Result<LaunchSpec> spec = ParseLaunch(params, context.region, world.market());
  if (!spec.ok()) return spec.error();
  if (Status status = CheckMinCount(*spec, world.options().min_count); !status.ok()) {
    return status.error();
  }
  if (!spec->dry_run && !spec->client_token.empty()) {
    if (const auto* ids = world.FindRunToken(context.region, spec->client_token)) {
      return json{{"InstanceIdSet", *ids}};
    }
  }
  Result<int64_t> count = DeliverableCount(*spec, world);
  if (!count.ok()) return count.error();
  if (spec->dry_run) {
    return ApiError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
  }
  std::vector<std::string> ids;
  for (int64_t i = 0; i < *count; ++i) {
    Instance instance;
    instance.zone = spec->zone;
    instance.project_id = spec->project_id;
    instance.instance_type = spec->instance_type;
    instance.image_id = spec->image_id;
    instance.charge_type = spec->charge_type;
    instance.name = NameFor(spec->name, i, *count);
    instance.tags = spec->tags;
    instance.request_id = context.request_id;
    instance.disable_api_termination = spec->disable_api_termination;
    instance.system_disk_type = spec->system_disk_type;
    instance.system_disk_size = spec->system_disk_size;
    instance.vpc_id = spec->vpc_id;
    instance.subnet_id = spec->subnet_id;
    instance.security_group_ids = spec->security_group_ids;
    instance.bandwidth_out = spec->bandwidth_out;
    instance.public_ip = spec->public_ip;
    ids.push_back(world.LaunchInstance(std::move(instance)).id);
  }
  if (!spec->client_token.empty()) world.RecordRunToken(context.region, spec->client_token, ids);
  return json{{"InstanceIdSet", ids}};
}

Result<json> InquiryPriceRunInstances(SimWorld& world, const CallContext& context,
                                      const json& params) {
  Result<LaunchSpec> spec = ParseLaunch(params, context.region, world.market());
  if (!spec.ok()) return spec.error();
  const Offer* offer = world.market().FindOffer(spec->zone, spec->instance_type);
  const InstanceTypeInfo* type = world.market().FindType(spec->instance_type);
  if (spec->charge_type == ChargeType::kSpotPaid && spec->max_price &&
      *spec->max_price + 1e-9 < offer->price) {
    return ApiError("InvalidParameterValue.InsufficientPrice",
                    "bid " + PriceText(*spec->max_price) + " is below the spot price " +
                        PriceText(offer->price));
  }
  double count = static_cast<double>(spec->count);
  double list = Round4(type->list_price * count);
  double paid = spec->charge_type == ChargeType::kSpotPaid ? Round4(offer->price * count) : list;
  double discount = list > 0 ? std::round(paid / list * 1000.0) / 10.0 : 100.0;
  json instance_price = {{"UnitPrice", list},
                         {"UnitPriceDiscount", paid},
                         {"Discount", discount},
                         {"ChargeUnit", "HOUR"}};
  json bandwidth_price = {
      {"UnitPrice", 0.0}, {"UnitPriceDiscount", 0.0}, {"Discount", 100.0}, {"ChargeUnit", "GB"}};
  if (spec->bandwidth_out > 0) {
    bandwidth_price["UnitPrice"] = 0.8;
    bandwidth_price["UnitPriceDiscount"] = 0.8;
  }
  return json{{"Price", {{"InstancePrice", instance_price}, {"BandwidthPrice", bandwidth_price}}}};
}

}  // namespace spotform::sim
