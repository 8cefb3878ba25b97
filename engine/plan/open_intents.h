#pragma once

#include <string>

#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// The rule for editing the state by hand (`state mv`, `state rm`): refused for `environment`
// while an interrupted run's journal still has open intents for it, since settling them needs
// the state as the run left it. The error says to run `spotform apply` first.
Status CheckNoOpenIntents(const StateSnapshot& state, const std::string& environment);

}  // namespace spotform
