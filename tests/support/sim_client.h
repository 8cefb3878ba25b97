#pragma once

#include <memory>

#include "engine/model/clock.h"
#include "providers/tencent/client_factory.h"
#include "tests/support/sim_process.h"

namespace spotform {

// The real client stack of `options` (signing, throttling, retries over libcurl) talking to
// `sim` with the emulator's default credentials, as spotform would. nullptr, and a failure of
// the test, when it cannot be built. Borrows `clock`, which must outlive it.
std::unique_ptr<ClientStack> SimClientStack(const SimProcess& sim, Clock& clock,
                                            ClientOptions options = {});

}  // namespace spotform
