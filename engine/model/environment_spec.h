#pragma once

#include <string>
#include <string_view>

#include "engine/model/cloud_types.h"

namespace spotform {

// How an environment's capacity is run (spec §1).
enum class Mode {
  kCvm,    // one-time spot requests through CVM; spotform keeps the count
  kBatch,  // a Batch Compute environment; Batch keeps the count
};

std::string_view ModeName(Mode mode);  // "cvm" / "batch"

// One environment as declared in spotform.yaml (and as recorded when applied).
struct EnvironmentSpec {
  std::string name;  // the address is "env." + name
  Mode mode = Mode::kCvm;
  std::string zone;           // e.g. "ap-guangzhou-3"
  std::string instance_type;  // e.g. "S5.MEDIUM4"
  std::string image_id;       // e.g. "img-pmqg1cw7"
  std::string max_price;      // hourly bid, a validated positive decimal as written ("0.60")
  int desired_count = 0;
  Tags tags;  // the user's tags; spotform adds its owner tags on top when launching

  std::string Address() const { return "env." + name; }
};

// True when two decimal price strings denote the same amount ("0.6" == "0.60").
// Both must be validated decimals (digits, optional '.', digits).
bool SamePrice(std::string_view a, std::string_view b);

// True when `a` and `b` describe the same capacity: same mode, zone, instance type, image and
// bid. A difference in any of these replaces the capacity (new first, old released after);
// desired_count and tags change in place.
bool SameCapacityShape(const EnvironmentSpec& a, const EnvironmentSpec& b);

}  // namespace spotform
