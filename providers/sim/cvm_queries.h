#pragma once

#include <nlohmann/json.hpp>

#include "engine/model/result.h"
#include "providers/sim/api_reply.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/sim_world.h"

namespace spotform::sim {

// CVM read actions. Instances of other regions are invisible.

// InstanceIds XOR Filters, Offset/Limit, TotalCount. Ids are looked up in the hash map. The
// InstanceSet is spliced from the instances' cached texts (SimWorld::DescribeText).
Result<ApiReply> DescribeInstances(SimWorld& world, const CallContext& context,
                                   const nlohmann::json& params);
// InstanceStatusSet [{InstanceId, InstanceState}], TotalCount.
Result<nlohmann::json> DescribeInstancesStatus(SimWorld& world, const CallContext& context,
                                               const nlohmann::json& params);
// InstanceTypeQuotaSet for SPOTPAID and POSTPAID_BY_HOUR: price, Status, StatusCategory.
// Also serves Batch's DescribeCvmZoneInstanceConfigInfos.
Result<nlohmann::json> DescribeZoneInstanceConfigInfos(SimWorld& world, const CallContext& context,
                                                       const nlohmann::json& params);

// StatusCategory from the free capacity: >= 100 EnoughStock, >= 20 NormalStock,
// > 0 UnderStock, 0 WithoutStock.
const char* StockCategory(int64_t free_capacity);

}  // namespace spotform::sim
