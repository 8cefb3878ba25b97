#pragma once

#include <cstdint>

#include "engine/model/result.h"
#include "providers/sim/cloud_model.h"
#include "providers/sim/cvm_launch.h"
#include "providers/sim/sim_world.h"

namespace spotform::sim {

// How many instances a RunInstances request gets, decided from the bid, the free stock of its
// offer and (SPOTPAID only) its zone's spot quota in vCPUs. Stateless functions over a
// SimWorld the caller owns; nothing here changes it.

// MinCount's own rules: with `support` kUnsupported any MinCount fails with
// UnsupportedOperation.MinCountUnsupportedRegion; else it must be in [1, InstanceCount]
// (InvalidParameterValue.InvalidParameterMinCount). No MinCount: nothing to check.
Status CheckMinCount(const LaunchSpec& spec, MinCountSupport support);

// The number of instances to launch. In order:
//   - a SPOTPAID bid below the spot price: InvalidParameterValue.InsufficientPrice;
//   - without MinCount, all or nothing: fewer free slots than InstanceCount is
//     InvalidParameterValue.InsufficientOffering, more vCPUs than the zone's remaining spot
//     quota LimitExceeded.UserSpotQuota;
//   - with MinCount (partial delivery): n = min(InstanceCount, free slots, instances the quota
//     still fits); n >= MinCount launches n, else ResourceInsufficient.InsufficientOfferingMinimum
//     when the stock is short of MinCount, LimitExceeded.UserSpotQuota when the quota is.
Result<int64_t> DeliverableCount(const LaunchSpec& spec, const SimWorld& world);

}  // namespace spotform::sim
