#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/import/discovery.h"
#include "engine/model/state_edit.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// The two decisions of `import --discover` around DiscoverUnmanaged, pure.

// The names a discovered environment must not take: those declared in `config` and those
// recorded in `state`.
std::set<std::string> NamesInUse(const Config& config, const StateSnapshot& state);

// The one edit that records every proposal as a new environment (AddAdoptedEnvironment
// each), applied in one transaction: all of discovery is adopted, or none.
StateEdit AdoptDiscovered(const std::vector<ProposedEnvironment>& proposals,
                          const StateSnapshot& state);

}  // namespace spotform
