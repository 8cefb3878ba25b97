#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/model/clock.h"
#include "engine/model/environment_spec.h"
#include "engine/model/result.h"
#include "engine/model/state_snapshot.h"

namespace spotform {

// How the state's values are written into database columns. Specs are JSON text (so a new
// spec field needs no schema change), times are integer nanoseconds since the Unix epoch (so
// they round-trip exactly), enums are lower-case words. Shared by every backend.

// EnvironmentSpec <-> JSON text, e.g. {"name":"render","mode":"cvm",...,"tags":{"team":"vfx"}}.
std::string EncodeSpec(const EnvironmentSpec& spec);
// Fails (kInvalidInput, naming `what`) on text that is not a spec this version understands.
Result<EnvironmentSpec> DecodeSpec(std::string_view json_text, const std::string& what);

int64_t EncodeTime(Clock::WallTime time);
Clock::WallTime DecodeTime(int64_t nanos);

std::string_view EncodeOrigin(InstanceOrigin origin);  // "created" / "imported"
Result<InstanceOrigin> DecodeOrigin(std::string_view text, const std::string& what);

std::string_view EncodeHoldKind(HoldKind kind);  // "unavailable" / "cooling"
Result<HoldKind> DecodeHoldKind(std::string_view text, const std::string& what);

}  // namespace spotform
