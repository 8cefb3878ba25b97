#pragma once

#include <cstdint>
#include <string>

#include "engine/config/config.h"
#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"
#include "engine/plan/plan.h"

namespace spotform {

// The saved plan file of `plan --out FILE`, read by `apply FILE` and `show FILE`. A JSON
// document:
//   {"spotform_plan": 1, "created_by": "spotform 0.1.0",
//    "checksum": "sha256:<hex of the compact JSON text of plan>", "plan": {...}}
// where "plan" is EncodePlan (plan_codec.h): the whole plan, with full specs, the lineage and
// serial of the state it was made from (serial 0 for an empty state), the config digest and
// the plan's basis (what makes it stale).
// The checksum makes any edit of the plan detectable.
inline constexpr int kPlanFileFormat = 1;
inline constexpr char kPlanFileCreatedBy[] = "spotform 0.1.0";

// Writes `plan` to `path` atomically: into a temporary file in the same folder, created with
// mode 0600 and fsynced, then renamed over `path`. A reader never sees a half-written file,
// and no temporary file is left behind, whether the write succeeds or fails.
Status WritePlanFile(const std::string& path, const Plan& plan);

// Reads a plan file. Every error names the file and says what is wrong with it: no such
// file (kNotFound); not a spotform plan; truncated or corrupt JSON; made by a newer spotform;
// altered (checksum mismatch); a field missing or of the wrong type (all kInvalidInput).
Result<Plan> ReadPlanFile(const std::string& path);

// The part of ReadPlanFile after the read: checks and decodes the file's bytes `text`;
// errors name `path` as ReadPlanFile's do.
Result<Plan> ParsePlanFile(const std::string& path, const std::string& text);

// Refuses a stale plan (spec §4) with a kConflict error saying why. A plan made from another
// state (lineage) is stale. A plan made from a state never written (serial 0) matches any
// state never written, whatever their lineages: such a state is empty, and its lineage only
// becomes lasting with its first write. Then a plan with a basis (plan.h) is stale when one
// of the environments it changes was written since or declared differently, or the shared
// provider and state settings changed (CheckPlanBasis, plan_basis.h); writes and config
// changes of other environments leave it current. A plan without one (files made before
// issue 16) is stale when the state was written since (serial) or the config changed
// (digest).
Status CheckPlanIsCurrent(const Plan& plan, const StateSnapshot& state, const Config& config);

}  // namespace spotform
