#pragma once

#include <string>

namespace spotform {

// A new state lineage: a random (version 4) UUID in its usual text form,
// e.g. "3f2a9c1e-7b4d-4e2a-9c1e-3f2a9c1e7b4d". Made once with a state; never changes.
std::string NewLineage();

}  // namespace spotform
