#include "providers/sim/market.h"

#include <cstdio>

namespace spotform::sim {

std::string PriceText(double price) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4f", price);
  return buffer;
}

// The built-in catalogue.
//
// Regions and zones:
//   ap-guangzhou: ap-guangzhou-3, ap-guangzhou-4, ap-guangzhou-6, ap-guangzhou-7
//   ap-shanghai:  ap-shanghai-2, ap-shanghai-4, ap-shanghai-5
//
// Instance types (vCPU, GiB, POSTPAID_BY_HOUR list price per hour):
//   S5.MEDIUM4   2C 4G 0.44    S5.LARGE8  4C 8G 0.88    S5.2XLARGE16 8C 16G 1.76
//   SA2.MEDIUM4  2C 4G 0.38    S2.MEDIUM4 2C 4G 0.50    BS1.LARGE8   4C 8G  0.80
//   C5.LARGE8    4C 8G 1.00
//
// Spot offers (spot price per hour / free capacity in instances); a type missing from a zone
// is not sold there (RunInstances answers ResourceUnavailable.InstanceType):
//   zone            S5.MEDIUM4 S5.LARGE8  S5.2XLARGE16 SA2.MEDIUM4 S2.MEDIUM4 BS1.LARGE8 C5.LARGE8
//   ap-guangzhou-3  0.09/1000  0.18/600   0.36/300     0.07/800    0.10/500   0.16/400   -
//   ap-guangzhou-4  0.10/800   0.19/500   -            0.08/600    0.11/300   0.17/200   -
//   ap-guangzhou-6  0.09/1200  0.18/700   0.35/400     0.07/2000   -          -          0.21/300
//   ap-guangzhou-7  0.08/600   -          0.33/200     0.06/1500   -          -          0.20/250
//   ap-shanghai-2   0.10/900   0.20/500   -            -           0.12/400   0.18/300   -
//   ap-shanghai-4   0.09/700   0.19/400   0.37/200     0.07/1000   -          -          -
//   ap-shanghai-5   0.09/500   -          0.60/200     0.08/800    -          -          0.22/300
Market Market::BuiltIn() {
  Market market;
  market.zones_ = {{"ap-guangzhou-3", "ap-guangzhou"}, {"ap-guangzhou-4", "ap-guangzhou"},
                   {"ap-guangzhou-6", "ap-guangzhou"}, {"ap-guangzhou-7", "ap-guangzhou"},
                   {"ap-shanghai-2", "ap-shanghai"},   {"ap-shanghai-4", "ap-shanghai"},
                   {"ap-shanghai-5", "ap-shanghai"}};
  market.types_ = {
      {"S5.MEDIUM4", "S5", "Standard S5", 2, 4, 0.44},
      {"S5.LARGE8", "S5", "Standard S5", 4, 8, 0.88},
      {"S5.2XLARGE16", "S5", "Standard S5", 8, 16, 1.76},
      {"SA2.MEDIUM4", "SA2", "Standard AMD SA2", 2, 4, 0.38},
      {"S2.MEDIUM4", "S2", "Standard S2", 2, 4, 0.50},
      {"BS1.LARGE8", "BS1", "Batch Standard BS1", 4, 8, 0.80},
      {"C5.LARGE8", "C5", "Compute C5", 4, 8, 1.00},
  };
  struct Row {
    const char* zone;
    const char* type;
    double price;
    int64_t capacity;
  };
  static constexpr Row kOffers[] = {
      {"ap-guangzhou-3", "S5.MEDIUM4", 0.09, 1000},  {"ap-guangzhou-3", "S5.LARGE8", 0.18, 600},
      {"ap-guangzhou-3", "S5.2XLARGE16", 0.36, 300}, {"ap-guangzhou-3", "SA2.MEDIUM4", 0.07, 800},
      {"ap-guangzhou-3", "S2.MEDIUM4", 0.10, 500},   {"ap-guangzhou-3", "BS1.LARGE8", 0.16, 400},
      {"ap-guangzhou-4", "S5.MEDIUM4", 0.10, 800},   {"ap-guangzhou-4", "S5.LARGE8", 0.19, 500},
      {"ap-guangzhou-4", "SA2.MEDIUM4", 0.08, 600},  {"ap-guangzhou-4", "S2.MEDIUM4", 0.11, 300},
      {"ap-guangzhou-4", "BS1.LARGE8", 0.17, 200},   {"ap-guangzhou-6", "S5.MEDIUM4", 0.09, 1200},
      {"ap-guangzhou-6", "S5.LARGE8", 0.18, 700},    {"ap-guangzhou-6", "S5.2XLARGE16", 0.35, 400},
      {"ap-guangzhou-6", "SA2.MEDIUM4", 0.07, 2000}, {"ap-guangzhou-6", "C5.LARGE8", 0.21, 300},
      {"ap-guangzhou-7", "S5.MEDIUM4", 0.08, 600},   {"ap-guangzhou-7", "S5.2XLARGE16", 0.33, 200},
      {"ap-guangzhou-7", "SA2.MEDIUM4", 0.06, 1500}, {"ap-guangzhou-7", "C5.LARGE8", 0.20, 250},
      {"ap-shanghai-2", "S5.MEDIUM4", 0.10, 900},    {"ap-shanghai-2", "S5.LARGE8", 0.20, 500},
      {"ap-shanghai-2", "S2.MEDIUM4", 0.12, 400},    {"ap-shanghai-2", "BS1.LARGE8", 0.18, 300},
      {"ap-shanghai-4", "S5.MEDIUM4", 0.09, 700},    {"ap-shanghai-4", "S5.LARGE8", 0.19, 400},
      {"ap-shanghai-4", "S5.2XLARGE16", 0.37, 200},  {"ap-shanghai-4", "SA2.MEDIUM4", 0.07, 1000},
      {"ap-shanghai-5", "S5.MEDIUM4", 0.09, 500},    {"ap-shanghai-5", "S5.2XLARGE16", 0.60, 200},
      {"ap-shanghai-5", "SA2.MEDIUM4", 0.08, 800},   {"ap-shanghai-5", "C5.LARGE8", 0.22, 300},
  };
  for (const Row& row : kOffers) {
    Offer offer;
    offer.price = row.price;
    offer.capacity = row.capacity;
    market.offers_[{row.zone, row.type}] = offer;
  }
  return market;
}

