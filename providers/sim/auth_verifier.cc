#include "providers/sim/auth_verifier.h"

#include <cctype>
#include <charconv>
#include <chrono>
#include <map>
#include <optional>
#include <utility>

#include "engine/model/crypto.h"
#include "providers/sim/api_error.h"
#include "providers/tencent/tc3_signer.h"

namespace spotform::sim {
namespace {

constexpr std::string_view kAlgorithmPrefix = "TC3-HMAC-SHA256 ";
constexpr char kSignatureFailure[] =
    "The provided credentials could not be validated. Please check your signature is correct.";

// The parts of `Authorization: TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request,
// SignedHeaders=a;b, Signature=hex`.
struct ParsedAuthorization {
  std::string secret_id;
  std::string date;
  std::string service;
  std::vector<std::string> signed_headers;
  std::string signature;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(separator, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? s.npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool IsLowerHex(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsHeaderName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

Error InvalidAuthorization(const std::string& why) {
  return ApiFailure("AuthFailure.InvalidAuthorization",
                    "The Authorization header is invalid: " + why);
}

Result<ParsedAuthorization> ParseAuthorization(std::string_view header) {
  if (header.substr(0, kAlgorithmPrefix.size()) != kAlgorithmPrefix) {
    return InvalidAuthorization("expected the TC3-HMAC-SHA256 algorithm.");
  }
  std::map<std::string_view, std::string_view> fields;
  for (std::string_view part : Split(header.substr(kAlgorithmPrefix.size()), ',')) {
    part = Trim(part);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) return InvalidAuthorization("malformed component.");
    if (!fields.emplace(part.substr(0, eq), part.substr(eq + 1)).second) {
      return InvalidAuthorization("repeated component.");
    }
  }
  if (fields.size() != 3 || !fields.count("Credential") || !fields.count("SignedHeaders") ||
      !fields.count("Signature")) {
    return InvalidAuthorization("expected Credential, SignedHeaders and Signature.");
  }
  const std::vector<std::string_view> scope = Split(fields["Credential"], '/');
  if (scope.size() != 4 || scope[0].empty() || scope[1].empty() || scope[2].empty() ||
      scope[3] != "tc3_request") {
    return InvalidAuthorization("Credential must be SecretId/Date/Service/tc3_request.");
  }
  ParsedAuthorization out;
  out.secret_id = std::string(scope[0]);
  out.date = std::string(scope[1]);
  out.service = std::string(scope[2]);
  for (std::string_view name : Split(fields["SignedHeaders"], ';')) {
    if (!IsHeaderName(name)) return InvalidAuthorization("malformed SignedHeaders.");
    out.signed_headers.emplace_back(name);
  }
  bool has_content_type = false;
  bool has_host = false;
  for (const std::string& name : out.signed_headers) {
    has_content_type |= name == "content-type";
    has_host |= name == "host";
  }
  if (!has_content_type || !has_host) {
    return InvalidAuthorization("SignedHeaders must include content-type and host.");
  }
  if (!IsLowerHex(fields["Signature"])) return InvalidAuthorization("malformed Signature.");
  out.signature = std::string(fields["Signature"]);
  return out;
}

std::optional<int64_t> ParseTimestamp(const std::string& text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// "127.0.0.1:9000" -> "127.0.0.1", "[::1]:9000" -> "[::1]"; a host without a port is unchanged.
std::string WithoutPort(const std::string& host) {
  if (!host.empty() && host.front() == '[') return host.substr(0, host.find(']') + 1);
  const size_t colon = host.rfind(':');
  if (colon == std::string::npos || host.find(':') != colon) return host;
  return host.substr(0, colon);
}

// "cvm", "batch", or the first label of the Host header (with and without a port).
bool ServiceAllowed(const std::string& service, const std::string& host) {
  if (service == "cvm" || service == "batch") return true;
  const std::string label = host.substr(0, host.find('.'));
  return service == label || service == label.substr(0, label.find(':'));
}

}  // namespace

AuthVerifier::AuthVerifier(std::vector<SimCredential> credentials, const Clock& clock)
    : credentials_(std::move(credentials)), clock_(clock) {}

const SimCredential* AuthVerifier::Find(const std::string& secret_id) const {
  for (const SimCredential& credential : credentials_) {
    if (credential.secret_id == secret_id) return &credential;
  }
  return nullptr;
}

Status AuthVerifier::Verify(const HeaderMap& headers, std::string_view body) const {
  const std::string* timestamp_text = Header(headers, "x-tc-timestamp");
  if (timestamp_text == nullptr) {
    return ApiFailure("MissingParameter",
                      "The request is missing a required parameter `Timestamp`.");
  }
  const std::optional<int64_t> timestamp = ParseTimestamp(*timestamp_text);
  if (!timestamp) {
    return ApiFailure("InvalidParameter", "The value type of parameter `Timestamp` is not valid.");
  }
  const std::string* authorization = Header(headers, "authorization");
  if (authorization == nullptr) return InvalidAuthorization("the header is missing.");
  Result<ParsedAuthorization> parsed = ParseAuthorization(*authorization);
  if (!parsed.ok()) return parsed.error();

  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  if (*timestamp > now + kMaxSkewSeconds || *timestamp < now - kMaxSkewSeconds) {
    return ApiFailure("AuthFailure.SignatureExpire",
                      "Signature expired: the request timestamp " + *timestamp_text +
                          " is more than 300 seconds away from the server time " +
                          std::to_string(now) + ".");
  }
  const SimCredential* credential = Find(parsed->secret_id);
  if (credential == nullptr) {
    return ApiFailure("AuthFailure.SecretIdNotFound",
                      "The SecretId is not found, please ensure that your SecretId is correct.");
  }
  const std::string* host = Header(headers, "host");
  if (parsed->date != UtcDate(*timestamp) ||
      !ServiceAllowed(parsed->service, host == nullptr ? "" : *host)) {
    return ApiFailure("AuthFailure.SignatureFailure", kSignatureFailure);
  }

  Tc3Input input;
  for (const std::string& name : parsed->signed_headers) {
    const std::string* value = Header(headers, name);
    if (value == nullptr) return ApiFailure("AuthFailure.SignatureFailure", kSignatureFailure);
    input.signed_headers[name] = *value;
  }
  input.payload = std::string(body);
  input.timestamp = *timestamp;
  input.service = parsed->service;
  bool matches = ConstantTimeEquals(
      SignTc3(input, credential->secret_id, credential->secret_key).signature, parsed->signature);
  // The official Node SDK sends `Host: 127.0.0.1:9000` but signs the URL's hostname without
  // the port; the real service never sees a port, so accept that form too.
  if (!matches) {
    const std::string hostname = WithoutPort(input.signed_headers["host"]);
    if (hostname != input.signed_headers["host"]) {
      input.signed_headers["host"] = hostname;
      matches = ConstantTimeEquals(
          SignTc3(input, credential->secret_id, credential->secret_key).signature,
          parsed->signature);
    }
  }
  if (!matches) return ApiFailure("AuthFailure.SignatureFailure", kSignatureFailure);

  const std::string* token = Header(headers, "x-tc-token");
  if (token != nullptr && !credential->token.empty() &&
      !ConstantTimeEquals(*token, credential->token)) {
    return ApiFailure("AuthFailure.TokenFailure", "The provided X-TC-Token is invalid.");
  }
  return Status::Ok();
}

}  // namespace spotform::sim
