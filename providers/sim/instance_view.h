#pragma once

#include <nlohmann/json.hpp>

#include "providers/sim/market.h"
#include "providers/sim/sim_types.h"

namespace spotform::sim {

// The `Instance` object of DescribeInstances, with the official field names.
nlohmann::json InstanceToJson(const Instance& instance, const Market& market);

// The instance's private IPv4 address, derived from its creation sequence.
std::string PrivateIpOf(const Instance& instance);
std::string PublicIpOf(const Instance& instance);  // "" when none is assigned
// A stable UUID-shaped value derived from the instance id.
std::string UuidOf(const Instance& instance);

}  // namespace spotform::sim
