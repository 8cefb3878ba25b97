#include "engine/config/config_digest.h"

#include <nlohmann/json.hpp>

#include "engine/model/crypto.h"
#include "engine/model/spec_json.h"

namespace spotform {
namespace {

// Bumped when a canonical form changes, so old and new digests never collide. Each form
// has its own numbers, so the digests of different forms never collide either.
constexpr int kCanonicalFormVersion = 1;
constexpr int kSharedFormVersion = 2;
constexpr int kEnvironmentFormVersion = 1;

nlohmann::json ProviderJson(const ProviderConfig& provider) {
  return {
      {"region", provider.region}, {"endpoint", provider.endpoint}, {"profile", provider.profile}};
}

nlohmann::json StateJson(const StateConfig& state, std::string_view state_path_as_written) {
  return {{"backend", state.backend},
          {"path", std::string(state_path_as_written)},
          // Only a URL written in the file counts: SPOTFORM_PG_URL is, like credentials, the
          // user's environment, and may hold a password that must not change a digest.
          {"url", state.url_from_environment ? std::string() : state.url},
          {"workspace", state.workspace}};
}

// Invalid UTF-8 is replaced, not thrown: the digest of any parsed config exists.
std::string Compact(const nlohmann::json& canonical) {
  return canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string CanonicalConfigJson(const Config& config, std::string_view state_path_as_written) {
  nlohmann::json environments = nlohmann::json::object();
  for (const auto& [name, spec] : config.environments) {
    environments[name] = SpecFieldsJson(spec);
  }
  return Compact({
      {"version", kCanonicalFormVersion},
      {"provider", ProviderJson(config.provider)},
      {"state", StateJson(config.state, state_path_as_written)},
      {"environments", environments},
  });
}

std::string ConfigDigest(const Config& config, std::string_view state_path_as_written) {
  return Sha256Hex(CanonicalConfigJson(config, state_path_as_written));
}

std::string CanonicalSharedConfigJson(const Config& config,
                                      std::string_view state_path_as_written) {
  return Compact({
      {"version", kSharedFormVersion},
      {"provider", ProviderJson(config.provider)},
      {"state", StateJson(config.state, state_path_as_written)},
  });
}

std::string SharedConfigDigest(const Config& config, std::string_view state_path_as_written) {
  return Sha256Hex(CanonicalSharedConfigJson(config, state_path_as_written));
}

std::string EnvironmentDigest(const EnvironmentSpec& spec) {
  return Sha256Hex(Compact({
      {"version", kEnvironmentFormVersion},
      {"environment", SpecFieldsJson(spec)},
  }));
}

}  // namespace spotform
