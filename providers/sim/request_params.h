#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/result.h"
#include "providers/sim/sim_types.h"

namespace spotform::sim {

// Readers for request parameters. The server has already checked field names and JSON
// types against the official models, but the model never trusts that: a wrong type is
// InvalidParameter, an out-of-range number InvalidParameterValue, and nothing here throws.

// An API error: `code` is the Tencent Cloud code; the kind is derived from it.
Error ApiError(const std::string& code, const std::string& message);

// Absent or null fields give nullopt.
Result<std::optional<std::string>> OptString(const nlohmann::json& params, const char* name);
Result<std::optional<int64_t>> OptInt(const nlohmann::json& params, const char* name);
Result<std::optional<bool>> OptBool(const nlohmann::json& params, const char* name);
// nullptr when absent or null; error when present with another JSON type.
Result<const nlohmann::json*> OptObject(const nlohmann::json& params, const char* name);
Result<const nlohmann::json*> OptArray(const nlohmann::json& params, const char* name);
// An array of strings; empty when absent.
Result<std::vector<std::string>> StringArray(const nlohmann::json& params, const char* name);
// A required non-empty string; MissingParameter when absent.
Result<std::string> RequiredString(const nlohmann::json& params, const char* name,
                                   const std::string& field_path);

// `<prefix>-` followed by exactly 8 characters of [a-z0-9].
bool IsWellFormedId(std::string_view id, std::string_view prefix);

// Offset/Limit: Offset >= 0 (default 0), 0 <= Limit <= 100 (default 20).
struct Paging {
  int64_t offset = 0;
  int64_t limit = 20;
};
// `range_code` answers a negative Offset/Limit; `limit_code` a Limit above 100.
Result<Paging> ReadPaging(const nlohmann::json& params, const std::string& range_code,
                          const std::string& limit_code);

// `[{Key, Value}]`; Key non-empty, unique. Codes name the product's errors.
Result<std::vector<Tag>> ReadTags(const nlohmann::json& tags, const std::string& invalid_code,
                                  const std::string& duplicate_code);
nlohmann::json TagsToJson(const std::vector<Tag>& tags);

// A plain decimal such as "0.0923" (digits, optional fraction); nullopt otherwise.
std::optional<double> ParseDecimal(const std::string& text);
// "YYYY-MM-DDThh:mm:ssZ".
std::string FormatIsoTime(int64_t unix_seconds);

}  // namespace spotform::sim
