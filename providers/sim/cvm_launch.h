#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/result.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/sim_world.h"

namespace spotform::sim {

// A RunInstances / InquiryPriceRunInstances request, checked against the catalogue.
struct LaunchSpec {
  std::string zone;
  int64_t project_id = 0;
  std::string instance_type;
  std::string image_id;
  ChargeType charge_type = ChargeType::kPostpaidByHour;
  std::optional<double> max_price;  // SPOTPAID with InstanceMarketOptions
  int64_t count = 1;
  std::optional<int64_t> min_count;  // RunInstances' MinCount (partial delivery)
  std::string name;
  bool name_given = false;
  std::vector<Tag> tags;
  std::string client_token;
  bool dry_run = false;
  bool disable_api_termination = false;
  std::string system_disk_type = "CLOUD_PREMIUM";
  int64_t system_disk_size = 50;
  std::string vpc_id = "vpc-d3fau1t0";
  std::string subnet_id = "subnet-d3fau1t0";
  std::vector<std::string> security_group_ids = {"sg-d3fau1t0"};
  int64_t bandwidth_out = 0;
  bool public_ip = false;
};

// Checks that `region` is one the catalogue knows (UnsupportedRegion otherwise).
Status CheckRegion(const std::string& region, const Market& market);
// Checks that `zone` exists and belongs to `region`; `unknown_code` answers an unknown zone
// of the region (CVM: InvalidParameterValue.ZoneNotSupported).
Status CheckZone(const std::string& zone, const std::string& region, const Market& market,
                 const std::string& unknown_code);
// Parses InstanceMarketOptions: {MarketType "spot", SpotOptions{MaxPrice, SpotInstanceType}}.
// `price_code` answers a MaxPrice that is not a decimal.
Result<double> ParseMarketOptions(const nlohmann::json& options, const std::string& path,
                                  const std::string& price_code);

// Validates every field of a launch request (no market check). MinCount is only read here;
// its rules are in launch_delivery.h.
Result<LaunchSpec> ParseLaunch(const nlohmann::json& params, const std::string& region,
                               const Market& market);

// CVM RunInstances: one-shot; all-or-nothing, or partial down to MinCount (launch_delivery.h);
// the spot quota; ClientToken replay; DryRun (the same checks, then DryRunOperation).
Result<nlohmann::json> RunInstances(SimWorld& world, const CallContext& context,
                                    const nlohmann::json& params);
// CVM InquiryPriceRunInstances: Price{InstancePrice, BandwidthPrice}.
Result<nlohmann::json> InquiryPriceRunInstances(SimWorld& world, const CallContext& context,
                                                const nlohmann::json& params);

}  // namespace spotform::sim
