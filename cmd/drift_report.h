#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/plan/refresh.h"

namespace spotform {

// How `plan`, `apply` and `refresh` tell people what a refresh found.

// The drift worth a line: everything but instances that are still launching (expected
// while an apply's launches come up; not news).
std::vector<Drift> NewsworthyDrift(const std::vector<Drift>& drift);

// The lines for the newsworthy items: items of one address that say the same are one line,
// their subjects shortened (ShortList), in the order each first appears:
//   "env.render ins-1a2b3c4d: no longer exists: ..."
//   "env.render ins-a, ins-b, ins-c, ins-d, ins-e, ... and 296 more: no longer exists: ..."
std::vector<std::string> DriftLines(const std::vector<Drift>& drift);

// DriftLines, one a line.
void PrintDrift(std::ostream& out, const std::vector<Drift>& drift);

// Every item (pending ones too) as a JSON array of {address, subject, kind, message}.
nlohmann::ordered_json DriftToJson(const std::vector<Drift>& drift);

}  // namespace spotform
