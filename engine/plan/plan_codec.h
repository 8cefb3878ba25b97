#pragma once

#include <nlohmann/json.hpp>

#include "engine/model/result.h"
#include "engine/plan/plan.h"

namespace spotform {

// The lossless JSON form of a Plan, the body of a saved plan file (plan_file.h): every field
// of the plan, its changes and steps, with full EnvironmentSpecs (names included), so apply
// can execute it without the config. Unlike PlanToJson (plan_render_json.h), which is the
// documented output for people's tools, this form is private to spotform and versioned by
// the plan file.
nlohmann::ordered_json EncodePlan(const Plan& plan);
// What a saved plan depends on, as the plan file and `plan --json` write it:
// {"shared_config_digest", "environments": {"env.NAME": {"serial", "config_digest"}}}.
nlohmann::ordered_json EncodePlanBasis(const PlanBasis& basis);

// The reverse of EncodePlan. A field that is missing or of the wrong type, or an unknown
// action, step kind or mode, is a kInvalidInput error naming the field's path, e.g.
// "changes[0].steps[2].count: expected an integer".
Result<Plan> DecodePlan(const nlohmann::ordered_json& json);

}  // namespace spotform
