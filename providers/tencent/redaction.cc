#include "providers/tencent/redaction.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace spotform {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsSecretKey(std::string_view key) {
  static constexpr std::array<std::string_view, 6> kSecretKeys = {
      "password", "secretkey", "token", "sessiontoken", "x-tc-token", "authorization"};
  const std::string lower = Lower(key);
  return std::find(kSecretKeys.begin(), kSecretKeys.end(), lower) != kSecretKeys.end();
}

}  // namespace

std::string RedactAuthorization(std::string_view authorization) {
  constexpr std::string_view kMarker = "Signature=";
  const size_t at = authorization.find(kMarker);
  if (!authorization.starts_with("TC3-HMAC-SHA256 ") || at == std::string_view::npos) {
    return std::string(kRedacted);
  }
  std::string out(authorization.substr(0, at + kMarker.size()));
  out += kRedacted;
  return out;
}

std::vector<std::pair<std::string, std::string>> RedactHeaders(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    const std::string lower = Lower(name);
    if (lower == "authorization") {
      out.emplace_back(name, RedactAuthorization(value));
    } else if (lower == "x-tc-token") {
      out.emplace_back(name, std::string(kRedacted));
    } else {
      out.emplace_back(name, value);
    }
  }
  return out;
}

nlohmann::json RedactJson(const nlohmann::json& value) {
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, item] : value.items()) {
      out[key] = IsSecretKey(key) ? nlohmann::json(kRedacted) : RedactJson(item);
    }
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) out.push_back(RedactJson(item));
    return out;
  }
  return value;
}

std::string ScrubSecrets(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    size_t at = 0;
    while ((at = text.find(secret, at)) != std::string::npos) {
      text.replace(at, secret.size(), kRedacted);
      at += kRedacted.size();
    }
  }
  return text;
}

}  // namespace spotform
