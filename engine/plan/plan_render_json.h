#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/plan/plan.h"

namespace spotform {

// The plan as the JSON document of `plan --json` and `show --json PLANFILE` (spec §2):
//   {"format_version": "1.0", "lineage", "serial", "config_digest", "destroy", "targets",
//    "changes": [{"address", "action", "before", "after", "reasons", "steps": [...]}],
//    "summary": {"add", "change", "destroy", "launch", "release", "hourly_cost_at_bid"}}
// Every change is listed, no-ops included. `before`/`after` are spec objects (mode, zone,
// instance_type, image_id, max_price, desired_count, tags) or null. Each step has `kind`,
// `pool_id` (null for record_spec), `mode` and `reason`, plus the fields of its kind:
// create_pool/launch: count, zone, instance_type, image_id, max_price;
// wait_for_capacity: count; set_expected_count: from, to; release/forget: ids;
// record_spec: spec (the declared spec it records).
nlohmann::ordered_json PlanToJson(const Plan& plan);

// PlanToJson, indented by two spaces, with a final newline.
std::string RenderPlanJson(const Plan& plan);

inline constexpr char kPlanJsonFormatVersion[] = "1.0";

}  // namespace spotform
