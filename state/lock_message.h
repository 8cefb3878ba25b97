#pragma once

#include <chrono>
#include <string>

#include "engine/model/clock.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// Words for a held state lock, shared by every backend so users see one format.

// "13s", "2m13s", "1h05m", "3d04h"; a negative age (clock skew between hosts) reads "0s".
std::string FormatLockAge(std::chrono::nanoseconds age);

// "state STATE is locked: held by alice@ci-3 (pid 4242) for apply, 2m13s ago; lock ID L; if
// that process is gone, run `spotform force-unlock L`". With waited > 0 the first words
// become "state STATE is still locked after waiting 30s: ...".
std::string LockHeldMessage(const std::string& state_name, const LockInfo& holder,
                            Clock::WallTime now, std::chrono::milliseconds waited);

}  // namespace spotform
