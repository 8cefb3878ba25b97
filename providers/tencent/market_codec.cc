#include "providers/tencent/market_codec.h"

#include <string_view>

#include "providers/tencent/wire_values.h"

namespace spotform {

namespace {

StockLevel ParseStockLevel(std::string_view text) {
  if (text == "EnoughStock") return StockLevel::kEnough;
  if (text == "NormalStock") return StockLevel::kNormal;
  if (text == "UnderStock") return StockLevel::kLow;
  if (text == "WithoutStock") return StockLevel::kNone;
  return StockLevel::kUnknown;
}

// A vCPU count of a SpotPaidQuotaSet item: an integer, never negative.
Result<int64_t> ReadQuotaCount(const ResponseReader& item, std::string_view key) {
  Result<int64_t> count = item.Int(key);
  if (!count.ok()) return count.error();
  if (*count < 0) return item.BadValue(key, "is " + std::to_string(*count) + ", below 0");
  return count;
}

}  // namespace

nlohmann::json EncodeSpotOffersQuery(const std::vector<std::string>& zones,
                                     const std::vector<std::string>& instance_types) {
  return {{"Filters",
           {EncodeFilter("zone", zones), EncodeFilter("instance-type", instance_types),
            EncodeFilter("instance-charge-type", {"SPOTPAID"})}}};
}

Result<SpotOffer> DecodeSpotOffer(const ResponseReader& item) {
  SpotOffer offer;
  Result<std::string> zone = item.String("Zone");
  if (!zone.ok()) return zone.error();
  offer.zone = *zone;
  Result<std::string> type = item.String("InstanceType");
  if (!type.ok()) return type.error();
  offer.instance_type = *type;
  Result<ResponseReader> price = item.Object("Price");
  if (!price.ok()) return price.error();
  Result<double> unit_price = price->Number("UnitPriceDiscount");
  if (!unit_price.ok()) return unit_price.error();
  offer.hourly_price = *unit_price;
  Result<std::string> status = item.String("Status");
  if (!status.ok()) return status.error();
  offer.on_sale = *status == "SELL";
  Result<std::string> category = item.OptionalString("StatusCategory");
  if (!category.ok()) return category.error();
  offer.stock = ParseStockLevel(*category);
  Result<int64_t> cpu = item.Int("Cpu");
  if (!cpu.ok()) return cpu.error();
  offer.cpu = *cpu;
  Result<int64_t> memory = item.Int("Memory");
  if (!memory.ok()) return memory.error();
  offer.memory_gb = *memory;
  return offer;
}

nlohmann::json EncodeSpotQuotaQuery() {
  return {{"Filters", {EncodeFilter("quota-type", {"SpotPaidQuotaSet"})}}};
}

Result<std::vector<SpotQuota>> DecodeSpotQuotaSet(const ResponseReader& reply) {
  Result<ResponseReader> overview = reply.Object("AccountQuotaOverview");
  if (!overview.ok()) return overview.error();
  Result<ResponseReader> quota = overview->Object("AccountQuota");
  if (!quota.ok()) return quota.error();
  Result<std::vector<ResponseReader>> items = quota->Array("SpotPaidQuotaSet");
  if (!items.ok()) return items.error();
  std::vector<SpotQuota> quotas;
  quotas.reserve(items->size());
  for (const ResponseReader& item : *items) {
    SpotQuota zone_quota;
    Result<std::string> zone = item.String("Zone");
    if (!zone.ok()) return zone.error();
    zone_quota.zone = *zone;
    Result<int64_t> total = ReadQuotaCount(item, "TotalQuota");
    if (!total.ok()) return total.error();
    zone_quota.total_vcpus = *total;
    Result<int64_t> used = ReadQuotaCount(item, "UsedQuota");
    if (!used.ok()) return used.error();
    zone_quota.used_vcpus = *used;
    Result<int64_t> remaining = ReadQuotaCount(item, "RemainingQuota");
    if (!remaining.ok()) return remaining.error();
    zone_quota.remaining_vcpus = *remaining;
    quotas.push_back(std::move(zone_quota));
  }
  return quotas;
}

}  // namespace spotform
