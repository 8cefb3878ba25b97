#pragma once

#include <nlohmann/json.hpp>

#include "engine/model/environment_spec.h"

namespace spotform {

// An environment spec as JSON for people's tools (plan and state output): mode, zone,
// instance_type, image_id, max_price, desired_count, tags.
nlohmann::ordered_json SpecToJson(const EnvironmentSpec& spec);

}  // namespace spotform
