#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/model/clock.h"
#include "engine/model/result.h"
#include "providers/sim/http_types.h"

namespace spotform::sim {

// A key pair the emulator accepts. `token`, when not empty, is the only X-TC-Token accepted
// with it; when empty any token (or none) is accepted.
struct SimCredential {
  std::string secret_id;
  std::string secret_key;
  std::string token;
};

// AuthVerifier checks a request's TC3-HMAC-SHA256 signature (API 3.0, signature v3) exactly as
// the real service does: the canonical headers are rebuilt from the SignedHeaders the client
// listed (values as received), the payload hash is over the received bytes, the scope date
// must be the UTC date of X-TC-Timestamp, and the timestamp within 300 s of the clock.
// The scope's service may be "cvm", "batch" or the Host header's first label (official SDKs
// sign a custom endpoint such as 127.0.0.1:9000 with service "127").
// Codes: AuthFailure.InvalidAuthorization (unparsable header), AuthFailure.SignatureExpire,
// AuthFailure.SecretIdNotFound, AuthFailure.SignatureFailure, AuthFailure.TokenFailure;
// MissingParameter / InvalidParameter for an absent or non-numeric X-TC-Timestamp.
// Holds copies of the credentials; the clock must outlive it. Thread-safe (immutable).
class AuthVerifier {
 public:
  static constexpr int64_t kMaxSkewSeconds = 300;

  AuthVerifier(std::vector<SimCredential> credentials, const Clock& clock);

  // `headers` by lower-case name; `body` the exact bytes received.
  Status Verify(const HeaderMap& headers, std::string_view body) const;

 private:
  const SimCredential* Find(const std::string& secret_id) const;

  std::vector<SimCredential> credentials_;
  const Clock& clock_;
};

}  // namespace spotform::sim
