#include "providers/tencent/credentials.h"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace spotform {
namespace {

constexpr char kEnvId[] = "TENCENTCLOUD_SECRET_ID";
constexpr char kEnvKey[] = "TENCENTCLOUD_SECRET_KEY";
constexpr char kEnvToken[] = "TENCENTCLOUD_SECURITY_TOKEN";
constexpr char kEnvRegion[] = "TENCENTCLOUD_REGION";
constexpr char kEnvProfile[] = "TENCENTCLOUD_PROFILE";

std::string Env(const CredentialSources& sources, const std::string& name) {
  if (!sources.getenv) return "";
  return sources.getenv(name).value_or("");
}

// Reads a whole file; std::nullopt when it cannot be opened.
std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses a tccli JSON file; nlohmann's exceptions stop here. The error names the file and
// byte offset only: nlohmann's own message quotes the bytes it read, which could be a secret.
Result<nlohmann::json> ParseProfileFile(const std::string& path, const std::string& text) {
  try {
    nlohmann::json parsed = nlohmann::json::parse(text);
    if (!parsed.is_object()) {
      return Error(ErrorKind::kAuth, path + ": not a JSON object (expected tccli's format)");
    }
    return parsed;
  } catch (const nlohmann::json::parse_error& e) {
    return Error(ErrorKind::kAuth,
                 path + ": not valid JSON (error at byte " + std::to_string(e.byte) + ")");
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double's range: 7e999
    return Error(ErrorKind::kAuth, path + ": not valid JSON (a number is out of range)");
  }
}

std::string StringField(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string ProfileRegion(const std::string& configure_path) {
  std::optional<std::string> text = ReadFile(configure_path);
  if (!text) return "";
  Result<nlohmann::json> parsed = ParseProfileFile(configure_path, *text);
  if (!parsed.ok()) return "";
  auto sys = parsed->find("_sys_param");
  if (sys != parsed->end() && sys->is_object()) {
    std::string region = StringField(*sys, "region");
    if (!region.empty()) return region;
  }
  return StringField(*parsed, "region");
}

}  // namespace

std::string Credentials::Redacted() const {
  std::string id = secret_id_.size() > 8
                       ? secret_id_.substr(0, 4) + "..." + secret_id_.substr(secret_id_.size() - 4)
                       : std::string("<redacted>");
  return "SecretId " + id + ", SecretKey <redacted>, token " +
         (token_.empty() ? "<none>" : "<redacted>");
}

Result<CredentialLookup> LookupCredentials(const CredentialSources& sources) {
  const std::string env_id = Env(sources, kEnvId);
  const std::string env_key = Env(sources, kEnvKey);
  const std::string env_region = Env(sources, kEnvRegion);
  if (!env_id.empty() || !env_key.empty()) {
    if (env_id.empty() || env_key.empty()) {
      return Error(ErrorKind::kAuth, std::string("credentials: ") +
                                         (env_id.empty() ? kEnvKey : kEnvId) + " is set but " +
                                         (env_id.empty() ? kEnvId : kEnvKey) + " is not");
    }
    return CredentialLookup{Credentials(env_id, env_key, Env(sources, kEnvToken)), env_region,
                            "environment"};
  }

  std::string profile = sources.profile;
  if (profile.empty()) profile = Env(sources, kEnvProfile);
  if (profile.empty()) profile = "default";
  if (profile.find('/') != std::string::npos || profile.starts_with(".")) {
    return Error(ErrorKind::kInvalidInput, "credentials: profile name '" + profile +
                                               "' may not contain '/' or start with '.'");
  }
  const std::string env_places =
      std::string(kEnvId) + " and " + kEnvKey + " (optionally " + kEnvToken + ")";
  if (sources.home.empty()) {
    return Error(ErrorKind::kAuth, "credentials: none found: set " + env_places +
                                       ", or set HOME so the tccli profile ~/.tccli/" + profile +
                                       ".credential can be read");
  }
  const std::string base = sources.home + "/.tccli/" + profile;
  const std::string credential_path = base + ".credential";
  std::optional<std::string> text = ReadFile(credential_path);
  if (!text) {
    return Error(ErrorKind::kAuth, "credentials: none found: set " + env_places +
                                       ", or create the tccli profile " + credential_path +
                                       " (tccli configure" +
                                       (profile == "default" ? "" : " --profile " + profile) + ")");
  }
  Result<nlohmann::json> parsed = ParseProfileFile(credential_path, *text);
  if (!parsed.ok()) return parsed.error().WithContext("credentials");
  const std::string id = StringField(*parsed, "secretId");
  const std::string key = StringField(*parsed, "secretKey");
  if (id.empty() || key.empty()) {
    return Error(ErrorKind::kAuth, "credentials: " + credential_path +
                                       ": needs string fields secretId and secretKey");
  }
  std::string region = env_region.empty() ? ProfileRegion(base + ".configure") : env_region;
  return CredentialLookup{Credentials(id, key, StringField(*parsed, "token")), region,
                          credential_path};
}

CredentialSources ProcessCredentialSources(std::string profile) {
  CredentialSources sources;
  sources.getenv = [](const std::string& name) -> std::optional<std::string> {
    // spotform never calls setenv, so reading the environment from any thread is safe.
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  const char* home = std::getenv("HOME");  // NOLINT(concurrency-mt-unsafe): as above
  sources.home = home != nullptr ? home : "";
  sources.profile = std::move(profile);
  return sources;
}

}  // namespace spotform
