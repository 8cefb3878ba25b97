#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/cloud_types.h"
#include "engine/model/result.h"
#include "providers/tencent/response_reader.h"

namespace spotform {

// The CVM side of the wire format: RunInstances requests and replies, Instance objects (spot
// offers and quotas are in market_codec.h).

// The RunInstances parameters for a spot launch (SPOTPAID, one-time, ClientToken, tags,
// MinCount). Optional parts (tags, name, MinCount 0) are left out; the spec is assumed checked.
nlohmann::json EncodeRunInstances(const LaunchSpec& spec);
// The InstanceIdSet of a RunInstances reply to `spec`: exactly spec.count ids, or with partial
// delivery (spec.min_count > 0) spec.min_count..spec.count. Any other number is a BadValue
// (kTransport: what was launched is unknown).
Result<std::vector<std::string>> DecodeLaunchedIds(const ResponseReader& reply,
                                                   const LaunchSpec& spec);

// An "Instance" object of DescribeInstances.
Result<ObservedInstance> DecodeInstance(const ResponseReader& item);

InstanceState ParseInstanceState(std::string_view text);
ChargeType ParseChargeType(std::string_view text);
// The API's name of a charge type ("SPOTPAID", ...); "OTHER" for kOther.
std::string_view ChargeTypeName(ChargeType type);

}  // namespace spotform
