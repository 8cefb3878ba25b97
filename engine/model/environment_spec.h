#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/cloud_types.h"

namespace spotform {

// How an environment's capacity is run (spec §1).
enum class Mode {
  kCvm,    // one-time spot requests through CVM; spotform keeps the count
  kBatch,  // a Batch Compute environment; Batch keeps the count
};

std::string_view ModeName(Mode mode);  // "cvm" / "batch"

// How launches are spread over an environment's candidates (spec §3 "Fallback candidates").
enum class Allocation {
  kOrdered,      // the first candidate (in preference order) with stock and price at/under bid
  kLowestPrice,  // the cheapest current spot price first
  kDiversified,  // evenly over the candidates that can run now
};

std::string_view AllocationName(Allocation allocation);  // "ordered", "lowest-price", ...
std::optional<Allocation> ParseAllocation(std::string_view text);

// One entry of `instance_types:`: a type and, optionally, its own bid.
struct InstanceTypeChoice {
  std::string type;       // e.g. "S5.MEDIUM4"
  std::string max_price;  // this type's bid; "" = the environment's max_price

  bool operator==(const InstanceTypeChoice&) const = default;
};

// One environment as declared in spotform.yaml (and as recorded when applied).
struct EnvironmentSpec {
  std::string name;  // the address is "env." + name
  Mode mode = Mode::kCvm;
  // Where it may run, most preferred first (`zone:`/`instance_type:` are the one-element
  // form). A valid spec has at least one of each; batch mode has exactly one zone.
  std::vector<std::string> zones;                  // e.g. {"ap-guangzhou-3"}
  std::vector<InstanceTypeChoice> instance_types;  // e.g. {{"S5.MEDIUM4", ""}}
  Allocation allocation = Allocation::kOrdered;
  std::string image_id;   // e.g. "img-pmqg1cw7"
  std::string max_price;  // hourly bid, a validated positive decimal as written ("0.60")
  int desired_count = 0;
  Tags tags;  // the user's tags; spotform adds its owner tags on top when launching

  std::string Address() const { return "env." + name; }
  // The most preferred zone and type ("" when the list is empty).
  const std::string& zone() const;
  const std::string& instance_type() const;
  // Sets the one-candidate form: one zone, one type at the environment's bid.
  void SetPlacement(const std::string& zone, const std::string& instance_type);
  // True when more than one zone or type is listed.
  bool HasFallbacks() const { return zones.size() > 1 || instance_types.size() > 1; }
  // The bid for `instance_type`: its own max_price, else the environment's.
  const std::string& BidFor(std::string_view instance_type) const;
};

// The candidate lists as people read them: "ap-guangzhou-3" or "[ap-guangzhou-3,
// ap-guangzhou-4]"; "S5.MEDIUM4" or "[S5.MEDIUM4, SA2.MEDIUM4 (max 0.40)]". The key to show
// them under is "zone"/"zones" and "instance_type"/"instance_types".
std::string ZonesText(const EnvironmentSpec& spec);
std::string TypesText(const EnvironmentSpec& spec);
std::string_view ZonesKey(const EnvironmentSpec& spec);
std::string_view TypesKey(const EnvironmentSpec& spec);

// True when two decimal price strings denote the same amount ("0.6" == "0.60").
// Both must be validated decimals (digits, optional '.', digits).
bool SamePrice(std::string_view a, std::string_view b);

// The instance type names, most preferred first, without bids.
std::vector<std::string> TypeNames(const EnvironmentSpec& spec);

// True when `a` and `b` describe the same capacity: same mode, candidates (zones, types and
// their bids, in order), image and bid. A difference in any of these replaces the capacity
// (new first, old released after); desired_count, allocation and tags change in place. In
// batch mode the instance types change in place too (ModifyComputeEnv), so only mode, zone,
// image and bid make the shape.
bool SameCapacityShape(const EnvironmentSpec& a, const EnvironmentSpec& b);

// The environment name of an address "env.NAME" (EnvironmentSpec::Address); any other text
// as it is.
inline std::string EnvironmentNameOf(const std::string& address) {
  return address.starts_with("env.") ? address.substr(4) : address;
}

}  // namespace spotform
