#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "engine/model/result.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/sim_world.h"

namespace spotform::sim {

// The AppId every emulated account answers with (DescribeAccountQuota's AppId, a number).
inline constexpr int64_t kSimAppId = 1300000000;

// CVM DescribeAccountQuota (reference §2.5): {AppId, AccountQuotaOverview{Region,
// AccountQuota{PostPaidQuotaSet, PrePaidQuotaSet, SpotPaidQuotaSet, ImageQuotaSet,
// DisasterRecoverGroupQuotaSet}}}. Only the spot quota is modelled: SpotPaidQuotaSet holds one
// {UsedQuota, RemainingQuota, TotalQuota, Zone} per zone of the region, in vCPUs (an unlimited
// zone shows TotalQuota SpotQuota::kUnlimitedTotal); the other sets are empty. Filters `zone`
// (a zone of another region: InvalidZone.MismatchRegion) and `quota-type` (one of the five set
// names; a set it does not select is answered empty); any other name is InvalidFilter.
Result<nlohmann::json> DescribeAccountQuota(SimWorld& world, const CallContext& context,
                                            const nlohmann::json& params);

}  // namespace spotform::sim
