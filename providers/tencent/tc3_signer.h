#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace spotform {

// The inputs of one TC3-HMAC-SHA256 signature (API 3.0, signature v3), POST only.
struct Tc3Input {
  // Signed headers by lower-case name, with the values exactly as sent; "content-type" and
  // "host" are mandatory. The canonical form lower-cases and trims the values.
  std::map<std::string, std::string> signed_headers;
  std::string payload;  // the exact body bytes
  int64_t timestamp = 0;  // X-TC-Timestamp, Unix seconds
  std::string service;    // "cvm", "batch", or the first label of the host
};

// Every intermediate of a signature, so tests can compare each against the official vectors.
struct Tc3Signature {
  std::string canonical_request;
  std::string credential_scope;  // "YYYY-MM-DD/service/tc3_request" (UTC date)
  std::string string_to_sign;
  std::string signature;      // lower-case hex
  std::string authorization;  // the full Authorization header value
};

// Signs `input`. Used by the client to sign and by the emulator to verify.
Tc3Signature SignTc3(const Tc3Input& input, const std::string& secret_id,
                     const std::string& secret_key);

// "YYYY-MM-DD" of a Unix timestamp in UTC.
std::string UtcDate(int64_t timestamp);

}  // namespace spotform
