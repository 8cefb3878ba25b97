#pragma once

#include <string>
#include <vector>

#include "engine/import/discovery.h"
#include "engine/import/import_plan.h"
#include "engine/model/environment_spec.h"

namespace spotform {

// What `spotform import` tells people once the state is written, one line each (no newline).
// Notes (warnings) are the outcome's own and printed apart.

// After `import env.NAME ID...` recorded `outcome` into `spec`'s environment (as declared);
// `batch`: a Batch compute environment was named. Ids already imported are named first; when
// something was adopted, the expected count is set beside the declared desired_count and the
// last line points at `spotform plan`.
std::vector<std::string> ImportedLines(const ImportOutcome& outcome, const EnvironmentSpec& spec,
                                       bool batch);

// After `import --discover` adopted `adopted` and wrote the config `file`: one line per
// environment (with its bid to review), then how to check the file.
std::vector<std::string> DiscoveredLines(const std::vector<ProposedEnvironment>& adopted,
                                         const std::string& file);

// When discovery found nothing to adopt (and so did not write `file`).
std::string NothingDiscoveredLine(const std::string& file);

}  // namespace spotform
