#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/model/cloud_types.h"
#include "engine/model/result.h"
#include "providers/tencent/response_reader.h"

namespace spotform {

// The spot market side of the CVM wire format: what DescribeZoneInstanceConfigInfos says about
// spot offers and what DescribeAccountQuota says about the account's spot quota.

// The most values one filter of a CVM describe accepts (reference §2.5).
inline constexpr size_t kMaxFilterValues = 100;

// The DescribeZoneInstanceConfigInfos parameters that select the given zones and types (at most
// kMaxFilterValues each; the caller chunks) and SPOTPAID.
nlohmann::json EncodeSpotOffersQuery(const std::vector<std::string>& zones,
                                     const std::vector<std::string>& instance_types);
// An InstanceTypeQuotaSet item.
Result<SpotOffer> DecodeSpotOffer(const ResponseReader& item);

// The DescribeAccountQuota parameters that select the spot quota (quota-type SpotPaidQuotaSet).
nlohmann::json EncodeSpotQuotaQuery();
// AccountQuotaOverview.AccountQuota.SpotPaidQuotaSet of a DescribeAccountQuota reply: every
// field required, counts never negative.
Result<std::vector<SpotQuota>> DecodeSpotQuotaSet(const ResponseReader& reply);

}  // namespace spotform
