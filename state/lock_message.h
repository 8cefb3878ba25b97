#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// Words for a held state lock, shared by every backend so users see one format.

// "13s", "2m13s", "1h05m", "3d04h"; a negative age (clock skew between hosts) reads "0s".
std::string FormatLockAge(std::chrono::nanoseconds age);

// "alice@ci-3 (pid 4242) for apply of env.render, 2m13s ago; lock ID L": one holder, with
// the part of its scope that keeps `wanted` out ("of the whole state" when it holds it).
std::string DescribeHolder(const LockInfo& holder, const LockScope& wanted, Clock::WallTime now);

// "state STATE is locked: held by alice@ci-3 (pid 4242) for apply of env.render, 2m13s ago;
// lock ID L; if that process is gone, run `spotform force-unlock L`"; several holders read
// "held by A...; and held by B...; if one of those processes is gone, run `spotform
// force-unlock ID` with its lock ID". With waited > 0 the first words become "state STATE is
// still locked after waiting 30s: ...". `holders` are those in conflict with `wanted`.
std::string LockHeldMessage(const std::string& state_name, const std::vector<LockInfo>& holders,
                            const LockScope& wanted, Clock::WallTime now,
                            std::chrono::milliseconds waited);

// kNotFound for a lock ID that is not among `held`: "state STATE is not locked", or "lock
// ID X is not held on state STATE (it is locked with lock ID Y)" (IDs, when several).
Error NoSuchLock(const std::string& state_name, const std::string& lock_id,
                 const std::vector<LockInfo>& held);

}  // namespace spotform
