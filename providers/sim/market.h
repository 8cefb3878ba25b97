#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace spotform::sim {

// An instance type of the catalogue (DescribeZoneInstanceConfigInfos' static fields).
struct InstanceTypeInfo {
  std::string name;    // S5.MEDIUM4
  std::string family;  // S5
  std::string type_name;
  int64_t cpu = 0;
  int64_t memory_gb = 0;
  double list_price = 0;  // POSTPAID_BY_HOUR hourly price (UnitPrice)
};

// What a (zone, instance type) pair sells. `capacity` is the pool size: instances holding a
// slot (PENDING, RUNNING, TERMINATING, LAUNCH_FAILED) count in `used` until they are gone,
// and the free capacity is capacity - used (never below 0).
struct Offer {
  double price = 0;  // spot hourly price (UnitPriceDiscount for SPOTPAID)
  int64_t capacity = 0;
  int64_t used = 0;
  int64_t fail_next_launches = 0;  // the next N launches end in LAUNCH_FAILED
  double launch_failure_rate = 0;  // probability that a launch ends in LAUNCH_FAILED

  int64_t Free() const { return capacity > used ? capacity - used : 0; }
};

// A price as the API's messages print it: four decimals ("0.1230").
std::string PriceText(double price);

// The spot market: the built-in catalogue of regions, zones and types, and per (zone, type)
// the offer. Owned by SimWorld; copied as a whole to reset.
class Market {
 public:
  // The built-in catalogue (see market.cc for the table).
  static Market BuiltIn();

  bool HasRegion(const std::string& region) const;
  // The region a zone belongs to, or nullopt for a zone the catalogue does not know.
  std::optional<std::string> RegionOfZone(const std::string& zone) const;
  std::vector<std::string> ZonesOf(const std::string& region) const;
  // Every (zone, region) of the catalogue, in catalogue order.
  const std::vector<std::pair<std::string, std::string>>& zones() const { return zones_; }
  const InstanceTypeInfo* FindType(const std::string& name) const;
  const std::vector<InstanceTypeInfo>& types() const { return types_; }

  Offer* FindOffer(const std::string& zone, const std::string& type);
  const Offer* FindOffer(const std::string& zone, const std::string& type) const;
  // Creates the offer (price 0, capacity 0) if the zone and type are known and it is missing.
  Offer* EnsureOffer(const std::string& zone, const std::string& type);
  // Every offer, ordered by (zone, type).
  const std::map<std::pair<std::string, std::string>, Offer>& offers() const { return offers_; }

 private:
  std::vector<std::pair<std::string, std::string>> zones_;  // (zone, region)
  std::vector<InstanceTypeInfo> types_;
  std::map<std::pair<std::string, std::string>, Offer> offers_;
};

}  // namespace spotform::sim
