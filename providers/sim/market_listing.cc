#include "providers/sim/market_listing.h"

#include <optional>
#include <string>

namespace spotform::sim {

using nlohmann::json;

json MarketListingJson(const SimWorld& world) {
  const Market& market = world.market();
  json offers = json::array();
  for (const auto& [key, offer] : market.offers()) {
    const auto& [zone, type_name] = key;
    const InstanceTypeInfo* type = market.FindType(type_name);
    const std::string region = market.RegionOfZone(zone).value_or("");
    if (type == nullptr || region.empty()) continue;
    const int64_t free = offer.Free();
    offers.push_back({{"zone", zone},
                      {"region", region},
                      {"instance_type", type_name},
                      {"cpu", type->cpu},
                      {"memory_gb", type->memory_gb},
                      {"price", offer.price},
                      {"capacity", offer.capacity},
                      {"used", offer.used},
                      {"free", free},
                      {"status", free > 0 ? "SELL" : "SOLD_OUT"}});
  }
  json quota = json::array();
  const SpotQuota& spot = world.spot_quota();
  for (const auto& [zone, region] : market.zones()) {
    const std::optional<int64_t> limit = spot.Limit(zone);
    const std::optional<int64_t> remaining = spot.Remaining(zone);
    quota.push_back({{"zone", zone},
                     {"region", region},
                     {"total", limit ? json(*limit) : json(nullptr)},
                     {"used", spot.Used(zone)},
                     {"remaining", remaining ? json(*remaining) : json(nullptr)}});
  }
  return json{{"offers", std::move(offers)}, {"spot_quota", std::move(quota)}};
}

}  // namespace spotform::sim
