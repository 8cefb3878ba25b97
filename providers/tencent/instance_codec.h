#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/model/cloud_types.h"
#include "engine/model/result.h"
#include "providers/tencent/response_reader.h"

namespace spotform {

// The CVM side of the wire format: RunInstances requests, Instance objects, spot offers.

// The RunInstances parameters for a spot launch (SPOTPAID, one-time, ClientToken, tags).
// Optional parts (tags, name) are left out when empty; the spec is assumed checked.
nlohmann::json EncodeRunInstances(const LaunchSpec& spec);

// An "Instance" object of DescribeInstances.
Result<ObservedInstance> DecodeInstance(const ResponseReader& item);

InstanceState ParseInstanceState(std::string_view text);
ChargeType ParseChargeType(std::string_view text);
// The API's name of a charge type ("SPOTPAID", ...); "OTHER" for kOther.
std::string_view ChargeTypeName(ChargeType type);

// The DescribeZoneInstanceConfigInfos parameters that select one zone, type and SPOTPAID.
nlohmann::json EncodeSpotOfferQuery(const std::string& zone, const std::string& instance_type);
// An InstanceTypeQuotaSet item.
Result<SpotOffer> DecodeSpotOffer(const ResponseReader& item);

}  // namespace spotform
