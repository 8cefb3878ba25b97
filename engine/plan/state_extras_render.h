#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/model/clock.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// What `spotform show` prints beside the recorded environments: the locks held now (who runs
// what on which environments: teams sharing a state see each other's runs) and the
// candidate holds in force. Pure.

// "Locks held:\n  apply of env.render by alice@ci-3 (pid 4242), 2m13s; lock ID L\n"; "" when
// none.
std::string RenderLocksText(const std::vector<LockInfo>& locks, Clock::WallTime now);
// [{"id", "operation", "environments" (names; absent for the whole state), "whole_state",
// "user", "host", "pid", "since"}], oldest first.
nlohmann::ordered_json LocksToJson(const std::vector<LockInfo>& locks);

// "Held candidates:\n  TYPE in ZONE  skipped until T (refused a launch)\n"; only the holds in
// force at `now`; "" when none.
std::string RenderHoldsText(const std::vector<CandidateHold>& holds, Clock::WallTime now);
// [{"zone", "instance_type", "kind" ("unavailable" or "cooling"), "until"}], those in force.
nlohmann::ordered_json HoldsToJson(const std::vector<CandidateHold>& holds, Clock::WallTime now);

}  // namespace spotform
