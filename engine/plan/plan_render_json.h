#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/plan/plan.h"

namespace spotform {

// The plan as the JSON document of `plan --json` and `show --json PLANFILE` (spec §2):
//   {"format_version": "1.0", "lineage", "serial", "config_digest", "basis", "destroy",
//    "targets", "changes": [{"address", "action", "before", "after", "reasons", "steps": [...]}],
//    "market": {"env.NAME": {...}}, "warnings": ["..."],
//    "summary": {"add", "change", "destroy", "launch", "release", "hourly_cost_at_bid"}}
// `basis` is what a saved plan of it depends on (PlanBasis, plan.h): "shared_config_digest"
// and, for each environment it changes, "environments": {"env.NAME": {"serial",
// "config_digest"}} (no `basis` for a plan file made before plans had one).
// `market` holds, for each environment with launches when the plan read the market, the
// candidates, quota, dry run and cost (MarketReportToJson, market_render.h); `warnings`
// what a person should know before applying (e.g. an environment no candidate can serve).
// With a priced market the summary also has "launch_hourly_cost_at_market" and
// "launch_hourly_cost_at_bids" (the launches placed now).
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
