#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>

#include "engine/model/result.h"

namespace spotform {

// Credentials holds one Tencent Cloud API key pair and an optional STS session token. It has no
// operator<< and no ToString: the only printable view is Redacted(), which never contains the
// SecretKey or the token. Copyable value; it owns its strings.
class Credentials {
 public:
  Credentials(std::string secret_id, std::string secret_key, std::string token = "")
      : secret_id_(std::move(secret_id)),
        secret_key_(std::move(secret_key)),
        token_(std::move(token)) {}

  const std::string& secret_id() const { return secret_id_; }
  const std::string& secret_key() const { return secret_key_; }
  const std::string& token() const { return token_; }  // "" without a session token

  // e.g. "SecretId AKID...0000, SecretKey <redacted>, token <none>".
  std::string Redacted() const;

  // Printing credentials is a compile error; use Redacted().
  friend std::ostream& operator<<(std::ostream&, const Credentials&) = delete;

 private:
  std::string secret_id_;
  std::string secret_key_;
  std::string token_;
};

// Where credentials are looked for. Everything is injected so tests never read the real
// environment or home directory.
struct CredentialSources {
  // Reads one environment variable; std::nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::string home;     // the directory holding .tccli/; "" when unknown
  std::string profile;  // provider.profile from the config; "" when not set
};

// The outcome of a lookup: the credentials, a region if the same source names one, and where
// both came from (for messages; never a secret).
struct CredentialLookup {
  Credentials credentials;
  std::string region;  // "" when the source has none
  std::string source;  // "environment" or the .credential file path
};

// Looks up credentials in this order:
//  1. TENCENTCLOUD_SECRET_ID + TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SECURITY_TOKEN), region
//     from TENCENTCLOUD_REGION;
//  2. the tccli profile <home>/.tccli/<profile>.credential (JSON: secretId, secretKey, optional
//     token), region from <home>/.tccli/<profile>.configure (JSON: _sys_param.region, or a
//     top-level region as older tccli wrote it), TENCENTCLOUD_REGION overriding it. The profile
//     is sources.profile, else TENCENTCLOUD_PROFILE, else "default".
// Fails with kAuth naming every place it looked; messages never include file contents.
Result<CredentialLookup> LookupCredentials(const CredentialSources& sources);

// The real process environment and $HOME, for main.
CredentialSources ProcessCredentialSources(std::string profile);

}  // namespace spotform
