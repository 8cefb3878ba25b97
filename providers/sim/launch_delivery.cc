#include "providers/sim/launch_delivery.h"

#include <algorithm>
#include <string>

#include "providers/sim/request_params.h"

namespace spotform::sim {
namespace {

// "6 vCPUs left of 50" (the zone's spot quota), for the UserSpotQuota messages.
std::string QuotaLeftText(const SpotQuota& quota, const std::string& zone) {
  return std::to_string(quota.Remaining(zone).value_or(0)) + " vCPUs left of " +
         std::to_string(quota.Limit(zone).value_or(0));
}

Error UserSpotQuotaError(const SpotQuota& quota, const LaunchSpec& spec, int64_t cpu,
                         int64_t instances, const std::string& what) {
  return ApiError("LimitExceeded.UserSpotQuota",
                  "You are short of the spot instance quota in " + spec.zone + ": " +
                      QuotaLeftText(quota, spec.zone) + ", " + what + " needs " +
                      std::to_string(instances * cpu) + " vCPUs (" + std::to_string(instances) +
                      " x " + spec.instance_type + ", " + std::to_string(cpu) + " vCPUs each)");
}

}  // namespace

Status CheckMinCount(const LaunchSpec& spec, MinCountSupport support) {
  if (!spec.min_count) return Status::Ok();
  if (support == MinCountSupport::kUnsupported) {
    return ApiError("UnsupportedOperation.MinCountUnsupportedRegion",
                    "This region does not currently support the MinCount parameter.");
  }
  if (*spec.min_count < 1 || *spec.min_count > spec.count) {
    return ApiError("InvalidParameterValue.InvalidParameterMinCount",
                    "The value of parameter MinCount must be a positive integer not greater than "
                    "InstanceCount (" +
                        std::to_string(spec.count) + "), got " + std::to_string(*spec.min_count) +
                        ".");
  }
  return Status::Ok();
}

Result<int64_t> DeliverableCount(const LaunchSpec& spec, const SimWorld& world) {
  const Market& market = world.market();
  const Offer* offer = market.FindOffer(spec.zone, spec.instance_type);
  const InstanceTypeInfo* type = market.FindType(spec.instance_type);
  if (offer == nullptr || type == nullptr) {
    return ApiError("ResourceUnavailable.InstanceType",
                    "instance type `" + spec.instance_type + "` is not sold in " + spec.zone);
  }
  if (spec.charge_type == ChargeType::kSpotPaid && spec.max_price &&
      *spec.max_price + 1e-9 < offer->price) {
    return ApiError("InvalidParameterValue.InsufficientPrice",
                    "bid " + PriceText(*spec.max_price) + " is below the spot price " +
                        PriceText(offer->price) + " of " + spec.instance_type + " in " + spec.zone);
  }
  const SpotQuota& quota = world.spot_quota();
  const int64_t free = offer->Free();
  // The spot quota binds SPOTPAID launches only; POSTPAID_BY_HOUR has quotas of its own that
  // the emulator does not model.
  const int64_t fit = spec.charge_type == ChargeType::kSpotPaid
                          ? quota.InstancesThatFit(spec.zone, type->cpu, spec.count)
                          : spec.count;
  const std::string stock_text =
      std::to_string(free) + " of " + spec.instance_type + " left in " + spec.zone;

  if (!spec.min_count) {
    if (free < spec.count) {
      return ApiError("InvalidParameterValue.InsufficientOffering",
                      "the spot instances are out of stock: " + stock_text + ", " +
                          std::to_string(spec.count) + " requested");
    }
    if (fit < spec.count) {
      return UserSpotQuotaError(quota, spec, type->cpu, spec.count, "InstanceCount");
    }
    return spec.count;
  }

  const int64_t minimum = *spec.min_count;
  if (free < minimum) {
    return ApiError("ResourceInsufficient.InsufficientOfferingMinimum",
                    "Inventory fails to satisfy the minimum purchasable quantity: " + stock_text +
                        ", MinCount " + std::to_string(minimum));
  }
  if (fit < minimum) return UserSpotQuotaError(quota, spec, type->cpu, minimum, "MinCount");
  return std::min({spec.count, free, fit});
}

}  // namespace spotform::sim
