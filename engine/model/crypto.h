#pragma once

#include <string>
#include <string_view>

namespace spotform {

// Thin wrappers over OpenSSL's EVP digests: the only place spotform touches hashing.
std::string Sha256Hex(std::string_view data);
// HMAC-SHA256 of `message` under `key`, as raw bytes (32 of them).
std::string HmacSha256(std::string_view key, std::string_view message);
std::string HexEncode(std::string_view bytes);
// n cryptographically random bytes, hex encoded (2n characters).
std::string RandomHex(size_t n);
// Constant-time comparison, for signatures.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace spotform
