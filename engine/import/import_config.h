#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/config/config_writer.h"
#include "engine/import/discovery.h"

namespace spotform {

// The config `spotform import --discover --generate-config FILE` writes: a complete
// spotform.yaml holding the provider and environments of `existing` plus the discovered
// environments (each commented with what it adopted, its bid marked for review), with a
// header saying what happened and what to do next. The state path is written relative to
// FILE's folder when the default would not find the same state. `generated_at` is a UTC
// time for the header.
ConfigDocument DiscoveredConfig(const Config& existing,
                                const std::vector<ProposedEnvironment>& discovered,
                                const std::string& file, const std::string& generated_at);

}  // namespace spotform
