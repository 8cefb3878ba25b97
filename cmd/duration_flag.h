#pragma once

#include <chrono>
#include <string>

#include "engine/model/result.h"

namespace spotform {

// Parses a duration flag the way Go and Terraform write them: one or more
// <number><unit> groups with units h, m, s or ms ("30s", "10m", "1h30m", "500ms"), or "0".
// The error names the text and shows the accepted form.
Result<std::chrono::milliseconds> ParseDuration(const std::string& text);

}  // namespace spotform