bool Market::HasRegion(const std::string& region) const {
  for (const auto& [zone, zone_region] : zones_) {
    if (zone_region == region) return true;
  }
  return false;
}

std::optional<std::string> Market::RegionOfZone(const std::string& zone) const {
  for (const auto& [known_zone, region] : zones_) {
    if (known_zone == zone) return region;
  }
  return std::nullopt;
}

std::vector<std::string> Market::ZonesOf(const std::string& region) const {
  std::vector<std::string> zones;
  for (const auto& [zone, zone_region] : zones_) {
    if (zone_region == region) zones.push_back(zone);
  }
  return zones;
}

const InstanceTypeInfo* Market::FindType(const std::string& name) const {
  for (const InstanceTypeInfo& type : types_) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

Offer* Market::FindOffer(const std::string& zone, const std::string& type) {
  auto it = offers_.find({zone, type});
  return it == offers_.end() ? nullptr : &it->second;
}

const Offer* Market::FindOffer(const std::string& zone, const std::string& type) const {
  auto it = offers_.find({zone, type});
  return it == offers_.end() ? nullptr : &it->second;
}

Offer* Market::EnsureOffer(const std::string& zone, const std::string& type) {
  if (!RegionOfZone(zone) || FindType(type) == nullptr) return nullptr;
  return &offers_[{zone, type}];
}

}  // namespace spotform::sim
