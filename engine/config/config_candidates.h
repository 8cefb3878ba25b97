#pragma once

#include <string>

#include "engine/config/config_yaml.h"

namespace spotform {

// Reads where an environment may run (spec §3 "Fallback candidates") into `spec`: `zone:` or
// `zones:` (ordered, no duplicates, all in `region`; one only in batch mode), `instance_type:`
// or `instance_types:` (names or {type, max_price}), and `allocation:`. Exactly one of each
// pair must be set. `spec.mode` must already be read. Problems go to `sink` at the value (or
// at `where`, the environment's key, for a missing setting).
void ReadCandidates(const MapReader& reader, const std::string& region, const YAML::Mark& where,
                    EnvironmentSpec& spec, DiagnosticSink& sink);

}  // namespace spotform
