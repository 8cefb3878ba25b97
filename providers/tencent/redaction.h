#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spotform {

inline constexpr std::string_view kRedacted = "<redacted>";

// Redaction turns request material into something safe to print: the Authorization signature,
// the X-TC-Token header, password-like JSON fields, and any known secret string anywhere.
// Stateless functions; callers own their data.

// "TC3-HMAC-SHA256 Credential=AKID.../2026-01-01/cvm/tc3_request, SignedHeaders=...,
// Signature=<redacted>". A value that does not parse becomes "<redacted>" whole.
std::string RedactAuthorization(std::string_view authorization);

// Copies headers, redacting Authorization and X-TC-Token (names compared case-insensitively).
std::vector<std::pair<std::string, std::string>> RedactHeaders(
    const std::vector<std::pair<std::string, std::string>>& headers);

// Copies a JSON value with the values of secret-bearing keys ("Password", "SecretKey", "Token",
// "SessionToken", ...) at any depth replaced by "<redacted>".
nlohmann::json RedactJson(const nlohmann::json& value);

// Replaces every occurrence of each non-empty secret in text by "<redacted>". The last line of
// defence for anything printed: it never lets the given bytes through.
std::string ScrubSecrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace spotform
