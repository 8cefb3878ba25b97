#pragma once

#include <nlohmann/json.hpp>

#include "providers/sim/sim_world.h"

namespace spotform::sim {

// The market as the control API's GET /_sim/market shows it (a read-only view of a SimWorld
// the caller owns and locks):
//   {"offers": [{"zone", "region", "instance_type", "cpu", "memory_gb", "price", "capacity",
//                "used", "free", "status"}, ...],          ordered by (zone, instance_type)
//    "spot_quota": [{"zone", "region", "total", "used", "remaining"}, ...]}
//                                                          one per zone of the catalogue
// `used` of an offer counts every instance holding a slot (PENDING, RUNNING, TERMINATING,
// LAUNCH_FAILED), `free` = capacity - used (never below 0), `status` SELL or SOLD_OUT (free 0),
// as DescribeZoneInstanceConfigInfos reports it. Spot quota figures are vCPUs of SPOTPAID
// instances (LAUNCH_FAILED ones excluded); `total` and `remaining` are null when unlimited.
nlohmann::json MarketListingJson(const SimWorld& world);

}  // namespace spotform::sim
