#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/import/discovery.h"
#include "engine/model/result.h"

namespace spotform {

// What `spotform import env.NAME ID...` asks for, checked against the config before the
// state or the cloud is read.
struct ImportRequest {
  EnvironmentSpec spec;          // env.NAME as declared in the config
  std::vector<std::string> ids;  // the ins-... ids, or the one env-... id
  bool batch = false;            // true: one Batch compute environment (env-...)
};

// Reads env.NAME (`address`) and the `ids` to adopt into it. env.NAME must be declared in
// `config` (an unknown name gets a "did you mean" hint); the ids are either ins-... ids or one
// env-... id. Errors (kInvalidInput) start with "import" and say what to give instead.
Result<ImportRequest> ParseImportRequest(const Config& config, const std::string& address,
                                         const std::vector<std::string>& ids);

// The filter of `import --discover --tag KEY=VALUE... --zone ZONE`; a --tag that is not
// KEY=VALUE is an error (kInvalidInput) quoting it.
Result<DiscoveryFilter> ParseDiscoveryFilter(const std::vector<std::string>& tags,
                                             const std::string& zone);

}  // namespace spotform
