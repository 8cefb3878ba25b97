#include "providers/sim/cvm_account_quota.h"

#include <algorithm>
#include <string>
#include <vector>

#include "providers/sim/cvm_launch.h"
#include "providers/sim/filters.h"
#include "providers/sim/request_params.h"

namespace spotform::sim {

using nlohmann::json;

namespace {

constexpr const char* kQuotaSetNames[] = {"PostPaidQuotaSet", "PrePaidQuotaSet", "SpotPaidQuotaSet",
                                          "ImageQuotaSet", "DisasterRecoverGroupQuotaSet"};

// Checks the values of the zone and quota-type filters.
Status CheckQuotaFilterValues(const std::vector<Filter>& filters, const std::string& region,
                              const Market& market) {
  for (const Filter& filter : filters) {
    for (const std::string& value : filter.values) {
      if (filter.name == "quota-type" &&
          std::none_of(std::begin(kQuotaSetNames), std::end(kQuotaSetNames),
                       [&](const char* name) { return value == name; })) {
        return ApiError("InvalidFilter", "filter `quota-type` value `" + value +
                                             "` is not a quota type (PostPaidQuotaSet, "
                                             "PrePaidQuotaSet, SpotPaidQuotaSet, ImageQuotaSet, "
                                             "DisasterRecoverGroupQuotaSet)");
      }
      if (filter.name == "zone") {
        std::optional<std::string> zone_region = market.RegionOfZone(value);
        if ((zone_region && *zone_region != region) ||
            (!zone_region && !value.starts_with(region + "-"))) {
          return ApiError("InvalidZone.MismatchRegion",
                          "zone `" + value + "` does not belong to region `" + region + "`");
        }
      }
    }
  }
  return Status::Ok();
}

bool PassesQuotaFilter(const std::vector<Filter>& filters, const std::string& name,
                       const std::string& value) {
  return std::all_of(filters.begin(), filters.end(), [&](const Filter& filter) {
    return filter.name != name || MatchesValue(filter, value);
  });
}

}  // namespace

Result<json> DescribeAccountQuota(SimWorld& world, const CallContext& context, const json& params) {
  const Market& market = world.market();
  if (Status status = CheckRegion(context.region, market); !status.ok()) return status.error();
  FilterRules rules;
  rules.names = {"zone", "quota-type"};
  Result<const json*> raw_filters = OptArray(params, "Filters");
  if (!raw_filters.ok()) return raw_filters.error();
  Result<std::vector<Filter>> filters = ParseFilters(*raw_filters, rules);
  if (!filters.ok()) return filters.error();
  if (Status status = CheckQuotaFilterValues(*filters, context.region, market); !status.ok()) {
    return status.error();
  }

  json quota = json::object();
  for (const char* name : kQuotaSetNames) quota[name] = json::array();
  if (PassesQuotaFilter(*filters, "quota-type", "SpotPaidQuotaSet")) {
    const SpotQuota& spot = world.spot_quota();
    for (const std::string& zone : market.ZonesOf(context.region)) {
      if (!PassesQuotaFilter(*filters, "zone", zone)) continue;
      const int64_t used = spot.Used(zone);
      const int64_t total = spot.TotalShown(zone);
      quota["SpotPaidQuotaSet"].push_back({{"UsedQuota", used},
                                           {"RemainingQuota", std::max<int64_t>(0, total - used)},
                                           {"TotalQuota", total},
                                           {"Zone", zone}});
    }
  }
  return json{
      {"AppId", kSimAppId},
      {"AccountQuotaOverview", {{"Region", context.region}, {"AccountQuota", std::move(quota)}}}};
}

}  // namespace spotform::sim
