#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/config/config_writer.h"
#include "engine/import/discovery.h"
#include "engine/model/clock.h"
#include "engine/model/result.h"

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

// "2024-05-01 12:34 UTC": how the header writes the time of the discovery.
std::string GeneratedAtText(Clock::WallTime now);

// The YAML text of DiscoveredConfig(existing, discovered, file, GeneratedAtText(now)), read
// back with the config parser (`env` as for any config) before anything is written: text that
// would not validate is an error (kInternal: a bug) listing the parser's diagnostics, one per
// line, so a discovery never adopts capacity under a config that cannot be used.
Result<std::string> DiscoveredConfigText(const Config& existing,
                                         const std::vector<ProposedEnvironment>& discovered,
                                         const std::string& file, Clock::WallTime now,
                                         const EnvLookup& env);

// `import --discover --generate-config FILE` when FILE exists: `file_text` (FILE as its owner
// wrote it) with the discovered environments appended to its `environments:` block and
// nothing else changed (AppendEnvironmentsToConfigText), each commented like a generated
// config's, after a comment line saying when they were adopted. The result is read back with
// the config parser: it must validate and declare every discovered environment, or it is an
// error (kInvalidInput: what cannot be appended to safely, or FILE's own problems, one per
// line) and FILE must not be written.
Result<std::string> AppendedDiscoveredConfigText(const std::string& file_text,
                                                 const std::vector<ProposedEnvironment>& discovered,
                                                 const std::string& file, Clock::WallTime now,
                                                 const EnvLookup& env);

}  // namespace spotform
