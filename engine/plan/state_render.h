#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/plan/plan_render_text.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// The recorded state for people (`spotform show`): one block per environment with its
// applied spec, pools (expected counts, Batch environment ids) and instances.
std::string RenderStateText(const StateSnapshot& state, const RenderOptions& options);

// The recorded state as the JSON document of `show --json` (spec §2): format_version,
// lineage, serial, environments (address, applied spec, pools with their instances).
nlohmann::ordered_json StateToJson(const StateSnapshot& state);

// One recorded instance as it appears in StateToJson (also `state show --json`).
nlohmann::ordered_json RecordedInstanceToJson(const RecordedInstance& instance);

// "2026-11-27T08:00:00Z"; "" for a time never set.
std::string FormatRecordedTime(Clock::WallTime time);
// "created" or "imported".
std::string InstanceOriginName(InstanceOrigin origin);

}  // namespace spotform
