#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// Checks the `--target` addresses of `plan` and `apply`: each must be env.NAME, naming an
// environment declared in `config` or recorded in `state`. The first bad one is an error
// (kInvalidInput) quoting it; an unknown name gets a "did you mean" hint when a declared or
// recorded name is close.
Status CheckTargets(const std::vector<std::string>& targets, const Config& config,
                    const StateSnapshot& state);

}  // namespace spotform
