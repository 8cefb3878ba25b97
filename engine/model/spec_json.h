#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/model/environment_spec.h"

namespace spotform {

// Writes where an environment may run into the JSON object `out`: always "zone" and
// "instance_type" (the most preferred candidate, as states and plans have always held them);
// with fallback candidates or a non-default allocation also "zones", "instance_types"
// ([{"type", "max_price"}], "" = the environment's bid) and "allocation". `Json` is
// nlohmann::json (keys sorted) or ordered_json.
template <typename Json>
void WritePlacementFields(const EnvironmentSpec& spec, Json& out) {
  out["zone"] = spec.zone();
  out["instance_type"] = spec.instance_type();
  if (!spec.HasFallbacks() && spec.allocation == Allocation::kOrdered &&
      (spec.instance_types.empty() || spec.instance_types.front().max_price.empty())) {
    return;
  }
  out["zones"] = spec.zones;
  Json types = Json::array();
  for (const InstanceTypeChoice& choice : spec.instance_types) {
    types.push_back(Json{{"type", choice.type}, {"max_price", choice.max_price}});
  }
  out["instance_types"] = std::move(types);
  out["allocation"] = std::string(AllocationName(spec.allocation));
}

// Reads what WritePlacementFields wrote into `spec`. Returns the first problem as
// "KEY: what is wrong", or nullopt. Never throws: every member is checked before it is read.
template <typename Json>
std::optional<std::string> ReadPlacementFields(const Json& json, EnvironmentSpec& spec) {
  auto string_at = [&](const char* key, std::string& out) -> std::optional<std::string> {
    auto it = json.find(key);
    if (it == json.end()) return std::string(key) + ": missing";
    if (!it->is_string()) return std::string(key) + ": expected a string";
    out = it->template get<std::string>();
    return std::nullopt;
  };
  std::string zone, type;
  if (auto error = string_at("zone", zone)) return error;
  if (auto error = string_at("instance_type", type)) return error;
  spec.SetPlacement(zone, type);
  auto zones = json.find("zones");
  if (zones == json.end()) return std::nullopt;
  auto types = json.find("instance_types");
  auto allocation = json.find("allocation");
  if (!zones->is_array() || zones->empty()) return "zones: expected a list of zone names";
  if (types == json.end() || !types->is_array() || types->empty()) {
    return "instance_types: expected a list of types";
  }
  if (allocation == json.end() || !allocation->is_string()) return "allocation: missing";
  spec.zones.clear();
  for (const auto& item : *zones) {
    if (!item.is_string()) return "zones: expected strings";
    spec.zones.push_back(item.template get<std::string>());
  }
  spec.instance_types.clear();
  for (const auto& item : *types) {
    auto name = item.is_object() ? item.find("type") : item.end();
    auto bid = item.is_object() ? item.find("max_price") : item.end();
    if (!item.is_object() || name == item.end() || !name->is_string() || bid == item.end() ||
        !bid->is_string()) {
      return "instance_types: expected {type, max_price} objects";
    }
    spec.instance_types.push_back(
        {name->template get<std::string>(), bid->template get<std::string>()});
  }
  std::optional<Allocation> parsed = ParseAllocation(allocation->template get<std::string>());
  if (!parsed) return "allocation: unknown \"" + allocation->template get<std::string>() + "\"";
  spec.allocation = *parsed;
  return std::nullopt;
}

// An environment spec as JSON for people's tools (plan and state output): mode, zone,
// instance_type (and the candidate lists when there are several), image_id, max_price,
// desired_count, tags, in this order.
nlohmann::ordered_json SpecToJson(const EnvironmentSpec& spec);

// An environment spec's fields (no name) with sorted keys, as the config digest and the stored
// state write them.
nlohmann::json SpecFieldsJson(const EnvironmentSpec& spec);

}  // namespace spotform
