#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/model/environment_spec.h"

namespace spotform {

// Writes the capacity fields an environment spec shares with a Batch compute environment spec
// (ComputeEnvSpec) into the JSON object `out`, in this order: zone, instance_type, image_id,
// max_price, desired_count, tags. `Json` is nlohmann::json (keys sorted) or ordered_json.
template <typename Json, typename Spec>
void WriteCapacityFields(const Spec& spec, Json& out) {
  out["zone"] = spec.zone;
  out["instance_type"] = spec.instance_type;
  out["image_id"] = spec.image_id;
  out["max_price"] = spec.max_price;
  out["desired_count"] = spec.desired_count;
  out["tags"] = spec.tags;
}

// An environment spec as JSON for people's tools (plan and state output): mode, zone,
// instance_type, image_id, max_price, desired_count, tags, in this order.
nlohmann::ordered_json SpecToJson(const EnvironmentSpec& spec);

// An environment spec's fields (no name) with sorted keys, as the config digest and the stored
// state write them: desired_count, image_id, instance_type, max_price, mode, tags, zone.
nlohmann::json SpecFieldsJson(const EnvironmentSpec& spec);

}  // namespace spotform
