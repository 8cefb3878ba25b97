#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/clock.h"
#include "engine/model/cloud_types.h"
#include "engine/model/result.h"
#include "providers/tencent/response_reader.h"

namespace spotform {

// Small pieces of the API 3.0 wire format shared by the CVM and Batch codecs: tag lists,
// filters, the spot market options, times, and checks of caller-supplied values.

// [{"Key": k, "Value": v}, ...] in key order.
nlohmann::json EncodeTagList(const Tags& tags);
// Reads a nullable [{"Key","Value"}] list (missing or null is no tags).
Result<Tags> DecodeTagList(const ResponseReader& object, std::string_view key);

// {"Name": name, "Values": [values...]}
nlohmann::json EncodeFilter(const std::string& name, const std::vector<std::string>& values);
// One "tag:<key>" filter per tag, appended to `filters` (an array).
void AppendTagFilters(const Tags& tags, nlohmann::json& filters);

// {"MarketType": "spot", "SpotOptions": {"MaxPrice": max_price, "SpotInstanceType": "one-time"}}
nlohmann::json EncodeSpotMarketOptions(const std::string& max_price);

// Reads a UTC time written as "YYYY-MM-DDThh:mm:ssZ".
Result<Clock::WallTime> DecodeTime(const ResponseReader& object, std::string_view key);

// kInvalidInput unless `token` is 1..64 printable ASCII characters.
Status CheckClientToken(const std::string& token);

}  // namespace spotform
